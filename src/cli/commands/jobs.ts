// tally jobs run | list | retry | send: the scheduled posts by hand
import type { Command } from 'commander';
import pino from 'pino';
import { jobsClient } from '../../jobs/client.js';
import { drainOutbox } from '../../jobs/outbox.js';
import { JOBS, runJob, type JobName } from '../../jobs/run.js';
import { CliRefusal } from '../text.js';
import { dayIn, isoIn, timeIn } from '../../clock.js';
import { monthsClosing } from '../../service/month-list.js';
import { teamToday, type Tally } from '../../service/context.js';
import { listRuns } from '../../service/jobs.js';
import { undecidableAppeals } from '../../service/appeals.js';
import type { Undelivered } from '../../jobs/monthly.js';
import type { Corrected } from '../../jobs/published.js';
import { TERMINAL } from '../../service/months.js';
import { requeueFailed } from '../../service/outbox.js';
import { readSlackEnv } from '../../slack/config.js';
import { usage } from '../args.js';
import { outDir, writeMonthFiles, writtenText } from '../month-files.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';

export function registerJobs(program: Command, { tally, print }: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('the scheduled posts: run one by hand, list past runs, send what is queued');
  jobs
    .command('run <job>')
    .description(
      "run the daily, provisional or monthly job now through the same code as the scheduler (once per period: a second run is skipped); monthly closes a finished month now, whatever the policy's close day",
    )
    .option(
      '--period <period>',
      'YYYY-MM-DD for daily (default today), YYYY-MM for provisional and monthly (default last month)',
    )
    .option('--send', 'also send what it queued (needs SLACK_BOT_TOKEN)')
    .option('--force', "run today's daily before its time (the evening run is then skipped)")
    .option(
      '--out <dir>',
      "monthly: also write the month's charts (one PNG per track) and payroll-YYYY-MM.xlsx into <dir> (created if missing)",
    )
    .option('--json', 'machine-readable output')
    .action(
      async (
        job: string,
        o: { period?: string; send?: boolean; force?: boolean; out?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (!(JOBS as readonly string[]).includes(job))
          usage(cmd, `"${job}" is not a job: daily, provisional or monthly`);
        if (o.out !== undefined && job !== 'monthly') usage(cmd, '--out is for the monthly job');
        // before the run: a directory that cannot be written is refused before the month closes
        const dir = o.out === undefined ? undefined : outDir(o.out);
        const t = await tally();
        const r = await runJob(t, job as JobName, o.period, {
          owner: `cli:${process.pid}`,
          by: TERMINAL,
          force: o.force,
          closeReopened: true,
        });
        const sent = o.send ? await sendQueued(t) : undefined;
        // the month's files, whether this call closed it or it was closed already (a second run is skipped)
        const month = r.period.split('#')[0]!;
        const out = dir === undefined ? undefined : await writeMonthFiles(t, month, dir, true);
        print(
          o.json,
          { ...r, ...(sent ? { sent } : {}), ...(out ? { out: { dir: out.dir, files: out.files } } : {}) },
          () =>
            (r.status === 'skipped'
              ? `${job} ${r.period}: skipped, ${r.reason}.`
              : `${job} ${r.period}: ${r.status}${r.correction ? ' (a correction)' : ''}, ${r.enqueued} messages queued${r.reason ? ` (${r.reason})` : ''}${r.corrected ? `: ${correctedText(r.corrected) ?? NOTHING_CHANGED}` : ''}.` +
                (r.undelivered ?? []).map((u) => `\n${undeliveredText(u, r.period)}`).join('')) +
            (sent ? ` Sent ${sent.sent}, ${sent.retrying} to retry, ${sent.failed} failed.` : '') +
            (out ? `\n${writtenText(out, month)}` : ''),
        );
      },
    );
  jobs
    .command('list')
    .description('past runs, their status and their messages, and when each open month closes')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      const runs = await listRuns(t);
      const appealsNobodyCanDecide = await undecidableAppeals(t);
      // the team's clock, not the server's; JSON keeps the instant (ISO, UTC)
      const zone = (await teamToday(t)).policy.timezone;
      const local = (iso: string) => `${dayIn(new Date(iso), zone)} ${timeIn(new Date(iso), zone)}`;
      const closing = (await monthsClosing(t)).map((c) => ({
        month: c.month,
        provisionalAt: c.provisionalAt && isoIn(c.provisionalAt, zone),
        closesAt: isoIn(c.closesAt, zone),
        due: c.due,
      }));
      print(o.json, { runs, appealsNobodyCanDecide, closing }, () =>
        [
          runs.length
            ? table(
                ['ID', 'Job', 'Period', 'Status', 'Late', `Started (${zone})`, 'Sent', 'Pending', 'Failed', 'Error'],
                runs.map((r) => [
                  String(r.id),
                  r.job,
                  r.period,
                  r.status,
                  r.late ? 'late' : '',
                  local(r.startedAt),
                  String(r.messages.sent),
                  String(r.messages.pending),
                  String(r.messages.failed),
                  r.error ?? r.undelivered.map((u) => UNDELIVERED[u as Undelivered] ?? u).join('; '),
                ]),
                [0, 6, 7, 8],
              )
            : 'No runs yet.',
          // the zone is named once: in the runs' header when there are runs
          ...(closing.length
            ? [`When the open months close${runs.length ? '' : ` (${zone})`}:`, ...closing.map(closingText)]
            : []),
          ...runs.flatMap((r) =>
            r.status === 'incomplete' ? r.undelivered.map((u) => undeliveredText(u, r.period)) : [],
          ),
          ...(appealsNobodyCanDecide.length
            ? [
                `Appeals nobody can decide (the team has no active lead, supervisor or admin, or none above the one appealing: a lead's appeal needs a supervisor or admin, a supervisor's an admin; make someone one with a roster file: tally roster import <file>):`,
                ...appealsNobodyCanDecide.map(
                  (a) => `  penalty #${a.penaltyId}: ${a.name} (${a.by}), filed ${local(a.filedAt)}`,
                ),
              ]
            : []),
        ].join('\n'),
      );
    });
  jobs
    .command('retry')
    .description('queue again the messages that failed (after fixing a channel or a token, for example)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const requeued = await requeueFailed(await tally());
      print(o.json, { requeued }, () => `${requeued} failed messages queued again.`);
    });
  jobs
    .command('send')
    .description('send the queued messages that are due (the running bot does this every few seconds)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await sendQueued(await tally());
      print(o.json, r, () => `Sent ${r.sent}, ${r.retrying} to retry later, ${r.failed} failed (admins are told).`);
    });
}

