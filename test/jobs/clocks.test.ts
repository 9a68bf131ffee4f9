// Early and shifted clocks, through the scheduler with a clock the test moves: a morning post covers
// the day that has ended, a time the clocks skip runs at the first minute after it, and a catch-up
// never posts a day that is still going on.
import type { KnownBlock } from '@slack/types';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Clock } from '../../src/clock.js';
import { addDays, type Day } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { jobsClient } from '../../src/jobs/client.js';
import { alertMissingScope, drainOutbox } from '../../src/jobs/outbox.js';
import { runJob } from '../../src/jobs/run.js';
import { closesOn, dueRuns, instantOf } from '../../src/jobs/schedule.js';
import { catchUp, startScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import type { Tally } from '../../src/service/context.js';
import { claimRun, LEASE_MS } from '../../src/service/jobs.js';
import { claimNext } from '../../src/service/outbox.js';
import { setPolicy } from '../../src/service/policy.js';
import { freshDatabase } from '../support/db.js';
import { FakeSlack, textOf } from '../support/slack.js';

const log = pino({ level: 'silent' });
const fake = new FakeSlack();
const HOUR = 3_600_000;

class MovableClock implements Clock {
  constructor(private at: Date) {}
  now = () => new Date(this.at.getTime());
  set(iso: string) {
    this.at = new Date(iso);
  }
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
}

beforeAll(() => fake.start());
afterAll(() => fake.stop());

describe('when a job is due', () => {
  it("finds the moment of a wall-clock time in the team's time zone, also when the clocks change", () => {
    expect(instantOf('2026-11-10', '02:30', 'Asia/Shanghai').toISOString()).toBe('2026-11-09T18:30:00.000Z');
    expect(instantOf('2027-03-13', '02:30', 'America/New_York').toISOString()).toBe('2027-03-13T07:30:00.000Z');
    // spring forward: 02:30 does not exist on 2027-03-14; the first minute after the gap is 03:00 EDT
    expect(instantOf('2027-03-14', '02:30', 'America/New_York').toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(instantOf('2027-03-15', '02:30', 'America/New_York').toISOString()).toBe('2027-03-15T06:30:00.000Z');
    // fall back: 01:30 comes twice on 2027-11-07; the first one counts
    expect(instantOf('2027-11-07', '01:30', 'America/New_York').toISOString()).toBe('2027-11-07T05:30:00.000Z');
  });

  it('knows the latest run of each job and the period it covers', () => {
    const shanghai = (dailyAt: string, closeOnDay = 3) => ({
      timezone: 'Asia/Shanghai',
      schedule: { dailyAt, monthlyAt: '09:00', closeOnDay },
    });
    const due = (iso: string, dailyAt = '21:00', closeOnDay = 3) => {
      const d = dueRuns(new Date(iso), shanghai(dailyAt, closeOnDay));
      return { daily: d.daily.period, provisional: d.provisional.period, monthly: d.monthly.period };
    };
    // the 1st at 09:00 posts October's provisional standings; October closes on the 3rd at 09:00
    expect(due('2026-11-01T08:59:00+08:00')).toEqual({
      daily: '2026-10-31',
      provisional: '2026-09',
      monthly: '2026-09',
    });
    expect(due('2026-11-01T09:00:00+08:00')).toEqual({
      daily: '2026-10-31',
      provisional: '2026-10',
      monthly: '2026-09',
    });
    expect(due('2026-11-03T08:59:00+08:00')).toMatchObject({ provisional: '2026-10', monthly: '2026-09' });
    expect(due('2026-11-03T09:00:00+08:00')).toMatchObject({ provisional: '2026-10', monthly: '2026-10' });
    expect(due('2026-11-05T21:00:00+08:00')).toEqual({
      daily: '2026-11-05',
      provisional: '2026-10',
      monthly: '2026-10',
    });
    // a policy that closes on the 1st: both at once (the close goes first and the provisional post is skipped)
    expect(due('2026-11-01T08:59:00+08:00', '21:00', 1)).toMatchObject({ provisional: '2026-09', monthly: '2026-09' });
    expect(due('2026-11-01T09:00:00+08:00', '21:00', 1)).toMatchObject({ provisional: '2026-10', monthly: '2026-10' });
    // a close day the clocks skip the time on: the first minute after the gap, as for any job
    const newYork = {
      timezone: 'America/New_York',
      schedule: { dailyAt: '21:00', monthlyAt: '02:30', closeOnDay: 14 },
    };
    expect(closesOn('2027-02', newYork).at.toISOString()).toBe('2027-03-14T07:00:00.000Z');
    expect(dueRuns(new Date('2027-03-14T06:59:00Z'), newYork).monthly.period).toBe('2027-01');
    expect(dueRuns(new Date('2027-03-14T07:00:00Z'), newYork).monthly).toEqual({
      period: '2027-02',
      at: new Date('2027-03-14T07:00:00.000Z'),
    });
    // a post before noon covers the day before: the last one that has ended
    expect(due('2026-11-10T02:30:00+08:00', '02:30')).toMatchObject({ daily: '2026-11-09', monthly: '2026-10' });
    expect(due('2026-11-10T02:29:00+08:00', '02:30')).toMatchObject({ daily: '2026-11-08', monthly: '2026-10' });
    expect(due('2026-11-10T11:59:00+08:00', '11:59').daily).toBe('2026-11-09');
    expect(due('2026-11-10T12:00:00+08:00', '12:00').daily).toBe('2026-11-10');
  });
});

/** A team of 12 pre-sales agents: every agent has data on `fullDays`; only 3 of them on `partialDay`. */
async function team(
  policy: { timezone?: string; schedule: { dailyAt: string } },
  fullDays: Day[],
  partialDay: Day,
): Promise<Database> {
  const db = await freshDatabase();
  await db.prisma.member.createMany({
    data: Array.from({ length: 12 }, (_, i) => ({
      slackId: `UA${String(i).padStart(2, '0')}`,
      name: `Agent ${i}`,
      track: 'presales' as const,
      level: 'regular' as const,
      role: 'agent' as const,
      hiredOn: fromDay('2025-01-01'),
    })),
  });
  const ids = (await db.prisma.member.findMany({ orderBy: { id: 'asc' } })).map((m) => m.id);
  const row = (memberId: number, day: Day, i: number) => ({
    memberId,
    day: fromDay(day),
    inquiries: 100,
    paidCustomers: 20 + i,
    receptions: 100,
    gmvFen: 1_000_000n,
    refundCustomers: 1,
    serviceScore: 90,
  });
  await db.prisma.dailyMetric.createMany({
    data: [
      ...fullDays.flatMap((d) => ids.map((id, i) => row(id, d, i))),
      ...ids.slice(0, 3).map((id, i) => row(id, partialDay, i)),
    ],
  });
  await setPolicy(
    { db: db.prisma, clock: new MovableClock(new Date('2026-01-01T00:00:00Z')) },
    { ...policy, schedule: { ...policy.schedule, channel: 'C0TEAM01' } },
    { from: '2026-01-01', by: 'cli' },
  );
  return db;
}

const quiet = { ticking: false, sendEveryMs: HOUR, catchUpEveryMs: HOUR };
const runs = (db: Database) =>
  db.prisma.jobRun.findMany({
    where: { job: 'daily' },
    select: { period: true, late: true, startedAt: true },
    orderBy: { id: 'asc' },
  });
type Queued = { blocks: KnownBlock[] };
const post = async (db: Database, day: Day) =>
  textOf(
    // the JSON column holds the message as it was queued
    ((await db.prisma.outbox.findUniqueOrThrow({ where: { key: `daily:${day}:post` } })).payload as unknown as Queued)
      .blocks,
  );

describe('a daily post at 02:30 in Shanghai', () => {
  let db: Database;
  const clock = new MovableClock(new Date('2026-11-10T02:29:00+08:00'));
  beforeAll(async () => {
    db = await team({ schedule: { dailyAt: '02:30' } }, ['2026-11-09'], '2026-11-10');
  });
  afterAll(() => db.close());

  it('covers yesterday, the day that has ended, with everyone in it', async () => {
    const tally: Tally = { db: db.prisma, clock };
    const scheduler: Scheduler = await startScheduler(
      { tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) },
      quiet,
    );
    try {
      await scheduler.tick();
      expect(await runs(db)).toEqual([]);
      clock.set('2026-11-10T02:30:00+08:00');
      await scheduler.tick();
      expect(await runs(db)).toEqual([
        { period: '2026-11-09', late: false, startedAt: new Date('2026-11-10T02:30:00+08:00') },
      ]);
      const text = await post(db, '2026-11-09');
      expect(text).toMatch(/2026-11-09 每日排名[\s\S]*售前前三[\s\S]*🥇 Agent 11/);
      expect(text).not.toMatch(/没有数据/);
      // by hand the same day: `jobs run daily` is that run, done already
      clock.set('2026-11-10T10:00:00+08:00');
      expect(await runJob(tally, 'daily', undefined, { owner: 'cli' })).toMatchObject({
        period: '2026-11-09',
        status: 'skipped',
      });
      await expect(runJob(tally, 'daily', '2026-11-10', { owner: 'cli' })).rejects.toMatchObject({
        code: 'too_early',
        params: { day: '2026-11-10', due: '2026-11-11 02:30', now: '10:00' },
      });
    } finally {
      await scheduler.stop();
    }
  });
});

describe('a daily post at 02:30 in New York on the spring-forward day', () => {
  let db: Database;
  // 2027-03-14 01:59 EST; the next minute is 03:00 EDT
  const clock = new MovableClock(new Date('2027-03-14T06:59:00Z'));
  beforeAll(async () => {
    db = await team({ timezone: 'America/New_York', schedule: { dailyAt: '02:30' } }, ['2027-03-13'], '2027-03-14');
  });
  afterAll(() => db.close());

  it('runs at 03:00, the first minute after the skipped 02:30, and posts the complete day before', async () => {
    const tally: Tally = { db: db.prisma, clock };
    const scheduler = await startScheduler({ tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) }, quiet);
    try {
      await scheduler.tick();
      expect(await runs(db)).toEqual([]);
      clock.set('2027-03-14T07:00:00Z');
      await scheduler.tick();
      expect(await runs(db)).toEqual([
        { period: '2027-03-13', late: false, startedAt: new Date('2027-03-14T07:00:00Z') },
      ]);
      const text = await post(db, '2027-03-13');
      expect(text).toMatch(/2027-03-13 每日排名/);
      expect(text).not.toMatch(/没有数据/);
    } finally {
      await scheduler.stop();
    }
    // later that day rows of the 14th arrive (3 of 12): no catch-up posts a day still going on
    clock.set('2027-03-14T16:00:00Z');
    expect(await catchUp({ tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) })).toEqual([]);
    expect((await runs(db)).map((r) => r.period)).toEqual(['2027-03-13']);
  });
});

