// Period results depend only on the data, and every write goes through a service that appends to
// the audit log. So the newest audit row id is a stamp: same stamp, same results. It is read from
// the database each time, so replicas sharing a database never serve each other stale results.
import type { Tally } from './context.js';

interface Entry {
  stamp: number;
  value: Promise<unknown>;
}

const MAX_ENTRIES = 64;
const caches = new WeakMap<object, Map<string, Entry>>();

export async function dataStamp(t: Tally): Promise<number> {
  const rows = await t.db.$queryRawUnsafe<Array<{ stamp: number | null }>>('SELECT max(id) AS stamp FROM audit_log');
  return Number(rows[0]?.stamp ?? 0);
}

/** Computes once per data stamp; concurrent callers share one computation. */
export async function cached<T>(t: Tally, key: string, compute: () => Promise<T>): Promise<T> {
  const stamp = await dataStamp(t);
  let cache = caches.get(t.db);
  if (!cache) caches.set(t.db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
  const value = compute();
  cache.delete(key); // re-inserted last: the map's order is least recently computed first
  cache.set(key, { stamp, value });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  value.catch(() => cache.get(key)?.value === value && cache.delete(key));
  return value;
}
