// A reopened month closed again sends corrections only for what changed since it was posted: a
// payslip to whoever's payslip changed, the channel's results when a ranking, score or award there
// changed, the leads' payroll file when any row of it changed. Nothing changed: nothing is sent, and
// the run is done all the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { addDays, type Day } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { closeMonth } from '../../src/service/months.js';
import { setPolicy } from '../../src/service/policy.js';
import { cliOn, type JobRunJson, type MonthCloseJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const CHANNEL = 'C0TEAM01';
const NOW = '2026-11-05T10:00:00+08:00';
let db: Database;
let tally: ReturnType<typeof cliOn>;

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db, { TALLY_NOW: NOW });
  const people: Array<[string, 'regular' | 'lead' | 'supervisor', 'agent' | 'lead' | 'admin']> = [
    ['UA', 'regular', 'agent'],
    ['UB', 'regular', 'agent'],
    ['UC', 'regular', 'agent'],
    ['UD', 'regular', 'agent'],
    ['UL', 'lead', 'lead'],
    ['UAD', 'supervisor', 'admin'],
  ];
  for (const [slackId, level, role] of people)
    await db.prisma.member.create({
      data: { slackId, name: `Name ${slackId}`, track: 'presales', level, role, hiredOn: fromDay('2025-01-01') },
    });
  const ids = new Map((await db.prisma.member.findMany()).map((m) => [m.slackId, m.id]));
  // A converts a little better than B every day of October (less than a buck passing's 2 points); C and D well behind
  const paid = new Map([
    ['UA', 26],
    ['UB', 25],
    ['UC', 22],
    ['UD', 20],
  ]);
  const rows = [];
  for (let d: Day = '2026-10-01'; d <= '2026-10-31'; d = addDays(d, 1))
    for (const [who, n] of paid)
      rows.push({
        memberId: ids.get(who)!,
        day: fromDay(d),
        inquiries: 100,
        paidCustomers: n,
        receptions: 100,
        gmvFen: BigInt(n * 10_000),
        refundCustomers: 1,
        serviceScore: 90,
      });
  await db.prisma.dailyMetric.createMany({ data: rows });
  await setPolicy(
    { db: db.prisma, clock: fixedClock(NOW) },
    { schedule: { channel: CHANNEL } },
    { from: '2026-10-01', by: 'cli', backdate: true },
  );
});
afterAll(() => db.close());

/** the outbox keys a run queued, without the run's prefix */
const queued = async (period: string) =>
  (await db.prisma.outbox.findMany({ where: { key: { startsWith: `monthly:${period}:` } }, orderBy: { id: 'asc' } }))
    .map((o) => o.key.slice(`monthly:${period}:`.length))
    .sort();
const ranks = async () =>
  (await tally('rank', '--month', '2026-10', '--json')).json<{ rows: Array<{ slackId: string; rank: number }> }>().rows;
const reopen = async () =>
  expect((await tally('month', 'reopen', '2026-10', '--why', 'a late penalty', '--by', 'UAD')).code).toBe(0);

