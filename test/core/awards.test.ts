import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awardAmount, isEligible, monthlyAwards, type AwardInput } from '../../src/core/awards.js';
import { addMonths, addMonthsToDay, firstDay } from '../../src/core/dates.js';
import { DEFAULT_POLICY, overridePolicy } from '../../src/core/policy.js';

const input = (memberId: number, scoreHundredths: number, extra: Partial<AwardInput> = {}): AwardInput => ({
  memberId,
  scoreHundredths,
  eligible: true,
  priorFirstPlaces: 0,
  priorLastPlaces: 0,
  ...extra,
});

const byId = <T extends { memberId: number }>(list: T[], id: number): T => {
  const x = list.find((m) => m.memberId === id);
  if (!x) throw new Error(`no ${id}`);
  return x;
};

describe('isEligible', () => {
  it('trainees are never eligible, however long they have been here', () => {
    expect(isEligible(DEFAULT_POLICY, { level: 'trainee', hiredOn: '2020-01-01' }, '2026-11')).toBe(false);
  });

  it('hired_on + 3 months exactly on the first day of the month is eligible', () => {
    // 2026-08-01 + 3 months = 2026-11-01 <= 2026-11-01
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-08-01' }, '2026-11')).toBe(true);
  });

  it('one day later is not', () => {
    // 2026-08-02 + 3 months = 2026-11-02 > 2026-11-01
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-08-02' }, '2026-11')).toBe(false);
    // … but is the month after
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-08-02' }, '2026-12')).toBe(true);
  });

  it('one day earlier is', () => {
    // 2026-07-31 + 3 months = 2026-10-31 <= 2026-11-01
    expect(isEligible(DEFAULT_POLICY, { level: 'senior', hiredOn: '2026-07-31' }, '2026-11')).toBe(true);
  });

  it('month-end hires: 2026-08-31 + 3 months = 2026-11-30, eligible from December', () => {
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-08-31' }, '2026-11')).toBe(false);
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-08-31' }, '2026-12')).toBe(true);
  });

  it('is eligible exactly when hiredOn + minTenureMonths (clamped to the month end) is on or before the 1st', () => {
    // the definition, spelled out with the calendar helpers, against the shortcut isEligible takes
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2019-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 2019 * 12, max: 2031 * 12 }),
        fc.nat({ max: 30 }),
        (hired, monthIndex, tenure) => {
          const hiredOn = hired.toISOString().slice(0, 10);
          const month = addMonths('0000-01', monthIndex);
          const policy = overridePolicy(DEFAULT_POLICY, { awards: { minTenureMonths: tenure } });
          const expected = addMonthsToDay(hiredOn, tenure) <= firstDay(month);
          expect(isEligible(policy, { level: 'regular', hiredOn }, month)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('across a year end: hired 2026-10-01 is eligible from 2027-01', () => {
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-10-01' }, '2026-12')).toBe(false);
    expect(isEligible(DEFAULT_POLICY, { level: 'regular', hiredOn: '2026-10-01' }, '2027-01')).toBe(true);
  });

  it('non-trainee levels are eligible; hired during the month itself is not', () => {
    for (const level of ['regular', 'senior', 'lead', 'supervisor'] as const) {
      expect(isEligible(DEFAULT_POLICY, { level, hiredOn: '2025-01-01' }, '2026-11')).toBe(true);
    }
    expect(isEligible(DEFAULT_POLICY, { level: 'senior', hiredOn: '2026-11-01' }, '2026-11')).toBe(false);
  });

  it('follows the policy: minTenureMonths 0 makes anyone hired by the 1st eligible', () => {
    const policy = overridePolicy(DEFAULT_POLICY, { awards: { minTenureMonths: 0 } });
    expect(isEligible(policy, { level: 'regular', hiredOn: '2026-11-01' }, '2026-11')).toBe(true);
    expect(isEligible(policy, { level: 'regular', hiredOn: '2026-11-02' }, '2026-11')).toBe(false);
  });
});

describe('monthlyAwards: award rank among eligible agents only', () => {
  it('an ineligible agent scoring highest does not take rank 1 away', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9500, { eligible: false }), input(2, 8000), input(3, 7000)]);
    expect(byId(awards, 1)).toMatchObject({
      awardRank: null,
      awardFen: 0,
      streak: 0,
      lastPlace: false,
      rotationFlag: false,
    });
    expect(byId(awards, 2)).toMatchObject({ awardRank: 1, awardFen: 10_000, streak: 1 });
    expect(byId(awards, 3)).toMatchObject({ awardRank: 2, awardFen: 5_000, streak: 0 });
  });

  it('rank 3 and below get nothing', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9000), input(2, 8000), input(3, 7000), input(4, 6000)]);
    expect(awards.map((a) => [a.memberId, a.awardRank, a.awardFen])).toEqual([
      [1, 1, 10_000],
      [2, 2, 5_000],
      [3, 3, 0],
      [4, 4, 0],
    ]);
  });

  it('a tie for first: both get ¥100 in full, the next is rank 3 and gets nothing', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 8000), input(2, 8000), input(3, 7000)]);
    expect(byId(awards, 1)).toMatchObject({ awardRank: 1, awardFen: 10_000 });
    expect(byId(awards, 2)).toMatchObject({ awardRank: 1, awardFen: 10_000 });
    expect(byId(awards, 3)).toMatchObject({ awardRank: 3, awardFen: 0 });
  });

  it('a tie for second: both get ¥50 in full', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9000), input(2, 8000), input(3, 8000), input(4, 100)]);
    expect(byId(awards, 2)).toMatchObject({ awardRank: 2, awardFen: 5_000 });
    expect(byId(awards, 3)).toMatchObject({ awardRank: 2, awardFen: 5_000 });
    expect(byId(awards, 4)).toMatchObject({ awardRank: 4, awardFen: 0 });
  });
});

