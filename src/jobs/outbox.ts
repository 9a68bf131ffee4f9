// Sending what jobs enqueued: one message at a time per channel (about one a second), Retry-After
// honoured, a failed send retried later with backoff, and one that keeps failing reported to the
// admins instead of lost. A message marked sent is never sent again.
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { dayIn, realNow } from '../clock.js';
import type { Tally } from '../service/context.js';
import { teamToday } from '../service/context.js';
import { claimNext, enqueue, markFailed, markSent, retryAt, type Queued as Row } from '../service/outbox.js';
import { activeWithRoles } from '../service/roster.js';
import { texts } from '../slack/text/index.js';

export type { Item, Payload } from '../service/outbox.js';

/** a message is given up only after trying this long (a Slack outage on the 1st must not lose payslips) */
export const GIVE_UP_MS = 24 * 3600_000;
/** errors no retry will fix for this message */
const PERMANENT = new Set([
  'channel_not_found',
  'user_not_found',
  'is_archived',
  'not_in_channel',
  'user_disabled',
  'invalid_blocks',
  'msg_too_long',
  'cannot_dm_bot',
]);
/** errors no message can get past: stop sending until someone fixes the token */
const STOP = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

export interface SendOptions {
  log: Logger;
  /** minimum gap between two sends to one channel (Slack allows about one a second) */
  paceMs?: number;
  /** stop after this many sends (tests) */
  limit?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Tally is stopping: no message after the one in flight (the rest wait in the outbox for the next start) */
  signal?: AbortSignal;
}

async function deliver(client: WebClient, row: Row): Promise<void> {
  const p = row.payload;
  if (p.kind === 'message') {
    await client.chat.postMessage({ channel: row.channel, text: p.text, blocks: p.blocks });
    return;
  }
  // files go to a conversation id: a user's DM has to be opened first
  const channel = /^[UW]/.test(row.channel)
    ? (await client.conversations.open({ users: row.channel })).channel?.id
    : row.channel;
  if (!channel) throw new Error('could not open a direct message');
  await client.filesUploadV2({
    channel_id: channel,
    file: Buffer.from(p.base64, 'base64'),
    filename: p.filename,
    title: p.title,
    initial_comment: p.comment,
  });
}

/** Slack said "slow down": every send of this process waits, not just the message that was refused. */
const pausedUntil = new WeakMap<object, number>();

/** Sends every due message once; returns how many were sent. Run it again later for the rest. */
export async function drainOutbox(
  t: Tally,
  client: WebClient,
  opts: SendOptions,
): Promise<{ sent: number; retrying: number; failed: number }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const lastSent = new Map<string, number>();
  const out = { sent: 0, retrying: 0, failed: 0 };
  const failures: Array<{ row: Row; reason: string; scope?: string }> = [];
  for (;;) {
    if (opts.signal?.aborted) break;
    if (opts.limit !== undefined && out.sent >= opts.limit) break;
    if ((pausedUntil.get(client) ?? 0) > realNow(t).getTime()) break;
    const row = await claimNext(t);
    if (!row) break;
    const gap = (opts.paceMs ?? 1100) - (Date.now() - (lastSent.get(row.channel) ?? 0));
    if (gap > 0) await sleep(gap);
    // claimed and not sent: given back at once, so the next start sends it without waiting for the claim to expire
    if (opts.signal?.aborted) {
      await retryAt(t, row.id, realNow(t), 'stopping', { uncounted: true });
      break;
    }
    let error: unknown;
    try {
      await deliver(client, row);
    } catch (err) {
      error = err;
    }
    if (error === undefined) {
      lastSent.set(row.channel, Date.now());
      await recordSent(t, row, opts.log);
      out.sent++;
      continue;
    }
    const e = error as {
      code?: string;
      retryAfter?: number;
      data?: { error?: string; needed?: string };
      message?: string;
    };
    // Retry-After, the retry schedule and the day before giving up are real time, whatever TALLY_NOW says
    const now = realNow(t).getTime();
    if (e.code === ErrorCode.RateLimitedError) {
      const wait = (e.retryAfter ?? 1) * 1000;
      pausedUntil.set(client, now + wait);
      // a rate limit is not the message's fault
      await retryAt(t, row.id, new Date(now + wait), 'ratelimited', { uncounted: true });
      opts.log.warn({ retryAfterSec: e.retryAfter }, 'Slack rate limit: pausing all sends');
      out.retrying++;
      break;
    }
    const reason = e.data?.error ?? e.message ?? String(error);
    const scope = missingScope(error);
    if (scope) {
      // no retry can succeed until an admin adds the scope and reinstalls the app: fail it now and say which scope
      await markFailed(t, row.id, `missing_scope: ${scope}`);
      opts.log.error(
        { key: row.key, channel: row.channel, scope },
        'the Slack app lacks a bot scope: add it and reinstall the app',
      );
      if (!row.key.startsWith('alert:')) failures.push({ row, reason: `missing_scope ${scope}`, scope });
      out.failed++;
      continue;
    }
    if (STOP.has(reason)) {
      await retryAt(t, row.id, new Date(now + 5 * 60_000), reason, { uncounted: true });
      opts.log.error({ reason }, 'Slack refuses the bot token: nothing can be sent until it is fixed');
      out.retrying++;
      break;
    }
    if (PERMANENT.has(reason) || now - new Date(row.created_at).getTime() > GIVE_UP_MS) {
      await markFailed(t, row.id, reason);
      opts.log.error({ key: row.key, channel: row.channel, reason, attempts: row.attempts }, 'message not delivered');
      if (!row.key.startsWith('alert:')) failures.push({ row, reason });
      out.failed++;
    } else {
      // 30 s, 1, 2, 4 ... minutes, at most an hour apart, for a day
      const backoff = Math.min(30_000 * 2 ** (row.attempts - 1), 3600_000);
      await retryAt(t, row.id, new Date(now + backoff), reason);
      opts.log.warn({ key: row.key, channel: row.channel, reason, attempts: row.attempts }, 'send failed, will retry');
      out.retrying++;
    }
  }
  if (failures.length) await reportToAdmins(t, failures);
  return out;
}

