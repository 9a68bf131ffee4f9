// Scheduled jobs end to end: real Web API client, fake Slack, a clock the test moves. Every message
// must arrive exactly once, whatever happens in between.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { addDays, type Day } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { jobsClient } from '../../src/jobs/client.js';
import { drainOutbox } from '../../src/jobs/outbox.js';
import { runJob } from '../../src/jobs/run.js';
import { catchUp } from '../../src/jobs/scheduler.js';
import { neverClosedMonths } from '../../src/service/jobs.js';
import { closeMonth, reopenMonth } from '../../src/service/months.js';
import { recordPenalty } from '../../src/service/penalties.js';
import { payroll } from '../../src/service/scores.js';
import { setPolicy } from '../../src/service/policy.js';
import type { Tally } from '../../src/service/context.js';
import { databaseKind, freshDatabaseUrl } from '../support/db.js';
import { FakeSlack, textOf } from '../support/slack.js';

const CHANNEL = 'C0TEAM01';
const log = pino({ level: 'silent' });
let url: string;
let db: Database;
const fake = new FakeSlack();

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
const clock = new MovableClock(new Date('2026-08-01T10:00:00+08:00'));
// the test moves one clock for both: what day it is, and how long a retry waits
const t = (): Tally => ({ db: db.prisma, clock, realClock: clock });
const client = () => jobsClient('xoxb-test', `${fake.url}/api/`);
const drain = (limit?: number) => drainOutbox(t(), client(), { log, paceMs: 0, limit });
const posts = () => fake.calls.filter((c) => c.method === 'chat.postMessage');

beforeAll(async () => {
  url = await freshDatabaseUrl();
  db = await openDatabase(url);
  await fake.start();
  const people: Array<
    [string, 'regular' | 'trainee' | 'lead' | 'supervisor', 'agent' | 'lead' | 'supervisor' | 'admin']
  > = [
    ['UA', 'regular', 'agent'],
    ['UB', 'regular', 'agent'],
    ['UC', 'regular', 'agent'],
    ['UT', 'trainee', 'agent'],
    ['UL', 'lead', 'lead'],
    ['US', 'supervisor', 'supervisor'],
    ['UAD', 'supervisor', 'admin'],
  ];
  for (const [slackId, level, role] of people)
    await db.prisma.member.create({
      data: { slackId, name: `Name ${slackId}`, track: 'presales', level, role, hiredOn: fromDay('2025-01-01') },
    });
  const ids = Object.fromEntries((await db.prisma.member.findMany()).map((m) => [m.slackId, m.id]));
  // A converts best every day from August on: first three months running by October; C is last
  const rows = [];
  for (let d: Day = '2026-08-01'; d <= '2027-01-05'; d = addDays(d, 1)) {
    for (const [who, paid] of [
      ['UA', 40],
      ['UB', 30],
      ['UC', 20],
      ['UT', 35],
    ] as const) {
      rows.push({
        memberId: ids[who]!,
        day: fromDay(d),
        inquiries: 100,
        paidCustomers: paid,
        receptions: 100,
        gmvFen: BigInt(paid * 10_000),
        refundCustomers: 1,
        serviceScore: 90,
      });
    }
  }
  await db.prisma.dailyMetric.createMany({ data: rows });
  await setPolicy(t(), { schedule: { channel: CHANNEL } }, { from: '2026-08-01', by: 'cli' });
});
afterAll(async () => {
  await fake.stop();
  await db.close();
});

