// A job run is a row keyed by (job, period): the first process to claim it runs it, a second finds
// it taken or done, and a run whose owner died is taken over once its lease runs out.
import type { Tally } from '../service/context.js';

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
  const now = t.clock.now();
  const lease = new Date(now.getTime() + LEASE_MS);
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
    now,
  );
  // a run an earlier process started and did not finish (failed, or its lease ran out) is taken over
  return taken[0] ? { id: taken[0].id, job, period, late: taken[0].late } : null;
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
      messages: { sent: n('sent'), pending: n('pending'), failed: n('failed') },
    };
  });
}
