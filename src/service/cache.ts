// Period results depend only on the data, and every write goes through a service that bumps
// data_version inside its transaction (src/service/audit.ts). So that number is a stamp: same stamp,
// same results. It is read from the database each time, so replicas sharing a database see each
// other's writes, and it changes exactly when a write commits (a row lock orders the writers).
import type { Tally } from './context.js';

interface Entry {
  stamp: number;
  value: Promise<unknown>;
}

const MAX_ENTRIES = 64;
const caches = new WeakMap<object, Map<string, Entry>>();

export async function dataStamp(t: Tally): Promise<number> {
  const row = await t.db.dataVersion.findUnique({ where: { id: 1 } });
  return Number(row?.n ?? 0);
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