describe('daily', () => {
  it('posts each evening of a month once, however often the job runs', async () => {
    for (let d: Day = '2026-10-01'; d <= '2026-10-31'; d = addDays(d, 1)) {
      clock.set(`${d}T21:00:00+08:00`);
      expect((await runJob(t(), 'daily', undefined, { owner: 'A' })).status).toBe('done');
      expect((await runJob(t(), 'daily', undefined, { owner: 'B' })).status).toBe('skipped');
    }
    const before = posts().length;
    // 31 evening posts, and once (the first evening) trainee UT's confirm prompt to the lead and the supervisor
    expect((await drain()).sent).toBe(33);
    const prompts = posts()
      .slice(before)
      .filter((c) => c.body.channel !== CHANNEL);
    expect(prompts.map((c) => c.body.channel).sort()).toEqual(['UL', 'US']);
    expect(textOf(prompts[0]!.body.blocks)).toMatch(/<@UT> 的试用期已于 2025-02-01 结束/);
    const sent = posts()
      .slice(before)
      .filter((c) => c.body.channel === CHANNEL);
    expect(sent).toHaveLength(31);
    expect(new Set(sent.map((c) => c.body.text)).size).toBe(31);
    expect(sent.every((c) => c.body.channel === CHANNEL)).toBe(true);
    expect(textOf(sent[0]!.body.blocks)).toMatch(/2026-10-01 每日排名[\s\S]*售前前三[\s\S]*🥇 Name UA/);
    expect((await drain()).sent).toBe(0);
  });
});

describe('monthly', () => {
  it('closes the month, posts results with a 3-month streak and a chart, DMs payslips and the payroll', async () => {
    clock.set('2026-11-01T09:00:00+08:00');
    const r = await runJob(t(), 'monthly', undefined, { owner: 'A' });
    expect(r).toMatchObject({ period: '2026-10', status: 'done', correction: false });
    expect(await db.prisma.monthClose.findUnique({ where: { month: '2026-10' } })).toMatchObject({ reopenedAt: null });
    const at = fake.calls.length;
    // a restart in the middle of the DMs: this process sends 4 and dies
    expect((await drain(4)).sent).toBe(4);
    // the next one finishes; nothing is sent twice
    await drain();
    const calls = fake.calls.slice(at);
    const post = calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL)!;
    expect(textOf(post.body.blocks)).toMatch(
      /2026-10 月度结果[\s\S]*<@UA>：连续 3 个月第一，¥300\.00[\s\S]*<@UB>：第 2 名，¥50\.00/,
    );
    expect(calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(1 + 3); // the chart, and a CSV for each of 3 staff
    expect(calls.filter((c) => c.method === 'upload').every((c) => c.body.bytes! > 100)).toBe(true);
    const dms = calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel !== CHANNEL);
    expect(dms.map((c) => c.body.channel).sort()).toEqual(['UA', 'UAD', 'UB', 'UC', 'UL', 'US', 'UT']);
    expect(textOf(dms.find((c) => c.body.channel === 'UA')!.body.blocks)).toMatch(
      /你的 2026-10 工资条[\s\S]*排名奖\n\*¥300\.00\*/,
    );
    expect(textOf(dms.find((c) => c.body.channel === 'UL')!.body.blocks)).toMatch(/2026-10 工资表[\s\S]*共 7 人/);
    const rows = await db.prisma.outbox.findMany({ where: { key: { startsWith: 'monthly:2026-10:' } } });
    expect(rows.every((o) => o.status === 'sent' && o.attempts === 1)).toBe(true);
  });

  it('flags last place two months running for rotation, to the leads', async () => {
    const report = fake.calls.find(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'US' && /工资表/.test(c.body.text ?? ''),
    )!;
    expect(textOf(report.body.blocks)).toMatch(/<@UC>：连续两个月最后一名，调仓库学习一个月/);
  });

  it('leaves a reopened month alone, and posts a correction once it is closed again', async () => {
    clock.set('2026-11-03T10:00:00+08:00');
    expect((await runJob(t(), 'monthly', '2026-10', { owner: 'A' })).status).toBe('skipped');
    await reopenMonth(t(), { month: '2026-10', by: 'UAD', why: 'a late store deduction' });
    // a restart (catch-up) or a manual run while the admin is fixing it must not close it again
    expect(await runJob(t(), 'monthly', '2026-10', { owner: 'A' })).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/reopened/),
    });
    expect(await db.prisma.monthClose.findUnique({ where: { month: '2026-10' } })).toMatchObject({ reopenedBy: 'UAD' });
    // nor does the freezing of finished months: the admin closes it again
    expect(await neverClosedMonths(t(), '2026-10')).not.toContain('2026-10');
    expect((await payroll(t(), '2026-10')).closed).toBe(false);
    // the late store deduction: 10 points off C's score (the channel shows it) and ¥500 off their pay
    await recordPenalty(t(), { slackId: 'UC', by: 'UL', text: 'store_deduction', on: '2026-10-28' });
    await closeMonth(t(), { month: '2026-10', by: 'UAD' });
    const r = await runJob(t(), 'monthly', '2026-10', { owner: 'A' });
    expect(r).toMatchObject({
      period: '2026-10#2',
      status: 'done',
      correction: true,
      corrected: { payslips: ['UC'], channel: true, payrollFile: true },
    });
    const at = fake.calls.length;
    await drain();
    const post = fake.calls.slice(at).find((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL)!;
    expect(post.body.text).toBe('更正：2026-10 月度结果已重新计算');
    expect((await runJob(t(), 'monthly', '2026-10', { owner: 'A' })).status).toBe('skipped');
  });
});