describe('a catch-up after an evening post was missed', () => {
  let db: Database;
  const day = '2026-11-12';
  const clock = new MovableClock(new Date(`${day}T22:00:00+08:00`));
  beforeAll(async () => {
    db = await team({ schedule: { dailyAt: '21:00' } }, [addDays(day, -1)], day);
  });
  afterAll(() => db.close());

  it('waits until the day has ended, then posts it once, marked late', async () => {
    const tally: Tally = { db: db.prisma, clock };
    // Tally was down at 21:00 and comes back at 22:00, when 3 of the 12 agents have data for the day
    const scheduler = await startScheduler({ tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) }, quiet);
    await scheduler.stop();
    expect((await runs(db)).filter((r) => r.period === day)).toEqual([]);
    // the rest of the day's rows arrive before midnight
    const late = (await db.prisma.member.findMany({ orderBy: { id: 'asc' } })).slice(3);
    await db.prisma.dailyMetric.createMany({
      data: late.map((m) => ({
        memberId: m.id,
        day: fromDay(day),
        inquiries: 100,
        paidCustomers: 10,
        receptions: 100,
        gmvFen: 1_000_000n,
        refundCustomers: 1,
        serviceScore: 90,
      })),
    });
    clock.set(`${addDays(day, 1)}T00:05:00+08:00`);
    expect(await catchUp({ tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) })).toEqual([
      `daily ${day}`,
    ]);
    expect((await runs(db)).find((r) => r.period === day)).toMatchObject({ late: true });
    expect(await post(db, day)).not.toMatch(/没有数据/);
    expect(await catchUp({ tally, log, client: jobsClient('xoxb-test', `${fake.url}/api/`) })).toEqual([]);
  });
});

