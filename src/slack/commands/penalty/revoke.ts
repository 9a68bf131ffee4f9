// /penalty revoke <id> <why>: revokes a penalty; the agent is told, and a waiting appeal closes with it.
import { TallyError } from '../../../errors.js';
import { revokePenalty } from '../../../service/penalties.js';
import type { Effects } from '../../blocks.js';
import type { SlackDeps } from '../../context.js';
import { unescapeSlack } from '../../parse.js';
import { penaltyRevoked } from '../../render/penalty.js';
import type { Texts } from '../../text/index.js';

export async function revoke(deps: SlackDeps, tx: Texts, userId: string, words: string[]): Promise<Effects> {
  const [idText = '', ...why] = words;
  const id = Number(idText.replace(/^#/, ''));
  if (!/^#?\d+$/.test(idText)) throw new TallyError('no_such_penalty', { id: idText });
  const p = await revokePenalty(deps.tally, { id, by: userId, why: unescapeSlack(why.join(' ')) });
  return penaltyRevoked(tx, p, userId);
}
