// Month results across months: the streak look-back, rotation flags and policy versions live in the
// service (it loads earlier months), so they are tested here on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, lastDay, type Month } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { recordPenalty } from '../../src/service/penalties.js';
import { setPolicy } from '../../src/service/policy.js';
import { setActive } from '../../src/service/roster.js';
import { monthResults, payroll } from '../../src/service/scores.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const ids: Record<string, number> = {};

/** One presales day where conversion is the agent's whole story: paid of 100 inquiries. */
async function day(slackId: string, d: string, paid: number) {
  await db.prisma.dailyMetric.create({
    data: {
      memberId: ids[slackId]!,
      day: fromDay(d),
      inquiries: 100,
      paidCustomers: paid,
      receptions: 100,
      gmvFen: BigInt(paid * 10_000),
      refundCustomers: 0,
      serviceScore: 90,
    },
  });
}

/** A month where A converts best, C worst, B in between (the whole month, every day). */
async function month(m: Month, paid: Record<string, number>) {
  for (let d = `${m}-01`; d <= lastDay(m); d = addDays(d, 1))
    for (const [who, p] of Object.entries(paid)) await day(who, d, p);
}

beforeAll(async () => {
  db = await freshDatabase();
  const people: Array<[string, 'regular' | 'trainee' | 'lead', string, 'agent' | 'lead']> = [
    ['UA', 'regular', '2025-01-01', 'agent'],
    ['UB', 'regular', '2025-01-01', 'agent'],
    ['UC', 'regular', '2025-01-01', 'agent'],
    ['UT', 'trainee', '2026-06-01', 'agent'],
    ['UL', 'lead', '2024-01-01', 'lead'],
  ];
  for (const [slackId, level, hired, role] of people) {
    ids[slackId] = (
      await db.prisma.member.create({
        data: { slackId, name: slackId, track: 'presales', level, role, hiredOn: fromDay(hired) },
      })
    ).id;
  }
  await month('2026-07', { UA: 40, UB: 20, UC: 30, UT: 10 }); // A first; B last
  await month('2026-08', { UA: 40, UB: 30, UC: 20, UT: 10 }); // A first; C last
  await month('2026-09', { UA: 40, UB: 30, UC: 20, UT: 50 }); // A first (trainee T ineligible); C last again
});
afterAll(() => db.close());

describe('monthly results', () => {
  it('counts a first-place streak back through earlier months and pays its tier', async () => {
    const t = tallyOn(db, '2026-10-05T10:00:00+08:00');
    const jul = await monthResults(t, '2026-07');
    const sep = await monthResults(t, '2026-09');
    const a = (r: typeof sep, who: string) => r.tracks.presales.find((s) => s.member.slackId === who)!.award;
    expect(a(jul, 'UA')).toMatchObject({ awardRank: 1, streak: 1, awardFen: 10_000 });
    expect(
      (await monthResults(t, '2026-08')).tracks.presales.find((s) => s.member.slackId === 'UA')!.award,
    ).toMatchObject({ streak: 2, awardFen: 20_000 });
    // the trainee scores highest in September but award ranks count eligible agents only
    expect(sep.tracks.presales[0]!.member.slackId).toBe('UT');
    expect(a(sep, 'UT')).toMatchObject({ awardRank: null, awardFen: 0 });
    expect(a(sep, 'UA')).toMatchObject({ awardRank: 1, streak: 3, awardFen: 30_000 });
    expect(a(sep, 'UB')).toMatchObject({ awardRank: 2, awardFen: 5_000 });
  });

  it('flags last place two months running for warehouse rotation, not one', async () => {
    const t = tallyOn(db, '2026-10-05T10:00:00+08:00');
    const flag = async (m: Month, who: string) =>
      (await monthResults(t, m)).tracks.presales.find((s) => s.member.slackId === who)!.award;
    expect(await flag('2026-07', 'UB')).toMatchObject({ lastPlace: true, rotationFlag: false });
    expect(await flag('2026-08', 'UC')).toMatchObject({ lastPlace: true, rotationFlag: false }); // B recovered
    expect(await flag('2026-09', 'UC')).toMatchObject({ lastPlace: true, rotationFlag: true });
    const pay = await payroll(t, '2026-09');
    expect(pay.rows.find((r) => r.member.slackId === 'UC')).toMatchObject({
      standing: { award: { rotationFlag: true } },
    });
  });

  it('scores a month with the policy in force at its start; a later version does not rewrite it', async () => {
    const t = tallyOn(db, '2026-09-10T10:00:00+08:00');
    const before = await payroll(t, '2026-09');
    await setPolicy(
      t,
      { pay: { mealAllowanceFen: 50_000 }, kpis: { presales: { service: { weight: 5 }, conversion: { weight: 60 } } } },
      { from: '2026-09-15', by: 'cli' },
    );
    const after = await payroll(t, '2026-09');
    expect(after.rows.map((r) => r.payslip)).toEqual(before.rows.map((r) => r.payslip));
    await setPolicy(t, { pay: { mealAllowanceFen: 50_000 } }, { from: '2026-10-01', by: 'cli' });
    const oct = await payroll(tallyOn(db, '2026-10-05T10:00:00+08:00'), '2026-10');
    expect(oct.rows.every((r) => r.payslip.mealFen === 50_000)).toBe(true);
    // a member with no metrics in the month still gets base + meal
    expect(oct.rows.find((r) => r.member.slackId === 'UA')!.payslip).toMatchObject({
      baseFen: 250_000,
      performanceFen: 0,
      totalFen: 300_000,
    });
  });
});

describe('team time zone', () => {
  it("keeps someone deactivated early on the 1st (team time) on that month's payroll", async () => {
    // 20:00 UTC on 31 October is 04:00 on 1 November in Shanghai: they worked into November
    await setActive(tallyOn(db, '2026-10-31T20:00:00Z'), 'UB', false, 'cli');
    const t = tallyOn(db, '2026-12-05T10:00:00+08:00');
    expect((await payroll(t, '2026-11')).rows.map((r) => r.member.slackId)).toContain('UB');
    expect((await payroll(t, '2026-12')).rows.map((r) => r.member.slackId)).not.toContain('UB');
  });

  it("dates a penalty by the team's day, not the server's", async () => {
    // 17:30 UTC on 31 October is 01:30 on 1 November in Shanghai
    const t = tallyOn(db, '2026-10-31T17:30:00Z');
    const r = await recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'buck_passing' });
    expect(r.penalty.occurredOn).toBe('2026-11-01');
    expect(r.month).toBe('2026-11');
    await setPolicy(
      t,
      { timezone: 'America/Los_Angeles' },
      { from: '2026-10-01', by: 'cli', backdate: true, replace: true },
    );
    // the same instant is still 31 October in Los Angeles: a penalty "today" cannot be dated 1 November
    await expect(
      recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'buck_passing', on: '2026-11-01' }),
    ).rejects.toMatchObject({ code: 'future_date', params: { value: '2026-11-01', today: '2026-10-31' } });
  });
});
