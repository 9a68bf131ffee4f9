// Runs a job for a period exactly once: claim the run, build its messages, and enqueue them and
// mark the run done in one transaction. Sending is the outbox's work (src/jobs/outbox.ts).
import { timeIn } from '../clock.js';
import { addMonths, firstDay, isDay, isMonth, lastDay, monthOf, type Day, type Month } from '../core/dates.js';
import type { Policy } from '../core/policy.js';
import { TallyError } from '../errors.js';
import { teamToday, type Tally } from '../service/context.js';
import {
  claimRun,
  ensureClosed,
  failRun,
  finishRun,
  hasMetrics,
  lastPublished,
  monthCloseState,
  monthlyRunPeriod,
} from '../service/jobs.js';
import { assertOver } from '../service/months.js';
import { payroll } from '../service/scores.js';
import { texts } from '../slack/text/index.js';
import { dailyItems } from './daily.js';
import { monthlyRun, type Undelivered } from './monthly.js';
import { probationItems, reviewItems } from './promotions.js';
import { missingDataItems, provisionalItems } from './provisional.js';
import { readPublished, type Corrected, type Published } from './published.js';
import { closesOn, dailyCovers, dailyRunDay, instantOf, type JobName } from './schedule.js';

export type { JobName };
export const JOBS: readonly JobName[] = ['daily', 'provisional', 'monthly'];

export interface JobResult {
  job: JobName;
  period: string;
  /** done: this call ran it; skipped: done before, running elsewhere, or nothing to do (see reason) */
  status: 'done' | 'skipped' | 'incomplete';
  reason?: string;
  /** incomplete: what had nobody to go to (`payroll_file`: no active lead, supervisor or admin); it is tried again */
  undelivered?: Undelivered[];
  enqueued: number;
  late: boolean;
  correction: boolean;
  /** a correction: how many people it sends a corrected payslip (0 when none changed) */
  corrections?: number;
  /** a correction: what it sends again because it changed since the month was posted (nothing, when nothing did) */
  corrected?: Corrected;
}

/** The period a job covers when none is given: what today's daily run covers, last month for the others (team calendar). */
export function defaultPeriod(job: JobName, today: Day, policy: Policy): string {
  return job === 'daily' ? dailyCovers(today, policy.schedule.dailyAt) : addMonths(monthOf(today), -1);
}

export interface RunOptions {
  /** the process running it (for the lease) */
  owner: string;
  late?: boolean;
  /** who closes the month, for the audit trail */
  by?: string;
  /** catch-up: a period with no metrics at all is left alone (a new install, a month before Tally) */
  skipEmpty?: boolean;
  /** run today's daily before its time */
  force?: boolean;
  /** monthly, by hand: a month an admin reopened is closed again first (the schedule leaves it to them) */
  closeReopened?: boolean;
  /** once the run is claimed, as its work starts (awaited) */
  onStart?: (period: string) => void | Promise<void>;
  /**
   * Tally is stopping: checked between the steps of the work; the run then throws the signal's
   * reason, is marked failed and its lease released, and what it had not committed is rolled back
   */
  signal?: AbortSignal;
}

const skipped = (job: JobName, period: string, reason: string): JobResult => ({
  job,
  period,
  status: 'skipped',
  reason,
  enqueued: 0,
  late: false,
  correction: false,
});

