import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, overridePolicy, type Policy, type Track } from '../../src/core/policy.js';
import {
  GMV,
  actualOf,
  kpiRatio,
  rankTrack,
  scoreTrack,
  sharedRanks,
  sumRows,
  sumsKey,
  sumsNeeded,
  toHundredths,
  type MemberScore,
  type MetricRow,
} from '../../src/core/score.js';
import { row } from './helpers.js';

interface Agent {
  id: number;
  rows: MetricRow[];
  penaltyPoints?: number;
}

function score(track: Track, agents: Agent[], policy: Policy = DEFAULT_POLICY): MemberScore[] {
  const defs = sumsNeeded(policy, track);
  return scoreTrack(
    policy,
    track,
    agents.map((a) => ({ memberId: a.id, sums: sumRows(a.rows, defs), penaltyPoints: a.penaltyPoints ?? 0 })),
  );
}

function of(scores: MemberScore[], id: number): MemberScore {
  const s = scores.find((x) => x.memberId === id);
  if (!s) throw new Error(`no score for member ${id}`);
  return s;
}

function kpi(s: MemberScore, key: string) {
  const k = s.kpis.find((x) => x.key === key);
  if (!k) throw new Error(`no KPI ${key}`);
  return k;
}

const CONVERSION = { kind: 'ratio', numerator: 'paidCustomers', denominator: 'inquiries' } as const;
const SERVICE = { kind: 'weighted', field: 'serviceScore', by: 'receptions' } as const;
const RECEPTIONS = { kind: 'sum', field: 'receptions' } as const;

describe('sumRows: rates from summed counts', () => {
  it('month conversion is Σ paid / Σ inquiries, not the mean of daily rates', () => {
    // day 1: 1/1 = 100 %, day 2: 1/9 ≈ 11 %. Mean of daily rates would be 0.5556; the month rate is 2/10 = 0.2
    const sums = sumRows(
      [row({ inquiries: 1, paidCustomers: 1 }), row({ inquiries: 9, paidCustomers: 1 })],
      [CONVERSION],
    );
    expect(sums[sumsKey(CONVERSION)]).toEqual({ numerator: 2, denominator: 10, rows: 2 });
    expect(actualOf(CONVERSION, sums[sumsKey(CONVERSION)])).toBe(0.2);
  });

  it('a row with an empty numerator or denominator is left out of both sums', () => {
    const sums = sumRows(
      [
        row({ inquiries: 10, paidCustomers: 5 }),
        row({ inquiries: 10, paidCustomers: null }), // would make 5/20 if inquiries were still counted
        row({ inquiries: null, paidCustomers: 3 }), // would make 8/10 if paid were still counted
      ],
      [CONVERSION],
    );
    expect(sums[sumsKey(CONVERSION)]).toEqual({ numerator: 5, denominator: 10, rows: 1 });
    expect(actualOf(CONVERSION, sums[sumsKey(CONVERSION)])).toBe(0.5);
  });

  it('a sum KPI skips empty cells but counts zeros', () => {
    const sums = sumRows(
      [row({ receptions: 5 }), row({ receptions: null }), row({ receptions: 0 }), row({ receptions: 7 })],
      [RECEPTIONS],
    );
    expect(sums[sumsKey(RECEPTIONS)]).toEqual({ numerator: 12, denominator: 0, rows: 3 });
    expect(actualOf(RECEPTIONS, sums[sumsKey(RECEPTIONS)])).toBe(12);
  });

  it('service_score is weighted by receptions', () => {
    // (90 × 10 + 60 × 30) / (10 + 30) = 2700 / 40 = 67.5, not the plain mean 75; the row without a score is left out
    const sums = sumRows(
      [
        row({ serviceScore: 90, receptions: 10 }),
        row({ serviceScore: 60, receptions: 30 }),
        row({ serviceScore: null, receptions: 100 }),
      ],
      [SERVICE],
    );
    expect(sums[sumsKey(SERVICE)]).toEqual({ numerator: 2700, denominator: 40, rows: 2 });
    expect(actualOf(SERVICE, sums[sumsKey(SERVICE)])).toBe(67.5);
  });

  it('no rows gives empty sums for every definition asked', () => {
    const sums = sumRows([], [CONVERSION, RECEPTIONS]);
    expect(sums).toEqual({
      'ratio:paidCustomers/inquiries': { numerator: 0, denominator: 0, rows: 0 },
      'sum:receptions': { numerator: 0, denominator: 0, rows: 0 },
    });
  });

  it('sumsNeeded covers every KPI of the track plus gmv, each once', () => {
    const keys = sumsNeeded(DEFAULT_POLICY, 'presales').map(sumsKey).sort();
    expect(keys).toEqual(
      [
        'sum:gmvFen',
        'weighted:serviceScore*receptions',
        'ratio:paidCustomers/inquiries',
        'ratio:gmvFen/paidCustomers',
        'sum:receptions',
        'ratio:refundCustomers/paidCustomers',
        'weighted:avgResponseSec*receptions',
      ].sort(),
    );
    const after = sumsNeeded(DEFAULT_POLICY, 'aftersales').map(sumsKey).sort();
    expect(after).toEqual(
      [
        'sum:gmvFen',
        'weighted:serviceScore*receptions',
        'ratio:resolved/cases',
        'sum:receptions',
        'weighted:avgResponseSec*receptions',
      ].sort(),
    );
    expect(sumsKey(GMV)).toBe('sum:gmvFen');
  });
});

