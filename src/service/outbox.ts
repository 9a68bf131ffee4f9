// The outbox: the messages jobs queued for Slack and what became of each. Deciding when to send and
// sending them is src/jobs/outbox.ts.
import type { KnownBlock } from '@slack/types';
import { realNow } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Tally } from './context.js';

export type Payload =
  | { kind: 'message'; text: string; blocks: KnownBlock[] }
  | { kind: 'file'; filename: string; base64: string; title: string; comment: string };

export interface Item {
  key: string;
  channel: string;
  payload: Payload;
}

/** A message claimed for sending. */
export interface Queued {
  id: number;
  key: string;
  channel: string;
  payload: Payload;
  attempts: number;
  created_at: Date;
}

type Tx = Pick<Db, '$executeRawUnsafe'>;

/** how long a claimed message is reserved for the process sending it (above the jobs client's 20 s timeout) */
const CLAIM_MS = 60_000;

/**
 * Inserts items (in a run's transaction); an item whose key is already there is left as it is. `now`
 * is the real clock's (realNow): they are due from then, and a day of retries counts from it.
 */
export async function insertItems(db: Tx, runId: number | null, items: Item[], now: Date): Promise<number> {
  if (!items.length) return 0;
  // one statement with the items as arrays (a month's 2,000 payslips through the ORM's createMany took seconds);
  // a key already queued is skipped: enqueueing twice sends once
  return db.$executeRawUnsafe(
    `INSERT INTO outbox (run_id, key, channel, kind, payload, next_attempt_at, created_at)
     SELECT $1, u.k, u.c, u.kd, u.p::jsonb, $2, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS u(k, c, kd, p)
     ON CONFLICT (key) DO NOTHING`,
    runId,
    now,
    items.map((i) => i.key),
    items.map((i) => i.channel),
    items.map((i) => i.payload.kind),
    items.map((i) => JSON.stringify(i.payload)),
  );
}

/** Queues messages outside any run (alerts); enqueueing one key twice sends it once. */
export function enqueue(t: Tally, items: Item[]): Promise<number> {
  return insertItems(t.db, null, items, realNow(t));
}

/** Claims the next due message: FOR UPDATE SKIP LOCKED lets two replicas drain one outbox. */
export async function claimNext(t: Tally): Promise<Queued | null> {
  // due times, claims and retries are real time: with TALLY_NOW fixed a retry must still come due
  const now = realNow(t);
  const rows = await t.db.$queryRawUnsafe<Queued[]>(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
     WHERE id = (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, key, channel, payload, attempts, created_at`,
    now,
    new Date(now.getTime() + CLAIM_MS),
  );
  return rows[0] ?? null;
}

export async function markSent(t: Tally, id: number): Promise<void> {
  await t.db.outbox.update({ where: { id }, data: { status: 'sent', sentAt: realNow(t), lastError: null } });
}

/** Gives a message up: it stays failed until `jobs retry`. */
export async function markFailed(t: Tally, id: number, reason: string): Promise<void> {
  await t.db.outbox.update({ where: { id }, data: { status: 'failed', lastError: reason } });
}

/** Tries a message again at `at`; `uncounted` when the failure was not the message's (a rate limit, a bad token). */
export async function retryAt(
  t: Tally,
  id: number,
  at: Date,
  reason: string,
  opts: { uncounted?: boolean } = {},
): Promise<void> {
  await t.db.outbox.update({
    where: { id },
    data: { nextAttemptAt: at, lastError: reason, ...(opts.uncounted ? { attempts: { decrement: 1 } } : {}) },
  });
}

/** Queues every failed message again as if new (a day of retries from now); returns how many. */
export async function requeueFailed(t: Tally): Promise<number> {
  const now = realNow(t);
  const r = await t.db.outbox.updateMany({
    where: { status: 'failed' },
    data: { status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now },
  });
  return r.count;
}
