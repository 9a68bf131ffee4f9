// /penalty list [@agent] [YYYY-MM]: a month's penalties; agents see their own, staff anyone's.
import { monthOf } from '../../../core/dates.js';
import { formatFen } from '../../../core/money.js';
import { TallyError } from '../../../errors.js';
import { listPenalties, type PenaltyView } from '../../../service/penalties.js';
import { findMember, STAFF_ROLES } from '../../../service/roster.js';
import { escape, linesToSections, message, section, type Effects } from '../../blocks.js';
import { replyWith, type SlackDeps, type Team } from '../../context.js';
import { parseWhoAndWhen } from '../../parse.js';
import { ruleName } from '../../render/penalty.js';
import type { Texts } from '../../text/index.js';

export async function list(deps: SlackDeps, tx: Texts, team: Team, userId: string, rest: string): Promise<Effects> {
  const t = deps.tally;
  const me = await findMember(t, userId);
  const { slackId, when } = parseWhoAndWhen(rest);
  const { today } = team;
  const month = when && /^\d{4}-\d{2}$/.test(when) ? when : monthOf(today);
  const staff = STAFF_ROLES.includes(me.role);
  // agents see their own; leads see anyone's
  const who = staff ? (slackId ?? null) : me.slackId;
  if (!staff && slackId && slackId !== me.slackId)
    throw new TallyError('staff_only', { action: 'see_others_penalties' });
  const rows = await listPenalties(t, { slackId: who ?? undefined, month });
  const title = tx.penalty.listTitle(who, month);
  if (!rows.length) return replyWith(`${title}\n${tx.penalty.none}`);
  const lines = rows.map((p) => penaltyLine(tx, p, !who));
  return { reply: message(title, [section(`*${title}*`), ...linesToSections(lines).slice(0, 45)]), dms: [] };
}

function penaltyLine(tx: Texts, p: PenaltyView, withName: boolean): string {
  const status = p.status === 'revoked' ? ` ~${tx.penalty.revokedTag}~` : '';
  return `#${p.id} ${p.occurredOn} ${withName ? `<@${p.slackId}> ` : ''}${ruleName(tx, p.ruleCode, p.ruleLabel)} ${formatFen(p.amountFen)} -${p.points}${status} · ${escape(p.reason).slice(0, 120)}`;
}