/** When an open month's provisional standings go out and when it closes, as `jobs list` says it. */
function closingText(c: { month: string; provisionalAt: string | null; closesAt: string; due: boolean }): string {
  const at = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  const provisional = c.provisionalAt ? `provisional standings ${at(c.provisionalAt)}, ` : '';
  return c.due
    ? `  ${c.month}: due to close since ${at(c.closesAt)}: it closes when the bot next checks, or now with tally jobs run monthly --period ${c.month}`
    : `  ${c.month}: ${provisional}closes ${at(c.closesAt)}`;
}

/** A correction that found nothing to send again. */
export const NOTHING_CHANGED = 'nothing changed since it was posted';

/** What a correction sends again ("2 corrected payslips (UA, UB), the payroll file"); null when nothing. */
export function correctedText(c: Corrected): string | null {
  const n = c.payslips.length;
  const who = c.payslips.slice(0, 10).join(', ') + (n > 10 ? ` and ${n - 10} more` : '');
  const parts = [
    ...(n ? [`${n} corrected payslip${n === 1 ? '' : 's'} (${who})`] : []),
    ...(c.channel ? ["the channel's results"] : []),
    ...(c.payrollFile ? ['the payroll file'] : []),
  ];
  return parts.length ? parts.join(', ') : null;
}

const UNDELIVERED: Record<Undelivered, string> = { payroll_file: 'payroll file: nobody to send it to' };

/** What a part with nobody to go to means, and what to do about it. */
export function undeliveredText(u: string, period: string): string {
  if (u !== 'payroll_file') return `${period}: ${u} had nobody to go to.`;
  return `${period}: the payroll file went to nobody: the team has no active lead, supervisor or admin. Make someone one (tally roster import), then the bot sends it within minutes (or: tally jobs run monthly --period ${period.split('#')[0]}).`;
}

async function sendQueued(t: Tally) {
  const slack = readSlackEnv();
  if (!slack.SLACK_BOT_TOKEN) throw new CliRefusal('sending needs SLACK_BOT_TOKEN (and SLACK_API_URL for a proxy)');
  return drainOutbox(t, jobsClient(slack.SLACK_BOT_TOKEN, slack.SLACK_API_URL), {
    log: pino({ level: 'warn' }, pino.destination(2)),
  });
}