/** Slack has the message: record it, retrying the write, and never send it again because of it. */
async function recordSent(t: Tally, row: Row, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await markSent(t, row.id);
      return;
    } catch (err) {
      if (attempt >= 5) {
        log.error({ err, key: row.key }, 'sent, but could not record it: it may be sent again after its claim expires');
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** The bot scope Slack said a call lacks (a `missing_scope` answer), if that is why it failed. */
export function missingScope(error: unknown): string | undefined {
  const data = (error as { data?: { error?: string; needed?: string } } | undefined)?.data;
  return data?.error === 'missing_scope' ? (data.needed ?? '?') : undefined;
}

/** One summary per drain to every admin: what could not be delivered, and why. */
async function reportToAdmins(t: Tally, failures: Array<{ row: Row; reason: string; scope?: string }>): Promise<void> {
  const tx = texts((await teamToday(t)).policy.locale);
  const lines = failures
    .slice(0, 10)
    .map(({ row, reason }) => `${/^[UW]/.test(row.channel) ? `<@${row.channel}>` : `<#${row.channel}>`}: ${reason}`);
  const scopes = [...new Set(failures.flatMap((f) => (f.scope ? [f.scope] : [])))];
  const text =
    tx.jobs.undelivered(
      failures.length,
      lines.join('\n') + (failures.length > 10 ? `\n${tx.jobs.more(failures.length - 10)}` : ''),
    ) + (scopes.length ? `\n${tx.jobs.missingScope(scopes.join(', '))}` : '');
  await alertAdmins(t, `${realNow(t).getTime()}:${failures[0]!.row.id}`, text);
}

/**
 * Slack refused a call made while answering someone, for want of a scope: the admins are told which
 * scope to add, once a day per scope, through the outbox.
 */
export async function alertMissingScope(t: Tally, scope: string): Promise<void> {
  const { policy } = await teamToday(t);
  // a reminder a day of real time: with TALLY_NOW fixed the admins are still told again tomorrow
  const day = dayIn(realNow(t), policy.timezone);
  await alertAdmins(t, `scope:${scope}:${day}`, texts(policy.locale).jobs.missingScope(scope));
}

async function alertAdmins(t: Tally, stamp: string, text: string): Promise<void> {
  const admins = await activeWithRoles(t, ['admin']);
  await enqueue(
    t,
    admins.map((a) => ({
      key: `alert:${stamp}:${a.slackId}`,
      channel: a.slackId,
      payload: {
        kind: 'message',
        text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 2900) } }],
      },
    })),
  );
}
