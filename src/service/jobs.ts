// Job runs: a row keyed by (job, period). The first process to claim it runs it, a second finds it
// taken or done, and a run whose owner died is taken over once its lease runs out. A run's messages
// are enqueued in one transaction with its completion. What a run posts is built in src/jobs.
import { realNow } from '../clock.js';
import type { Day, Month } from '../core/dates.js';
import { fromDay } from '../db/dates.js';
import { TallyError } from '../errors.js';
import { checkMonth, isClosed } from './closed.js';
import type { Tally } from './context.js';
import { closeMonth } from './months.js';
import { insertItems, type Item } from './outbox.js';
import { actorOrOperator } from './roster.js';
import type { PayrollRow } from './scores.js';

export const LEASE_MS = 2 * 60_000;

export interface Run {
  id: number;
  job: string;
  period: string;
  late: boolean;
}

export async function claimRun(
  t: Tally,
  job: string,
  period: string,
  opts: { owner: string; late?: boolean },
): Promise<Run | null> {
  // the lease runs out by the real clock: with TALLY_NOW fixed, a dead owner's run must still be taken over
  const real = realNow(t);
  const lease = new Date(real.getTime() + LEASE_MS);
  const now = t.clock.now();
  const inserted = await t.db.$queryRawUnsafe<Array<{ id: number; late: boolean }>>(
    `INSERT INTO job_run (job, period, status, late, owner, lease_until, attempts, started_at)
     VALUES ($1, $2, 'running', $3, $4, $5, 1, $6) ON CONFLICT (job, period) DO NOTHING RETURNING id, late`,
    job,
    period,
    opts.late ?? false,
    opts.owner,
    lease,
    now,
  );
  if (inserted[0]) return { id: inserted[0].id, job, period, late: inserted[0].late };
  const taken = await t.db.$queryRawUnsafe<Array<{ id: number; late: boolean }>>(
    `UPDATE job_run SET owner = $3, lease_until = $4, attempts = attempts + 1, status = 'running', error = NULL
     WHERE job = $1 AND period = $2 AND status <> 'done' AND (lease_until IS NULL OR lease_until < $5) RETURNING id, late`,
    job,
    period,
    opts.owner,
    lease,
    real,
  );
  // a run an earlier process started and did not finish (failed, or its lease ran out) is taken over
  return taken[0] ? { id: taken[0].id, job, period, late: taken[0].late } : null;
}

/**
 * Enqueues a run's messages and marks it done, in one transaction; returns how many were new. Only
 * the owner finishes it: a process whose lease ran out must not mark another's run.
 */
export async function finishRun(
  t: Tally,
  run: Run,
  owner: string,
  items: Item[],
  progress: { channel: string | null; undelivered?: string[]; published?: object },
): Promise<number> {
  // a part with nobody to go to leaves the run incomplete: its lease is released, so the catch-up (or a
  // run by hand) takes it again, queues what is new (the rest is queued once, by key) and finishes it
  const status = progress.undelivered?.length ? 'incomplete' : 'done';
  const now = t.clock.now();
  return t.db.$transaction(async (db) => {
    const n = await insertItems(db, run.id, items, realNow(t));
    const done = await db.jobRun.updateMany({
      where: { id: run.id, owner },
      data: { status, finishedAt: now, leaseUntil: null, progress: { items: items.length, ...progress } },
    });
    if (done.count === 0) throw new Error(`run ${run.job} ${run.period} was taken over by another process`);
    return n;
  });
}

export async function failRun(t: Tally, run: Run, owner: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  // the lease is released: the next start (or the next claim) tries again
  await t.db.jobRun.updateMany({
    where: { id: run.id, owner },
    data: { status: 'failed', error: message.slice(0, 2000), leaseUntil: null },
  });
}

export async function listRuns(t: Tally, limit = 50) {
  const runs = await t.db.jobRun.findMany({
    orderBy: { id: 'desc' },
    take: limit,
    include: { _count: { select: { outbox: true } } },
  });
  const counts = await t.db.outbox.groupBy({
    by: ['runId', 'status'],
    _count: { _all: true },
    where: { runId: { in: runs.map((r) => r.id) } },
  });
  return runs.map((r) => {
    const mine = counts.filter((c) => c.runId === r.id);
    const n = (s: string) => mine.find((c) => c.status === s)?._count._all ?? 0;
    const progress = r.progress as { undelivered?: unknown } | null;
    const undelivered = Array.isArray(progress?.undelivered) ? progress.undelivered.map(String) : [];
    return {
      id: r.id,
      job: r.job,
      period: r.period,
      status: r.status,
      late: r.late,
      attempts: r.attempts,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      error: r.error,
      /** parts that had nobody to go to (`payroll_file`): the run is `incomplete` until they have */
      undelivered: r.status === 'done' ? [] : undelivered,
      messages: { sent: n('sent'), pending: n('pending'), failed: n('failed') },
    };
  });
}

