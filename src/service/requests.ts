// Slack requests are taken once: a replayed or retried command, click, submission or event finds
// its key already recorded and does nothing. Recorded in the database so replicas share it.
import type { Tally } from './context.js';

/** kept well past Slack's 5-minute signature window, after which a replay is refused unsigned */
const KEEP_MINUTES = 60;
const PRUNE_EVERY_MS = 5 * 60_000;
const lastPruned = new WeakMap<object, number>();

/** True the first time any replica sees this key; false for a repeat. */
export async function firstDelivery(t: Tally, key: string): Promise<boolean> {
  // one statement: two replicas racing on one key cannot both insert it
  const inserted = await t.db.$executeRaw`INSERT INTO slack_request (key) VALUES (${key}) ON CONFLICT (key) DO NOTHING`;
  // real time, not the team's clock: this is about Slack's retries, not the calendar
  const now = Date.now();
  if (now - (lastPruned.get(t.db) ?? 0) > PRUNE_EVERY_MS) {
    lastPruned.set(t.db, now);
    await t.db
      .$executeRaw`DELETE FROM slack_request WHERE seen_at < now() - make_interval(mins => ${KEEP_MINUTES}::int)`;
  }
  return inserted === 1;
}

/** A request that was refused without taking anything: the same one again is a new attempt. */
export async function forgetDelivery(t: Tally, key: string): Promise<void> {
  await t.db.$executeRaw`DELETE FROM slack_request WHERE key = ${key}`;
}
