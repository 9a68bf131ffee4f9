import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsToDay } from '../../src/core/dates.js';
import { DEFAULT_POLICY, overridePolicy, parsePolicy, readStoredPolicy, PolicyError } from '../../src/core/policy.js';
import {
  candidates,
  evaluate,
  fullMonths,
  levelOn,
  nextReview,
  probationEnds,
  progress,
  reviewWindow,
  type MonthRecord,
  type Person,
} from '../../src/core/promotions.js';

const P = DEFAULT_POLICY;
const rec = (month: string, score: number | null, dismissalFlag = false): MonthRecord => ({
  month,
  scoreHundredths: score === null ? null : Math.round(score * 100),
  rank: score === null ? null : 1,
  ranked: 3,
  dismissalFlag,
});
/** Jul..Dec 2026: the window of a January 2027 review */
const window = (scores: Array<number | null>, flagged = -1) =>
  scores.map((s, i) => rec(`2026-${String(7 + i).padStart(2, '0')}`, s, i === flagged));
const regular = (since: string, hiredOn = '2025-01-10'): Person => ({
  memberId: 1,
  hiredOn,
  levels: [
    { from: hiredOn, level: 'trainee' },
    { from: since, level: 'regular' },
  ],
});

describe('policy: people over time', () => {
  it('defaults from domain.md', () => {
    expect(P.people).toEqual({
      probationMonths: 1,
      reviewMonths: [1, 7],
      minAverageScore: 80,
      reviewWindowMonths: 6,
      minScoredMonths: 3,
      promotions: [
        { from: 'regular', to: 'senior', monthsAtLevel: 3 },
        { from: 'senior', to: 'lead', monthsAtLevel: 6 },
        { from: 'lead', to: 'supervisor', monthsInTeam: 12 },
      ],
    });
  });

  it('a version stored before the people section existed reads with the defaults', () => {
    const { people: _, ...old } = JSON.parse(JSON.stringify(P)) as Record<string, unknown>;
    expect(readStoredPolicy(old).people).toEqual(P.people);
  });

  it('a team overrides keys one by one; review months are sorted', () => {
    const p = overridePolicy(P, { people: { minAverageScore: 85, reviewMonths: [10, 4] } });
    expect(p.people.minAverageScore).toBe(85);
    expect(p.people.reviewMonths).toEqual([4, 10]);
    expect(p.people.probationMonths).toBe(1);
  });

  const refusal = (people: unknown) => {
    try {
      overridePolicy(P, { people });
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      return (e as PolicyError).message;
    }
    throw new Error('accepted');
  };

  it('refuses bad people settings with the field and a reason', () => {
    expect(refusal({ reviewMonths: [13] })).toBe('people.reviewMonths.0: a month is 1-12');
    expect(refusal({ reviewMonths: [1, 1] })).toBe('people.reviewMonths: a review month is listed twice');
    expect(refusal({ promotions: [{ from: 'senior', to: 'regular', monthsAtLevel: 3 }] })).toBe(
      'people.promotions.0.to: a promotion goes up: regular is not above senior',
    );
    expect(refusal({ promotions: [{ from: 'regular', to: 'senior' }] })).toBe(
      'people.promotions.0: give exactly one of monthsAtLevel and monthsInTeam',
    );
    expect(refusal({ promotions: [{ from: 'regular', to: 'senior', monthsAtLevel: 3, monthsInTeam: 3 }] })).toBe(
      'people.promotions.0: give exactly one of monthsAtLevel and monthsInTeam',
    );
    expect(
      refusal({
        promotions: [
          { from: 'regular', to: 'senior', monthsAtLevel: 3 },
          { from: 'regular', to: 'lead', monthsAtLevel: 9 },
        ],
      }),
    ).toBe('people.promotions.1.from: two paths out of regular; each level has one next level');
    expect(refusal({ minScoredMonths: 7 })).toBe(
      'people.minScoredMonths: 7 scored months cannot be found in a window of 6',
    );
    expect(refusal({ probationMonths: -1 })).toMatch(/^people\.probationMonths: /);
    expect(refusal({ bonus: 1 })).toMatch(/^people: /);
  });

  it('the default policy is still valid as a whole', () => {
    expect(parsePolicy(P)).toEqual(P);
  });
});