export async function runJob(t: Tally, job: JobName, period: string | undefined, opts: RunOptions): Promise<JobResult> {
  const { today, policy } = await teamToday(t);
  const target = period ?? defaultPeriod(job, today, policy);
  if (job === 'daily') {
    if (!isDay(target)) throw new TallyError('bad_daily_period', { value: target });
    if (target > today) throw new TallyError('future_date', { value: target, today, field: 'period' });
    const now = t.clock.now();
    const runDay = dailyRunDay(target, policy.schedule.dailyAt);
    if (now < instantOf(runDay, policy.schedule.dailyAt, policy.timezone) && !opts.force) {
      const due = runDay === today ? policy.schedule.dailyAt : `${runDay} ${policy.schedule.dailyAt}`;
      throw new TallyError('too_early', { day: target, due, now: timeIn(now, policy.timezone) });
    }
  } else {
    if (!isMonth(target)) throw new TallyError('bad_monthly_period', { value: target });
    await assertOver(t, target);
  }
  if (job === 'provisional') return runProvisional(t, target, policy, opts);
  if (
    opts.skipEmpty &&
    !(await hasMetrics(t, job === 'daily' ? target : firstDay(target), job === 'daily' ? target : lastDay(target)))
  ) {
    return skipped(job, target, 'no metrics for that period');
  }
  let publish = job === 'monthly' ? await monthlyRunPeriod(t, target) : { period: target, correction: false };
  if (!publish && opts.closeReopened) {
    // by hand, a reopened month is closed again (recomputed) and published, as `month close` would
    await ensureClosed(t, target, opts.by ?? 'scheduler');
    publish = await monthlyRunPeriod(t, target);
  }
  if (!publish) return skipped(job, target, 'the month is reopened: close it again to publish a correction');
  const { period: runPeriod, correction } = publish;
  if (opts.signal?.aborted) return skipped(job, runPeriod, 'Tally is stopping');
  const run = await claimRun(t, job, runPeriod, { owner: opts.owner, late: opts.late });
  if (!run) return skipped(job, runPeriod, 'it has run already, or is running in another process');
  const step = () => opts.signal?.throwIfAborted();
  try {
    await opts.onStart?.(runPeriod);
    step();
    const tx = texts(policy.locale);
    const channel = policy.schedule.channel;
    const key = `${job}:${runPeriod}`;
    let items;
    let undelivered: Undelivered[] = [];
    let published: Published | undefined;
    let corrected: Corrected | undefined;
    if (job === 'daily')
      items = [...(await dailyItems(t, target, tx, channel, key)), ...(await probationItems(t, target, tx))];
    else {
      // checked before the close; the month closes all the same (the policy chose the day), and the leads know
      const missing = correction ? [] : await missingDataItems(t, target, tx, key, null);
      // the last moment to stop: once the month is closed its results are published, or it would be
      // left closed and unposted until the next start
      step();
      await ensureClosed(t, target, opts.by ?? 'scheduler');
      // a correction sends again only what changed since the month's last run posted it
      const before = correction ? readPublished(await lastPublished(t, target, run.id)) : null;
      const rows = (await payroll(t, target)).rows;
      const month = await monthlyRun(t, target, rows, tx, channel, key, correction, before);
      ({ items, undelivered, published } = month);
      if (correction) corrected = month.corrected;
      // a correction re-publishes results; the review went out with the first close
      if (!correction) items.push(...missing, ...(await reviewItems(t, target, policy, tx, key)));
    }
    if (job === 'daily') step();
    const enqueued = await finishRun(t, run, opts.owner, items, {
      channel,
      ...(undelivered.length ? { undelivered } : {}),
      ...(published ? { published } : {}),
    });
    return {
      job,
      period: runPeriod,
      status: undelivered.length ? 'incomplete' : 'done',
      enqueued,
      late: run.late,
      correction,
      ...(corrected ? { corrections: corrected.payslips.length, corrected } : {}),
      ...(undelivered.length ? { undelivered } : {}),
      ...(channel ? {} : { reason: 'no team channel set (policy schedule.channel): DMs only' }),
    };
  } catch (e) {
    await failRun(t, run, opts.owner, e);
    throw e;
  }
}

/**
 * A finished month's provisional standings (the 1st, before it closes on schedule.closeOnDay): once
 * per month, and only while it is open and before its close time. A month closed already (by hand)
 * or due to close (closeOnDay 1, or after downtime past the close day) has its final results
 * instead; a reopened one is an admin's.
 */
async function runProvisional(t: Tally, month: Month, policy: Policy, opts: RunOptions): Promise<JobResult> {
  const job: JobName = 'provisional';
  if (opts.skipEmpty && !(await hasMetrics(t, firstDay(month), lastDay(month))))
    return skipped(job, month, 'no metrics for that period');
  const close = await monthCloseState(t, month);
  if (close) {
    return skipped(
      job,
      month,
      close.reopened
        ? 'the month is reopened: an admin closes it again'
        : 'the month is closed already: its results are final',
    );
  }
  // once the close is due the final results go out instead: two replicas catching up never post both
  if (closesOn(month, policy).at <= t.clock.now())
    return skipped(
      job,
      month,
      `its close is due: the final results go out instead (jobs run monthly --period ${month})`,
    );
  if (opts.signal?.aborted) return skipped(job, month, 'Tally is stopping');
  const run = await claimRun(t, job, month, { owner: opts.owner, late: opts.late });
  if (!run) return skipped(job, month, 'it has run already, or is running in another process');
  try {
    await opts.onStart?.(month);
    opts.signal?.throwIfAborted();
    const channel = policy.schedule.channel;
    const items = await provisionalItems(t, month, policy, texts(policy.locale), channel, `${job}:${month}`);
    opts.signal?.throwIfAborted();
    const enqueued = await finishRun(t, run, opts.owner, items, { channel });
    return {
      job,
      period: month,
      status: 'done',
      enqueued,
      late: run.late,
      correction: false,
      ...(channel ? {} : { reason: 'no team channel set (policy schedule.channel): DMs only' }),
    };
  } catch (e) {
    await failRun(t, run, opts.owner, e);
    throw e;
  }
}
