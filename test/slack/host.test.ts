// HTTP mode listens where HOST says (every interface when unset), as `npm start` runs it.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../support/db.js';
import { FakeSlack, SECRET, sign } from '../support/slack.js';

const fake = new FakeSlack();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

/** Starts Tally in HTTP mode; returns where it says it listens, and a way to stop it. */
async function startTally(
  extra: Record<string, string>,
): Promise<{ host: string; port: number; stop: () => Promise<number | null> }> {
  const env = {
    ...process.env,
    DATABASE_URL: await freshDatabaseUrl(),
    TALLY_NOW: '2026-11-05T10:00:00+08:00',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: `${fake.url}/api/`,
    PORT: '0',
    HOST: '',
    LOG_LEVEL: 'info',
    ...extra,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise<number | null>((r) => child.on('close', r));
  let err = '';
  const running = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      for (const line of err.split('\n')) if (line.includes('"Tally is running"')) resolve(JSON.parse(line));
    });
    void closed.then((code) => reject(new Error(`tally exited with ${code}: ${err}`)));
  });
  return { ...running, stop: () => (child.kill('SIGTERM'), closed) };
}

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port }, () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

it('listens on 127.0.0.1 only when HOST=127.0.0.1, and on every interface by default', async () => {
  const [local, all] = await Promise.all([startTally({ HOST: '127.0.0.1' }), startTally({})]);
  try {
    expect(local.host).toBe('127.0.0.1');
    expect(['::', '0.0.0.0']).toContain(all.host);
    // it answers there: Slack's URL check, signed
    const body = JSON.stringify({ type: 'url_verification', challenge: 'ping', token: 'legacy' });
    const res = await fetch(`http://127.0.0.1:${local.port}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...sign(body) },
    });
    expect(await res.text()).toContain('ping');
    // and not on this machine's other addresses, which the default listener answers on
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (other) {
      expect(await reachable(other.address, local.port)).toBe(false);
      expect(await reachable(other.address, all.port)).toBe(true);
    }
  } finally {
    expect(await local.stop()).toBe(0);
    expect(await all.stop()).toBe(0);
  }
}, 120_000);
