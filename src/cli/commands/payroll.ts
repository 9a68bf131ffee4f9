// tally payroll --month [--json | --csv]
import { Option, type Command } from 'commander';
import { isMonth } from '../../core/dates.js';
import { formatFen, sumFen } from '../../core/money.js';
import { CliRefusal } from '../text.js';
import { payrollFile, payrollWorkbook } from '../../export/payroll-file.js';
import { teamToday } from '../../service/context.js';
import { lastFinishedMonth, payroll, type PayrollRow } from '../../service/scores.js';
import { saveFile } from '../args.js';
import { table, writeFile } from '../output.js';
import type { CliContext } from '../program.js';

export function registerPayroll(program: Command, { tally, print, io }: CliContext): void {
  program
    .command('payroll')
    .description("the month's pay for everyone on the roster")
    .option('--month <YYYY-MM>', "the month (default: last month, the last finished, in the team's time zone)")
    .option('--json', 'machine-readable output')
    .addOption(new Option('--csv', 'CSV output, amounts in yuan').conflicts('json'))
    .addOption(
      new Option('--xlsx <file>', 'write an Excel workbook: a summary and one sheet per track').conflicts([
        'json',
        'csv',
      ]),
    )
    .action(async (o: { month?: string; json?: boolean; csv?: boolean; xlsx?: string }) => {
      if (o.month !== undefined && !isMonth(o.month))
        throw new CliRefusal(`--month "${o.month}": not a month (YYYY-MM)`);
      const t = await tally();
      const p = await payroll(t, o.month ?? (await lastFinishedMonth(t)));
      const rows = p.rows.map(payrollJson);
      if (o.csv) {
        // the same file the leads get from the monthly job, in the team's language
        return writeFile(io, payrollFile(p.rows, (await teamToday(t)).policy.locale));
      }
      if (o.xlsx !== undefined) {
        const book = await payrollWorkbook(p.rows, (await teamToday(t)).policy.locale, p.month, p.policy);
        saveFile(o.xlsx, book);
        const total = sumFen(rows.map((r) => r.totalFen));
        io.out(`Wrote ${o.xlsx}: payroll ${p.month}, ${rows.length} people, ${formatFen(total)} in all.`);
        return;
      }
      print(o.json, { month: p.month, rows, closed: p.closed }, () => {
        // exact past 2^53, where adding doubles drops fen
        const total = sumFen(rows.map((r) => r.totalFen));
        const flags = (r: (typeof rows)[number]) =>
          [
            r.commissionForfeited && 'commission forfeited',
            r.dismissalFlag && 'DISMISSAL',
            r.rotationFlag && 'warehouse rotation',
          ]
            .filter(Boolean)
            .join(', ');
        return [
          `Payroll ${p.month}`,
          table(
            [
              'Name',
              'Slack ID',
              'Score',
              'Base',
              'Performance',
              'Commission',
              'Award',
              'Meal',
              'Penalties',
              'Total',
              'Flags',
            ],
            rows.map((r) => [
              r.name,
              r.slackId,
              r.score === null ? '—' : r.score.toFixed(2),
              formatFen(r.baseFen),
              formatFen(r.performanceFen),
              formatFen(r.commissionFen),
              formatFen(r.awardFen),
              formatFen(r.mealFen),
              r.penaltyFen ? `-${formatFen(r.penaltyFen)}` : formatFen(0),
              formatFen(r.totalFen),
              flags(r),
            ]),
            [2, 3, 4, 5, 6, 7, 8, 9],
          ),
          `${rows.length} people, ${formatFen(total)} in all.${p.closed ? ' Closed: these figures are frozen.' : ' Not closed yet: figures may still change.'}`,
        ].join('\n');
      });
    });
}

/** One row of `payroll --json` (a stable shape: fields may be added, never renamed). */
function payrollJson(r: PayrollRow) {
  const ps = r.payslip;
  return {
    slackId: r.member.slackId,
    name: r.member.name,
    baseFen: ps.baseFen,
    performanceFen: ps.performanceFen,
    commissionFen: ps.commissionFen,
    awardFen: ps.awardFen,
    mealFen: ps.mealFen,
    penaltyFen: ps.penaltyFen,
    totalFen: ps.totalFen,
    commissionForfeited: r.penalties.commissionForfeited,
    dismissalFlag: r.penalties.dismissalFlag,
    rotationFlag: r.standing?.award.rotationFlag ?? false,
    track: r.member.track,
    level: r.member.level,
    score: r.standing?.score.score ?? null,
    rank: r.standing?.score.rank ?? null,
    awardRank: r.standing?.award.awardRank ?? null,
    streak: r.standing?.award.streak ?? 0,
  };
}
