// Slack without Slack: a fake Web API on 127.0.0.1 that records every call (and checks Block Kit
// limits on everything it is sent, and the bot scopes manifest.yml grants), and correctly signed
// requests to the real Bolt receiver.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyBlock, Button, KnownBlock, View } from '@slack/types';
import pino from 'pino';
import { parse } from 'yaml';
import { buildApp } from '../../src/slack/app.js';
import { blockProblems, viewProblems } from '../../src/slack/blocks.js';
import type { SlackDeps } from '../../src/slack/context.js';

/**
 * The bot scope each Web API method needs, from Slack's method reference (docs.slack.dev/reference/methods);
 * null: none. A method Tally calls that is not here fails the test: look it up and add it.
 */
export const METHOD_SCOPES: Record<string, string | null> = {
  'auth.test': null,
  // Socket Mode: the app-level token's connections:write, not a bot scope
  'apps.connections.open': null,
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.scheduleMessage': 'chat:write',
  // a direct message with one person (with several it is a group DM: mpim:write)
  'conversations.open': 'im:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'files.upload': 'files:write',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'reactions.add': 'reactions:write',
  'team.info': 'team:read',
  'views.open': null,
  'views.publish': null,
  'views.update': null,
  'views.push': null,
};

const manifest = () => parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));

/** The bot scopes manifest.yml grants. */
export function manifestScopes(): string[] {
  return manifest().oauth_config.scopes.bot as string[];
}

/** The bot events manifest.yml subscribes to. */
export function manifestEvents(): string[] {
  return manifest().settings.event_subscriptions.bot_events as string[];
}

/** The scope Slack requires before it delivers an event (docs.slack.dev/reference/events); null: none. */
export const EVENT_SCOPES: Record<string, string | null> = {
  app_home_opened: null,
  'message.im': 'im:history',
  'message.channels': 'channels:history',
  file_shared: 'files:read',
};

/** A Web API call's arguments (JSON or form fields) or a response_url reply: what tests read, the rest unknown. */
export interface CallBody {
  channel?: string;
  channel_id?: string;
  /** conversations.open: comma-separated user ids */
  users?: string;
  user_id?: string;
  text?: string;
  blocks?: KnownBlock[];
  view?: View;
  trigger_id?: string;
  response_type?: 'ephemeral' | 'in_channel';
  /** files.completeUploadExternal: the uploaded files, as JSON */
  files?: string;
  /** an upload: how many bytes arrived */
  bytes?: number;
  [argument: string]: unknown;
}

export interface Call {
  method: string;
  body: CallBody;
  /** for replies sent to a command's response_url: which command */
  respondId?: string;
}

export class FakeSlack {
  calls: Call[] = [];
  problems: string[] = [];
  private server!: Server;
  private waiters: Array<() => void> = [];
  /** make the next calls of a method fail with this Slack error */
  failing = new Map<string, string>();
  /** what apps.connections.open hands out (Socket Mode) */
  socketUrl = '';
  /** answer the next N calls of a method with HTTP 429 and this Retry-After (seconds) */
  rateLimits = new Map<string, { remaining: number; retryAfter: number }>();
  /** answer calls to these channels with this Slack error */
  brokenChannels = new Map<string, string>();
  /** the bot scopes the installed app has: manifest.yml's unless a test installs another */
  scopes: string[];
  /** files people shared, served at their url_private_download to the bot token with files:read */
  files = new Map<string, { name: string; bytes: Uint8Array }>();
  /** the bot token the installed app was given */
  token = 'xoxb-test';
  /** calls answered only when released (see hold) */
  private held = new Set<{
    method: string;
    match?: (body: CallBody) => boolean;
    arrived: () => void;
    released: Promise<void>;
  }>();

