// /penalty revoke <id> <why>: revokes a penalty; the agent is told, and a waiting appeal closes with it.
import { TallyError } from '../../../errors.js';
import { revokePenalty } from '../../../service/penalties.js';
import { escape, message, section, type Effects } from '../../blocks.js';
import type { SlackDeps } from '../../context.js';
import { unescapeSlack } from '../../parse.js';
import type { Texts } from '../../text/index.js';

export async function revoke(deps: SlackDeps, tx: Texts, userId: string, words: string[]): Promise<Effects> {
  const [idText = '', ...why] = words;
  const id = Number(idText.replace(/^#/, ''));
  if (!/^#?\d+$/.test(idText)) throw new TallyError('no_such_penalty', { id: idText });
  const p = await revokePenalty(deps.tally, { id, by: userId, why: unescapeSlack(why.join(' ')) });
  const line = tx.penalty.revoked(p.id, p.slackId, p.amountFen);
  const dm =
    tx.penalty.revokedDm(p.id, userId, escape(p.revokeReason ?? '')) +
    (p.closedAppealId ? `\n${tx.penalty.appealClosed(p.closedAppealId)}` : '');
  return { reply: message(line, [section(line)]), dms: [{ to: p.slackId, msg: message(dm, [section(dm)]) }] };
}
