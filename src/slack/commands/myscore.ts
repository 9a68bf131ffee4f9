// /myscore [today|month|YYYY-MM|YYYY-MM-DD] [@agent]: one's own score; a lead may ask for anyone's.
import { TallyError } from '../../errors.js';
import { findMember, STAFF_ROLES } from '../../service/roster.js';
import { memberScore } from '../../service/scores.js';
import type { Effects } from '../blocks.js';
import { guarded, type SlackDeps } from '../context.js';
import { parseWhoAndWhen, periodFrom } from '../parse.js';
import { scoreMessage } from '../render/score.js';
import type { CommandInput } from './input.js';

export function myscoreCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(deps, { command: '/myscore', user: input.userId }, async (tx, team) => {
    const { slackId, when } = parseWhoAndWhen(input.text);
    // one's own score needs no lookup of its own: memberScore reads the member with the month's stamp
    if (slackId && slackId !== input.userId) {
      const me = await findMember(deps.tally, input.userId);
      if (!STAFF_ROLES.includes(me.role)) throw new TallyError('staff_only', { action: 'see_others_scores' });
    }
    const r = await memberScore(deps.tally, slackId ?? input.userId, periodFrom(team.today, when));
    return { reply: scoreMessage(tx, r), dms: [] };
  });
}