  /**
   * Holds the next call of a method (`response_url` for a command's reply) that `match` accepts:
   * `arrived` resolves when it comes in, and it is answered once `release` is called. Tally is then in
   * the middle of a request.
   */
  hold(method: string, match?: (body: CallBody) => boolean): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const came = new Promise<void>((r) => (arrived = r));
    this.held.add({ method, match, arrived, released: new Promise<void>((r) => (release = r)) });
    return { arrived: came, release };
  }

  constructor(opts: { scopes?: string[] } = {}) {
    this.scopes = opts.scopes ?? manifestScopes();
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A file someone shared, as the message event carries it. */
  shareFile(
    name: string,
    bytes: Uint8Array | string,
  ): { id: string; name: string; size: number; url_private_download: string } {
    const id = `F${this.files.size + 1}${randomUUID().slice(0, 6).toUpperCase()}`;
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    this.files.set(id, { name, bytes: data });
    return {
      id,
      name,
      size: data.length,
      url_private_download: `${this.url}/files-pri/T1-${id}/download/${encodeURIComponent(name)}`,
    };
  }

  /** Slack's file host: the file to a bearer of the bot token with files:read; its sign-in page to anyone else. */
  private serveFile(req: IncomingMessage, res: ServerResponse): void {
    const id = /^\/files-pri\/T1-([A-Z0-9]+)\//.exec(req.url ?? '')?.[1] ?? '';
    const file = this.files.get(id);
    const authorised = req.headers.authorization === `Bearer ${this.token}` && this.scopes.includes('files:read');
    this.calls.push({ method: authorised ? 'files.download' : 'files.download:signin', body: { file: id } });
    this.waiters.splice(0).forEach((w) => w());
    if (!authorised) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('file_not_found');
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && (req.url ?? '').startsWith('/files-pri/')) return this.serveFile(req, res);
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const respondId = /^\/respond\/(.+)$/.exec(req.url ?? '')?.[1];
        const upload = (req.url ?? '').startsWith('/upload/');
        const method = respondId ? 'response_url' : upload ? 'upload' : (req.url ?? '').replace(/^\/api\//, '');
        const limited = this.rateLimits.get(method);
        if (limited && limited.remaining > 0) {
          limited.remaining--;
          this.calls.push({ method: `${method}:429`, body: {} });
          res.writeHead(429, { 'retry-after': String(limited.retryAfter), 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        }
        const body = upload ? { bytes: raw.length } : parseBody(raw, req.headers['content-type'] ?? '');
        res.setHeader('content-type', 'application/json');
        const held = [...this.held].find((h) => h.method === method && (!h.match || h.match(body)));
        if (held) {
          this.held.delete(held);
          const end = res.end.bind(res) as (body?: string) => void;
          res.end = ((text?: string) => (void held.released.then(() => end(text)), res)) as typeof res.end;
          held.arrived();
        }
        if (!respondId && !upload) {
          const refusal = this.scopeRefusal(method, body);
          if (refusal) {
            this.calls.push({ method: `${method}:${refusal.error}`, body });
            this.waiters.splice(0).forEach((w) => w());
            return res.end(JSON.stringify(refusal));
          }
        }
        this.check(method, body);
        this.calls.push({ method, body, respondId });
        this.waiters.splice(0).forEach((w) => w());
        const error =
          this.failing.get(method) ?? this.brokenChannels.get(body.channel ?? body.channel_id ?? body.users ?? '');
        if (error) return res.end(JSON.stringify({ ok: false, error }));
        if (upload) return res.end('OK');
        res.end(
          JSON.stringify(
            method === 'apps.connections.open' ? { ok: true, url: this.socketUrl } : reply(method, body, this.url),
          ),
        );
      });
    });
    // Slack keeps idle connections open for about a minute; Node's 5 s default races with a client
    // reusing a pooled socket after slow work (a loaded machine), and the send fails as "socket hang up"
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }

  /** Slack's answer to a method the app's scopes do not allow; a method missing from METHOD_SCOPES is a problem of the test. */
  private scopeRefusal(method: string, body: CallBody): Record<string, unknown> | null {
    if (!(method in METHOD_SCOPES)) {
      this.problems.push(
        `${method}: not in METHOD_SCOPES (test/support/slack.ts); add the bot scope Slack's method reference gives it`,
      );
      return { ok: false, error: 'unknown_method' };
    }
    const needed =
      method === 'conversations.open' && String(body.users ?? '').includes(',') ? 'mpim:write' : METHOD_SCOPES[method];
    if (!needed || this.scopes.includes(needed)) return null;
    return { ok: false, error: 'missing_scope', needed, provided: this.scopes.join(',') };
  }

  private check(method: string, body: CallBody): void {
    if (body.blocks) this.problems.push(...blockProblems(body.blocks, method));
    if (body.view) this.problems.push(...viewProblems(body.view));
    if ((body.text ?? '').length > 40_000) this.problems.push(`${method}: text too long`);
  }

  /**
   * Waits until `count` calls satisfy `match` (Bolt answers the HTTP request before the handler finishes).
   * The deadline only ends a wait that would never finish; a loaded machine must not fail the test.
   */
  async waitFor(match: (c: Call) => boolean, count = 1, timeoutMs = 120_000): Promise<Call[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.filter(match);
      if (found.length >= count) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count} call(s); saw: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    // loud even where a test does not look at problems: Tally called a method the scope table does not know
    const unknown = this.problems.filter((p) => p.includes('METHOD_SCOPES'));
    if (unknown.length) throw new Error(unknown.join('\n'));
  }
}

