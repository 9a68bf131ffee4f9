// Runs the jobs at the team's times in the team's time zone (node-cron), catches up at start-up on a
// run missed while Tally was down (marked late), and drains the outbox every few seconds.
import { hostname } from 'node:os';
import type { WebClient } from '@slack/web-api';
import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { timeIn } from '../clock.js';
import { addDays, addMonths, monthOf, type Day } from '../core/dates.js';
import { teamToday, type Tally } from '../service/context.js';
import { drainOutbox } from './outbox.js';
import { runJob, type JobName } from './run.js';

export interface SchedulerDeps {
  tally: Tally;
  log: Logger;
  client: WebClient;
}

export const owner = () => `${hostname()}:${process.pid}`;

/** The most recent period of each job whose time has come, in the team's calendar. */
export function duePeriods(today: Day, now: string, times: { dailyAt: string; monthlyAt: string }): Record<JobName, string> {
  const daily = now >= times.dailyAt ? today : addDays(today, -1);
  const month = monthOf(today);
  const firstPassed = today > `${month}-01` || now >= times.monthlyAt;
  return { daily, monthly: addMonths(month, firstPassed ? -1 : -2) };
}

/** At start-up: a run due while Tally was down is performed now, once, marked late. */
export async function catchUp(deps: SchedulerDeps, who = owner()): Promise<string[]> {
  const t = deps.tally;
  const { today, policy } = await teamToday(t);
  const due = duePeriods(today, timeIn(t.clock.now(), policy.timezone), policy.schedule);
  const ran: string[] = [];
  for (const job of ['monthly', 'daily'] as const) {
    // each job on its own: a failed monthly must not keep the daily from running
    try {
      const r = await runJob(t, job, due[job], { owner: who, late: true, skipEmpty: true });
      if (r.status === 'done') {
        ran.push(`${job} ${r.period}`);
        deps.log.warn({ job, period: r.period }, 'caught up on a missed run');
      }
    } catch (err) {
      deps.log.error({ err, job, period: due[job] }, 'catch-up run failed; it is tried again in a few minutes');
    }
  }
  return ran;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export async function startScheduler(deps: SchedulerDeps, opts: { sendEveryMs?: number; catchUpEveryMs?: number } = {}): Promise<Scheduler> {
  const t = deps.tally;
  const who = owner();
  const { policy } = await teamToday(t);
  const cronAt = (hhmm: string, dayOfMonth: string) => `${Number(hhmm.slice(3))} ${Number(hhmm.slice(0, 2))} ${dayOfMonth} * *`;
  const run = (job: JobName) => async () => {
    try {
      const r = await runJob(t, job, undefined, { owner: who });
      deps.log.info({ ...r }, `${job} job`);
    } catch (err) {
      deps.log.error({ err, job }, 'job failed; the next start will retry it');
    }
  };
  const tasks: ScheduledTask[] = [
    schedule(cronAt(policy.schedule.dailyAt, '*'), run('daily'), { timezone: policy.timezone, name: 'tally-daily', noOverlap: true }),
    schedule(cronAt(policy.schedule.monthlyAt, '1'), run('monthly'), { timezone: policy.timezone, name: 'tally-monthly', noOverlap: true }),
  ];
  await catchUp(deps, who).catch((err) => deps.log.error({ err }, 'catch-up failed; the next start will retry it'));
  let sending: Promise<unknown> | null = null;
  const send = () => {
    sending ??= drainOutbox(t, deps.client, { log: deps.log })
      .catch((err) => deps.log.error({ err }, 'sending failed; will try again'))
      .finally(() => (sending = null));
  };
  send();
  const timer = setInterval(send, opts.sendEveryMs ?? 5_000);
  // a run that failed (or was missed by a cron tick) is tried again every few minutes, not only at start
  let catching: Promise<unknown> | null = null;
  const retry = setInterval(() => {
    catching ??= catchUp(deps, who).finally(() => (catching = null));
  }, opts.catchUpEveryMs ?? 5 * 60_000);
  return {
    stop: async () => {
      clearInterval(timer);
      clearInterval(retry);
      await catching;
      for (const task of tasks) await task.stop();
      await sending;
    },
  };
}
