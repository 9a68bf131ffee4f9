// Slack requests are taken once: a replayed or retried command, click, submission or event finds
// its key already recorded and does nothing. Recorded in the database so replicas share it.
import { together } from './batch.js';
import type { Tally } from './context.js';

/** kept well past Slack's 5-minute signature window, after which a replay is refused unsigned */
const KEEP_MINUTES = 60;
const PRUNE_EVERY_MS = 5 * 60_000;
const lastPruned = new WeakMap<object, number>();

/**
 * True the first time any replica sees this key; false for a repeat. The keys of requests arriving
 * together (a burst of commands) are recorded in one statement (src/service/batch.ts).
 */
export function firstDelivery(t: Tally, key: string): Promise<boolean> {
  return together(t.db, 'slack_request', key, (keys) => record(t, keys));
}

async function record(t: Tally, keys: string[]): Promise<boolean[]> {
  // one statement: two replicas racing on one key cannot both insert it
  const rows = await t.db.$queryRawUnsafe<Array<{ key: string }>>(
    'INSERT INTO slack_request (key) SELECT DISTINCT k FROM unnest($1::text[]) AS k ON CONFLICT (key) DO NOTHING RETURNING key',
    keys,
  );
  const inserted = new Set(rows.map((r) => r.key));
  // real time, not the team's clock: this is about Slack's retries, not the calendar
  const now = Date.now();
  if (now - (lastPruned.get(t.db) ?? 0) > PRUNE_EVERY_MS) {
    lastPruned.set(t.db, now);
    // a failed prune is tried again by a later request; the keys were recorded all the same
    await t.db
      .$executeRaw`DELETE FROM slack_request WHERE seen_at < now() - make_interval(mins => ${KEEP_MINUTES}::int)`.catch(
      () => lastPruned.delete(t.db),
    );
  }
  // a key twice in one batch: its first asker took it, the second is a repeat
  return keys.map((k) => inserted.delete(k));
}

/** A request that was refused without taking anything: the same one again is a new attempt. */
export async function forgetDelivery(t: Tally, key: string): Promise<void> {
  await t.db.$executeRaw`DELETE FROM slack_request WHERE key = ${key}`;
}