describe('monthlyAwards: first-place streaks', () => {
  // streak = this month + priorFirstPlaces consecutive months before
  it.each([
    [1, 10_000], // ¥100
    [2, 20_000], // ¥200
    [3, 30_000], // ¥300
    [4, 30_000],
    [5, 30_000], // 3–5 months ¥300
    [6, 60_000], // ¥600
    [12, 60_000], // 6–12 months ¥600
    [13, 150_000], // more than 12 months ¥1,500
    [24, 150_000],
  ])('a streak of %d months earns %d fen', (streak, fen) => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9000, { priorFirstPlaces: streak - 1 }), input(2, 8000)]);
    expect(byId(awards, 1)).toMatchObject({ awardRank: 1, streak, awardFen: fen });
  });

  it('a rank-2 agent with past first places gets the rank-2 amount and no streak', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9000), input(2, 8000, { priorFirstPlaces: 5 })]);
    expect(byId(awards, 2)).toMatchObject({ awardRank: 2, streak: 0, awardFen: 5_000 });
  });

  it('tied first places each keep their own streak', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [
      input(1, 9000, { priorFirstPlaces: 2 }),
      input(2, 9000),
      input(3, 1),
    ]);
    expect(byId(awards, 1)).toMatchObject({ awardRank: 1, streak: 3, awardFen: 30_000 });
    expect(byId(awards, 2)).toMatchObject({ awardRank: 1, streak: 1, awardFen: 10_000 });
  });

  it('tiers listed in any order, as a policy file may give them, pay the tier reached', () => {
    const shuffled = overridePolicy(DEFAULT_POLICY, {
      awards: {
        streakFen: [
          { minMonths: 13, fen: 150_000 },
          { minMonths: 2, fen: 20_000 },
          { minMonths: 6, fen: 60_000 },
          { minMonths: 3, fen: 30_000 },
        ],
      },
    });
    for (const streak of [2, 3, 5, 6, 12, 13, 30])
      expect(awardAmount(shuffled, 1, streak)).toBe(awardAmount(DEFAULT_POLICY, 1, streak));
    expect(awardAmount(shuffled, 1, 5)).toBe(30_000);
  });

  it('awardAmount: no award rank is 0', () => {
    expect(awardAmount(DEFAULT_POLICY, null, 0)).toBe(0);
    expect(awardAmount(DEFAULT_POLICY, 1, 1)).toBe(10_000);
    expect(awardAmount(DEFAULT_POLICY, 2, 0)).toBe(5_000);
    expect(awardAmount(DEFAULT_POLICY, 1, 7)).toBe(60_000);
  });
});

