// A clean stop: SIGTERM to the bot as `npm start` runs it (HTTP mode, a fake Slack Web API). What is in
// progress finishes (a request, the month's close the catch-up is running), the scheduler's leases are
// released, the database is closed (the embedded one opens next time without recovery), one line is
// logged, and the exit code is 0. Synchronised on log lines and held Slack calls, never on sleeps.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../src/cli/program.js';
import { openDatabase } from '../src/db/open.js';
import { leftUnfinished } from '../src/db/pglite-space.js';
import { ROLLBACK_WAIT_MS, STOP_WAIT_MS } from '../src/stop.js';
import { Bot } from './support/bot.js';
import { databaseKind, freshDatabaseUrl } from './support/db.js';
import { FakeSlack, SECRET, sign, type CallBody } from './support/slack.js';

const NOW = '2026-11-05T10:00:00+08:00';
const LEAD = 'U0LEAD001';
const AGENT = 'U00001008';

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A database with the demo team; October (and September) due to close when the bot starts. */
async function demoUrl(): Promise<string> {
  const url = await freshDatabaseUrl();
  const db = await openDatabase(url);
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  await db.close();
  return url;
}

async function startBot(url: string, fake: FakeSlack): Promise<Bot> {
  const bot = new Bot({
    DATABASE_URL: url,
    TALLY_NOW: NOW,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: `${fake.url}/api/`,
    PORT: '0',
    HOST: '127.0.0.1',
  });
  cleanup.push(() => bot.signal('SIGKILL'));
  return bot;
}

/** The embedded database was closed as PostgreSQL shuts down (its next open needs no recovery); true on PostgreSQL. */
const closedCleanly = (url: string) => !url.startsWith('pglite:') || !leftUnfinished(url.slice('pglite:'.length));

/** What the database holds of the scheduler's runs and the month's close, read once the bot has exited. */
async function state(url: string) {
  const db = await openDatabase(url);
  try {
    return {
      runs: await db.prisma.jobRun.findMany({
        select: { job: true, period: true, status: true, leaseUntil: true, id: true },
        orderBy: { id: 'asc' },
      }),
      closed: (await db.prisma.monthClose.findMany({ select: { month: true }, orderBy: { month: 'asc' } })).map(
        (c) => c.month,
      ),
      queued: await db.prisma.outbox.groupBy({ by: ['runId'], _count: { _all: true } }),
      penalties: await db.prisma.penalty.count(),
    };
  } finally {
    await db.close();
  }
}

/** A lead's signed `/penalty` for the agent, to the bot's HTTP port; the HTTP status of Slack's ack. */
async function penalty(port: number, fake: FakeSlack, id: string): Promise<number> {
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: LEAD,
    command: '/penalty',
    text: `<@${AGENT}|吴晨> buck_passing`,
    response_url: fake.responseUrl(id),
    trigger_id: `trigger-${randomUUID()}`,
  }).toString();
  const ack = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
  });
  return ack.status;
}

/** The agent's DM about a new penalty: held, Tally is between the write and its reply to the lead. */
const penaltyDm = (b: CallBody) => b.channel === AGENT && String(b.text ?? '').includes('给你记录了一次处罚');