function parseBody(raw: string, type: string): CallBody {
  if (type.includes('json')) return JSON.parse(raw || '{}') as CallBody;
  const out: CallBody = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = ['blocks', 'view', 'attachments'].includes(k) ? JSON.parse(v) : v;
  }
  return out;
}

let uploads = 0;

function reply(method: string, body: CallBody, url: string): Record<string, unknown> {
  switch (method) {
    case 'conversations.open':
      return { ok: true, channel: { id: `D${body.users}` } };
    case 'files.getUploadURLExternal':
      return { ok: true, upload_url: `${url}/upload/${++uploads}`, file_id: `F${uploads}` };
    case 'files.completeUploadExternal':
      return { ok: true, files: JSON.parse(body.files ?? '[]') };
    case 'auth.test':
      return { ok: true, user_id: 'UTALLYBOT', bot_id: 'BTALLY', team_id: 'T1', user: 'tally' };
    case 'chat.postMessage':
      return { ok: true, channel: body.channel, ts: `${Date.now() / 1000}` };
    case 'views.open':
    case 'views.publish':
      return { ok: true, view: { id: 'V1', ...body.view } };
    default:
      return { ok: true };
  }
}

export const SECRET = 'test-signing-secret-0123456789';

export function sign(body: string, ts = Math.floor(Date.now() / 1000), secret = SECRET): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
}

/** A running Tally app (real Bolt HTTP receiver) talking to a fake Web API. */
export class SlackHarness {
  fake = new FakeSlack();
  logs: Array<Record<string, unknown>> = [];
  private server!: Server;
  private app!: ReturnType<typeof buildApp>;
  private n = 0;

  constructor(private tally: SlackDeps['tally']) {}

