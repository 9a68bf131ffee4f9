// A job the stop cannot wait for: told to stop, it rolls back at its next step, marks its run failed
// and releases the lease, so another instance takes the schedule at once; the month it was closing
// is left as it was (not closed without its results), and the outbox holds nothing of it.
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCli } from '../../src/cli/program.js';
import { jobsClient } from '../../src/jobs/client.js';
import { drainOutbox } from '../../src/jobs/outbox.js';
import { runJob } from '../../src/jobs/run.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { Stopping } from '../../src/stop.js';
import { freshDatabase } from '../support/db.js';
import { FakeSlack } from '../support/slack.js';

const NOW = '2026-11-05T10:00:00+08:00';
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function demo() {
  const db = await freshDatabase();
  cleanup.push(() => db.close());
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  const fake = await new FakeSlack().start();
  cleanup.push(() => fake.stop());
  return { db, fake, tally: { db: db.prisma, clock: fixedClock(NOW) } };
}

it("a stop as October's close starts: the run rolls back, its lease is released, October stays open; another instance closes it at once", async () => {
  const { db, fake, tally } = await demo();
  const noNew = new AbortController();
  const rollBack = new AbortController();
  const lines: Array<Record<string, unknown>> = [];
  // the stop comes the moment the job says it has started (no clock involved)
  const log = pino(
    { level: 'info' },
    {
      write: (s: string) => {
        const line = JSON.parse(s) as Record<string, unknown>;
        lines.push(line);
        if (line.msg === 'monthly job started') {
          noNew.abort(new Stopping());
          rollBack.abort(new Stopping());
        }
      },
    },
  );
  const scheduler = await startScheduler(
    { tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) },
    { ticking: false, halt: { noNew: noNew.signal, rollBack: rollBack.signal } },
  );
  expect(await scheduler.stop()).toEqual({ finished: true });

  expect(lines.find((l) => l.msg?.toString().startsWith('monthly job rolled back'))).toMatchObject({
    level: 40,
    job: 'monthly',
    period: '2026-10',
  });
  expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  const runs = await db.prisma.jobRun.findMany();
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ job: 'monthly', period: '2026-10', status: 'failed', leaseUntil: null });
  expect(runs[0]!.error).toMatch(/stopping/);
  // nothing half done: October not closed, nothing queued, nothing sent
  expect(await db.prisma.monthClose.count({ where: { month: '2026-10' } })).toBe(0);
  expect(await db.prisma.outbox.count()).toBe(0);
  expect(fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);

  // another instance, at once (its lease would otherwise hold it for minutes)
  const other = await runJob(tally, 'monthly', '2026-10', { owner: 'other-host:1' });
  expect(other).toMatchObject({ status: 'done', period: '2026-10' });
  expect(await db.prisma.monthClose.count({ where: { month: '2026-10' } })).toBe(1);
  expect(await db.prisma.jobRun.findFirst({ where: { period: '2026-10' } })).toMatchObject({
    status: 'done',
    attempts: 2,
  });
}, 120_000);

it('a stop while the outbox is sending: the message in flight is sent, the rest wait, due at once, for the next start', async () => {
  const { db, fake, tally } = await demo();
  await runJob(tally, 'monthly', '2026-10', { owner: 'here:1' });
  const queued = await db.prisma.outbox.count();
  expect(queued).toBeGreaterThan(2);
  const client = jobsClient('xoxb-test', `${fake.url}/api/`);
  const quiet = { log: pino({ level: 'silent' }), paceMs: 0 };
  const stop = new AbortController();
  const held = fake.hold('chat.postMessage');
  const draining = drainOutbox(tally, client, { ...quiet, signal: stop.signal });
  await held.arrived;
  stop.abort(new Stopping());
  held.release();
  const first = await draining;
  expect(first.sent).toBeGreaterThanOrEqual(1);
  expect(first.sent).toBeLessThan(queued);
  expect(await db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(first.sent);
  // the next start sends the rest at once, each once
  const rest = await drainOutbox(tally, client, quiet);
  expect(rest).toEqual({ sent: queued - first.sent, retrying: 0, failed: 0 });
}, 120_000);
