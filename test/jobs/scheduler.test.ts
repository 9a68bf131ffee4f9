// The scheduler as the bot starts it: catch-up at start, the outbox drained on its timer, a clean stop.
import cron from 'node-cron';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Database } from '../../src/db/open.js';
import { jobsClient } from '../../src/jobs/client.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { runCli } from '../../src/cli/program.js';
import { setPolicy } from '../../src/service/policy.js';
import { cliOn, type JobRunJson, type JobsListJson, type MonthCloseJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { FakeSlack } from '../support/slack.js';

let db: Database;
const fake = new FakeSlack();

beforeAll(async () => {
  db = await freshDatabase();
  await fake.start();
  await runCli(['demo'], { out: () => {}, err: () => {}, env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } }, db);
  await setPolicy(
    { db: db.prisma, clock: fixedClock('2026-11-05T10:00:00+08:00') },
    { schedule: { channel: 'C0TEAM01' } },
    { from: '2026-09-01', by: 'cli', backdate: true },
  );
});
afterAll(async () => {
  await fake.stop();
  await db.close();
});

it('catches up at start, sends on its timer, and stops cleanly', async () => {
  const tally = { db: db.prisma, clock: fixedClock('2026-11-05T22:00:00+08:00') };
  const scheduler = await startScheduler(
    { tally, log: pino({ level: 'silent' }), client: jobsClient('xoxb-test', `${fake.url}/api/`) },
    { sendEveryMs: 50 },
  );
  try {
    // the schedule is checked on node-cron's minute tick while the scheduler runs, and only then
    expect([...cron.getTasks().values()].filter((task) => task.name === 'tally-schedule')).toHaveLength(1);
    // October's results were due while "down"; today's evening post has no data to post about
    expect(
      await db.prisma.jobRun.findMany({ select: { job: true, period: true, late: true }, orderBy: { job: 'asc' } }),
    ).toEqual([{ job: 'monthly', period: '2026-10', late: true }]);
    const queued = await db.prisma.outbox.count();
    // paced at about one message a second per channel: the channel's three (post, two charts) take two seconds
    await fake.waitFor((c) => c.method === 'chat.postMessage' || c.method === 'files.completeUploadExternal', queued);
  } finally {
    await scheduler.stop();
  }
  expect([...cron.getTasks().values()].filter((task) => task.name === 'tally-schedule')).toHaveLength(0);
  expect(await db.prisma.outbox.count({ where: { status: { not: 'sent' } } })).toBe(0);
});

it('runs a job by hand through the CLI, once, and lists it', async () => {
  const tally = cliOn(db, { TALLY_NOW: '2026-11-06T21:30:00+08:00' });
  const first = await tally('jobs', 'run', 'daily', '--json');
  // the evening post, and the demo's trainee past probation: a confirm prompt to each lead and the supervisor
  expect(first.json<JobRunJson>()).toMatchObject({ job: 'daily', period: '2026-11-06', status: 'done', enqueued: 4 });
  expect((await tally('jobs', 'run', 'daily')).out).toBe(
    'daily 2026-11-06: skipped, it has run already, or is running in another process.',
  );
  // a job name that does not exist is a usage mistake (exit 2); a bad period is a bad value (exit 1)
  const weekly = await tally('jobs', 'run', 'weekly');
  expect({ code: weekly.code, err: weekly.err }).toEqual({
    code: 2,
    err: 'error: "weekly" is not a job: daily, provisional or monthly\n(run with --help for usage)',
  });
  expect((await tally('jobs', 'run', 'monthly', '--period', '2026-13')).err).toBe(
    'error: --period "2026-13": a monthly run is for a month (YYYY-MM)',
  );
  const list = (await tally('jobs', 'list', '--json')).json<JobsListJson>().runs;
  expect(list[0]).toMatchObject({ job: 'daily', period: '2026-11-06', status: 'done', messages: { pending: 4 } });
  expect((await tally('jobs', 'list')).out).toMatch(/monthly\s+2026-10\s+done\s+late/);
});

it('posts a correction when an admin closes a reopened month again', async () => {
  const tally = cliOn(db, { TALLY_NOW: '2026-11-07T10:00:00+08:00' });
  // only an admin reopens: the demo team has none, so one joins for it (and is not told of anything after)
  await db.prisma.member.create({
    data: {
      slackId: 'U0ADMIN01',
      name: '孙管理',
      track: 'presales',
      level: 'supervisor',
      role: 'admin',
      hiredOn: new Date('2026-11-01T00:00:00Z'),
    },
  });
  const reopened = await tally(
    'month',
    'reopen',
    '2026-10',
    '--why',
    'a store deduction came in late',
    '--by',
    'U0ADMIN01',
  );
  expect(reopened.out).toMatch(/close it again: tally month close 2026-10/);
  expect((await tally('roster', 'deactivate', 'U0ADMIN01')).code).toBe(0);
  expect(
    (await tally('penalty', 'add', 'U00001008', 'store_deduction', '--on', '2026-10-28', '--by', 'U0LEAD001')).code,
  ).toBe(0);
  const closed = await cliOn(db, { TALLY_NOW: '2026-11-07T10:05:00+08:00' })('month', 'close', '2026-10', '--json');
  expect(closed.json<MonthCloseJson>()).toMatchObject({ month: '2026-10', closed: true, correction: '2026-10#2' });
  const post = await db.prisma.outbox.findUniqueOrThrow({ where: { key: 'monthly:2026-10#2:post' } });
  expect((post.payload as { text: string }).text).toBe('更正：2026-10 月度结果已重新计算');
  const slip = await db.prisma.outbox.findUniqueOrThrow({ where: { key: 'monthly:2026-10#2:payslip:U00001008' } });
  expect(JSON.stringify(slip.payload)).toMatch(/罚款\\n\*-¥[\d,]+\.\d\d\*/);
});

it('on a new install, closes nothing and messages nobody at first start', async () => {
  const fresh = await freshDatabase();
  try {
    const tally = { db: fresh.prisma, clock: fixedClock('2026-11-15T22:00:00+08:00') };
    await fresh.prisma.member.create({
      data: {
        slackId: 'U1',
        name: 'A',
        track: 'presales',
        level: 'regular',
        role: 'agent',
        hiredOn: new Date('2025-01-01T00:00:00Z'),
      },
    });
    const scheduler = await startScheduler(
      { tally, log: pino({ level: 'silent' }), client: jobsClient('xoxb-test', `${fake.url}/api/`) },
      { sendEveryMs: 50 },
    );
    await scheduler.stop();
    expect(await fresh.prisma.jobRun.count()).toBe(0);
    expect(await fresh.prisma.monthClose.count()).toBe(0);
    expect(await fresh.prisma.outbox.count()).toBe(0);
  } finally {
    await fresh.close();
  }
});
