// Sending what jobs enqueued: one message at a time per channel (about one a second), Retry-After
// honoured, a failed send retried later with backoff, and one that keeps failing reported to the
// admins instead of lost. A message marked sent is never sent again.
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { KnownBlock } from '@slack/types';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db/open.js';
import type { Tally } from '../service/context.js';
import { teamToday } from '../service/context.js';
import { texts } from '../slack/text/index.js';

export type Payload =
  | { kind: 'message'; text: string; blocks: KnownBlock[] }
  | { kind: 'file'; filename: string; base64: string; title: string; comment: string };

export interface Item {
  key: string;
  channel: string;
  payload: Payload;
}

type Tx = Pick<Db, 'outbox'>;

/** Enqueues items; an item whose key is already there is left as it is (enqueueing twice sends once). */
export async function enqueue(db: Tx, runId: number | null, items: Item[], now: Date): Promise<number> {
  const r = await db.outbox.createMany({
    data: items.map((i) => ({ runId, key: i.key, channel: i.channel, kind: i.payload.kind, payload: i.payload as unknown as Prisma.InputJsonValue, nextAttemptAt: now })),
    skipDuplicates: true,
  });
  return r.count;
}

export const MAX_ATTEMPTS = 5;
/** errors no retry will fix */
const PERMANENT = new Set(['channel_not_found', 'user_not_found', 'account_inactive', 'is_archived', 'not_in_channel', 'user_disabled', 'invalid_blocks', 'msg_too_long', 'cannot_dm_bot']);
/** how long a claimed message is reserved for the process sending it */
const CLAIM_MS = 60_000;

export interface SendOptions {
  log: Logger;
  /** minimum gap between two sends to one channel (Slack allows about one a second) */
  paceMs?: number;
  /** stop after this many sends (tests) */
  limit?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Row {
  id: number;
  key: string;
  channel: string;
  payload: Payload;
  attempts: number;
}

/** Claims the next due message: FOR UPDATE SKIP LOCKED lets two replicas drain one outbox. */
async function claimNext(t: Tally): Promise<Row | null> {
  const now = t.clock.now();
  const rows = await t.db.$queryRawUnsafe<Row[]>(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
     WHERE id = (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, key, channel, payload, attempts`,
    now, new Date(now.getTime() + CLAIM_MS),
  );
  return rows[0] ?? null;
}

async function deliver(client: WebClient, row: Row): Promise<void> {
  const p = row.payload;
  if (p.kind === 'message') {
    await client.chat.postMessage({ channel: row.channel, text: p.text, blocks: p.blocks });
    return;
  }
  // files go to a conversation id: a user's DM has to be opened first
  const channel = /^[UW]/.test(row.channel) ? (await client.conversations.open({ users: row.channel })).channel?.id : row.channel;
  if (!channel) throw new Error('could not open a direct message');
  await client.filesUploadV2({ channel_id: channel, file: Buffer.from(p.base64, 'base64'), filename: p.filename, title: p.title, initial_comment: p.comment });
}

/** Sends every due message once; returns how many were sent. Run it again later for the rest. */
export async function drainOutbox(t: Tally, client: WebClient, opts: SendOptions): Promise<{ sent: number; retrying: number; failed: number }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const lastSent = new Map<string, number>();
  const out = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    if (opts.limit !== undefined && out.sent >= opts.limit) break;
    const row = await claimNext(t);
    if (!row) break;
    const gap = (opts.paceMs ?? 1100) - (Date.now() - (lastSent.get(row.channel) ?? 0));
    if (gap > 0) await sleep(gap);
    try {
      await deliver(client, row);
      lastSent.set(row.channel, Date.now());
      await t.db.outbox.update({ where: { id: row.id }, data: { status: 'sent', sentAt: t.clock.now(), lastError: null } });
      out.sent++;
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
      const now = t.clock.now().getTime();
      if (e.code === ErrorCode.RateLimitedError) {
        // Slack said when: wait that long, and a rate limit is not the message's fault
        await t.db.outbox.update({ where: { id: row.id }, data: { attempts: { decrement: 1 }, nextAttemptAt: new Date(now + (e.retryAfter ?? 1) * 1000), lastError: 'ratelimited' } });
        out.retrying++;
        continue;
      }
      const reason = e.data?.error ?? e.message ?? String(err);
      const permanent = PERMANENT.has(reason);
      if (permanent || row.attempts >= MAX_ATTEMPTS) {
        await t.db.outbox.update({ where: { id: row.id }, data: { status: 'failed', lastError: reason } });
        opts.log.error({ key: row.key, channel: row.channel, reason, attempts: row.attempts }, 'message not delivered');
        if (!row.key.startsWith('alert:')) await reportToAdmins(t, row, reason);
        out.failed++;
      } else {
        // 30 s, 1 min, 2 min, 4 min
        await t.db.outbox.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(now + 30_000 * 2 ** (row.attempts - 1)), lastError: reason } });
        opts.log.warn({ key: row.key, channel: row.channel, reason, attempts: row.attempts }, 'send failed, will retry');
        out.retrying++;
      }
    }
  }
  return out;
}

async function reportToAdmins(t: Tally, row: Row, reason: string): Promise<void> {
  const tx = texts((await teamToday(t)).policy.locale);
  const admins = await t.db.member.findMany({ where: { active: true, role: 'admin' } });
  const to = /^[UW]/.test(row.channel) ? `<@${row.channel}>` : `<#${row.channel}>`;
  const text = tx.jobs.undelivered(row.payload.kind === 'file' ? 'file' : 'message', to, reason);
  await enqueue(
    t.db,
    null,
    admins.filter((a) => a.slackId !== row.channel).map((a) => ({ key: `alert:${row.key}:${a.slackId}`, channel: a.slackId, payload: { kind: 'message', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] } })),
    t.clock.now(),
  );
}
