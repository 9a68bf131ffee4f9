// tally score <slack_id> --day | --month: one member's breakdown, penalties, rank, award and payslip
import type { Command } from 'commander';
import { monthOf, periodLabel } from '../../core/dates.js';
import { formatFen } from '../../core/money.js';
import { trackKpis } from '../../core/policy.js';
import { formatKpiValue, formatPoints, formatRatio } from '../../present.js';
import { listPenalties } from '../../service/penalties.js';
import { memberScore } from '../../service/scores.js';
import { personNamed } from '../../service/roster.js';
import { periodOption } from '../args.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';
import { penaltyLine } from './penalty.js';
import { TRACK_NAMES } from './rank.js';

export function registerScore(program: Command, { tally, print }: CliContext): void {
  program
    .command('score <slack_id>')
    .description(
      "one member's score (by Slack id or name): per-KPI breakdown, penalties, rank (and payslip for a month)",
    )
    .option('--day <YYYY-MM-DD>', 'one day')
    .option('--month <YYYY-MM>', 'one calendar month')
    .option('--json', 'machine-readable output')
    .action(async (who: string, o: { day?: string; month?: string; json?: boolean }, cmd: Command) => {
      const period = periodOption(cmd, o);
      const t = await tally();
      const slackId = await personNamed(t, who);
      const r = await memberScore(t, slackId, period);
      const items = (
        await listPenalties(t, { slackId, month: period.kind === 'month' ? period.month : monthOf(period.day) })
      ).filter((p) => period.kind === 'month' || p.occurredOn === period.day);
      const defs = new Map(trackKpis(r.policy, r.member.track));
      const s = r.standing;
      const json = {
        period: periodLabel(period),
        slackId: r.member.slackId,
        name: r.member.name,
        track: r.member.track,
        level: r.member.level,
        score: s?.score.score ?? null,
        rank: s?.score.rank ?? null,
        ranked: r.ranked,
        kpiPoints: s ? round4(s.score.kpiPoints) : 0,
        penaltyPoints: r.penalties.points,
        kpis: (s?.score.kpis ?? []).map((k) => ({
          key: k.key,
          label: k.label,
          weight: k.weight,
          cap: k.cap,
          actual: k.actual,
          target: k.target,
          ratio: k.ratio,
          points: round4(k.points),
        })),
        penalties: {
          count: r.penalties.active.length,
          moneyFen: r.penalties.moneyFen,
          points: r.penalties.points,
          commissionForfeited: r.penalties.commissionForfeited,
          dismissalFlag: r.penalties.dismissalFlag,
          escalations: r.penalties.escalations,
          items,
        },
        award: s && 'award' in s ? s.award : null,
        payslip: r.payslip,
      };
      print(o.json, json, () => {
        const out = [
          `${r.member.name} (${r.member.slackId}), ${TRACK_NAMES[r.member.track]}, ${r.member.level}, ${periodLabel(period)}`,
        ];
        if (!s) out.push('No metrics for this period: not scored.');
        else {
          out.push(`Score ${s.score.score.toFixed(2)}, rank ${s.score.rank} of ${r.ranked}`);
          out.push(
            table(
              ['KPI', 'Actual', 'Target', 'Ratio', 'Weight', 'Points'],
              s.score.kpis.map((k) => [
                k.label.en,
                formatKpiValue(defs.get(k.key)!.actual, k.actual),
                formatKpiValue(defs.get(k.key)!.actual, k.target),
                formatRatio(k),
                String(k.weight),
                formatPoints(k.points),
              ]),
              [1, 2, 3, 4, 5],
            ),
          );
        }
        out.push(
          `Penalties: ${r.penalties.active.length} active, -${r.penalties.points} points, ${formatFen(r.penalties.moneyFen)}${r.penalties.commissionForfeited ? ', commission forfeited' : ''}${r.penalties.dismissalFlag ? ', FLAGGED FOR DISMISSAL' : ''}`,
        );
        for (const p of items) out.push(`  ${penaltyLine(p).slice(0, 7).join('  ')}`);
        if (s && 'award' in s && s.award.awardFen > 0)
          out.push(
            `Award: rank ${s.award.awardRank} among eligible${s.award.streak > 1 ? `, first ${s.award.streak} months running` : ''}, ${formatFen(s.award.awardFen)}`,
          );
        if (r.payslip) {
          const ps = r.payslip;
          out.push(
            `Payslip: base ${formatFen(ps.baseFen)} + performance ${formatFen(ps.performanceFen)} + commission ${formatFen(ps.commissionFen)} + award ${formatFen(ps.awardFen)} + meal ${formatFen(ps.mealFen)} - penalties ${formatFen(ps.penaltyFen)} = ${formatFen(ps.totalFen)}`,
          );
        }
        return out.join('\n');
      });
    });
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