/** Whether any metrics were imported for these days (catch-up leaves a period without any alone). */
export async function hasMetrics(t: Tally, from: Day, to: Day): Promise<boolean> {
  return (await t.db.dailyMetric.count({ where: { day: { gte: fromDay(from), lte: fromDay(to) } }, take: 1 })) > 0;
}

/** Whether a month has a close record, and if so whether an admin has it reopened (null: never closed). */
export async function monthCloseState(t: Tally, month: Month): Promise<{ reopened: boolean } | null> {
  const close = await t.db.monthClose.findUnique({ where: { month }, select: { reopenedAt: true } });
  return close ? { reopened: close.reopenedAt !== null } : null;
}

/**
 * The run that publishes a month: `2026-10` for its first close, `2026-10#3` for its third (a
 * correction). While an admin has the month reopened there is nothing to publish.
 */
export async function monthlyRunPeriod(
  t: Tally,
  month: Month,
): Promise<{ period: string; correction: boolean } | null> {
  const close = await t.db.monthClose.findUnique({ where: { month } });
  if (close?.reopenedAt) return null;
  const n = close?.closes ?? 1;
  const period = n <= 1 ? month : `${month}#${n}`;
  // a correction re-publishes what an earlier close published; a month reopened before it was ever posted is posted as itself
  return { period, correction: (await publishedRuns(t, month)).some((p) => p !== period) };
}

/** A monthly run's statuses once it has published its month (incomplete: all but the payroll file went out). */
export const PUBLISHED: readonly string[] = ['done', 'incomplete'];

/** The periods (`2026-10`, `2026-10#2`) of the monthly runs that published a month, of any of its closes. */
export async function publishedRuns(t: Tally, month: Month): Promise<string[]> {
  const runs = await t.db.jobRun.findMany({
    where: {
      job: 'monthly',
      status: { in: [...PUBLISHED] },
      OR: [{ period: month }, { period: { startsWith: `${month}#` } }],
    },
    select: { period: true },
  });
  return runs.map((r) => r.period);
}

/**
 * What the latest run that posted a month published (`progress.published`, read by
 * src/jobs/published.ts), other than run `except`; null when none did.
 */
export async function lastPublished(t: Tally, month: Month, except: number): Promise<unknown> {
  const run = await t.db.jobRun.findFirst({
    where: {
      job: 'monthly',
      OR: [{ period: month }, { period: { startsWith: `${month}#` } }],
      status: { in: ['done', 'incomplete'] },
      id: { not: except },
    },
    orderBy: { id: 'desc' },
    select: { progress: true },
  });
  const progress = run?.progress;
  return progress && typeof progress === 'object' && 'published' in progress ? progress.published : null;
}

/** The monthly run closes its month unless it is closed already (by hand, or by another process this moment). */
export async function ensureClosed(t: Tally, month: Month, by: string): Promise<void> {
  if (await isClosed(t.db, month)) return;
  // someone else closing it at the same moment is as good as closing it here
  await closeMonth(t, { month, by }).catch((e) => {
    if (!(e instanceof TallyError && e.code === 'month_already_closed')) throw e;
  });
}

/**
 * Months up to `through` that hold data (metrics or penalties) and were never closed: each read of
 * one scores it again from its rows. A month an admin reopened has a month_close row and is left to
 * them. One query.
 */
export async function neverClosedMonths(t: Tally, through: Month): Promise<Month[]> {
  const rows = await t.db.$queryRawUnsafe<Array<{ month: string }>>(
    `SELECT d.month FROM (
       SELECT month FROM metric_month WHERE month <= $1 AND days > 0
       UNION SELECT to_char(occurred_on, 'YYYY-MM') FROM penalty
         WHERE occurred_on < ($1 || '-01')::date + interval '1 month'
     ) d
     WHERE NOT EXISTS (SELECT 1 FROM month_close c WHERE c.month = d.month)
     ORDER BY d.month`,
    through,
  );
  return rows.map((r) => r.month as Month);
}

/**
 * Closes a month by hand. `correctionDue`: its results were posted before it was reopened, so a
 * correction must be posted (the monthly job builds and queues it).
 */
export async function closeMonthByHand(
  t: Tally,
  req: { month: string; by: string },
): Promise<{ rows: PayrollRow[]; correctionDue: boolean }> {
  await actorOrOperator(t, req.by, 'close_month');
  const rows = await closeMonth(t, req);
  // an incomplete run (its payroll file had nobody to go to) posted the rest: it needs a correction too
  return { rows, correctionDue: (await publishedRuns(t, checkMonth(req.month))).length > 0 };
}
