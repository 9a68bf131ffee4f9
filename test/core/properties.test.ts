// Property tests: invariants a team lead relies on, for random tracks, rows, penalties and pay inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  divideHalfUp,
  fenToYuan,
  formatFen,
  mulDivHalfUp,
  parseYuan,
  percentOf,
  sumFen,
} from '../../src/core/money.js';
import { payslip } from '../../src/core/payslip.js';
import { summarisePenalties, type PenaltyRecord } from '../../src/core/penalties.js';
import {
  DEFAULT_POLICY,
  LEVELS,
  MAX_SETTING_FEN,
  METRIC_FIELDS,
  overridePolicy,
  TRACKS,
  trackKpis,
  type KpiActual,
  type Policy,
  type Track,
} from '../../src/core/policy.js';
import {
  GMV,
  actualOf,
  rankTrack,
  scoreTrack,
  sumRows,
  sumsKey,
  sumsNeeded,
  toHundredths,
  type MetricRow,
} from '../../src/core/score.js';
import { monthlyAwards } from '../../src/core/awards.js';

const RUNS = { numRuns: 300 };

/** A cell: often a small count, sometimes 0, sometimes empty. */
const cell = (max: number) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.nat({ max }) },
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.constant(null) },
  );

const rowArb: fc.Arbitrary<MetricRow> = fc.record({
  inquiries: cell(500),
  paidCustomers: cell(300),
  receptions: cell(1000),
  gmvFen: cell(5_000_000),
  refundCustomers: cell(50),
  cases: cell(200),
  resolved: cell(200),
  serviceScore: cell(100),
  avgResponseSec: cell(600),
});

const trackArb = fc.constantFrom<Track>('presales', 'aftersales');

const agentsArb = fc.array(
  fc.record({
    rows: fc.array(rowArb, { minLength: 1, maxLength: 6 }),
    penaltyPoints: fc.oneof(fc.constant(0), fc.nat({ max: 60 })),
  }),
  { minLength: 1, maxLength: 8 },
);

/** A random but valid policy: random weights, caps and targets for every KPI of both tracks. */
const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    presales: fc.array(
      fc.record({
        weight: fc.nat({ max: 60 }),
        cap: fc.constantFrom(0.5, 1, 1.1, 1.2, 1.5, 2),
        target: fc.oneof(fc.constant('team_average' as const), fc.constantFrom(0, 0.3, 1, 50, 100, 5000)),
      }),
      { minLength: 6, maxLength: 6 },
    ),
    aftersales: fc.array(
      fc.record({
        weight: fc.nat({ max: 60 }),
        cap: fc.constantFrom(0.5, 1, 1.1, 1.2, 1.5, 2),
        target: fc.oneof(fc.constant('team_average' as const), fc.constantFrom(0, 0.95, 1, 50, 100)),
      }),
      { minLength: 4, maxLength: 4 },
    ),
  })
  .map(({ presales, aftersales }) => {
    const keys = (t: Track) => trackKpis(DEFAULT_POLICY, t).map(([k]) => k);
    const overrideOf = (t: Track, list: Array<{ weight: number; cap: number; target: number | 'team_average' }>) => {
      const out: Record<string, unknown> = {};
      // a valid policy's weights add up to 100: scale the random ones, the last KPI takes the remainder
      const total = list.reduce((s, x) => s + x.weight, 0);
      let left = 100;
      keys(t).forEach((k, i) => {
        const weight = i === list.length - 1 ? left : total === 0 ? 0 : Math.floor((list[i]!.weight * 100) / total);
        left -= weight;
        out[k] = { ...list[i]!, weight };
      });
      return out;
    };
    return overridePolicy(DEFAULT_POLICY, {
      kpis: { presales: overrideOf('presales', presales), aftersales: overrideOf('aftersales', aftersales) },
    });
  });

function scoreAgents(policy: Policy, track: Track, agents: Array<{ rows: MetricRow[]; penaltyPoints: number }>) {
  const defs = sumsNeeded(policy, track);
  return scoreTrack(
    policy,
    track,
    agents.map((a, i) => ({ memberId: i + 1, sums: sumRows(a.rows, defs), penaltyPoints: a.penaltyPoints })),
  );
}

/** Σ weight × cap over the track's KPIs, summed in display order like the score is. */
function maxScore(policy: Policy, track: Track): number {
  return trackKpis(policy, track).reduce((s, [, k]) => s + k.weight * k.cap, 0);
}