describe('a reopened month closed again', () => {
  it('is posted in full the first time', async () => {
    const r = await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--json');
    expect(r.json<JobRunJson>()).toMatchObject({ period: '2026-10', status: 'done', correction: false });
    expect(await queued('2026-10')).toEqual([
      'chart:presales',
      'csv:UAD',
      'csv:UL',
      'payslip:UA',
      'payslip:UB',
      'payslip:UC',
      'payslip:UD',
      'post',
      'report:UAD',
      'report:UL',
    ]);
    expect((await ranks()).map((r) => [r.slackId, r.rank])).toEqual([
      ['UA', 1],
      ['UB', 2],
      ['UC', 3],
      ['UD', 4],
    ]);
  });

  it('with nothing changed sends nothing, says so, and the run is done', async () => {
    await reopen();
    const closed = await tally('month', 'close', '2026-10', '--by', 'UAD');
    expect(closed.out).toBe(
      "2026-10 closed again: 6 people's results recomputed and frozen; nothing changed since it was posted, so no correction is sent.",
    );
    expect(await queued('2026-10#2')).toEqual([]);
    expect(await db.prisma.jobRun.findFirst({ where: { period: '2026-10#2' } })).toMatchObject({ status: 'done' });
    // the same through `jobs run`, when the month was closed some other way
    await reopen();
    await closeMonth({ db: db.prisma, clock: fixedClock(NOW) }, { month: '2026-10', by: 'UAD' });
    const run = await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--json');
    expect(run.json<JobRunJson>()).toMatchObject({
      period: '2026-10#3',
      status: 'done',
      correction: true,
      enqueued: 0,
      corrections: 0,
      corrected: { payslips: [], channel: false, payrollFile: false },
    });
    expect(await queued('2026-10#3')).toEqual([]);
  });

  it('after a fine that moves no score: a payslip to that agent only, and the payroll file', async () => {
    await reopen();
    const fine = await tally(
      'penalty',
      'add',
      'UC',
      'broke the headset',
      '--amount',
      '50',
      '--on',
      '2026-10-20',
      '--by',
      'UL',
    );
    expect(fine.code, fine.err).toBe(0);
    const closed = await tally('month', 'close', '2026-10', '--by', 'UAD', '--json');
    expect(closed.json<MonthCloseJson>()).toMatchObject({
      correction: '2026-10#4',
      corrections: 1,
      corrected: { payslips: ['UC'], channel: false, payrollFile: true },
    });
    expect(await queued('2026-10#4')).toEqual(['csv:UAD', 'csv:UL', 'payslip:UC', 'report:UAD', 'report:UL']);
    const slip = await db.prisma.outbox.findUniqueOrThrow({ where: { key: 'monthly:2026-10#4:payslip:UC' } });
    expect(JSON.stringify(slip.payload)).toMatch(/更正[\s\S]*罚款\\n\*-¥50\.00\*/);
  });

  it('after a penalty that swaps the first two: both of them, the channel and the payroll file', async () => {
    await reopen();
    const penalty = await tally('penalty', 'add', 'UA', 'buck_passing', '--on', '2026-10-21', '--by', 'UL');
    expect(penalty.code, penalty.err).toBe(0);
    const closed = await tally('month', 'close', '2026-10', '--by', 'UAD');
    expect(closed.out).toBe(
      "2026-10 closed again: 6 people's results recomputed and frozen; a correction (8 messages) is queued: 2 corrected payslips (UB, UA), the channel's results, the payroll file.",
    );
    expect((await ranks()).map((r) => [r.slackId, r.rank])).toEqual([
      ['UB', 1],
      ['UA', 2],
      ['UC', 3],
      ['UD', 4],
    ]);
    expect(await queued('2026-10#5')).toEqual([
      'chart:presales',
      'csv:UAD',
      'csv:UL',
      'payslip:UA',
      'payslip:UB',
      'post',
      'report:UAD',
      'report:UL',
    ]);
  });

  it('after a penalty that moves a score but no rank: that agent, the channel (it shows scores) and the payroll file', async () => {
    await reopen();
    expect((await tally('penalty', 'add', 'UD', 'buck_passing', '--on', '2026-10-22', '--by', 'UL')).code).toBe(0);
    const closed = await tally('month', 'close', '2026-10', '--by', 'UAD', '--json');
    expect(closed.json<MonthCloseJson>()).toMatchObject({
      correction: '2026-10#6',
      corrections: 1,
      corrected: { payslips: ['UD'], channel: true, payrollFile: true },
    });
    expect((await ranks()).map((r) => r.slackId)).toEqual(['UB', 'UA', 'UC', 'UD']);
  });

  it('after a run from before Tally kept what it posted: everything again, as before', async () => {
    const last = await db.prisma.jobRun.findUniqueOrThrow({
      where: { job_period: { job: 'monthly', period: '2026-10#6' } },
    });
    await db.prisma.jobRun.update({ where: { id: last.id }, data: { progress: { items: 6, channel: CHANNEL } } });
    await reopen();
    const closed = await tally('month', 'close', '2026-10', '--by', 'UAD', '--json');
    expect(closed.json<MonthCloseJson>()).toMatchObject({
      correction: '2026-10#7',
      corrections: 4,
      corrected: { payslips: ['UB', 'UA', 'UC', 'UD'], channel: true, payrollFile: true },
    });
    // and it keeps what it posted: the next re-close with nothing changed sends nothing
    await reopen();
    const again = await tally('month', 'close', '2026-10', '--by', 'UAD', '--json');
    expect(again.json<MonthCloseJson>()).toMatchObject({ correction: '2026-10#8', enqueued: 0, corrections: 0 });
  });
});