describe('time at level', () => {
  it('counts full calendar months, clamping at month ends', () => {
    expect(fullMonths('2026-09-15', '2026-12-14')).toBe(2);
    expect(fullMonths('2026-09-15', '2026-12-15')).toBe(3);
    expect(fullMonths('2026-01-31', '2026-02-28')).toBe(1);
    expect(fullMonths('2026-12-01', '2026-11-30')).toBe(0);
  });

  it('property: from + fullMonths <= to < from + fullMonths + 1', () => {
    const day = fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const n = fullMonths(from, to);
        expect(addMonthsToDay(from, n) <= to).toBe(true);
        expect(addMonthsToDay(from, n + 1) > to).toBe(true);
      }),
    );
  });

  it('a level runs from the first of its unbroken assignments (a track change does not restart it)', () => {
    const levels = [
      { from: '2026-01-10', level: 'trainee' as const },
      { from: '2026-03-01', level: 'regular' as const },
      { from: '2026-05-20', level: 'regular' as const },
      { from: '2026-09-01', level: 'senior' as const },
    ];
    expect(levelOn(levels, '2026-08-31')).toEqual({ level: 'regular', since: '2026-03-01' });
    expect(levelOn(levels, '2026-09-01')).toEqual({ level: 'senior', since: '2026-09-01' });
    expect(levelOn(levels, '2026-01-09')).toBeNull();
  });
});