describe('score invariants', () => {
  it('default policy: 0 ≤ score ≤ Σ weight × cap, each KPI within [0, weight × cap], hundredths an integer', () => {
    fc.assert(
      fc.property(trackArb, agentsArb, (track, agents) => {
        const scores = scoreAgents(DEFAULT_POLICY, track, agents);
        const bound = maxScore(DEFAULT_POLICY, track); // presales 35 + 36 + 24 + 12 + 6 = 113 ; aftersales 40 + 44 + 24 = 108
        expect(bound).toBeCloseTo(track === 'presales' ? 113 : 108, 9);
        expect(scores).toHaveLength(agents.length);
        for (const s of scores) {
          expect(Number.isInteger(s.scoreHundredths)).toBe(true);
          expect(s.scoreHundredths).toBeGreaterThanOrEqual(0);
          expect(s.scoreHundredths).toBeLessThanOrEqual(Math.round(bound * 100));
          expect(s.score).toBe(s.scoreHundredths / 100);
          expect(s.kpiPoints).toBeLessThanOrEqual(bound);
          for (const k of s.kpis) {
            expect(k.points).toBeGreaterThanOrEqual(0);
            expect(k.points).toBeLessThanOrEqual(k.weight * k.cap);
            if (k.actual === null) expect(k.points).toBe(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('random policies: 0 ≤ score ≤ Σ weight × cap, hundredths an integer', () => {
    fc.assert(
      fc.property(policyArb, trackArb, agentsArb, (policy, track, agents) => {
        const bound = maxScore(policy, track);
        for (const s of scoreAgents(policy, track, agents)) {
          expect(Number.isSafeInteger(s.scoreHundredths)).toBe(true);
          expect(s.scoreHundredths).toBeGreaterThanOrEqual(0);
          expect(s.scoreHundredths).toBeLessThanOrEqual(Math.round(bound * 100));
        }
      }),
      RUNS,
    );
  });

  it('the score is the KPI points minus penalty points, floored at 0, to the hundredth', () => {
    fc.assert(
      fc.property(trackArb, agentsArb, (track, agents) => {
        for (const s of scoreAgents(DEFAULT_POLICY, track, agents)) {
          const expected = Math.max(0, s.kpiPoints - s.penaltyPoints);
          expect(Math.abs(s.scoreHundredths / 100 - expected)).toBeLessThanOrEqual(0.005 + 1e-9);
          if (s.penaltyPoints >= s.kpiPoints) expect(s.scoreHundredths).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it("more penalty points never raise a score and never change anyone else's", () => {
    fc.assert(
      fc.property(trackArb, agentsArb, fc.nat({ max: 30 }), (track, agents, extra) => {
        const before = scoreAgents(DEFAULT_POLICY, track, agents);
        const after = scoreAgents(
          DEFAULT_POLICY,
          track,
          agents.map((a, i) => (i === 0 ? { ...a, penaltyPoints: a.penaltyPoints + extra } : a)),
        );
        expect(after[0]!.scoreHundredths).toBeLessThanOrEqual(before[0]!.scoreHundredths);
        for (let i = 1; i < agents.length; i++) expect(after[i]!.scoreHundredths).toBe(before[i]!.scoreHundredths);
      }),
      RUNS,
    );
  });

  it('scoring again after some members changed gives exactly what scoring the whole track does', () => {
    // what an update after a penalty or a re-import does: the earlier scores of the others are reused
    // only when nothing they depend on moved; either way the answer is the full computation's
    fc.assert(
      fc.property(
        policyArb,
        trackArb,
        agentsArb,
        fc.array(
          fc.record({ at: fc.nat(), points: fc.nat({ max: 40 }), rows: fc.option(fc.array(rowArb, { maxLength: 3 })) }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (policy, track, agents, changes) => {
          const before = scoreAgents(policy, track, agents);
          const after = agents.map((a) => ({ ...a }));
          const changed = new Set<number>();
          for (const c of changes) {
            const i = c.at % agents.length;
            changed.add(i + 1);
            after[i] = { rows: c.rows ?? after[i]!.rows, penaltyPoints: c.points };
          }
          const defs = sumsNeeded(policy, track);
          const inputs = after.map((a, i) => ({
            memberId: i + 1,
            sums: sumRows(a.rows, defs),
            penaltyPoints: a.penaltyPoints,
          }));
          const again = scoreTrack(policy, track, inputs, {
            scores: new Map(before.map((s) => [s.memberId, s])),
            changed,
          });
          expect(again).toEqual(scoreTrack(policy, track, inputs));
        },
      ),
      RUNS,
    );
  });

  it('scores do not depend on the order members are listed in (up to binary noise of one hundredth)', () => {
    fc.assert(
      fc.property(trackArb, agentsArb, (track, agents) => {
        const forward = scoreAgents(DEFAULT_POLICY, track, agents);
        const defs = sumsNeeded(DEFAULT_POLICY, track);
        const reversed = scoreTrack(
          DEFAULT_POLICY,
          track,
          agents
            .map((a, i) => ({ memberId: i + 1, sums: sumRows(a.rows, defs), penaltyPoints: a.penaltyPoints }))
            .reverse(),
        );
        for (const s of forward) {
          const r = reversed.find((x) => x.memberId === s.memberId)!;
          expect(Math.abs(r.scoreHundredths - s.scoreHundredths)).toBeLessThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });

  it('ranks are in 1..n, at least one agent is first, and they follow the scores (1, 1, 3 rule)', () => {
    fc.assert(
      fc.property(trackArb, agentsArb, (track, agents) => {
        const ranked = rankTrack(scoreAgents(DEFAULT_POLICY, track, agents));
        const n = ranked.length;
        expect(n).toBe(agents.length);
        expect(ranked.filter((r) => r.rank === 1).length).toBeGreaterThanOrEqual(1);
        for (const r of ranked) {
          expect(Number.isInteger(r.rank)).toBe(true);
          expect(r.rank).toBeGreaterThanOrEqual(1);
          expect(r.rank).toBeLessThanOrEqual(n);
          // competition ranking: 1 + the number of agents strictly ahead
          expect(r.rank).toBe(1 + ranked.filter((o) => o.scoreHundredths > r.scoreHundredths).length);
        }
        // listed best first
        for (let i = 1; i < n; i++) expect(ranked[i]!.rank).toBeGreaterThanOrEqual(ranked[i - 1]!.rank);
      }),
      RUNS,
    );
  });
});

describe('sumRows', () => {
  const allDefs: KpiActual[] = [
    ...sumsNeeded(DEFAULT_POLICY, 'presales'),
    ...sumsNeeded(DEFAULT_POLICY, 'aftersales'),
    ...METRIC_FIELDS.map((field) => ({ kind: 'sum', field }) as const),
  ];

  it('is additive: sums over a ++ b equal sums over a plus sums over b', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 10 }), fc.array(rowArb, { maxLength: 10 }), (a, b) => {
        const sa = sumRows(a, allDefs);
        const sb = sumRows(b, allDefs);
        const sab = sumRows([...a, ...b], allDefs);
        for (const def of allDefs) {
          const k = sumsKey(def);
          expect(sab[k]).toEqual({
            numerator: sa[k]!.numerator + sb[k]!.numerator,
            denominator: sa[k]!.denominator + sb[k]!.denominator,
            rows: sa[k]!.rows + sb[k]!.rows,
          });
        }
      }),
      RUNS,
    );
  });

  it('matches a by-hand reference: rows missing either side are left out of both sums', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 12 }), (rows) => {
        const conv = sumRows(rows, [{ kind: 'ratio', numerator: 'paidCustomers', denominator: 'inquiries' }])[
          'ratio:paidCustomers/inquiries'
        ]!;
        let num = 0;
        let den = 0;
        let n = 0;
        for (const r of rows) {
          if (r.paidCustomers !== null && r.inquiries !== null) {
            num += r.paidCustomers;
            den += r.inquiries;
            n++;
          }
        }
        expect(conv).toEqual({ numerator: num, denominator: den, rows: n });
      }),
      RUNS,
    );
  });
});

describe('penalties', () => {
  const CODES = [
    'buck_passing',
    'personal_chat',
    'named_complaint',
    'store_deduction',
    'order_change_missed',
    'fraud',
    null,
  ] as const;
  const penaltyArb: fc.Arbitrary<PenaltyRecord> = fc.record({
    id: fc.nat(),
    memberId: fc.constant(1),
    ruleCode: fc.constantFrom(...CODES),
    amountFen: fc.nat({ max: 100_000 }),
    points: fc.nat({ max: 20 }),
    occurredOn: fc.constant('2026-11-10'),
    recordedAt: fc.constant(new Date('2026-11-10T00:00:00Z')),
    status: fc.constantFrom<'active' | 'revoked'>('active', 'active', 'revoked'),
  });

  it('money and points add up the active penalties; escalations follow the seed table', () => {
    fc.assert(
      fc.property(fc.array(penaltyArb, { maxLength: 15 }), (list) => {
        const s = summarisePenalties(DEFAULT_POLICY, 1, list);
        const active = list.filter((p) => p.status === 'active');
        expect(s.moneyFen).toBe(active.reduce((t, p) => t + p.amountFen, 0));
        expect(s.points).toBe(active.reduce((t, p) => t + p.points, 0));
        const count = (code: string) => active.filter((p) => p.ruleCode === code).length;
        // seed 004: 4th buck_passing / personal_chat / named_complaint, 2nd store_deduction, any fraud
        const forfeited =
          count('buck_passing') >= 4 ||
          count('personal_chat') >= 4 ||
          count('named_complaint') >= 4 ||
          count('store_deduction') >= 2 ||
          count('fraud') >= 1;
        expect(s.commissionForfeited).toBe(forfeited);
        expect(s.dismissalFlag).toBe(count('store_deduction') >= 3);
      }),
      RUNS,
    );
  });
});

describe('awards', () => {
  it('award ranks exist exactly for eligible members and money goes only to award ranks 1 and 2', () => {
    const memberArb = fc.record({
      scoreHundredths: fc.nat({ max: 11_300 }),
      eligible: fc.boolean(),
      priorFirstPlaces: fc.nat({ max: 20 }),
      priorLastPlaces: fc.nat({ max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(memberArb, { maxLength: 10 }), (members) => {
        const input = members.map((m, i) => ({ ...m, memberId: i + 1 }));
        const awards = monthlyAwards(DEFAULT_POLICY, input);
        const eligible = input.filter((m) => m.eligible);
        for (const a of awards) {
          const m = input.find((x) => x.memberId === a.memberId)!;
          if (!m.eligible) {
            expect(a).toMatchObject({ awardRank: null, awardFen: 0, lastPlace: false, rotationFlag: false });
            continue;
          }
          expect(a.awardRank).toBe(1 + eligible.filter((o) => o.scoreHundredths > m.scoreHundredths).length);
          if (a.awardRank === 1) expect(a.awardFen).toBeGreaterThanOrEqual(10_000);
          else if (a.awardRank === 2) expect(a.awardFen).toBe(5_000);
          else expect(a.awardFen).toBe(0);
          if (a.rotationFlag) expect(a.lastPlace && m.priorLastPlaces >= 1).toBe(true);
          if (a.lastPlace) expect(eligible.length).toBeGreaterThanOrEqual(2);
        }
      }),
      RUNS,
    );
  });
});

describe('payslip', () => {
  const payArb = fc.record({
    level: fc.constantFrom(...LEVELS),
    scoreHundredths: fc.option(fc.nat({ max: 20_000 }), { nil: null }),
    gmvFen: fc.oneof(fc.nat({ max: 10_000_000 }), fc.nat({ max: 100_000_000_000 })),
    awardFen: fc.constantFrom(0, 5_000, 10_000, 20_000, 30_000, 60_000, 150_000),
    penaltyFen: fc.oneof(fc.nat({ max: 50_000 }), fc.nat({ max: 1_000_000_000 })),
    commissionForfeited: fc.boolean(),
  });

  it('every term is a safe integer, the total is never negative and is the sum of the terms', () => {
    fc.assert(
      fc.property(payArb, (input) => {
        const p = payslip(DEFAULT_POLICY, input);
        for (const v of Object.values(p)) expect(Number.isSafeInteger(v)).toBe(true);
        expect(p.totalFen).toBeGreaterThanOrEqual(0);
        const sum = p.baseFen + p.performanceFen + p.commissionFen + p.awardFen + p.mealFen - p.penaltyFen;
        expect(p.uncappedFen).toBe(sum);
        expect(p.totalFen).toBe(Math.max(0, sum));
        if (input.level === 'trainee') expect([p.performanceFen, p.commissionFen, p.awardFen]).toEqual([0, 0, 0]);
        if (input.commissionForfeited) expect(p.commissionFen).toBe(0);
        if (input.scoreHundredths === null) expect(p.performanceFen).toBe(0);
        // commission = round half-up(gmv × 2%), by BigInt
        if (input.level !== 'trainee' && !input.commissionForfeited) {
          const g = BigInt(input.gmvFen) * 200n;
          const q = g / 10_000n + (2n * (g % 10_000n) >= 10_000n ? 1n : 0n);
          expect(p.commissionFen).toBe(Number(q));
        }
      }),
      RUNS,
    );
  });
});

describe('payroll', () => {
  const money = fc.oneof(fc.nat({ max: MAX_SETTING_FEN }), fc.constant(MAX_SETTING_FEN), fc.constant(0));
  /** Any valid policy: random weights (adding up to 100), caps and targets, and any money settings within bounds. */
  const paidPolicyArb: fc.Arbitrary<Policy> = fc
    .record({
      kpis: policyArb,
      base: fc.record({ trainee: money, regular: money, senior: money, lead: money, supervisor: money }),
      performanceBaseFen: money,
      commissionBasisPoints: fc.oneof(fc.nat({ max: 10_000 }), fc.constant(10_000)),
      mealAllowanceFen: money,
      rank: fc.tuple(money, money),
      streak: fc.uniqueArray(fc.record({ minMonths: fc.integer({ min: 2, max: 24 }), fen: money }), {
        selector: (t) => t.minMonths,
        maxLength: 5,
      }),
    })
    .map((g) =>
      overridePolicy(g.kpis, {
        pay: {
          baseFen: g.base,
          performanceBaseFen: g.performanceBaseFen,
          commissionBasisPoints: g.commissionBasisPoints,
          mealAllowanceFen: g.mealAllowanceFen,
        },
        awards: { rankFen: { '1': g.rank[0], '2': g.rank[1] }, streakFen: g.streak },
        penalties: { maxAmountFen: MAX_SETTING_FEN },
      }),
    );
  // a day's gmv up to the import's limit (¥100,000,000)
  const bigRowArb = rowArb.chain((r) =>
    fc.oneof(fc.constant(r.gmvFen), fc.nat({ max: 10_000_000_000 })).map((gmvFen) => ({ ...r, gmvFen })),
  );
  const teamArb = fc.array(
    fc.record({
      track: trackArb,
      level: fc.constantFrom(...LEVELS),
      rows: fc.array(bigRowArb, { maxLength: 6 }),
      eligible: fc.boolean(),
      priorFirstPlaces: fc.nat({ max: 24 }),
      penalties: fc.array(fc.oneof(fc.nat({ max: 50_000 }), fc.nat({ max: MAX_SETTING_FEN })), { maxLength: 5 }),
      commissionForfeited: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  );

  it('for any valid policy and team, every total is the exact integer sum of its terms, and the team total the BigInt sum of the rows', () => {
    fc.assert(
      fc.property(paidPolicyArb, teamArb, (policy, team) => {
        const members = team.map((m, i) => ({ ...m, memberId: i + 1 }));
        const slips = [];
        for (const track of TRACKS) {
          const scored = members.filter((m) => m.track === track && m.rows.length > 0);
          const defs = sumsNeeded(policy, track);
          const sums = new Map(scored.map((m) => [m.memberId, sumRows(m.rows, defs)]));
          const scores = new Map(
            scoreTrack(
              policy,
              track,
              scored.map((m) => ({ memberId: m.memberId, sums: sums.get(m.memberId)!, penaltyPoints: 0 })),
            ).map((s) => [s.memberId, s]),
          );
          const awards = new Map(
            monthlyAwards(
              policy,
              scored.map((m) => ({
                memberId: m.memberId,
                scoreHundredths: scores.get(m.memberId)!.scoreHundredths,
                eligible: m.eligible,
                priorFirstPlaces: m.priorFirstPlaces,
                priorLastPlaces: 0,
              })),
            ).map((a) => [a.memberId, a]),
          );
          for (const m of members.filter((x) => x.track === track)) {
            const summed = sums.get(m.memberId);
            slips.push(
              payslip(policy, {
                level: m.level,
                scoreHundredths: scores.get(m.memberId)?.scoreHundredths ?? null,
                gmvFen: (summed && actualOf(GMV, summed[sumsKey(GMV)])) ?? 0,
                awardFen: awards.get(m.memberId)?.awardFen ?? 0,
                penaltyFen: Number(sumFen(m.penalties)),
                commissionForfeited: m.commissionForfeited,
              }),
            );
          }
        }
        for (const p of slips) {
          for (const v of Object.values(p)) expect(Number.isSafeInteger(v)).toBe(true);
          const terms =
            BigInt(p.baseFen) +
            BigInt(p.performanceFen) +
            BigInt(p.commissionFen) +
            BigInt(p.awardFen) +
            BigInt(p.mealFen) -
            BigInt(p.penaltyFen);
          expect(BigInt(p.uncappedFen)).toBe(terms);
          expect(BigInt(p.totalFen)).toBe(terms > 0n ? terms : 0n);
        }
        let reference = 0n;
        for (const p of slips) reference += BigInt(p.totalFen);
        expect(sumFen(slips.map((p) => p.totalFen))).toBe(reference);
      }),
      { numRuns: 200 },
    );
  });

  it('sumFen is exact where adding doubles is not, and a BigInt total prints like a number', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.maxSafeNat(), fc.nat({ max: 1_000_000 })), { maxLength: 20 }), (amounts) => {
        let reference = 0n;
        for (const a of amounts) reference += BigInt(a);
        const total = sumFen(amounts);
        expect(total).toBe(reference);
        const digits = reference.toString().padStart(3, '0');
        expect(fenToYuan(total)).toBe(`${digits.slice(0, -2)}.${digits.slice(-2)}`);
        expect(formatFen(total).replace(/[¥,]/g, '')).toBe(fenToYuan(total));
        if (reference <= BigInt(Number.MAX_SAFE_INTEGER)) expect(formatFen(total)).toBe(formatFen(Number(reference)));
      }),
      { numRuns: 1000 },
    );
    // the case payroll got wrong: three safe totals whose double sum is a fen short
    const totals = [Number.MAX_SAFE_INTEGER, 3, 3];
    expect(BigInt(totals.reduce((s, x) => s + x, 0))).not.toBe(BigInt(Number.MAX_SAFE_INTEGER) + 6n);
    expect(sumFen(totals)).toBe(BigInt(Number.MAX_SAFE_INTEGER) + 6n);
    expect(formatFen(sumFen(totals))).toBe('¥90,071,992,547,409.97');
  });
});

describe('money', () => {
  /** Exact reference: quotient, plus one when the remainder is at least half the divisor. */
  function refMulDiv(a: number, b: number, d: number): bigint {
    const n = BigInt(a) * BigInt(b);
    const q = n / BigInt(d);
    const r = n % BigInt(d);
    return 2n * r >= BigInt(d) ? q + 1n : q;
  }

  it('mulDivHalfUp equals an exact BigInt reference', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.nat({ max: 1_000_000 }), fc.maxSafeNat()),
        fc.oneof(fc.nat({ max: 10_000 }), fc.maxSafeNat()),
        fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
        (a, b, d) => {
          expect(mulDivHalfUp(a, b, d)).toBe(Number(refMulDiv(a, b, d)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('mulDivHalfUp on small values equals half-up rounding of the exact fraction', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (a, b, d) => {
        const r = mulDivHalfUp(a, b, d);
        // r is the integer with r − 1/2 ≤ a×b/d < r + 1/2, i.e. 2r·d − d ≤ 2ab < 2r·d + d
        expect(2 * r * d - d).toBeLessThanOrEqual(2 * a * b);
        expect(2 * a * b).toBeLessThan(2 * r * d + d);
      }),
      { numRuns: 1000 },
    );
  });

  it('divideHalfUp and percentOf agree with the reference', () => {
    fc.assert(
      fc.property(
        fc.maxSafeNat(),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.nat({ max: 10_000 }),
        (a, b, bp) => {
          expect(divideHalfUp(a, b)).toBe(Number(refMulDiv(a, 1, b)));
          expect(percentOf(a, bp)).toBe(Number(refMulDiv(a, bp, 10_000)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parseYuan(formatFen(x)) === x for any non-negative amount up to ¥999,999,999,999.99', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat({ max: 10_000_000 }), fc.nat({ max: 1e14 - 1 })), (fen) => {
        expect(parseYuan(formatFen(fen))).toBe(fen);
      }),
      { numRuns: 1000 },
    );
  });

  it('toHundredths rounds any 3-decimal value half-up exactly', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (k) => {
        // x = k / 1000 ; hundredths = round half-up of k / 10 = ⌊(k + 5) / 10⌋
        expect(toHundredths(k / 1000)).toBe(Math.floor((k + 5) / 10));
      }),
      { numRuns: 2000 },
    );
  });
});
