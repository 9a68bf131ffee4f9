// Period results depend only on the data, and every write goes through a service that bumps the
// version of the month it is dated in, inside its transaction (src/service/audit.ts). A month's
// results depend on its own and earlier months' data (streaks look back), so the sum of the versions
// of every month up to M is M's stamp: same stamp, same results. A write dated in M leaves earlier
// months' results alone. The stamp is read from the database each time, so replicas sharing a
// database see each other's writes, and it grows exactly when a write commits (versions only grow).
import type { Month } from '../core/dates.js';
import type { Db } from '../db/open.js';
import type { Tally } from './context.js';

/** Before every month: what a change to everything (the roster) bumps. */
export const EVERY_MONTH = '0000-00';

interface Entry {
  stamp: number;
  value: Promise<unknown>;
}

const MAX_ENTRIES = 64;
const caches = new WeakMap<object, Map<string, Entry>>();

/** SQL for the stamp of the month `month` names (a parameter or a column), as a bigint. */
export const stampOf = (month: string) =>
  `(SELECT COALESCE(SUM(n), 0) FROM month_version WHERE month_version.month <= ${month})::bigint`;

/** SQL for a month's stamp, $1 being the month. */
export const STAMP_SQL = `SELECT ${stampOf('$1')}`;

export async function monthStamp(db: Pick<Db, '$queryRawUnsafe'>, month: Month): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ stamp: bigint }>>(`SELECT (${STAMP_SQL}) AS stamp`, month);
  return Number(row?.stamp ?? 0);
}

/** Inside a write's transaction: the write changes `month` and, through streaks, every month after it. */
export async function bumpMonth(db: Pick<Db, '$executeRawUnsafe'>, month: Month): Promise<void> {
  await db.$executeRawUnsafe(
    'INSERT INTO month_version (month, n) VALUES ($1, 1) ON CONFLICT (month) DO UPDATE SET n = month_version.n + 1',
    month,
  );
}

/**
 * Computes once per stamp; concurrent callers share one computation. Read the stamp before anything
 * the computation reads: a write committing in between then leaves the value under the older stamp.
 * A stale entry (an earlier stamp) is handed to `compute`, which may update it rather than start
 * afresh: it settles to the earlier value, or to undefined if that one failed.
 */
export function cachedFrom<T>(
  t: Tally,
  key: string,
  stamp: number,
  compute: (earlier?: Promise<T | undefined>) => Promise<T>,
): Promise<T> {
  let cache = caches.get(t.db);
  if (!cache) caches.set(t.db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
  // an entry computed at a later stamp (a concurrent reader saw a newer write) is kept
  if (hit && hit.stamp > stamp) return compute();
  const value = compute(hit && (hit.value as Promise<T>).catch(() => undefined));
  cache.delete(key); // re-inserted last: the map's order is least recently computed first
  cache.set(key, { stamp, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  value.catch(() => cache.get(key)?.value === value && cache.delete(key));
  return value;
}

/** Drops every cached result of this database: the next read computes from the rows. */
export function forgetResults(t: Tally): void {
  caches.delete(t.db);
}
