// The streak look-back reads earlier months' kept first places (month_award) or snapshots: a change
// dated in an earlier month must reach later months' streaks, across open, closed and reopened months.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays, lastDay, type Month } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { closeMonth, reopenMonth, TERMINAL } from '../../src/service/months.js';
import { recordPenalty, revokePenalty } from '../../src/service/penalties.js';
import { monthResults } from '../../src/service/scores.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const ids: Record<string, number> = {};

async function month(m: Month, paid: Record<string, number>) {
  const data = [];
  for (let d = `${m}-01`; d <= lastDay(m); d = addDays(d, 1))
    for (const [who, p] of Object.entries(paid))
      data.push({
        memberId: ids[who]!,
        day: fromDay(d),
        inquiries: 100,
        paidCustomers: p,
        receptions: 100,
        gmvFen: BigInt(p * 10_000),
        refundCustomers: 0,
        serviceScore: 90,
      });
  await db.prisma.dailyMetric.createMany({ data });
}

beforeAll(async () => {
  db = await freshDatabase();
  for (const [slackId, role] of [
    ['UA', 'agent'],
    ['UB', 'agent'],
    ['UL', 'lead'],
  ] as const) {
    ids[slackId] = (
      await db.prisma.member.create({
        data: { slackId, name: slackId, track: 'presales', level: 'regular', role, hiredOn: fromDay('2025-01-01') },
      })
    ).id;
  }
  // A is first every month, B close behind
  await month('2026-07', { UA: 40, UB: 39 });
  await month('2026-08', { UA: 40, UB: 39 });
  await month('2026-09', { UA: 40, UB: 39 });
});
afterAll(() => db.close());

const streakOf = async (t: ReturnType<typeof tallyOn>, m: Month, who: string) =>
  (await monthResults(t, m)).tracks.presales.find((s) => s.member.slackId === who)!.award.streak;

it('follows a change dated in an earlier month, open, closed, reopened and closed again', async () => {
  const t = tallyOn(db, '2026-10-05T10:00:00+08:00');
  expect(await streakOf(t, '2026-09', 'UA')).toBe(3);
  // a penalty in July drops A to second there: September's streak is August and September only
  const p = await recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'fraud', on: '2026-07-10' });
  expect(await streakOf(t, '2026-09', 'UA')).toBe(2);
  expect(await streakOf(t, '2026-09', 'UB')).toBe(0);
  expect(await streakOf(t, '2026-07', 'UB')).toBe(1);
  await revokePenalty(t, { id: p.penalty.id, by: 'UL', why: 'wrong agent' });
  expect(await streakOf(t, '2026-09', 'UA')).toBe(3);

  // August closed: September reads its snapshot, July's kept places behind it
  await closeMonth(t, { month: '2026-08', by: TERMINAL });
  expect(await streakOf(t, '2026-09', 'UA')).toBe(3);
  await recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'fraud', on: '2026-09-10' });
  expect(await streakOf(t, '2026-09', 'UB')).toBe(1);
  expect(await streakOf(t, '2026-09', 'UA')).toBe(0);

  // reopened (by an admin), August is scored live again; a penalty there changes September; re-closed, the same
  await db.prisma.member.create({
    data: {
      slackId: 'UAD',
      name: 'UAD',
      track: 'presales',
      level: 'supervisor',
      role: 'admin',
      hiredOn: fromDay('2020-01-01'),
    },
  });
  await reopenMonth(t, { month: '2026-08', by: 'UAD', why: 'late penalty' });
  await recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'fraud', on: '2026-08-10' });
  expect(await streakOf(t, '2026-08', 'UB')).toBe(1);
  const live = await monthResults(t, '2026-09');
  await closeMonth(t, { month: '2026-08', by: TERMINAL });
  expect(await streakOf(t, '2026-08', 'UB')).toBe(1);
  const after = await monthResults(t, '2026-09');
  expect(after.tracks.presales.map((s) => [s.member.slackId, s.award])).toEqual(
    live.tracks.presales.map((s) => [s.member.slackId, s.award]),
  );
  // September: B first (A's fraud), and first in August too: a 2-month streak
  expect(await streakOf(t, '2026-09', 'UB')).toBe(2);
});
