// Runs the jobs at the team's times in the team's time zone, catches up on a run missed while Tally
// was down (marked late), and drains the outbox every few seconds. node-cron ticks every minute and
// each tick checks the schedule against Tally's own clock: a cron expression per job would read the
// system clock (not TALLY_NOW) and never fire at a time the clocks skip (02:30 on a spring-forward day).
import { hostname } from 'node:os';
import cron from 'node-cron';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { syncCurrentAssignments } from '../service/assignments.js';
import { teamToday, type Tally } from '../service/context.js';
import { freezeFinishedMonths } from './freeze.js';
import { drainOutbox } from './outbox.js';
import { runJob, type JobName, type JobResult } from './run.js';
import { dueRuns } from './schedule.js';

export interface SchedulerDeps {
  tally: Tally;
  log: Logger;
  client: WebClient;
}

export const owner = () => `${hostname()}:${process.pid}`;

// a month's close before its provisional post: after downtime past the close day, only the final results go out
const JOB_ORDER: readonly JobName[] = ['monthly', 'provisional', 'daily'];

/**
 * At start-up and every few minutes: the latest run of each job, if it did not happen (Tally was
 * down, or it failed), is performed now, once, marked late. Only a period that has ended is caught
 * up on: a day still going on would be posted with part of its data and marked done.
 */
export async function catchUp(deps: SchedulerDeps, who = owner()): Promise<string[]> {
  const t = deps.tally;
  const { today, policy } = await teamToday(t);
  const due = dueRuns(t.clock.now(), policy);
  const ran: string[] = [];
  // a dated change (a promotion from the 1st) whose day has come: the member rows say so now
  try {
    const synced = await syncCurrentAssignments(t);
    if (synced) deps.log.info({ members: synced }, 'track, level or role changes dated today are in force');
  } catch (err) {
    deps.log.error({ err }, 'could not bring members up to their changes dated today; tried again in a few minutes');
  }
  for (const job of JOB_ORDER) {
    const { period } = due[job];
    if (job === 'daily' && period >= today) continue;
    // each job on its own: a failed monthly must not keep the daily from running
    try {
      const r = await runJob(t, job, period, { owner: who, late: true, skipEmpty: true });
      if (r.status === 'done') {
        ran.push(`${job} ${r.period}`);
        deps.log.warn({ job, period: r.period }, 'caught up on a missed run');
      }
      if (r.status === 'incomplete') warnIncomplete(deps.log, r);
    } catch (err) {
      deps.log.error({ err, job, period }, 'catch-up run failed; it is tried again in a few minutes');
    }
  }
  // an older month no run published is frozen all the same, so it is never scored again by accident
  try {
    for (const month of await freezeFinishedMonths(t, { by: 'scheduler', keepLatest: true })) {
      ran.push(`close ${month}`);
      deps.log.warn({ month }, 'closed a finished month no monthly run had closed');
    }
  } catch (err) {
    deps.log.error({ err }, 'could not close the finished months; tried again in a few minutes');
  }
  return ran;
}

/** A run with a part that had nobody to go to: said at every attempt until someone can take it. */
function warnIncomplete(log: Logger, r: JobResult): void {
  log.warn(
    { job: r.job, period: r.period, undelivered: r.undelivered },
    'nobody to send the payroll file to: the team has no active lead, supervisor or admin; tried again in a few minutes',
  );
}

export interface Scheduler {
  /** checks the schedule now (node-cron does it every minute): runs a job whose time has come since the last check */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export async function startScheduler(
  deps: SchedulerDeps,
  opts: { sendEveryMs?: number; catchUpEveryMs?: number; ticking?: boolean } = {},
): Promise<Scheduler> {
  const t = deps.tally;
  const who = owner();
  // runs due before this moment are the catch-up's; from here on each is run when its time comes
  let checkedUpTo = t.clock.now();
  const started = new Set<string>();
  const check = async () => {
    const now = t.clock.now();
    // the policy is read each time: a changed time or time zone applies without a restart
    const { policy } = await teamToday(t);
    const due = dueRuns(now, policy);
    for (const job of JOB_ORDER) {
      const { period, at } = due[job];
      if (at <= checkedUpTo || at > now || started.has(`${job} ${period}`)) continue;
      started.add(`${job} ${period}`);
      try {
        const r = await runJob(t, job, period, { owner: who });
        deps.log.info({ ...r }, `${job} job`);
        if (r.status === 'incomplete') warnIncomplete(deps.log, r);
      } catch (err) {
        deps.log.error({ err, job, period }, 'job failed; the catch-up tries it again');
      }
    }
    if (now > checkedUpTo) checkedUpTo = now;
  };
  let ticking: Promise<void> | null = null;
  const tick = () =>
    (ticking ??= check()
      .catch((err) => deps.log.error({ err }, 'could not check the schedule; will check again'))
      .finally(() => (ticking = null)));
  // a minute tick, whatever the zone: which job is due is decided by the check, in the team's zone
  const ticker = opts.ticking === false ? null : cron.schedule('* * * * *', tick, { name: 'tally-schedule' });
  await catchUp(deps, who).catch((err) => deps.log.error({ err }, 'catch-up failed; the next start will retry it'));
  let sending: Promise<unknown> | null = null;
  const send = () => {
    sending ??= drainOutbox(t, deps.client, { log: deps.log })
      .catch((err) => deps.log.error({ err }, 'sending failed; will try again'))
      .finally(() => (sending = null));
  };
  send();
  const timer = setInterval(send, opts.sendEveryMs ?? 5_000);
  // a run that failed (or was missed) is tried again every few minutes, not only at start
  let catching: Promise<unknown> | null = null;
  const retry = setInterval(
    () => {
      catching ??= catchUp(deps, who).finally(() => (catching = null));
    },
    opts.catchUpEveryMs ?? 5 * 60_000,
  );
  return {
    tick,
    stop: async () => {
      await ticker?.destroy();
      clearInterval(timer);
      clearInterval(retry);
      await catching;
      await ticking;
      await sending;
    },
  };
}