describe('review candidates (January 2027)', () => {
  const good = window([86, 88, 84, 90, 85, 85.4]);

  it('regular -> senior: 3 months as regular met on the 1st, average 86.4 over 6 scored months', () => {
    const [c] = candidates(P, '2027-01', [regular('2026-06-01')], new Map([[1, good]]));
    expect(c).toMatchObject({ from: 'regular', to: 'senior', monthsAtLevel: 7 });
    expect(c!.record).toMatchObject({ monthsScored: 6, averageHundredths: 8640 });
  });

  it('time at level: met exactly on the first day counts, one day later does not', () => {
    expect(candidates(P, '2027-01', [regular('2026-10-01')], new Map([[1, good]]))).toHaveLength(1);
    expect(candidates(P, '2027-01', [regular('2026-10-02')], new Map([[1, good]]))).toHaveLength(0);
  });

  it('months without a score are left out; three scored months are enough, two are not', () => {
    const three = window([null, 82, null, 80, null, 90]);
    const [c] = candidates(P, '2027-01', [regular('2026-01-01')], new Map([[1, three]]));
    expect(c!.record).toMatchObject({ monthsScored: 3, averageHundredths: 8400 });
    const two = window([null, null, null, 95, null, 90]);
    expect(candidates(P, '2027-01', [regular('2026-01-01')], new Map([[1, two]]))).toEqual([]);
  });

  it('the exact average decides, not the rounded one', () => {
    // (79.99 + 80 + 80) / 3 = 79.9966… shows as 80.00 but is below 80
    const near = window([79.99, 80, 80, null, null, null]);
    const e = evaluate(P, regular('2026-01-01'), '2027-01-01', near)!;
    expect(e.record.averageHundredths).toBe(8000);
    expect(e.candidate).toBe(false);
    expect(candidates(P, '2027-01', [regular('2026-01-01')], new Map([[1, window([80, 80, 80])]]))).toHaveLength(1);
  });

  it('a dismissal flag in the window rules a person out; months outside the window are ignored', () => {
    expect(
      candidates(P, '2027-01', [regular('2026-01-01')], new Map([[1, window([90, 90, 90, 90, 90, 90], 2)]])),
    ).toEqual([]);
    const old = [rec('2026-06', 10, true), ...good];
    expect(candidates(P, '2027-01', [regular('2026-01-01')], new Map([[1, old]]))).toHaveLength(1);
  });

  it('lead -> supervisor counts months in the team, not as lead', () => {
    const lead: Person = {
      memberId: 1,
      hiredOn: '2026-01-01',
      levels: [
        { from: '2026-01-01', level: 'senior' },
        { from: '2026-12-01', level: 'lead' },
      ],
    };
    const [c] = candidates(P, '2027-01', [lead], new Map([[1, good]]));
    expect(c).toMatchObject({ from: 'lead', to: 'supervisor', monthsAtLevel: 1 });
    expect(c!.time).toMatchObject({ counts: 'team', needed: 12, months: 12 });
  });

  it('trainees and supervisors are never review candidates', () => {
    const trainee: Person = { memberId: 1, hiredOn: '2025-01-01', levels: [{ from: '2025-01-01', level: 'trainee' }] };
    const sup: Person = { memberId: 2, hiredOn: '2020-01-01', levels: [{ from: '2020-01-01', level: 'supervisor' }] };
    expect(
      candidates(
        P,
        '2027-01',
        [trainee, sup],
        new Map([
          [1, good],
          [2, good],
        ]),
      ),
    ).toEqual([]);
  });

  it('the window is the 6 finished months before the review month', () => {
    expect(reviewWindow(P, '2027-01')).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
  });

  it('property: a candidate always meets every rule', () => {
    const score = fc.option(fc.integer({ min: 0, max: 12000 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(score, { minLength: 6, maxLength: 6 }),
        fc.integer({ min: -1, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        (scores, flagged, monthsBack) => {
          const records = scores.map((s, i) => ({
            ...rec(`2026-${String(7 + i).padStart(2, '0')}`, null, i === flagged),
            scoreHundredths: s,
          }));
          const since = addMonthsToDay('2027-01-01', -monthsBack);
          const list = candidates(P, '2027-01', [regular(since, '2025-01-01')], new Map([[1, records]]));
          const scored = scores.filter((s): s is number => s !== null);
          const expected =
            monthsBack >= 3 &&
            scored.length >= 3 &&
            scored.reduce((a, b) => a + b, 0) >= 8000 * scored.length &&
            flagged < 0;
          expect(list.length === 1).toBe(expected);
        },
      ),
    );
  });
});

describe('progress and probation', () => {
  it('probation ends probationMonths after becoming a trainee', () => {
    expect(probationEnds(P, '2026-11-15')).toBe('2026-12-15');
    const trainee: Person = { memberId: 1, hiredOn: '2026-11-15', levels: [{ from: '2026-11-15', level: 'trainee' }] };
    expect(progress(P, trainee, '2026-12-14', [])).toMatchObject({
      kind: 'probation',
      ends: '2026-12-15',
      ended: false,
    });
    expect(progress(P, trainee, '2026-12-15', [])).toMatchObject({ kind: 'probation', ended: true, to: 'regular' });
  });

  it('a regular sees the senior path: time today, the average of the window before this month, the next review', () => {
    const p = progress(P, regular('2026-06-01'), '2026-12-10', window([86, 88, 84, 90, 85, 85.4]).slice(0, 5));
    expect(p).toMatchObject({ kind: 'path', to: 'senior', review: '2027-01', monthsAtLevel: 6 });
    if (p?.kind !== 'path') throw new Error('no path');
    expect(p.time).toMatchObject({ met: true, needed: 3, months: 6 });
    // the window of a December progress is June..November: July..November here
    expect(p.record).toMatchObject({ monthsScored: 5, averageHundredths: 8660, averageMet: true });
  });

  it('the next review is this month on its first day, else the next review month', () => {
    expect(nextReview(P, '2027-01-01')).toBe('2027-01');
    expect(nextReview(P, '2027-01-02')).toBe('2027-07');
    expect(nextReview(P, '2026-08-20')).toBe('2027-01');
    expect(nextReview(overridePolicy(P, { people: { reviewMonths: [] } }), '2026-08-20')).toBeNull();
  });

  it('a supervisor has no next level', () => {
    const sup: Person = { memberId: 1, hiredOn: '2020-01-01', levels: [{ from: '2020-01-01', level: 'supervisor' }] };
    expect(progress(P, sup, '2026-12-10', [])).toMatchObject({ kind: 'none', level: 'supervisor' });
  });
});