describe('actualOf', () => {
  it('no sums, no rows, or a 0 denominator is "no data" (null)', () => {
    expect(actualOf(CONVERSION, undefined)).toBeNull();
    expect(actualOf(CONVERSION, { numerator: 0, denominator: 0, rows: 0 })).toBeNull();
    expect(actualOf(CONVERSION, { numerator: 0, denominator: 0, rows: 3 })).toBeNull();
    expect(actualOf(RECEPTIONS, { numerator: 0, denominator: 0, rows: 0 })).toBeNull();
  });

  it('a sum with rows is data even when it is 0; a ratio with a positive denominator is data even at 0', () => {
    expect(actualOf(RECEPTIONS, { numerator: 0, denominator: 0, rows: 2 })).toBe(0);
    expect(actualOf(CONVERSION, { numerator: 0, denominator: 12, rows: 2 })).toBe(0);
  });
});

describe('kpiRatio', () => {
  const higher = { direction: 'higher', cap: 1.2 } as const;
  const lower = { direction: 'lower', cap: 1.2 } as const;

  it('higher-is-better is actual / target', () => {
    expect(kpiRatio(higher, 0.2, 0.25)).toBeCloseTo(0.8, 12);
  });

  it('lower-is-better is target / actual, and actual 0 gives the cap', () => {
    expect(kpiRatio(lower, 0.25, 0.175)).toBeCloseTo(0.7, 12);
    expect(kpiRatio(lower, 0, 0.175)).toBe(1.2);
  });

  it('a target of 0 gives a ratio of 1 in both directions', () => {
    expect(kpiRatio(higher, 5, 0)).toBe(1);
    expect(kpiRatio(higher, 0, 0)).toBe(1);
    expect(kpiRatio(lower, 3, 0)).toBe(1);
    expect(kpiRatio(lower, 0, 0)).toBe(1);
  });

  it('no data on either side gives no ratio', () => {
    expect(kpiRatio(higher, null, 1)).toBeNull();
    expect(kpiRatio(higher, 1, null)).toBeNull();
  });
});

describe('toHundredths', () => {
  it('rounds half-up to 2 decimals despite binary noise', () => {
    // 93.445 is stored as 93.44499999999999..., a naive Math.round(x*100) gives 9344
    expect(toHundredths(93.445)).toBe(9345);
    expect(toHundredths(1.005)).toBe(101); // 1.00499999999999989...
    expect(toHundredths(2.675)).toBe(268);
    expect(toHundredths(33.625)).toBe(3363);
  });

  it('rounds below half down and keeps exact values', () => {
    expect(toHundredths(93.444)).toBe(9344);
    expect(toHundredths(80)).toBe(8000);
    expect(toHundredths(0)).toBe(0);
    expect(toHundredths(0.004)).toBe(0);
    expect(toHundredths(0.005)).toBe(1);
    expect(toHundredths(0.1 + 0.2)).toBe(30);
    expect(toHundredths(29.999999999999993)).toBe(3000);
  });
});