it('SIGTERM in the middle of a /penalty: the request finishes (recorded, DM sent, lead answered), then exit 0', async () => {
  const url = await demoUrl();
  const before = (await state(url)).penalties;
  const fake = await new FakeSlack().start();
  cleanup.push(() => fake.stop());
  // the agent's DM about the penalty is held: Tally is then between the write and its reply to the lead
  const dm = fake.hold('chat.postMessage', penaltyDm);
  const bot = await startBot(url, fake);
  const { port } = (await bot.line('Tally is running')) as { port: number };

  expect(await penalty(port, fake, 'stop-1')).toBe(200);
  await dm.arrived;

  bot.signal('SIGTERM');
  expect(await bot.line('stopping: waiting for the requests in progress')).toMatchObject({ requests: 1 });
  // the listener is closed by then: nothing new is taken, while the request taken in goes on
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  expect(bot.lines.some((l) => l.msg === 'stopped')).toBe(false);
  dm.release();
  expect(await bot.exited).toBe(0);
  expect(closedCleanly(url)).toBe(true);
  expect(await bot.line('stopped')).toMatchObject({ signal: 'SIGTERM', requests: 'finished', jobs: 'finished' });
  // its last step, after the held DM: the lead's answer
  expect(fake.calls.find((c) => c.respondId === 'stop-1')?.body.text).toMatch(/已记录处罚/);
  const after = await state(url);
  expect(after.penalties).toBe(before + 1);
  // one line at the start of the stop, one at its end: nothing logged as an error on the way
  expect(bot.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
}, 180_000);

it('SIGTERM while the catch-up closes October at start: the close finishes, every lease is released, exit 0; the next start is clean and runs nothing again', async () => {
  const url = await demoUrl();
  const fake = await new FakeSlack().start();
  cleanup.push(() => fake.stop());
  // on PostgreSQL the run is held mid-way for certain: its messages cannot be queued until the test lets go
  let locker: pg.Client | null = null;
  if (databaseKind() === 'postgres') {
    locker = new pg.Client({ connectionString: url });
    await locker.connect();
    cleanup.push(() => locker?.end());
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
  }
  const bot = await startBot(url, fake);
  expect(await bot.line('monthly job started')).toMatchObject({ job: 'monthly', period: '2026-10' });
  bot.signal('SIGTERM');
  await bot.line('stopping');
  if (locker) {
    // still in progress: the run has not finished while the lock was held
    expect(bot.lines.some((l) => l.msg === 'caught up on a missed run')).toBe(false);
    await locker.query('COMMIT');
  }
  expect(await bot.exited).toBe(0);
  expect(closedCleanly(url)).toBe(true);
  expect(await bot.line('stopped')).toMatchObject({ signal: 'SIGTERM', jobs: 'finished' });
  // it stopped while starting: it never said it was running
  expect(bot.lines.some((l) => l.msg === 'Tally is running')).toBe(false);

  const after = await state(url);
  const monthly = after.runs.find((r) => r.job === 'monthly' && r.period === '2026-10');
  // October is closed and its results queued, all in one: not a closed month with nothing posted
  expect(monthly).toMatchObject({ status: 'done', leaseUntil: null });
  expect(after.closed).toContain('2026-10');
  expect(after.queued.find((q) => q.runId === monthly!.id)?._count._all).toBeGreaterThan(0);
  // no lease left behind: another instance could take any run at once
  expect(after.runs.filter((r) => r.leaseUntil !== null)).toEqual([]);

  // the next start: no recovery of the embedded database, nothing run twice
  const again = await startBot(url, fake);
  const { port } = (await again.line('Tally is running')) as { port: number };
  expect(again.lines.filter((l) => (l.notice as { after?: string } | undefined)?.after === 'interrupted')).toEqual([]);
  expect(again.lines.filter((l) => l.msg === 'caught up on a missed run' && l.job === 'monthly')).toEqual([]);
  // a request that never ends (its DM never answered) holds the stop for the whole wait, not longer
  const stuck = fake.hold('chat.postMessage', penaltyDm);
  expect(await penalty(port, fake, 'stuck-1')).toBe(200);
  await stuck.arrived;
  again.signal('SIGTERM');
  expect(await again.exited).toBe(0);
  expect(closedCleanly(url)).toBe(true);
  const stopped = await again.line('stopped');
  expect(stopped).toMatchObject({ requests: '1 cut short', jobs: 'finished' });
  expect(Number(stopped.ms)).toBeGreaterThanOrEqual(STOP_WAIT_MS);
  stuck.release();
  const last = await state(url);
  expect(last.runs.filter((r) => r.job === 'monthly')).toHaveLength(1);
  expect(last.runs.filter((r) => r.leaseUntil !== null)).toEqual([]);
}, 240_000);

it('examples/tally.service: runs npm start, sends SIGTERM to node itself, and waits longer than Tally takes to stop', () => {
  const unit = readFileSync(new URL('../examples/tally.service', import.meta.url), 'utf8');
  const keys = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }
  const one = (k: string) => keys.get(k)?.[0];
  expect(one('ExecStart')).toMatch(/\/npm start$/);
  expect(one('KillSignal')).toBe('SIGTERM');
  // npm does not pass SIGTERM on to node: every process of the service must get it
  expect(one('KillMode') ?? 'control-group').toBe('control-group');
  expect(one('Restart')).toBe('on-failure');
  // the longest stop: the wait, a rollback (two, when the signal came during the start), the database's close
  expect(Number(one('TimeoutStopSec'))).toBeGreaterThan((STOP_WAIT_MS + 3 * ROLLBACK_WAIT_MS) / 1000);
  expect(one('User')).toBe('tally');
  // the embedded database's directory (./data of WorkingDirectory) stays writable under ProtectSystem=strict
  expect(one('ProtectSystem')).toBe('strict');
  expect(keys.get('ReadWritePaths')).toContain(`${one('WorkingDirectory')}/data`);
  expect(one('EnvironmentFile')).toBeDefined();
  const verify = spawnSync('systemd-analyze', ['verify', 'examples/tally.service'], { encoding: 'utf8' });
  if (verify.error) return; // no systemd-analyze on this machine
  expect(verify.stderr.trim()).toBe('');
  expect(verify.status).toBe(0);
});
