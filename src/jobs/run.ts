// Runs a job for a period exactly once: claim the run, build its messages, and enqueue them and
// mark the run done in one transaction. Sending is the outbox's work (src/jobs/outbox.ts).
import { addMonths, isDay, isMonth, monthOf, type Day, type Month } from '../core/dates.js';
import { TallyError } from '../errors.js';
import { isClosed } from '../service/closed.js';
import { teamToday, type Tally } from '../service/context.js';
import { closeMonth } from '../service/months.js';
import { payroll } from '../service/scores.js';
import { texts } from '../slack/text/index.js';
import { dailyItems } from './daily.js';
import { monthlyItems } from './monthly.js';
import { enqueue } from './outbox.js';
import { claimRun, failRun } from './runs.js';

export type JobName = 'daily' | 'monthly';
export const JOBS: readonly JobName[] = ['daily', 'monthly'];

export interface JobResult {
  job: JobName;
  period: string;
  /** done: this call ran it; skipped: done before, or running in another process */
  status: 'done' | 'skipped';
  enqueued: number;
  late: boolean;
  correction: boolean;
}

/** The period a job covers when none is given: today's daily, last month's monthly (team calendar). */
export function defaultPeriod(job: JobName, today: Day): string {
  return job === 'daily' ? today : addMonths(monthOf(today), -1);
}

/**
 * The run key for a monthly period: the month itself, or `2026-10#2` for a correction once the month
 * was reopened after its last run.
 */
async function monthlyRunPeriod(t: Tally, month: Month): Promise<{ period: string; correction: boolean }> {
  const runs = await t.db.jobRun.findMany({ where: { job: 'monthly', OR: [{ period: month }, { period: { startsWith: `${month}#` } }] }, orderBy: { id: 'asc' } });
  const last = runs.at(-1);
  if (!last) return { period: month, correction: false };
  // an unfinished run is resumed as it was
  if (last.status !== 'done') return { period: last.period, correction: last.period.includes('#') };
  const finished = last.finishedAt ?? last.startedAt;
  const close = await t.db.monthClose.findUnique({ where: { month } });
  const changed = !!close && ((close.reopenedAt !== null && close.reopenedAt > finished) || close.closedAt > finished);
  return changed ? { period: `${month}#${runs.length + 1}`, correction: true } : { period: last.period, correction: false };
}

export async function runJob(t: Tally, job: JobName, period: string | undefined, opts: { owner: string; late?: boolean }): Promise<JobResult> {
  const { today, policy } = await teamToday(t);
  const target = period ?? defaultPeriod(job, today);
  if (job === 'daily' && !isDay(target)) throw new TallyError('bad_date', `--period "${target}": a daily run is for a day (YYYY-MM-DD)`, { value: target });
  if (job === 'monthly' && !isMonth(target)) throw new TallyError('bad_month', `--period "${target}": a monthly run is for a month (YYYY-MM)`, { value: target });
  const { period: runPeriod, correction } = job === 'monthly' ? await monthlyRunPeriod(t, target) : { period: target, correction: false };
  const run = await claimRun(t, job, runPeriod, { owner: opts.owner, late: opts.late });
  if (!run) return { job, period: runPeriod, status: 'skipped', enqueued: 0, late: false, correction };
  try {
    const tx = texts(policy.locale);
    const channel = policy.schedule.channel;
    const key = `${job}:${runPeriod}`;
    let items;
    if (job === 'daily') items = await dailyItems(t, target, tx, channel, key);
    else {
      if (!(await isClosed(t.db, target))) await closeMonth(t, { month: target, by: 'scheduler' });
      items = await monthlyItems(t, target, (await payroll(t, target)).rows, tx, channel, key, correction);
    }
    const now = t.clock.now();
    const enqueued = await t.db.$transaction(async (db) => {
      const n = await enqueue(db, run.id, items, now);
      // only the owner finishes it: a process whose lease ran out must not mark another's run
      const done = await db.jobRun.updateMany({ where: { id: run.id, owner: opts.owner }, data: { status: 'done', finishedAt: now, leaseUntil: null, progress: { items: items.length, channel } } });
      if (done.count === 0) throw new Error(`run ${job} ${runPeriod} was taken over by another process`);
      return n;
    });
    return { job, period: runPeriod, status: 'done', enqueued, late: run.late, correction };
  } catch (e) {
    await failRun(t, run, opts.owner, e);
    throw e;
  }
}