describe('monthlyAwards: last place and warehouse rotation', () => {
  it('last place this month only: flagged last, not rotated', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9000), input(2, 8000), input(3, 7000)]);
    expect(byId(awards, 3)).toMatchObject({ lastPlace: true, rotationFlag: false });
    expect(byId(awards, 1).lastPlace).toBe(false);
    expect(byId(awards, 2).lastPlace).toBe(false);
  });

  it('last place this month and the month before: rotation flag', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [
      input(1, 9000),
      input(2, 8000),
      input(3, 7000, { priorLastPlaces: 1 }),
    ]);
    expect(byId(awards, 3)).toMatchObject({ lastPlace: true, rotationFlag: true, awardFen: 0 });
  });

  it('with exactly 2 eligible agents the second is last place; the rank-2 money is still paid', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(1, 9000), input(2, 8000, { priorLastPlaces: 1 })]);
    expect(byId(awards, 2)).toMatchObject({ awardRank: 2, awardFen: 5_000, lastPlace: true, rotationFlag: true });
  });

  it('last place is among the eligible: an ineligible agent scoring lowest is not flagged', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [
      input(1, 9000),
      input(2, 8000, { priorLastPlaces: 1 }),
      input(3, 100, { eligible: false, priorLastPlaces: 3 }),
    ]);
    expect(byId(awards, 3)).toMatchObject({ awardRank: null, lastPlace: false, rotationFlag: false });
    expect(byId(awards, 2)).toMatchObject({ lastPlace: true, rotationFlag: true });
  });

  it('a single eligible agent has no last place', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [
      input(1, 100, { priorLastPlaces: 5 }),
      input(2, 9000, { eligible: false }),
    ]);
    expect(byId(awards, 1)).toMatchObject({ awardRank: 1, awardFen: 10_000, lastPlace: false, rotationFlag: false });
  });

  it('tied for last: all tied agents are last', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [
      input(1, 9000),
      input(2, 5000, { priorLastPlaces: 1 }),
      input(3, 5000),
    ]);
    expect(byId(awards, 2)).toMatchObject({ awardRank: 2, lastPlace: true, rotationFlag: true });
    expect(byId(awards, 3)).toMatchObject({ awardRank: 2, lastPlace: true, rotationFlag: false });
  });

  it('everyone tied for first: nobody is last (first place is never sent to the warehouse)', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [
      input(1, 5000, { priorLastPlaces: 1 }),
      input(2, 5000, { priorLastPlaces: 1 }),
    ]);
    expect(awards.every((a) => !a.lastPlace && !a.rotationFlag && a.awardFen === 10_000)).toBe(true);
  });

  it('rotationAfterMonths 0 turns rotation off; 3 needs two prior last places', () => {
    const off = overridePolicy(DEFAULT_POLICY, { awards: { rotationAfterMonths: 0 } });
    expect(byId(monthlyAwards(off, [input(1, 9000), input(2, 1, { priorLastPlaces: 9 })]), 2)).toMatchObject({
      lastPlace: true,
      rotationFlag: false,
    });
    const three = overridePolicy(DEFAULT_POLICY, { awards: { rotationAfterMonths: 3 } });
    expect(byId(monthlyAwards(three, [input(1, 9000), input(2, 1, { priorLastPlaces: 1 })]), 2).rotationFlag).toBe(
      false,
    );
    expect(byId(monthlyAwards(three, [input(1, 9000), input(2, 1, { priorLastPlaces: 2 })]), 2).rotationFlag).toBe(
      true,
    );
  });

  it('keeps the input order and returns one award per member', () => {
    const awards = monthlyAwards(DEFAULT_POLICY, [input(5, 1), input(3, 3), input(9, 2)]);
    expect(awards.map((a) => a.memberId)).toEqual([5, 3, 9]);
    expect(monthlyAwards(DEFAULT_POLICY, [])).toEqual([]);
  });
});
