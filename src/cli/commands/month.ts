// tally month close | reopen
import type { Command } from 'commander';
import { runJob } from '../../jobs/run.js';
import { undeliveredText } from './jobs.js';
import { checkMonth } from '../../service/closed.js';
import { closeMonthByHand } from '../../service/jobs.js';
import { reopenMonth, TERMINAL } from '../../service/months.js';
import type { CliContext } from '../program.js';

export function registerMonth(program: Command, { tally, print }: CliContext): void {
  const months = program.command('month').description('close a month (freeze its results) or reopen it');
  months
    .command('close <YYYY-MM>')
    .description("freeze a finished month's scores, ranks, awards and pay (the monthly job does this on the 1st)")
    .option(
      '--by <slack_id>',
      'the lead, supervisor or admin closing it (default: the operator at this terminal, recorded as cli)',
      TERMINAL,
    )
    .option('--json', 'machine-readable output')
    .action(async (month: string, o: { by: string; json?: boolean }) => {
      const t = await tally();
      const { rows, correctionDue } = await closeMonthByHand(t, { month, by: o.by });
      if (correctionDue) {
        const r = await runJob(t, 'monthly', checkMonth(month), { owner: `cli:${process.pid}`, by: o.by });
        return print(
          o.json,
          {
            month,
            closed: true,
            members: rows.length,
            correction: r.period,
            ...(r.undelivered ? { undelivered: r.undelivered } : {}),
          },
          () =>
            `${month} closed again: ${rows.length} people's results recomputed and frozen; a correction (${r.enqueued} messages) is queued.` +
            (r.undelivered ?? []).map((u) => `\n${undeliveredText(u, r.period)}`).join(''),
        );
      }
      print(
        o.json,
        { month, closed: true, members: rows.length },
        () => `${month} closed: ${rows.length} people's results frozen.`,
      );
    });
  months
    .command('reopen <YYYY-MM>')
    .description(
      'reopen a closed month so imports and penalties for it are accepted again; closing it again recomputes it',
    )
    .requiredOption('--why <text>', 'why (kept in the audit trail)')
    .requiredOption('--by <slack_id>', 'the admin reopening it (an active admin on the roster)')
    .option('--json', 'machine-readable output')
    .action(async (month: string, o: { why: string; by: string; json?: boolean }) => {
      await reopenMonth(await tally(), { month, by: o.by, why: o.why });
      print(
        o.json,
        { month, closed: false },
        () =>
          `${month} reopened: ${o.why}\nMake the changes, then close it again: tally month close ${month} (recomputes it and posts a correction).`,
      );
    });
}