describe('with TALLY_NOW fixed, waiting is measured on the real clock', () => {
  let db: Database;
  // the business clock stands still (TALLY_NOW); the test moves the real one instead of sleeping
  const real = new MovableClock(new Date('2026-12-07T12:00:00Z'));
  let tally: Tally;
  beforeAll(async () => {
    db = await team({ schedule: { dailyAt: '21:00' } }, ['2026-11-11'], '2026-11-12');
    tally = { db: db.prisma, clock: fixedClock('2026-11-12T22:00:00+08:00'), realClock: real };
  });
  afterAll(() => db.close());

  it('takes over a run whose process died, once its lease has run out', async () => {
    // a process took the evening run and died before finishing it
    expect(await claimRun(tally, 'daily', '2026-11-11', { owner: 'gone' })).not.toBeNull();
    expect(await runJob(tally, 'daily', '2026-11-11', { owner: 'B' })).toMatchObject({
      status: 'skipped',
      reason: 'it has run already, or is running in another process',
    });
    real.advance(LEASE_MS - 1_000);
    expect((await runJob(tally, 'daily', '2026-11-11', { owner: 'B' })).status).toBe('skipped');
    real.advance(2_000);
    expect(await runJob(tally, 'daily', '2026-11-11', { owner: 'B' })).toMatchObject({ status: 'done', enqueued: 1 });
    expect(await db.prisma.jobRun.findFirst({ where: { period: '2026-11-11' } })).toMatchObject({
      status: 'done',
      owner: 'B',
      attempts: 2,
    });
  });

  it('sends a message again once Retry-After has passed, and one a dead sender had claimed', async () => {
    const client = jobsClient('xoxb-test', `${fake.url}/api/`);
    const drain = () => drainOutbox(tally, client, { log, paceMs: 0 });
    fake.rateLimits.set('chat.postMessage', { remaining: 1, retryAfter: 30 });
    expect(await drain()).toMatchObject({ sent: 0, retrying: 1 });
    real.advance(29_000);
    expect((await drain()).sent).toBe(0);
    real.advance(2_000);
    expect((await drain()).sent).toBe(1);
    expect(await db.prisma.outbox.findUniqueOrThrow({ where: { key: 'daily:2026-11-11:post' } })).toMatchObject({
      status: 'sent',
    });
    // a sender claims the next message and dies before sending it: it is reserved for a minute, then sent
    await runJob(tally, 'daily', '2026-11-12', { owner: 'B' });
    expect(await claimNext(tally)).toMatchObject({ key: 'daily:2026-11-12:post' });
    expect((await drain()).sent).toBe(0);
    real.advance(61_000);
    expect((await drain()).sent).toBe(1);
  });

  it('reminds the admins of a missing scope once a day of real time', async () => {
    await db.prisma.member.create({
      data: {
        slackId: 'UAD',
        name: 'Admin',
        track: 'presales',
        level: 'supervisor',
        role: 'admin',
        hiredOn: fromDay('2025-01-01'),
      },
    });
    const alerts = () => db.prisma.outbox.count({ where: { key: { startsWith: 'alert:scope:files:write:' } } });
    await alertMissingScope(tally, 'files:write');
    await alertMissingScope(tally, 'files:write');
    expect(await alerts()).toBe(1);
    real.advance(24 * HOUR);
    await alertMissingScope(tally, 'files:write');
    expect(await alerts()).toBe(2);
  });
});
