// A member's score for a period (/myscore, App Home) and the payslip block (also in the monthly DM).
import type { KnownBlock } from '@slack/types';
import { periodLabel } from '../../core/dates.js';
import { formatFen } from '../../core/money.js';
import type { Payslip } from '../../core/payslip.js';
import { trackKpis, type Level } from '../../core/policy.js';
import { formatKpiValue, formatPoints } from '../../present.js';
import type { MemberScoreResult } from '../../service/scores.js';
import { context, escapeLine, header, message, section } from '../blocks.js';
import type { Texts } from '../text/index.js';

export function scoreMessage(tx: Texts, r: MemberScoreResult): ReturnType<typeof message> {
  const title = tx.score.title(r.member.slackId, periodLabel(r.period));
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  const s = r.standing;
  if (!s) blocks.push(section(tx.score.notScored));
  else {
    blocks.push(section(tx.score.summary(s.score.score.toFixed(2), s.score.rank, r.ranked, tx.track[r.member.track])));
    const defs = new Map(trackKpis(r.policy, r.member.track));
    const lines = s.score.kpis.map(
      (k) =>
        `${escapeLine(k.label[tx.lang])} · ${formatKpiValue(defs.get(k.key)!.actual, k.actual)} · ${formatKpiValue(defs.get(k.key)!.actual, k.target)} · ${k.weight ? `*${formatPoints(k.points)}*/${k.weight}` : tx.score.unweighted}`,
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
  if (r.payslip) blocks.push(header(tx.score.payslip), ...payslipBlocks(tx, r.payslip, r.payLevel));
  return message(title, blocks);
}

/** The payslip's fields, and for a trainee why performance, commission and award are ¥0. */
export function payslipBlocks(tx: Texts, p: Payslip, level: Level | null): KnownBlock[] {
  return [payslipBlock(tx, p), ...(level === 'trainee' ? [context(tx.score.traineePay)] : [])];
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