  async start(): Promise<this> {
    await this.fake.start();
    const log = pino({ level: 'warn' }, { write: (line: string) => void this.logs.push(JSON.parse(line)) });
    this.app = buildApp(
      { tally: this.tally, log },
      {
        mode: { kind: 'http', botToken: 'xoxb-test', signingSecret: SECRET },
        apiUrl: `${this.fake.url}/api/`,
        retries: 0,
      },
    );
    this.server = (await this.app.start(0)) as Server;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events`;
  }

  async send(
    body: string,
    contentType = 'application/x-www-form-urlencoded',
    headers: Record<string, string> = sign(body),
  ): Promise<{ status: number; text: string; ms: number }> {
    const start = performance.now();
    const res = await fetch(this.url, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - start };
  }

  /** A slash command's body as Slack posts it; `id` names its replies (Call.respondId). */
  commandBody(userId: string, command: string, text: string): { body: string; id: string } {
    const id = `r${++this.n}`;
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'T1',
      team_domain: 'shop',
      channel_id: 'C1',
      channel_name: 'cs',
      user_id: userId,
      user_name: userId,
      command,
      text,
      api_app_id: 'A1',
      response_url: this.fake.responseUrl(id),
      trigger_id: `trigger-${id}-${randomUUID()}`,
    }).toString();
    return { body, id };
  }

  /** Sends a slash command and returns the ephemeral reply it produced (via response_url). */
  async command(
    userId: string,
    command: string,
    text: string,
  ): Promise<{ status: number; ms: number; reply: Call; id: string }> {
    const { id, ack, reply } = this.startCommand(userId, command, text);
    const res = await ack;
    return { status: res.status, ms: res.ms, reply: await reply, id };
  }

  /** Sends a slash command: `ack` settles with Slack's HTTP answer, `reply` with what went to response_url. */
  startCommand(
    userId: string,
    command: string,
    text: string,
  ): { id: string; ack: ReturnType<SlackHarness['send']>; reply: Promise<Call> } {
    const { body, id } = this.commandBody(userId, command, text);
    const ack = this.send(body);
    return { id, ack, reply: ack.then(() => this.fake.waitFor((c) => c.respondId === id)).then(([r]) => r!) };
  }

  async interact(payload: Record<string, unknown>): Promise<{ status: number; text: string }> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }

  private views = 0;

  /** Submits a modal with one text input (`block` holds it), as Slack posts the submission. */
  submitText(
    userId: string,
    view: { callbackId: string; privateMetadata: string | undefined; block: string; value: string; id?: string },
  ): Promise<{ status: number; text: string }> {
    return this.interact({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: userId },
      api_app_id: 'A1',
      token: 'legacy',
      view: {
        id: view.id ?? `VS${++this.views}`,
        type: 'modal',
        callback_id: view.callbackId,
        private_metadata: view.privateMetadata,
        state: { values: { [view.block]: { value: { type: 'plain_text_input', value: view.value } } } },
      },
    });
  }

  /**
   * Sends an event as Slack would: only one the manifest subscribes to, with the scope it needs
   * (a message in the DM with Tally is `message.im` and needs im:history); anything else Slack never
   * sends, and neither does this (delivered: false).
   */
  async event(event: Record<string, unknown>): Promise<{ status: number; delivered: boolean }> {
    const name = event.type === 'message' ? `message.${String(event.channel_type)}` : String(event.type);
    if (!(name in EVENT_SCOPES)) throw new Error(`${name}: not in EVENT_SCOPES (test/support/slack.ts); add it`);
    const needed = EVENT_SCOPES[name];
    if (!manifestEvents().includes(name) || (needed && !this.fake.scopes.includes(needed)))
      return { status: 0, delivered: false };
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${++this.n}${randomUUID().slice(0, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    return { ...(await this.send(body, 'application/json')), delivered: true };
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.fake.stop();
  }
}

/** A block kind, as a type guard: `blocks.find(ofType('actions'))` is an ActionsBlock. */
export const ofType =
  <T extends KnownBlock['type']>(type: T) =>
  (b: AnyBlock): b is Extract<KnownBlock, { type: T }> =>
    b.type === type;

/** The buttons of a message's or view's actions blocks, in order. */
export function buttonsOf(blocks: AnyBlock[] | undefined): Button[] {
  return (blocks ?? [])
    .filter(ofType('actions'))
    .flatMap((b) => b.elements)
    .filter((e): e is Button => e.type === 'button');
}

/** All visible text of blocks, for assertions. */
export function textOf(blocks: AnyBlock[] | undefined): string {
  return JSON.stringify(blocks ?? [])
    .match(/"text":"((?:[^"\\]|\\.)*)"/g)!
    .map((m) => JSON.parse(m.slice(7)) as string)
    .join('\n');
}