describe('scoreTrack: presales, worked example by hand', () => {
  // Agent 1, two days:
  //   inquiries 20+30=50, paid 5+5=10, receptions 30+20=50, gmv 50000+30000=80000, refunds 1+0=1,
  //   service (90×30 + 80×20)/50 = 4300/50 = 86
  // Agent 2, one day: inquiries 40, paid 12, receptions 70, gmv 72000, refunds 3, service 95
  const agents: Agent[] = [
    {
      id: 1,
      rows: [
        row({ inquiries: 20, paidCustomers: 5, receptions: 30, gmvFen: 50_000, refundCustomers: 1, serviceScore: 90 }),
        row({ inquiries: 30, paidCustomers: 5, receptions: 20, gmvFen: 30_000, refundCustomers: 0, serviceScore: 80 }),
      ],
    },
    {
      id: 2,
      rows: [
        row({ inquiries: 40, paidCustomers: 12, receptions: 70, gmvFen: 72_000, refundCustomers: 3, serviceScore: 95 }),
      ],
    },
  ];
  const scores = score('presales', agents);

  it('each KPI: actual, team-average target and points', () => {
    const a = of(scores, 1);
    const b = of(scores, 2);
    // service: fixed target 100, cap 1.0 → 35 × 0.86 = 30.1 ; 35 × 0.95 = 33.25
    expect(kpi(a, 'service').actual).toBe(86);
    expect(kpi(a, 'service').target).toBe(100);
    expect(kpi(a, 'service').points).toBeCloseTo(30.1, 9);
    expect(kpi(b, 'service').points).toBeCloseTo(33.25, 9);
    // conversion: 10/50 = 0.2 and 12/40 = 0.3, team average 0.25 → 30 × 0.8 = 24 ; 30 × 1.2 = 36 (at the cap)
    expect(kpi(a, 'conversion').actual).toBeCloseTo(0.2, 12);
    expect(kpi(a, 'conversion').target).toBeCloseTo(0.25, 12);
    expect(kpi(a, 'conversion').points).toBeCloseTo(24, 9);
    expect(kpi(b, 'conversion').points).toBeCloseTo(36, 9);
    // order value: 80000/10 = 8000 and 72000/12 = 6000, average 7000 → 20 × 8/7 = 22.857… ; 20 × 6/7 = 17.142…
    expect(kpi(a, 'order_value').actual).toBe(8000);
    expect(kpi(a, 'order_value').target).toBe(7000);
    expect(kpi(a, 'order_value').points).toBeCloseTo(160 / 7, 9);
    expect(kpi(b, 'order_value').points).toBeCloseTo(120 / 7, 9);
    // receptions: 50 and 70, average 60 → 10 × 5/6 = 8.333… ; 10 × 7/6 = 11.666…
    expect(kpi(a, 'receptions').target).toBe(60);
    expect(kpi(a, 'receptions').points).toBeCloseTo(50 / 6, 9);
    expect(kpi(b, 'receptions').points).toBeCloseTo(70 / 6, 9);
    // refund rate (lower): 1/10 = 0.1 and 3/12 = 0.25, average 0.175 → 0.175/0.1 = 1.75 capped to 1.2 → 6 ;
    // 0.175/0.25 = 0.7 → 3.5
    expect(kpi(a, 'refund_rate').target).toBeCloseTo(0.175, 12);
    expect(kpi(a, 'refund_rate').ratio).toBeCloseTo(1.75, 9);
    expect(kpi(a, 'refund_rate').points).toBeCloseTo(6, 9);
    expect(kpi(b, 'refund_rate').points).toBeCloseTo(3.5, 9);
    // response time has no data and weight 0
    expect(kpi(a, 'response_time').actual).toBeNull();
    expect(kpi(a, 'response_time').points).toBe(0);
  });

  it('totals: 91.290476… → 91.29 and 101.559523… → 101.56', () => {
    // 30.1 + 24 + 22.857142857 + 8.333333333 + 6 = 91.290476190
    expect(of(scores, 1).scoreHundredths).toBe(9129);
    expect(of(scores, 1).score).toBe(91.29);
    // 33.25 + 36 + 17.142857143 + 11.666666667 + 3.5 = 101.559523810
    expect(of(scores, 2).scoreHundredths).toBe(10156);
    expect(of(scores, 2).score).toBe(101.56);
  });

  it('breakdown is in display order and names the track', () => {
    expect(of(scores, 1).kpis.map((k) => k.key)).toEqual([
      'service',
      'conversion',
      'order_value',
      'receptions',
      'refund_rate',
      'response_time',
    ]);
    expect(of(scores, 1).track).toBe('presales');
  });

  it('ranks the better agent first', () => {
    const ranked = rankTrack(scores);
    expect(ranked.map((r) => [r.memberId, r.rank])).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('penalty points come off the total: 91.290476… − 2 = 89.29', () => {
    const withPenalty = score('presales', [{ ...agents[0]!, penaltyPoints: 2 }, agents[1]!]);
    expect(of(withPenalty, 1).scoreHundredths).toBe(8929);
    expect(of(withPenalty, 1).penaltyPoints).toBe(2);
    // the other agent's score and targets are unaffected
    expect(of(withPenalty, 2).scoreHundredths).toBe(10156);
  });
});

describe('scoreTrack: rates and team averages', () => {
  it('uses the month rate from summed counts (1/1 and 1/9 → 0.2), not averaged daily rates (0.5556)', () => {
    // Agent 1: 2/10 = 0.2 ; agent 2: 2/10 = 0.2 → team average 0.2 → both exactly at average → 30 points.
    // Had agent 1's daily rates been averaged (0.5556), agent 1 would be capped at 36 and agent 2 far lower.
    const scores = score('presales', [
      { id: 1, rows: [row({ inquiries: 1, paidCustomers: 1 }), row({ inquiries: 9, paidCustomers: 1 })] },
      { id: 2, rows: [row({ inquiries: 10, paidCustomers: 2 })] },
    ]);
    expect(kpi(of(scores, 1), 'conversion').actual).toBeCloseTo(0.2, 12);
    expect(of(scores, 1).scoreHundredths).toBe(3000);
    expect(of(scores, 2).scoreHundredths).toBe(3000);
  });

  it('an agent exactly at the team average earns the full weight', () => {
    // conversions 0.1, 0.2, 0.3 → average 0.2 → 30 × 0.5 = 15, 30 × 1 = 30, 30 × 1.5 capped at 1.2 = 36
    const scores = score('presales', [
      { id: 1, rows: [row({ inquiries: 10, paidCustomers: 1 })] },
      { id: 2, rows: [row({ inquiries: 10, paidCustomers: 2 })] },
      { id: 3, rows: [row({ inquiries: 10, paidCustomers: 3 })] },
    ]);
    expect(of(scores, 1).scoreHundredths).toBe(1500);
    expect(of(scores, 2).scoreHundredths).toBe(3000);
    expect(of(scores, 3).scoreHundredths).toBe(3600);
  });

  it('denominator 0 is no data: 0 points and left out of the team average', () => {
    // agent 1 has 0 inquiries. Team average over agents 2 and 3 only: (0.2 + 0.4)/2 = 0.3
    // (if agent 1 counted as 0, the average would be 0.2 and agent 2 would get 30).
    // agent 2: 30 × 0.2/0.3 = 20 ; agent 3: 30 × min(0.4/0.3, 1.2) = 36
    const scores = score('presales', [
      { id: 1, rows: [row({ inquiries: 0, paidCustomers: 0 })] },
      { id: 2, rows: [row({ inquiries: 10, paidCustomers: 2 })] },
      { id: 3, rows: [row({ inquiries: 10, paidCustomers: 4 })] },
    ]);
    const a = kpi(of(scores, 1), 'conversion');
    expect(a.actual).toBeNull();
    expect(a.ratio).toBeNull();
    expect(a.points).toBe(0);
    expect(a.target).toBeCloseTo(0.3, 12);
    expect(of(scores, 1).scoreHundredths).toBe(0);
    expect(of(scores, 2).scoreHundredths).toBe(2000);
    expect(of(scores, 3).scoreHundredths).toBe(3600);
  });

  it('an agent with rows but no data at all scores 0 and does not move the averages', () => {
    const scores = score('presales', [
      { id: 1, rows: [row()] },
      { id: 2, rows: [row({ receptions: 40 })] },
      { id: 3, rows: [row({ receptions: 60 })] },
    ]);
    // average receptions over agents 2 and 3 = 50 → 10 × 0.8 = 8 and 10 × 1.2 = 12
    expect(of(scores, 1).scoreHundredths).toBe(0);
    expect(kpi(of(scores, 1), 'receptions').target).toBe(50);
    expect(of(scores, 2).scoreHundredths).toBe(800);
    expect(of(scores, 3).scoreHundredths).toBe(1200);
  });

  it('a KPI nobody has data for gives everyone 0 points and no target', () => {
    const scores = score('presales', [{ id: 1, rows: [row({ receptions: 10 })] }]);
    const conv = kpi(of(scores, 1), 'conversion');
    expect(conv.target).toBeNull();
    expect(conv.points).toBe(0);
    // alone on the track, the single agent is the team average for receptions → 10 points
    expect(of(scores, 1).scoreHundredths).toBe(1000);
  });

  it('caps: presales conversion at 1.2, service at 1.0', () => {
    // conversions 0.1 and 0.9 → average 0.5 → 0.9/0.5 = 1.8 → capped 1.2 → 36 (not 54)
    const scores = score('presales', [
      { id: 1, rows: [row({ inquiries: 10, paidCustomers: 1 })] },
      { id: 2, rows: [row({ inquiries: 10, paidCustomers: 9, serviceScore: 120, receptions: 0 })] },
    ]);
    expect(kpi(of(scores, 2), 'conversion').ratio).toBeCloseTo(1.8, 12);
    expect(kpi(of(scores, 2), 'conversion').points).toBeCloseTo(36, 9);
    // service 120 with 0 receptions has no weight → no data
    expect(kpi(of(scores, 2), 'service').actual).toBeNull();

    // service 120 (out of range data) over target 100 → ratio 1.2 capped to 1.0 → 35, never more
    const svc = score('presales', [{ id: 1, rows: [row({ serviceScore: 120, receptions: 10 })] }]);
    expect(kpi(of(svc, 1), 'service').points).toBe(35);
    // + receptions alone on the track = average → 10; total 45
    expect(of(svc, 1).scoreHundredths).toBe(4500);
  });

  it('service is weighted by receptions in the score too: 67.5 → 35 × 0.675 = 23.625', () => {
    // (90×10 + 60×30)/40 = 67.5. Receptions 40 alone on the track = average → 10. 33.625 → 33.63 (half-up)
    const scores = score('presales', [
      { id: 1, rows: [row({ serviceScore: 90, receptions: 10 }), row({ serviceScore: 60, receptions: 30 })] },
    ]);
    expect(kpi(of(scores, 1), 'service').actual).toBe(67.5);
    expect(kpi(of(scores, 1), 'service').points).toBeCloseTo(23.625, 9);
    expect(of(scores, 1).scoreHundredths).toBe(3363);
  });

  it('refund rate is lower-is-better; a refund rate of 0 gets the cap', () => {
    // refund rates 1/10 = 0.1, 3/10 = 0.3, 0/10 = 0 → average 0.4/3 = 0.1333…
    // agent 1: 0.1333/0.1 = 1.333 → capped 1.2 → 6 ; agent 2: 0.1333/0.3 = 0.4444 → 5 × 0.4444 = 2.2222 → 2.22 ;
    // agent 3: actual 0 → cap 1.2 → 6
    const scores = score('presales', [
      { id: 1, rows: [row({ paidCustomers: 10, refundCustomers: 1 })] },
      { id: 2, rows: [row({ paidCustomers: 10, refundCustomers: 3 })] },
      { id: 3, rows: [row({ paidCustomers: 10, refundCustomers: 0 })] },
    ]);
    expect(of(scores, 1).scoreHundredths).toBe(600);
    expect(of(scores, 2).scoreHundredths).toBe(222);
    expect(kpi(of(scores, 3), 'refund_rate').ratio).toBe(1.2);
    expect(of(scores, 3).scoreHundredths).toBe(600);
  });

  it('a team-average target of 0 gives every agent with data a ratio of 1', () => {
    // nobody had a refund → average 0 → ratio 1 → 5 points each (not the 1.2 cap)
    const scores = score('presales', [
      { id: 1, rows: [row({ paidCustomers: 10, refundCustomers: 0 })] },
      { id: 2, rows: [row({ paidCustomers: 5, refundCustomers: 0 })] },
    ]);
    expect(kpi(of(scores, 1), 'refund_rate').target).toBe(0);
    expect(kpi(of(scores, 1), 'refund_rate').ratio).toBe(1);
    expect(of(scores, 1).scoreHundredths).toBe(500);
    expect(of(scores, 2).scoreHundredths).toBe(500);
  });

  it('a fixed target of 0 gives a ratio of 1 too', () => {
    const policy = overridePolicy(DEFAULT_POLICY, { kpis: { presales: { service: { target: 0 } } } });
    const scores = score('presales', [{ id: 1, rows: [row({ serviceScore: 40, receptions: 5 })] }], policy);
    expect(kpi(of(scores, 1), 'service').ratio).toBe(1);
    expect(kpi(of(scores, 1), 'service').points).toBe(35);
  });
});

describe('scoreTrack: aftersales', () => {
  it('worked example with the fixed 0.95 resolution target and receptions cap', () => {
    // agent 1: service 100 → 40 ; resolution 10/10 = 1 → 1/0.95 = 1.0526 (< cap 1.1) → 42.105263 ;
    //          receptions 100 vs average (100+20)/2 = 60 → 1.667 capped 1.2 → 24 ; total 106.105263 → 106.11
    // agent 2: service 80 → 32 ; resolution 9/10 = 0.9 → 0.9/0.95 = 0.947368 → 37.894737 ;
    //          receptions 20/60 = 0.3333 → 6.666667 ; total 76.561404 → 76.56
    const scores = score('aftersales', [
      { id: 1, rows: [row({ serviceScore: 100, receptions: 100, cases: 10, resolved: 10 })] },
      { id: 2, rows: [row({ serviceScore: 80, receptions: 20, cases: 10, resolved: 9 })] },
    ]);
    expect(kpi(of(scores, 1), 'resolution').target).toBe(0.95);
    expect(kpi(of(scores, 1), 'resolution').points).toBeCloseTo(40 / 0.95, 9);
    expect(kpi(of(scores, 1), 'receptions').points).toBeCloseTo(24, 9);
    expect(of(scores, 1).scoreHundredths).toBe(10611);
    expect(of(scores, 2).scoreHundredths).toBe(7656);
    expect(of(scores, 1).kpis.map((k) => k.key)).toEqual(['service', 'resolution', 'receptions', 'response_time']);
  });

  it('resolution is capped at 1.1', () => {
    // bad data: 12 resolved of 10 cases → 1.2/0.95 = 1.263 → capped 1.1 → 44
    const scores = score('aftersales', [{ id: 1, rows: [row({ cases: 10, resolved: 12 })] }]);
    expect(kpi(of(scores, 1), 'resolution').points).toBeCloseTo(44, 9);
    expect(of(scores, 1).scoreHundredths).toBe(4400);
  });
});

describe('scoreTrack: penalties and rounding', () => {
  const atAverage: Agent[] = [
    { id: 1, rows: [row({ inquiries: 10, paidCustomers: 2 })] },
    { id: 2, rows: [row({ inquiries: 10, paidCustomers: 2 })] },
  ];

  it('penalty points are subtracted: 30 − 4 = 26.00', () => {
    const scores = score('presales', [{ ...atAverage[0]!, penaltyPoints: 4 }, atAverage[1]!]);
    expect(of(scores, 1).kpiPoints).toBeCloseTo(30, 9);
    expect(of(scores, 1).scoreHundredths).toBe(2600);
    expect(of(scores, 2).scoreHundredths).toBe(3000);
  });

  it('the score is floored at 0: 30 − 50 → 0, never negative', () => {
    const scores = score('presales', [{ ...atAverage[0]!, penaltyPoints: 50 }, atAverage[1]!]);
    expect(of(scores, 1).scoreHundredths).toBe(0);
    expect(of(scores, 1).score).toBe(0);
    expect(of(scores, 1).penaltyPoints).toBe(50);
  });

  it('rounds only at the end: 23.625 + 0.125 = 23.75, not 23.63 + 0.13 = 23.76', () => {
    // receptions target fixed at 800: 10 receptions → 10 × 10/800 = 0.125 points
    // service (90×5 + 45×5)/10 = 67.5 → 35 × 0.675 = 23.625 points
    const policy = overridePolicy(DEFAULT_POLICY, { kpis: { presales: { receptions: { target: 800 } } } });
    const scores = score(
      'presales',
      [{ id: 1, rows: [row({ serviceScore: 90, receptions: 5 }), row({ serviceScore: 45, receptions: 5 })] }],
      policy,
    );
    expect(kpi(of(scores, 1), 'receptions').points).toBeCloseTo(0.125, 12);
    expect(of(scores, 1).scoreHundredths).toBe(2375);
  });

  it('the same function scores one day: day 1 alone is 1/1 conversion', () => {
    const day1 = [row({ inquiries: 1, paidCustomers: 1 })];
    const scores = score('presales', [
      { id: 1, rows: day1 },
      { id: 2, rows: [row({ inquiries: 2, paidCustomers: 1 })] },
    ]);
    // 1.0 and 0.5, average 0.75 → 1/0.75 = 1.333 capped → 36 ; 0.5/0.75 = 0.6667 → 20
    expect(of(scores, 1).scoreHundredths).toBe(3600);
    expect(of(scores, 2).scoreHundredths).toBe(2000);
  });

  it('scoreHundredths and score agree, and an empty track scores nobody', () => {
    expect(scoreTrack(DEFAULT_POLICY, 'presales', [])).toEqual([]);
  });
});

describe('ranking', () => {
  function ms(memberId: number, scoreHundredths: number, kpiPoints = scoreHundredths / 100): MemberScore {
    return {
      memberId,
      track: 'presales',
      kpis: [],
      kpiPoints,
      penaltyPoints: 0,
      scoreHundredths,
      score: scoreHundredths / 100,
    };
  }

  it('sharedRanks gives 1, 1, 3', () => {
    const ranks = sharedRanks(
      [
        { id: 10, v: 90 },
        { id: 11, v: 90 },
        { id: 12, v: 80 },
      ],
      (x) => x.id,
      (x) => x.v,
    );
    expect([ranks.get(10), ranks.get(11), ranks.get(12)]).toEqual([1, 1, 3]);
  });

  it('sharedRanks: 1, 2, 2, 4 and a single item is rank 1', () => {
    const items = [
      { id: 1, v: 10 },
      { id: 2, v: 70 },
      { id: 3, v: 50 },
      { id: 4, v: 50 },
    ];
    const ranks = sharedRanks(
      items,
      (x) => x.id,
      (x) => x.v,
    );
    expect(Object.fromEntries(ranks)).toEqual({ 1: 4, 2: 1, 3: 2, 4: 2 });
    expect(
      sharedRanks(
        [{ id: 5, v: 0 }],
        (x) => x.id,
        (x) => x.v,
      ).get(5),
    ).toBe(1);
  });

  it('rankTrack: scores equal after rounding share a rank, the next rank skips, best first', () => {
    // 93.45 twice (their unrounded points differ), then 80.00
    const ranked = rankTrack([ms(3, 8000), ms(2, 9345, 93.4451), ms(1, 9345, 93.4469)]);
    expect(ranked.map((r) => [r.memberId, r.rank])).toEqual([
      [1, 1],
      [2, 1],
      [3, 3],
    ]);
  });

  it('rankTrack: all tied are all first', () => {
    const ranked = rankTrack([ms(1, 0), ms(2, 0), ms(3, 0)]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 1, 1]);
  });
});
