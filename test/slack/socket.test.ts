// Socket Mode: the same handlers behind Slack's WebSocket protocol. A fake Web API hands out the
// socket URL (apps.connections.open); a WebSocket server plays Slack: hello, an envelope, the ack.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';
import { buildApp } from '../../src/slack/app.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { FakeSlack, textOf } from '../support/slack.js';

let db: Database;
const fake = new FakeSlack();
let wss: WebSocketServer;
let socket: Promise<WebSocket>;

beforeAll(async () => {
  db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: () => {}, env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } }, db);
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  socket = new Promise((resolve) =>
    wss.on('connection', (ws) => {
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          connection_info: { app_id: 'A1' },
          debug_info: { host: 'fake' },
        }),
      );
      resolve(ws);
    }),
  );
  await fake.start();
  fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
});
afterAll(async () => {
  wss.close();
  await fake.stop();
  await db.close();
});

it('answers a slash command that arrives over the socket, and acks its envelope', async () => {
  const app = buildApp(
    { tally: tallyOn(db), log: pino({ level: 'silent' }) },
    { mode: { kind: 'socket', botToken: 'xoxb-test', appToken: 'xapp-test' }, apiUrl: `${fake.url}/api/`, retries: 0 },
  );
  await app.start();
  try {
    const ws = await socket;
    const acked = new Promise<Record<string, unknown>>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))));
    ws.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'legacy',
          team_id: 'T1',
          user_id: 'U00001008',
          command: '/myscore',
          text: '2026-10',
          api_app_id: 'A1',
          response_url: fake.responseUrl('sock'),
          trigger_id: 'trig',
        },
      }),
    );
    expect((await acked).envelope_id).toBe('env-1');
    const [reply] = await fake.waitFor((c) => c.respondId === 'sock');
    expect(textOf(reply!.body.blocks)).toMatch(/<@U00001008> 的绩效，2026-10/);
    expect(fake.calls.find((c) => c.method === 'apps.connections.open')).toBeDefined();
    // `@吴晨` typed as text is read as over HTTP and in the console: that person, or one line refusing it
    for (const [id, text, said] of [
      ['sock-named', '2026-10 @吴晨', /<@U00001008> 的绩效，2026-10/],
      ['sock-nobody', '@无名氏', /^:no_entry_sign: 花名册上没有叫 无名氏 的人/],
    ] as const) {
      ws.send(
        JSON.stringify({
          envelope_id: `env-${id}`,
          type: 'slash_commands',
          accepts_response_payload: true,
          payload: {
            token: 'legacy',
            team_id: 'T1',
            user_id: 'U0SUPER01',
            command: '/myscore',
            text,
            api_app_id: 'A1',
            response_url: fake.responseUrl(id),
            trigger_id: `trig-${id}`,
          },
        }),
      );
      const [answer] = await fake.waitFor((c) => c.respondId === id);
      expect(textOf(answer!.body.blocks)).toMatch(said);
    }
  } finally {
    await app.stop();
  }
});
