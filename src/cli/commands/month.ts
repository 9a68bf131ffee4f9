// tally month list | close | reopen
import type { Command } from 'commander';
import { runJob } from '../../jobs/run.js';
import { correctedText, NOTHING_CHANGED, undeliveredText } from './jobs.js';
import { checkMonth } from '../../service/closed.js';
import { closeMonthByHand } from '../../service/jobs.js';
import { reopenMonth, TERMINAL } from '../../service/months.js';
import { isoIn } from '../../clock.js';
import { teamToday, type Tally } from '../../service/context.js';
import { monthLine, monthStates, type MonthState } from '../../service/month-list.js';
import { deciderNamed, listMembers, personNamed } from '../../service/roster.js';
import { closer } from '../../slack/render/months.js';
import { texts } from '../../slack/text/index.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';

export function registerMonth(program: Command, { tally, print }: CliContext): void {
  const months = program
    .command('month')
    .description("each month's state; close a month (freeze its results) or reopen it");
  months
    .command('list')
    .description(
      'the months that hold data or were closed, newest first: open, closed or reopened, when and by whom, whether their results were posted, and when an open month closes',
    )
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      const { months: all, timezone } = await monthStates(t);
      const at = (d: Date | null) => d && isoIn(d, timezone);
      const json = {
        months: all.map((m) => ({
          month: m.month,
          state: m.state,
          closedAt: at(m.closedAt),
          closedBy: m.closedBy,
          posted: m.posted,
          closesOn: m.closes?.day ?? null,
          reopenedAt: at(m.reopenedAt),
          reopenedBy: m.reopenedBy,
          reopenWhy: m.reopenWhy,
        })),
      };
      const text = o.json ? '' : await monthTable(t, all, timezone);
      print(o.json, json, () => text);
    });
  months
    .command('close <YYYY-MM>')
    .description(
      "freeze a finished month's scores, ranks, awards and pay (the monthly job does this on the policy's close day, schedule.closeOnDay)",
    )
    .option(
      '--by <slack_id>',
      'the lead, supervisor or admin closing it, by Slack id or name (default: the operator at this terminal, recorded as cli)',
      TERMINAL,
    )
    .option('--json', 'machine-readable output')
    .action(async (month: string, o: { by: string; json?: boolean }) => {
      const t = await tally();
      const by = await deciderNamed(t, o.by);
      const { rows, correctionDue } = await closeMonthByHand(t, { month, by });
      if (correctionDue) {
        const r = await runJob(t, 'monthly', checkMonth(month), { owner: `cli:${process.pid}`, by });
        const sent = r.corrected && correctedText(r.corrected);
        const closed = `${month} closed again: ${rows.length} people's results recomputed and frozen`;
        return print(
          o.json,
          {
            month,
            closed: true,
            members: rows.length,
            correction: r.period,
            enqueued: r.enqueued,
            ...(r.corrected ? { corrections: r.corrections, corrected: r.corrected } : {}),
            ...(r.undelivered ? { undelivered: r.undelivered } : {}),
          },
          () =>
            (sent === null && !r.undelivered
              ? `${closed}; ${NOTHING_CHANGED}, so no correction is sent.`
              : `${closed}; a correction (${r.enqueued} messages) is queued${sent ? `: ${sent}` : ''}.`) +
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
    .requiredOption('--by <slack_id>', 'the admin reopening it (an active admin on the roster), by Slack id or name')
    .option('--json', 'machine-readable output')
    .action(async (month: string, o: { why: string; by: string; json?: boolean }) => {
      const t = await tally();
      await reopenMonth(t, { month, by: await personNamed(t, o.by, 'by'), why: o.why });
      print(
        o.json,
        { month, closed: false },
        () =>
          `${month} reopened: ${o.why}\nMake the changes, then close it again: tally month close ${month} (recomputes it and corrects what changed since it was posted).`,
      );
    });
}

/** `month list` for people: a table in the team's language (as App Home shows them), then what to do about a reopened or overdue month. */
async function monthTable(t: Tally, all: MonthState[], timezone: string): Promise<string> {
  const tx = texts((await teamToday(t)).policy.locale);
  if (!all.length) return tx.months.none;
  const names = new Map((await listMembers(t, { includeInactive: true })).map((m) => [m.slackId, m.name]));
  const person = (id: string) => (names.has(id) ? tx.months.person(names.get(id)!, id) : id);
  const lines = all.map((m) => monthLine(m, timezone, t.clock.now()));
  return [
    table(
      tx.months.columns,
      lines.map((l) => [
        l.month,
        tx.months.state[l.state],
        l.when ?? '',
        l.by === null ? '' : closer(tx, l.by, person),
        l.posted ? tx.months.yes : tx.months.no,
        l.closes === null ? '' : l.due ? tx.months.due(l.closes) : l.closes,
      ]),
    ),
    ...all.filter((m) => m.state === 'reopened').map((m) => tx.months.reopened(m.month, m.reopenWhy ?? '')),
    ...(lines.some((l) => l.due) ? [tx.months.dueNote] : []),
  ].join('\n');
}
