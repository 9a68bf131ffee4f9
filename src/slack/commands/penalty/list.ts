// /penalty list [@agent] [YYYY-MM]: a month's penalties; agents see their own, staff anyone's.
import { monthOf } from '../../../core/dates.js';
import { TallyError } from '../../../errors.js';
import { listPenalties } from '../../../service/penalties.js';
import { findMember, peopleNamed, STAFF_ROLES } from '../../../service/roster.js';
import type { Effects } from '../../blocks.js';
import type { SlackDeps, Team } from '../../context.js';
import { parseWhoAndWhen, plainMentions } from '../../parse.js';
import { penaltyList } from '../../render/penalty.js';
import type { Texts } from '../../text/index.js';

export async function list(deps: SlackDeps, tx: Texts, team: Team, userId: string, rest: string): Promise<Effects> {
  const t = deps.tally;
  const me = await findMember(t, userId);
  const { slackId, when, rest: words } = parseWhoAndWhen(rest, await peopleNamed(t, plainMentions(rest)));
  if (words) throw new TallyError('unexpected_words', { command: 'penalty_list', words });
  const { today } = team;
  const month = when && /^\d{4}-\d{2}$/.test(when) ? when : monthOf(today);
  // staff who have left see their own, as agents do
  const staff = me.active && STAFF_ROLES.includes(me.role);
  // agents see their own; leads see anyone's
  const who = staff ? (slackId ?? null) : me.slackId;
  if (!staff && slackId && slackId !== me.slackId)
    throw new TallyError('staff_only', { action: 'see_others_penalties' });
  const rows = await listPenalties(t, { slackId: who ?? undefined, month });
  return { reply: penaltyList(tx, { who, month, rows }), dms: [] };
}