describe('downtime, replicas and Slack trouble', () => {
  it('refuses periods a run cannot be for yet', async () => {
    clock.set('2026-12-01T12:00:00+08:00');
    await expect(runJob(t(), 'daily', '2026-12-02', { owner: 'A' })).rejects.toMatchObject({
      code: 'future_date',
      params: { value: '2026-12-02', today: '2026-12-01' },
    });
    await expect(runJob(t(), 'daily', '2026-12-01', { owner: 'A' })).rejects.toMatchObject({
      code: 'too_early',
      params: { due: '21:00', now: '12:00' },
    });
    await expect(runJob(t(), 'monthly', '2026-12', { owner: 'A' })).rejects.toMatchObject({
      code: 'month_not_over',
      params: { month: '2026-12' },
    });
    expect(await db.prisma.jobRun.count({ where: { period: { in: ['2026-12-02', '2026-12-01', '2026-12'] } } })).toBe(
      0,
    );
  });

  it('catches up once on a run missed while down, marked late', async () => {
    // down over the 1st at 09:00: November's provisional standings, late; November stays open until the 3rd
    clock.set('2026-12-01T12:00:00+08:00');
    const open = await db.prisma.monthClose.findMany({ select: { month: true } });
    const ran = await catchUp({ tally: t(), log, client: client() });
    expect(ran.slice(0, 2)).toEqual(['provisional 2026-11', 'daily 2026-11-30']);
    expect(await db.prisma.jobRun.findFirst({ where: { job: 'provisional', period: '2026-11' } })).toMatchObject({
      late: true,
      status: 'done',
    });
    expect((await payroll(t(), '2026-11')).closed).toBe(false);
    // the older months with data that no run closed are frozen too, and nothing is posted for them
    const frozen = ran.slice(2);
    expect(frozen.length).toBeGreaterThan(0);
    for (const entry of frozen) {
      const month = entry.replace('close ', '');
      expect(month < '2026-11' && !open.some((c) => c.month === month)).toBe(true);
      expect((await payroll(t(), month)).closed).toBe(true);
      expect(await db.prisma.outbox.count({ where: { key: { startsWith: `monthly:${month}:` } } })).toBe(0);
    }
    expect(await catchUp({ tally: t(), log, client: client() })).toEqual([]);
    // down again over the close day (the 3rd at 09:00): November closes, late, and its results go out once
    clock.set('2026-12-04T10:00:00+08:00');
    expect(await catchUp({ tally: t(), log, client: client() })).toEqual(['monthly 2026-11', 'daily 2026-12-03']);
    expect(await db.prisma.jobRun.findFirst({ where: { job: 'monthly', period: '2026-11' } })).toMatchObject({
      late: true,
      status: 'done',
    });
    expect((await payroll(t(), '2026-11')).closed).toBe(true);
    expect(await catchUp({ tally: t(), log, client: client() })).toEqual([]);
    await drain();
  });

  it('runs once and sends once with two schedulers on one database', async () => {
    // PostgreSQL: two replicas with their own connections. PGlite holds its directory alone: two schedulers in one process.
    const other = databaseKind() === 'postgres' ? await openDatabase(url) : db;
    try {
      clock.set('2027-01-03T10:00:00+08:00');
      const b: Tally = { db: other.prisma, clock, realClock: clock };
      const [ra, rb] = await Promise.all([
        catchUp({ tally: t(), log, client: client() }, 'replica-a'),
        catchUp({ tally: b, log, client: client() }, 'replica-b'),
      ]);
      // December closes on the 3rd: its close, not its provisional standings, and the day before's post
      expect([...ra, ...rb].sort()).toEqual(['daily 2027-01-02', 'monthly 2026-12']);
      const at = posts().length;
      const [sa, sb] = await Promise.all([drain(), drainOutbox(b, client(), { log, paceMs: 0 })]);
      const keys = await db.prisma.outbox.count({
        where: { OR: [{ key: { startsWith: 'monthly:2026-12:' } }, { key: { startsWith: 'daily:2027-01-02:' } }] },
      });
      expect(sa.sent + sb.sent).toBe(keys);
      const sent = posts().slice(at);
      expect(new Set(sent.map((c) => `${c.body.channel} ${c.body.text}`)).size).toBe(sent.length);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('rides out a 429 storm: waits as told, loses nothing, sends nothing twice', async () => {
    clock.set('2026-12-05T21:00:00+08:00');
    await runJob(t(), 'daily', undefined, { owner: 'A' });
    fake.rateLimits.set('chat.postMessage', { remaining: 6, retryAfter: 2 });
    let rounds = 0;
    while ((await db.prisma.outbox.count({ where: { status: 'pending' } })) > 0 && rounds++ < 20) {
      await drain();
      clock.advance(2_000);
    }
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage:429')).toHaveLength(6);
    const row = await db.prisma.outbox.findUniqueOrThrow({ where: { key: 'daily:2026-12-05:post' } });
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(posts().filter((c) => c.body.text === '2026-12-05 每日排名')).toHaveLength(1);
  });

  it('reports a message that cannot be delivered to the admins, and the rest goes on', async () => {
    clock.set('2026-12-06T21:00:00+08:00');
    fake.brokenChannels.set(CHANNEL, 'channel_not_found');
    await runJob(t(), 'daily', undefined, { owner: 'A' });
    await drain();
    await drain();
    expect(await db.prisma.outbox.findUniqueOrThrow({ where: { key: 'daily:2026-12-06:post' } })).toMatchObject({
      status: 'failed',
      lastError: 'channel_not_found',
    });
    const alert = posts().find((c) => c.body.channel === 'UAD' && /无法送达/.test(c.body.text ?? ''));
    expect(alert?.body.text).toMatch(/有 1 条消息无法送达[\s\S]*tally jobs retry[\s\S]*<#C0TEAM01>: channel_not_found/);
    fake.brokenChannels.clear();
  });

  it('records a run that failed half way, and the next start finishes it', async () => {
    clock.set('2026-12-07T21:00:00+08:00');
    const flaky: Tally = {
      db: new Proxy(db.prisma, {
        get: (target, key) =>
          key === '$transaction' ? () => Promise.reject(new Error('connection lost')) : Reflect.get(target, key),
      }) as typeof db.prisma,
      clock,
      realClock: clock,
    };
    await expect(runJob(flaky, 'daily', undefined, { owner: 'A' })).rejects.toThrow('connection lost');
    expect(await db.prisma.jobRun.findFirst({ where: { job: 'daily', period: '2026-12-07' } })).toMatchObject({
      status: 'failed',
      error: 'connection lost',
    });
    expect(await db.prisma.outbox.count({ where: { key: { startsWith: 'daily:2026-12-07' } } })).toBe(0);
    expect(await runJob(t(), 'daily', undefined, { owner: 'B' })).toMatchObject({ status: 'done', enqueued: 1 });
  });
});
