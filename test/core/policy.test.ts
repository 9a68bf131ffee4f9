import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  PolicyError,
  mergePolicy,
  overridePolicy,
  parsePolicy,
  policyOn,
  readStoredPolicy,
  trackKpis,
  type Policy,
} from '../../src/core/policy.js';

function policyError(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return e as PolicyError;
  }
  throw new Error('expected a PolicyError');
}

describe('DEFAULT_POLICY carries every number of domain.md', () => {
  it('presales KPIs: weights 35/30/20/10/5, targets and caps', () => {
    const k = DEFAULT_POLICY.kpis.presales;
    expect([k.service?.weight, k.service?.target, k.service?.cap]).toEqual([35, 100, 1]);
    expect([k.conversion?.weight, k.conversion?.target, k.conversion?.cap]).toEqual([30, 'team_average', 1.2]);
    expect([k.order_value?.weight, k.order_value?.target, k.order_value?.cap]).toEqual([20, 'team_average', 1.2]);
    expect([k.receptions?.weight, k.receptions?.target, k.receptions?.cap]).toEqual([10, 'team_average', 1.2]);
    expect([k.refund_rate?.weight, k.refund_rate?.direction, k.refund_rate?.target, k.refund_rate?.cap]).toEqual([
      5,
      'lower',
      'team_average',
      1.2,
    ]);
    expect(k.response_time?.weight).toBe(0);
  });

  it('aftersales KPIs: 40/40/20, resolution 0.95 capped at 1.1', () => {
    const k = DEFAULT_POLICY.kpis.aftersales;
    expect([k.service?.weight, k.service?.target, k.service?.cap]).toEqual([40, 100, 1]);
    expect([k.resolution?.weight, k.resolution?.target, k.resolution?.cap]).toEqual([40, 0.95, 1.1]);
    expect([k.receptions?.weight, k.receptions?.target, k.receptions?.cap]).toEqual([20, 'team_average', 1.2]);
  });

  it('pay and awards', () => {
    expect(DEFAULT_POLICY.pay).toEqual({
      baseFen: { trainee: 180_000, regular: 250_000, senior: 300_000, lead: 350_000, supervisor: 400_000 },
      performanceBaseFen: 40_000,
      commissionBasisPoints: 200,
      mealAllowanceFen: 30_000,
    });
    expect(DEFAULT_POLICY.awards.rankFen).toEqual({ '1': 10_000, '2': 5_000 });
    expect(DEFAULT_POLICY.awards.excludedLevels).toEqual(['trainee']);
    expect(DEFAULT_POLICY.awards.minTenureMonths).toBe(3);
    expect(DEFAULT_POLICY.timezone).toBe('Asia/Shanghai');
  });

  it('trackKpis lists KPIs in display order', () => {
    expect(trackKpis(DEFAULT_POLICY, 'presales').map(([key]) => key)).toEqual([
      'service',
      'conversion',
      'order_value',
      'receptions',
      'refund_rate',
      'response_time',
    ]);
    expect(trackKpis(DEFAULT_POLICY, 'aftersales').map(([key]) => key)).toEqual([
      'service',
      'resolution',
      'receptions',
      'response_time',
    ]);
  });

  it('the default policy is itself valid', () => {
    expect(parsePolicy(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });
});

describe('overridePolicy', () => {
  it('changes one rule amount and one KPI weight and keeps everything else', () => {
    const p = overridePolicy(DEFAULT_POLICY, {
      penalties: { rules: { buck_passing: { amountFen: 8000 } } },
      // weights still add up to 100: 35 + 25 + 20 + 10 + 10
      kpis: { presales: { conversion: { weight: 25 }, refund_rate: { weight: 10 } } },
    });
    expect(p.penalties.rules.buck_passing?.amountFen).toBe(8000);
    // the rest of the rule is kept
    expect(p.penalties.rules.buck_passing?.points).toBe(2);
    expect(p.penalties.rules.buck_passing?.aliases).toContain('踢皮球');
    expect(p.penalties.rules.buck_passing?.escalations).toEqual([{ fromCount: 4, action: 'forfeit_commission' }]);
    // other rules untouched
    expect(p.penalties.rules.store_deduction?.amountFen).toBe(50_000);
    // the KPI keeps target, cap and actual
    expect(p.kpis.presales.conversion).toMatchObject({
      weight: 25,
      target: 'team_average',
      cap: 1.2,
      direction: 'higher',
    });
    expect(p.kpis.presales.conversion?.actual).toEqual({
      kind: 'ratio',
      numerator: 'paidCustomers',
      denominator: 'inquiries',
    });
    expect(p.kpis.presales.service?.weight).toBe(35);
    expect(p.kpis.aftersales).toEqual(DEFAULT_POLICY.kpis.aftersales);
    expect(p.pay).toEqual(DEFAULT_POLICY.pay);
  });

  it('does not mutate the base policy', () => {
    const before = JSON.stringify(DEFAULT_POLICY);
    overridePolicy(DEFAULT_POLICY, { pay: { mealAllowanceFen: 1 }, penalties: { rules: { fraud: { points: 99 } } } });
    expect(JSON.stringify(DEFAULT_POLICY)).toBe(before);
  });

  it('can add a new rule and a new KPI', () => {
    const p = overridePolicy(DEFAULT_POLICY, {
      penalties: { rules: { late_reply: { label: { zh: '回复慢', en: 'Late reply' }, amountFen: 1000, points: 1 } } },
      kpis: {
        aftersales: {
          speed: {
            label: { zh: '响应', en: 'Speed' },
            actual: { kind: 'weighted', field: 'avgResponseSec', by: 'receptions' },
            direction: 'lower',
            weight: 10,
            target: 30,
            cap: 1.2,
          },
          // 40 + 40 + 10 + 10 = 100
          receptions: { weight: 10 },
        },
      },
    });
    // defaults filled in by the schema
    expect(p.penalties.rules.late_reply).toMatchObject({
      amountFen: 1000,
      points: 1,
      aliases: [],
      addsLoss: false,
      escalations: [],
      retired: false,
    });
    expect(p.kpis.aftersales.speed?.order).toBe(0);
  });

  it('arrays replace rather than merge (streak tiers)', () => {
    expect(mergePolicy({ a: [1, 2, 3], b: 1 }, { a: [9] })).toEqual({ a: [9], b: 1 });
    const p = overridePolicy(DEFAULT_POLICY, { awards: { streakFen: [{ minMonths: 2, fen: 12_300 }] } });
    expect(p.awards.streakFen).toEqual([{ minMonths: 2, fen: 12_300 }]);
  });

  it('a bad field is named: pay.mealAllowanceFen = -1', () => {
    const e = policyError(() => overridePolicy(DEFAULT_POLICY, { pay: { mealAllowanceFen: -1 } }));
    expect(e.message).toContain('pay.mealAllowanceFen');
    expect(e.path).toBe('pay.mealAllowanceFen');
  });

  it('a fractional fen amount is rejected and named', () => {
    const e = policyError(() =>
      overridePolicy(DEFAULT_POLICY, { penalties: { rules: { buck_passing: { amountFen: 50.5 } } } }),
    );
    expect(e.message).toContain('penalties.rules.buck_passing.amountFen');
  });

  it('a bad KPI weight or cap is named', () => {
    expect(
      policyError(() => overridePolicy(DEFAULT_POLICY, { kpis: { presales: { conversion: { weight: -5 } } } })).message,
    ).toContain('kpis.presales.conversion.weight');
    expect(
      policyError(() => overridePolicy(DEFAULT_POLICY, { kpis: { aftersales: { resolution: { cap: 0 } } } })).message,
    ).toContain('kpis.aftersales.resolution.cap');
  });

  it('a misspelled nested key is rejected, not silently ignored', () => {
    const e = policyError(() => overridePolicy(DEFAULT_POLICY, { pay: { mealAllowance: 35_000 } }));
    expect(e.path).toBe('pay');
    expect(e.message).toMatch(/mealAllowance/);
  });

  it('an unknown top-level key is rejected', () => {
    const e = policyError(() => overridePolicy(DEFAULT_POLICY, { payy: { mealAllowanceFen: 1 } }));
    expect(e.message).toMatch(/payy/);
  });

  it('a bad time zone, rule code or non-object document is rejected', () => {
    expect(policyError(() => overridePolicy(DEFAULT_POLICY, { timezone: 'Mars/Olympus' })).path).toBe('timezone');
    expect(
      policyError(() =>
        overridePolicy(DEFAULT_POLICY, {
          penalties: { rules: { 'Bad Code': { label: { zh: 'x', en: 'x' }, amountFen: 1, points: 1 } } },
        }),
      ).message,
    ).toContain('penalties.rules');
    expect(policyError(() => overridePolicy(DEFAULT_POLICY, [1, 2])).path).toBe('(root)');
    expect(policyError(() => overridePolicy(DEFAULT_POLICY, null)).path).toBe('(root)');
  });

  it('weights adding up to 0 on a track are rejected', () => {
    const zero = { weight: 0 };
    const e = policyError(() =>
      overridePolicy(DEFAULT_POLICY, {
        kpis: { aftersales: { service: zero, resolution: zero, receptions: zero, response_time: zero } },
      }),
    );
    expect(e.path).toBe('kpis.aftersales');
  });

  it('a rule amount above penalties.maxAmountFen is rejected', () => {
    const e = policyError(() =>
      overridePolicy(DEFAULT_POLICY, {
        penalties: { maxAmountFen: 10_000, rules: { store_deduction: { amountFen: 50_000 } } },
      }),
    );
    expect(e.path).toBe('penalties.rules.store_deduction.amountFen');
  });
});

describe('policyOn', () => {
  const december: Policy = overridePolicy(DEFAULT_POLICY, {
    kpis: { presales: { service: { weight: 15 }, conversion: { weight: 50 } } },
  });
  const march: Policy = overridePolicy(DEFAULT_POLICY, { pay: { mealAllowanceFen: 40_000 } });

  it('a December version does not affect November', () => {
    const versions = [{ effectiveFrom: '2026-12-01', policy: december }];
    expect(policyOn(versions, '2026-11-01')).toBe(DEFAULT_POLICY);
    expect(policyOn(versions, '2026-11-30')).toBe(DEFAULT_POLICY);
    expect(policyOn(versions, '2026-11-01').kpis.presales.conversion?.weight).toBe(30);
  });

  it('a version is in force from its effective day on', () => {
    const versions = [{ effectiveFrom: '2026-12-01', policy: december }];
    expect(policyOn(versions, '2026-12-01')).toBe(december);
    expect(policyOn(versions, '2027-06-01')).toBe(december);
  });

  it('picks the latest version on or before the day, whatever the list order', () => {
    const versions = [
      { effectiveFrom: '2027-03-01', policy: march },
      { effectiveFrom: '2026-12-01', policy: december },
    ];
    expect(policyOn(versions, '2027-02-01')).toBe(december);
    expect(policyOn(versions, '2027-03-01')).toBe(march);
    expect(policyOn(versions, '2026-01-01')).toBe(DEFAULT_POLICY);
    expect(policyOn([], '2026-11-01')).toBe(DEFAULT_POLICY);
  });
});

describe('a policy that cannot be paid is refused', () => {
  it("each track's weights must add up to 100, weight-0 KPIs included: 5,000 and 70 are refused, naming the track and its sum", () => {
    const all = (weight: number) => ({
      service: { weight },
      conversion: { weight },
      order_value: { weight },
      receptions: { weight },
      refund_rate: { weight },
    });
    const big = policyError(() => overridePolicy(DEFAULT_POLICY, { kpis: { presales: all(1000) } }));
    expect(big.path).toBe('kpis.presales');
    expect(big.message).toMatch(/^kpis\.presales: .*add up to 5000; they must add up to 100/);
    const short = policyError(() =>
      overridePolicy(DEFAULT_POLICY, { kpis: { aftersales: { resolution: { weight: 10 } } } }),
    );
    expect(short.message).toMatch(/^kpis\.aftersales: .*add up to 70;/);
    // the weight-0 KPI counts: giving it weight makes 105
    expect(
      policyError(() => overridePolicy(DEFAULT_POLICY, { kpis: { presales: { response_time: { weight: 5 } } } }))
        .message,
    ).toMatch(/add up to 105;/);
    // moving weight between KPIs, fractions included, is fine
    const moved = overridePolicy(DEFAULT_POLICY, {
      kpis: { aftersales: { service: { weight: 33.3 }, resolution: { weight: 33.3 }, receptions: { weight: 33.4 } } },
    });
    expect(moved.kpis.aftersales.receptions?.weight).toBe(33.4);
  });

  it('every money setting is at most ¥1,000,000 (100,000,000 fen) and at least 0, and names the field', () => {
    const e = policyError(() => overridePolicy(DEFAULT_POLICY, { pay: { performanceBaseFen: 100_000_000_000_000 } }));
    expect(e.path).toBe('pay.performanceBaseFen');
    expect(e.message).toBe('pay.performanceBaseFen: at most 100000000 fen (¥1,000,000)');
    const settings: Array<[string, (v: number) => unknown]> = [
      ['pay.baseFen.senior', (v) => ({ pay: { baseFen: { senior: v } } })],
      ['pay.performanceBaseFen', (v) => ({ pay: { performanceBaseFen: v } })],
      ['pay.mealAllowanceFen', (v) => ({ pay: { mealAllowanceFen: v } })],
      ['awards.rankFen.1', (v) => ({ awards: { rankFen: { '1': v } } })],
      ['awards.streakFen.0.fen', (v) => ({ awards: { streakFen: [{ minMonths: 2, fen: v }] } })],
      ['penalties.maxAmountFen', (v) => ({ penalties: { maxAmountFen: v } })],
      ['penalties.alertSupervisorsFromFen', (v) => ({ penalties: { alertSupervisorsFromFen: v } })],
      [
        'penalties.rules.fraud.amountFen',
        (v) => ({ penalties: { maxAmountFen: 100_000_000, rules: { fraud: { amountFen: v } } } }),
      ],
    ];
    for (const [path, override] of settings) {
      expect(() => overridePolicy(DEFAULT_POLICY, override(100_000_000)), path).not.toThrow();
      expect(policyError(() => overridePolicy(DEFAULT_POLICY, override(100_000_001))).path).toBe(path);
      expect(policyError(() => overridePolicy(DEFAULT_POLICY, override(-1))).path).toBe(path);
    }
  });

  it('two streak tiers for the same number of months are refused; the order in the file does not matter', () => {
    const dup = policyError(() =>
      overridePolicy(DEFAULT_POLICY, {
        awards: {
          streakFen: [
            { minMonths: 3, fen: 30_000 },
            { minMonths: 3, fen: 90_000 },
          ],
        },
      }),
    );
    expect(dup.path).toBe('awards.streakFen.1.minMonths');
    expect(dup.message).toMatch(/two streak tiers for 3 months/);
    const reversed = overridePolicy(DEFAULT_POLICY, {
      awards: { streakFen: [...DEFAULT_POLICY.awards.streakFen].reverse() },
    });
    expect(reversed.awards.streakFen).toEqual(DEFAULT_POLICY.awards.streakFen);
  });

  it('rule names are normalised (NFKC, trimmed, case-folded) and must be words, each meaning one rule, none a subcommand', () => {
    const rule = (aliases: string[], label = { zh: '偷单', en: 'Stolen order' }) => ({
      label,
      aliases,
      amountFen: 0,
      points: 20,
    });
    const refused = (rules: Record<string, unknown>) =>
      policyError(() => overridePolicy(DEFAULT_POLICY, { penalties: { rules } }));
    // another rule's code, as typed or full-width and in capitals
    expect(refused({ steals_fraud: rule(['fraud']) }).message).toBe(
      'penalties.rules.steals_fraud.aliases.0: "fraud" is also the code of rule fraud; a lead typing it would mean either',
    );
    expect(refused({ steals_fraud: rule(['ok', ' ＦＲＡＵＤ ']) }).path).toBe('penalties.rules.steals_fraud.aliases.1');
    // another rule's alias or label
    expect(refused({ steals_fraud: rule(['Buck-Passing']) }).message).toMatch(
      /"Buck-Passing" is also the code of rule buck_passing/,
    );
    expect(refused({ steals_fraud: rule(['Chatting ']) }).message).toMatch(/is also the alias of rule personal_chat/);
    expect(refused({ steals_fraud: rule([], { zh: '踢皮球', en: 'x' }) }).path).toBe(
      'penalties.rules.steals_fraud.label.zh',
    );
    // nothing but spaces or separators
    expect(refused({ late: rule(['  ']) }).message).toMatch(
      /^penalties\.rules\.late\.aliases\.0: " {2}" is only spaces or separators/,
    );
    expect(refused({ late: rule(['-- ']) }).path).toBe('penalties.rules.late.aliases.0');
    // a /penalty subcommand word, as a code or an alias, in English or Chinese
    expect(refused({ list: rule([]) }).path).toBe('penalties.rules.list');
    expect(refused({ late: rule(['Rules']) }).message).toMatch(/"Rules" is a \/penalty subcommand word/);
    expect(refused({ late: rule(['撤销']) }).path).toBe('penalties.rules.late.aliases.0');
    // a retired rule is never matched, so a new rule may take over its words
    const renamed = overridePolicy(DEFAULT_POLICY, {
      penalties: { rules: { fraud: { retired: true }, steals_fraud: rule(['fraud', '抢单']) } },
    });
    expect(renamed.penalties.rules.steals_fraud?.aliases).toEqual(['fraud', '抢单']);
    // the same name twice for one rule is fine (the default policy's labels repeat their aliases)
    expect(() =>
      overridePolicy(DEFAULT_POLICY, { penalties: { rules: { late: rule(['late', 'ＬＡＴＥ']) } } }),
    ).not.toThrow();
  });

  it('a version stored before these rules existed is still read, so a team is never locked out', () => {
    const doc = JSON.parse(JSON.stringify(DEFAULT_POLICY));
    doc.pay.performanceBaseFen = 100_000_000_000_000;
    doc.kpis.presales.service.weight = 935;
    doc.awards.streakFen = [
      { minMonths: 6, fen: 60_000 },
      { minMonths: 2, fen: 20_000 },
    ];
    const stored = readStoredPolicy(doc);
    expect(stored.pay.performanceBaseFen).toBe(100_000_000_000_000);
    expect(stored.awards.streakFen.map((t) => t.minMonths)).toEqual([2, 6]);
    // the next change must fix it: the whole merged policy is checked
    expect(policyError(() => overridePolicy(stored, { pay: { mealAllowanceFen: 1 } })).path).toBe(
      'pay.performanceBaseFen',
    );
    expect(policyError(() => overridePolicy(stored, { pay: { performanceBaseFen: 40_000 } })).path).toBe(
      'kpis.presales',
    );
    // its shape is still checked
    expect(() => readStoredPolicy({ ...doc, pay: { ...doc.pay, mealAllowanceFen: -1 } })).toThrow(
      /pay\.mealAllowanceFen/,
    );
  });
});
