// Runs the jobs at the team's times in the team's time zone, catches up on a run missed while Tally
// was down (marked late), and drains the outbox every few seconds. node-cron ticks every minute and
// each tick checks the schedule against Tally's own clock: a cron expression per job would read the
// system clock (not TALLY_NOW) and never fire at a time the clocks skip (02:30 on a spring-forward day).
import { hostname } from 'node:os';
import cron from 'node-cron';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { syncCurrentAssignments } from '../service/assignments.js';
import { Stopping, within } from '../stop.js';
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

/** A stop in progress: `noNew` starts no other job; `rollBack` has the job in progress stop at its next step. */
export interface Halt {
  noNew?: AbortSignal;
  rollBack?: AbortSignal;
}

// a month's close before its provisional post: after downtime past the close day, only the final results go out
const JOB_ORDER: readonly JobName[] = ['monthly', 'provisional', 'daily'];

/**
 * At start-up and every few minutes: the latest run of each job, if it did not happen (Tally was
 * down, or it failed), is performed now, once, marked late. Only a period that has ended is caught
 * up on: a day still going on would be posted with part of its data and marked done.
 */
export async function catchUp(deps: SchedulerDeps, who = owner(), halt: Halt = {}): Promise<string[]> {
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
    if (halt.noNew?.aborted) return ran;
    const { period } = due[job];
    if (job === 'daily' && period >= today) continue;
    // each job on its own: a failed monthly must not keep the daily from running
    try {
      const r = await runJob(t, job, period, {
        owner: who,
        late: true,
        skipEmpty: true,
        ...jobLog(deps.log, job),
        ...(halt.rollBack ? { signal: halt.rollBack } : {}),
      });
      if (r.status === 'done') {
        ran.push(`${job} ${r.period}`);
        deps.log.warn({ job, period: r.period }, 'caught up on a missed run');
      }
      if (r.status === 'incomplete') warnIncomplete(deps.log, r);
    } catch (err) {
      if (err instanceof Stopping) stopped(deps.log, job, period);
      else deps.log.error({ err, job, period }, 'catch-up run failed; it is tried again in a few minutes');
    }
  }
  if (halt.noNew?.aborted) return ran;
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

/** Says when a job has claimed its run and starts its work (the run is this process's until it ends). */
const jobLog = (log: Logger, job: JobName) => ({
  onStart: (period: string) => log.info({ job, period }, `${job} job started`),
});

/** A job a stop rolled back: its lease is released, and the next start (or another instance) runs it. */
function stopped(log: Logger, job: JobName, period: string): void {
  log.warn({ job, period }, `${job} job rolled back: Tally was stopping; it runs again at the next start`);
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
  /**
   * Starts nothing new and stops sending after the message in flight; a job in progress gets
   * `waitMs` to finish, then is told to stop (it rolls back and releases its lease) and gets
   * `rollbackMs` more. Resolves `finished` when nothing had to be rolled back.
   */
  stop(opts?: { waitMs?: number; rollbackMs?: number }): Promise<{ finished: boolean }>;
}

export async function startScheduler(
  deps: SchedulerDeps,
  opts: {
    sendEveryMs?: number;
    catchUpEveryMs?: number;
    ticking?: boolean;
    /** a stop that comes while starting (the catch-up runs before this returns): as `stop` does */
    halt?: Halt;
  } = {},
): Promise<Scheduler> {
  const t = deps.tally;
  const who = owner();
  const quiet = new AbortController();
  const halted = new AbortController();
  const any = (own: AbortSignal, outer?: AbortSignal) => (outer ? AbortSignal.any([own, outer]) : own);
  const halt = { noNew: any(quiet.signal, opts.halt?.noNew), rollBack: any(halted.signal, opts.halt?.rollBack) };
  // runs due before this moment are the catch-up's; from here on each is run when its time comes
  let checkedUpTo = t.clock.now();
  const started = new Set<string>();
  const check = async () => {
    const now = t.clock.now();
    // the policy is read each time: a changed time or time zone applies without a restart
    const { policy } = await teamToday(t);
    const due = dueRuns(now, policy);
    for (const job of JOB_ORDER) {
      if (halt.noNew.aborted) return;
      const { period, at } = due[job];
      if (at <= checkedUpTo || at > now || started.has(`${job} ${period}`)) continue;
      started.add(`${job} ${period}`);
      try {
        const r = await runJob(t, job, period, { owner: who, signal: halt.rollBack, ...jobLog(deps.log, job) });
        deps.log.info({ ...r }, `${job} job`);
        if (r.status === 'incomplete') warnIncomplete(deps.log, r);
      } catch (err) {
        if (err instanceof Stopping) stopped(deps.log, job, period);
        else deps.log.error({ err, job, period }, 'job failed; the catch-up tries it again');
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
  await catchUp(deps, who, halt).catch((err) =>
    deps.log.error({ err }, 'catch-up failed; the next start will retry it'),
  );
  let sending: Promise<unknown> | null = null;
  const send = () => {
    if (halt.noNew.aborted) return;
    sending ??= drainOutbox(t, deps.client, { log: deps.log, signal: halt.noNew })
      .catch((err) => deps.log.error({ err }, 'sending failed; will try again'))
      .finally(() => (sending = null));
  };
  send();
  const timer = setInterval(send, opts.sendEveryMs ?? 5_000);
  // a run that failed (or was missed) is tried again every few minutes, not only at start
  let catching: Promise<unknown> | null = null;
  const retry = setInterval(
    () => {
      catching ??= catchUp(deps, who, halt).finally(() => (catching = null));
    },
    opts.catchUpEveryMs ?? 5 * 60_000,
  );
  return {
    tick,
    stop: async ({ waitMs = Infinity, rollbackMs = Infinity } = {}) => {
      quiet.abort();
      clearInterval(timer);
      clearInterval(retry);
      await ticker?.destroy();
      const settled = Promise.all([catching, ticking, sending]);
      if (waitMs === Infinity || (await within(settled, waitMs))) {
        await settled;
        return { finished: true };
      }
      halted.abort(new Stopping());
      if (rollbackMs === Infinity) await settled;
      else await within(settled, rollbackMs);
      return { finished: false };
    },
  };
}
