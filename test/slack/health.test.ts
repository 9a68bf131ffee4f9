// GET /healthz: 200 {"ok":true} while the database answers, 503 with the reason when it does not; in
// HTTP mode on PORT with no Slack signature, in Socket Mode on HEALTH_PORT (unset: no listener).
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { cliRefusal } from '../../src/cli/text.js';
import { readEnv } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { Bot } from '../support/bot.js';
import { databaseKind, freshDatabaseUrl, tallyOn } from '../support/db.js';
import { PgProxy } from '../support/pg-proxy.js';
import { FakeSlack, SlackHarness } from '../support/slack.js';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const healthUrl = (slack: SlackHarness) => slack.url.replace(/\/slack\/events$/, '/healthz');

async function probe(url: string, method = 'GET'): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(url, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

/**
 * The bot in HTTP mode on `db`, its database client past its first query as the bot's is by the time
 * it listens (migrations, the catch-up): a cold client's first query can take seconds on a busy machine.
 */
async function started(db: Database): Promise<SlackHarness> {
  await db.prisma.$queryRawUnsafe('SELECT 1');
  return new SlackHarness(tallyOn(db)).start();
}

describe('HTTP mode: /healthz on PORT', () => {
  it('answers 200 {"ok":true} to GET and HEAD, unsigned, while the database answers', async () => {
    const db = await openDatabase(await freshDatabaseUrl());
    cleanup.push(() => db.close());
    const slack = await started(db);
    cleanup.push(() => slack.stop());

    expect(await probe(healthUrl(slack))).toEqual({
      status: 200,
      body: '{"ok":true}',
      type: 'application/json; charset=utf-8',
    });
    expect(await probe(`${healthUrl(slack)}?from=lb`, 'HEAD')).toMatchObject({ status: 200, body: '' });
    // Slack's endpoint still wants its signature: the health route opens nothing else
    expect((await fetch(slack.url, { method: 'POST', body: 'x=1' })).status).toBe(401);
  }, 60_000);

  it.skipIf(databaseKind() !== 'pglite')(
    'answers 503 once the embedded database is closed',
    async () => {
      const db = await openDatabase(await freshDatabaseUrl());
      const slack = await started(db);
      cleanup.push(() => slack.stop());
      expect((await probe(healthUrl(slack))).status).toBe(200);

      await db.close();
      const down = await probe(healthUrl(slack));
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toEqual({
        ok: false,
        problem: 'the database did not answer: the embedded database is closed',
      });
    },
    60_000,
  );

  it.skipIf(databaseKind() !== 'postgres')(
    'answers 503 when PostgreSQL is out of reach, and 200 again once it is back',
    async () => {
      const url = await freshDatabaseUrl();
      let proxy = await new PgProxy(url).start();
      const through = proxy.url;
      const db = await openDatabase(through);
      cleanup.push(() => db.close());
      const slack = await started(db);
      cleanup.push(() => slack.stop());
      expect((await probe(healthUrl(slack))).status).toBe(200);

      // the network to the server is cut: every connection dropped, no new one taken
      await proxy.stop();
      const down = await probe(healthUrl(slack));
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/^the database did not answer/),
      });

      // the same address answers again (a restarted proxy or server)
      proxy = await new PgProxy(url).start(Number(new URL(through).port));
      cleanup.push(() => proxy.stop());
      expect((await probe(healthUrl(slack))).status).toBe(200);
    },
    60_000,
  );
});

describe('Socket Mode: /healthz on HEALTH_PORT', () => {
  it('listens on HEALTH_PORT, answers 200 once the database answers, and stops with the bot (exit 0)', async () => {
    const fake = await new FakeSlack().start();
    cleanup.push(() => fake.stop());
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    cleanup.push(() => new Promise((r) => wss.close(r)));
    wss.on('connection', (ws) =>
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } })),
    );
    fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
    const bot = new Bot({
      DATABASE_URL: await freshDatabaseUrl(),
      TALLY_NOW: '2026-11-05T10:00:00+08:00',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_SIGNING_SECRET: '',
      SLACK_API_URL: `${fake.url}/api/`,
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
    });
    cleanup.push(() => bot.signal('SIGKILL'));
    const running = await bot.line('Tally is running');
    const where = running.health as { host: string; port: number; path: string };
    expect(where).toMatchObject({ host: '127.0.0.1', path: '/healthz' });
    const url = `http://127.0.0.1:${where.port}/healthz`;
    expect(await probe(url)).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect((await probe(`http://127.0.0.1:${where.port}/slack/events`)).status).toBe(404);

    bot.signal('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(await bot.line('stopped')).toMatchObject({ signal: 'SIGTERM', jobs: 'finished', requests: 'finished' });
    // the listener went with it
    await expect(fetch(url)).rejects.toThrow();
  }, 120_000);

  it('has no health listener when HEALTH_PORT is unset, and refuses a HEALTH_PORT that is not a port in one line', () => {
    expect(readEnv({}).HEALTH_PORT).toBeUndefined();
    expect(readEnv({ HEALTH_PORT: '8080' }).HEALTH_PORT).toBe(8080);
    for (const bad of ['http', '70000', '-1', '80.5']) {
      let said: string | null = null;
      try {
        readEnv({ HEALTH_PORT: bad });
      } catch (e) {
        said = cliRefusal(e);
      }
      expect(said).toMatch(/HEALTH_PORT.*port number/);
      expect(said).not.toContain('\n');
    }
  });
});
