// /myscore [today|month|YYYY-MM|YYYY-MM-DD] [@agent]: one's own score; a lead may ask for anyone's.
import type { KnownBlock } from '@slack/types';
import { monthOf, periodLabel, type Period } from '../../core/dates.js';
import { formatFen } from '../../core/money.js';
import { trackKpis } from '../../core/policy.js';
import { TallyError } from '../../errors.js';
import type { Payslip } from '../../core/payslip.js';
import { formatKpiValue, formatPoints } from '../../present.js';
import { findMember, STAFF_ROLES } from '../../service/roster.js';
import { memberScore, type MemberScoreResult } from '../../service/scores.js';
import { context, header, message, section, type Effects } from '../blocks.js';
import { guarded, type SlackDeps } from '../context.js';
import { parseWhoAndWhen } from '../parse.js';
import type { Texts } from '../text/index.js';
import type { CommandInput } from './penalty.js';

/** today / month / YYYY-MM / YYYY-MM-DD, defaulting to this month in the team's calendar; nothing after today. */
export function periodFrom(today: string, when: string | undefined): Period {
  if (when === 'today') return { kind: 'day', day: today };
  if (when && when.length === 10) {
    if (when > today) throw new TallyError('future_date', { value: when, today });
    return { kind: 'day', day: when };
  }
  if (when && when.length === 7) {
    if (when > monthOf(today)) throw new TallyError('future_month', { value: when, month: monthOf(today) });
    return { kind: 'month', month: when };
  }
  return { kind: 'month', month: monthOf(today) };
}

export function myscoreCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(deps, { command: '/myscore', user: input.userId }, async (tx, team) => {
    const me = await findMember(deps.tally, input.userId);
    const { slackId, when } = parseWhoAndWhen(input.text);
    if (slackId && slackId !== me.slackId && !STAFF_ROLES.includes(me.role))
      throw new TallyError('staff_only', { action: 'see_others_scores' });
    const r = await memberScore(deps.tally, slackId ?? me.slackId, periodFrom(team.today, when));
    return { reply: scoreMessage(tx, r), dms: [] };
  });
}

export function scoreMessage(tx: Texts, r: MemberScoreResult): ReturnType<typeof message> {
  const title = tx.score.title(r.member.slackId, periodLabel(r.period));
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  const s = r.standing;
  if (!s) blocks.push(section(tx.score.notScored));
  else {
    blocks.push(section(tx.score.summary(s.score.score.toFixed(2), s.score.rank, r.ranked, tx.track[r.member.track]!)));
    const defs = Object.fromEntries(trackKpis(r.policy, r.member.track));
    const lines = s.score.kpis.map(
      (k) =>
        `${k.label[tx.lang]} · ${formatKpiValue(defs[k.key]!.actual, k.actual)} · ${formatKpiValue(defs[k.key]!.actual, k.target)} · *${formatPoints(k.points)}*/${k.weight}`,
    );
    blocks.push(context(tx.score.kpiHeader), section(lines.join('\n')));
  }
  const pen = r.penalties;
  blocks.push(
    section(
      tx.score.penalties(pen.active.length, pen.points, pen.moneyFen) +
        (pen.commissionForfeited ? `\n${tx.score.forfeited}` : ''),
    ),
  );
  if (r.payslip) blocks.push(header(tx.score.payslip), payslipBlock(tx, r.payslip));
  return message(title, blocks);
}

/** Every term of a payslip as Slack fields: base, performance, commission, award, meal, penalties, total. */
export function payslipBlock(tx: Texts, p: Payslip): KnownBlock {
  const terms = tx.score.terms;
  const fields: Array<[string, number]> = [
    [terms.base, p.baseFen],
    [terms.performance, p.performanceFen],
    [terms.commission, p.commissionFen],
    [terms.award, p.awardFen],
    [terms.meal, p.mealFen],
    [terms.penalties, -p.penaltyFen],
    [terms.total, p.totalFen],
  ];
  return {
    type: 'section',
    fields: fields.map(([label, fen]) => ({ type: 'mrkdwn' as const, text: `${label}\n*${formatFen(fen)}*` })),
  };
}
