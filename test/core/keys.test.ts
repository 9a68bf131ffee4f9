// Property tests: any string as a rule code, alias, label, KPI name, award rank or policy key is either
// data that works through every lookup, or refused by validation naming where it is: never a name
// JavaScript objects inherit (constructor, toString, __proto__) read as if it were data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awardAmount } from '../../src/core/awards.js';
import { own, ownRecord, withoutPrototypes } from '../../src/core/keys.js';
import {
  escalationsTriggeredAt,
  matchRule,
  ruleNameKey,
  summarisePenalties,
  type PenaltyRecord,
} from '../../src/core/penalties.js';
import {
  DEFAULT_POLICY,
  PolicyError,
  TRACK_WORDS,
  TRACKS,
  mergePolicy,
  overridePolicy,
  trackKpis,
  type Policy,
} from '../../src/core/policy.js';
import { scoreTrack, sumRows, sumsNeeded, type MetricRow } from '../../src/core/score.js';
import { outsideKey } from '../support/keys.js';

const RUNS = { numRuns: 300 };

/** A policy file as `policy set` reads it: JSON text, so "__proto__" is an own key as in a real file. */
function fromFile(doc: string): unknown {
  return JSON.parse(doc);
}
const key = (k: string) => JSON.stringify(k);

/** The policy an override gives, or the refusal naming where it is wrong. */
function tryOverride(doc: string): { policy: Policy } | { refused: PolicyError } {
  try {
    return { policy: overridePolicy(DEFAULT_POLICY, fromFile(doc)) };
  } catch (e) {
    if (e instanceof PolicyError) return { refused: e };
    throw e;
  }
}

const rule = (extra = '') =>
  `{"label":{"zh":"新规则","en":"New rule"},"amountFen":1000,"points":1,"escalations":[{"fromCount":2,"action":"forfeit_commission"}]${extra}}`;

function penalties(codes: readonly (string | null)[]): PenaltyRecord[] {
  return codes.map((ruleCode, i) => ({
    id: i + 1,
    memberId: 7,
    ruleCode,
    amountFen: 100,
    points: 1,
    occurredOn: '2026-11-05',
    status: 'active',
  }));
}

/** Every object in a parsed policy has no prototype: nothing in it is found by an inherited name. */
function expectNoPrototypes(value: unknown): void {
  if (Array.isArray(value)) value.forEach(expectNoPrototypes);
  else if (typeof value === 'object' && value !== null) {
    expect(Object.getPrototypeOf(value)).toBeNull();
    Object.values(value).forEach(expectNoPrototypes);
  }
}

describe('own and ownRecord', () => {
  it('own finds exactly the entries a record holds, whatever the key', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(outsideKey, fc.integer())), outsideKey, (entries, probe) => {
        const byMap = new Map(entries);
        expect(own(ownRecord(entries), probe)).toBe(byMap.get(probe));
        // a plain object built by JSON.parse too
        const parsed = JSON.parse(`{${entries.map(([k, v]) => `${key(k)}:${v}`).join(',')}}`) as Record<string, number>;
        expect(own(parsed, probe)).toBe(byMap.get(probe));
      }),
      RUNS,
    );
  });

  it('withoutPrototypes keeps every entry, "__proto__" included, and leaves no prototype', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(outsideKey, fc.integer())), (entries) => {
        const parsed = JSON.parse(`{"a":[{${entries.map(([k, v]) => `${key(k)}:${v}`).join(',')}}]}`) as unknown;
        const copy = withoutPrototypes(parsed) as { a: Array<Record<string, number>> };
        expectNoPrototypes(copy);
        expect(new Map(Object.entries(copy.a[0]!))).toEqual(new Map(entries));
      }),
      RUNS,
    );
  });
});

describe('a policy key from a file is data or refused', () => {
  it('"__proto__" anywhere is refused, naming its path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ['{"__proto__":{}}', '__proto__'],
          [`{"penalties":{"rules":{"__proto__":${rule()}}}}`, 'penalties.rules.__proto__'],
          [`{"penalties":{"rules":{"late":${rule(',"__proto__":{}')}}}}`, 'penalties.rules.late.__proto__'],
          ['{"kpis":{"aftersales":{"__proto__":{}}}}', 'kpis.aftersales.__proto__'],
          ['{"import":{"columns":{"__proto__":"date"}}}', 'import.columns.__proto__'],
          ['{"awards":{"rankFen":{"__proto__":1}}}', 'awards.rankFen.__proto__'],
          ['{"people":{"promotions":[{"__proto__":{}}]}}', 'people.promotions.0.__proto__'],
        ),
        ([doc, path]) => {
          const r = tryOverride(doc);
          expect('refused' in r && r.refused.path).toBe(path);
          expect('refused' in r && r.refused.problem).toEqual({ kind: 'reserved_key', key: '__proto__' });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('any key at the root, in pay or in a rule: refused naming where it is, unless it is a real setting', () => {
    fc.assert(
      fc.property(
        outsideKey,
        fc.constantFrom(
          (k: string) => [`{${key(k)}:1}`, ''],
          (k: string) => [`{"pay":{${key(k)}:1}}`, 'pay'],
          (k: string) => [`{"penalties":{"rules":{"fraud":{${key(k)}:1}}}}`, 'penalties.rules.fraud'],
        ),
        (k, at) => {
          const [doc, where] = at(k) as [string, string];
          const r = tryOverride(doc);
          // a real setting given 1 may be valid (pay.mealAllowanceFen); anything else is refused
          if ('policy' in r) {
            expect(Object.hasOwn(where ? r.policy.pay : r.policy, k)).toBe(true);
            expectNoPrototypes(r.policy);
            return;
          }
          const { path, problem } = r.refused;
          if (k === '__proto__') expect(problem).toEqual({ kind: 'reserved_key', key: k });
          // at the key itself (a setting given a wrong value), or its object naming it as unknown
          if (path !== (where ? `${where}.${k}` : k)) {
            expect(path).toBe(where || '(root)');
            expect(problem.kind === 'field' && problem.message).toContain('Unrecognized key');
          }
        },
      ),
      RUNS,
    );
  });

  it('a mergePolicy onto the policy keeps own keys only: an inherited name is new data, not a merge target', () => {
    fc.assert(
      fc.property(outsideKey, fc.integer(), (k, v) => {
        const merged = mergePolicy({ a: { b: 1 } }, fromFile(`{"a":{${key(k)}:${v}}}`)) as {
          a: Record<string, unknown>;
        };
        expect(Object.hasOwn(merged.a, k)).toBe(true);
        expect(merged.a[k]).toBe(v);
        expect(Object.getPrototypeOf(merged.a)).toBeNull();
      }),
      RUNS,
    );
  });
});

describe('any rule code', () => {
  it('is refused naming penalties.rules.<code>, or works: matched, counted, escalated, looked up', () => {
    fc.assert(
      fc.property(outsideKey, fc.integer({ min: 1, max: 4 }), (code, n) => {
        const r = tryOverride(`{"penalties":{"rules":{${key(code)}:${rule()}}}}`);
        if ('refused' in r) {
          expect(r.refused.path).toBe(`penalties.rules.${code}`);
          return;
        }
        const policy = r.policy;
        expectNoPrototypes(policy);
        expect(own(policy.penalties.rules, code)?.label.en).toBe('New rule');
        const typed = matchRule(policy, code);
        expect(typed).toMatchObject({ kind: 'rule', code });
        // the nth occurrence: counted as n, and the 2nd escalates
        const month = summarisePenalties(policy, 7, penalties(Array.from({ length: n }, () => code)));
        expect(own(month.counts, code)).toBe(n);
        expect(Object.keys(month.counts)).toEqual([code]);
        expect(month.commissionForfeited).toBe(n >= 2);
        expect(escalationsTriggeredAt(own(policy.penalties.rules, code)!, n)).toHaveLength(n === 2 ? 1 : 0);
        // in a month whose rulebook lacks it (added mid-month), it is counted and escalates nothing
        if (!Object.hasOwn(DEFAULT_POLICY.penalties.rules, code)) {
          const before = summarisePenalties(DEFAULT_POLICY, 7, penalties(Array.from({ length: n }, () => code)));
          expect(own(before.counts, code)).toBe(n);
          expect(before.escalations).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('any codes stored on penalties are counted exactly, and only the rulebook own rules escalate', () => {
    fc.assert(
      fc.property(fc.array(fc.option(outsideKey, { nil: null }), { maxLength: 12 }), (codes) => {
        const s = summarisePenalties(DEFAULT_POLICY, 7, penalties(codes));
        const expected = new Map<string, number>();
        for (const c of codes) if (c) expected.set(c, (expected.get(c) ?? 0) + 1);
        expect(Object.getPrototypeOf(s.counts)).toBeNull();
        expect(new Map(Object.entries(s.counts))).toEqual(expected);
        for (const e of s.escalations) {
          expect(Object.hasOwn(DEFAULT_POLICY.penalties.rules, e.ruleCode)).toBe(true);
          expect(e.count).toBe(expected.get(e.ruleCode));
        }
      }),
      RUNS,
    );
  });
});

describe('any alias or label', () => {
  it('is refused naming the rule field, or a lead typing it records that rule', () => {
    fc.assert(
      fc.property(outsideKey, fc.constantFrom('alias', 'label'), (name, as) => {
        const named =
          as === 'alias'
            ? `{"label":{"zh":"新规则","en":"New rule"},"aliases":[${key(name)}],"amountFen":1000,"points":1}`
            : `{"label":{"zh":"新规则","en":${key(name)}},"amountFen":1000,"points":1}`;
        const r = tryOverride(`{"penalties":{"rules":{"new_rule":${named}}}}`);
        if ('refused' in r) {
          expect(r.refused.path).toBe(`penalties.rules.new_rule.${as === 'alias' ? 'aliases.0' : 'label.en'}`);
          return;
        }
        // typed as the matcher folds it (spaces and separators as one "_", no leading one)
        expect(matchRule(r.policy, ruleNameKey(name))).toMatchObject({ kind: 'rule', code: 'new_rule' });
      }),
      RUNS,
    );
  });
});

describe('any KPI name', () => {
  it('is refused naming kpis.<track>.<name>, or is scored and shown under its name', () => {
    const kpi = `{"label":{"zh":"新","en":"New"},"actual":{"kind":"sum","field":"receptions"},"direction":"higher","weight":0,"target":10,"cap":1,"order":9}`;
    fc.assert(
      fc.property(outsideKey, (name) => {
        const r = tryOverride(`{"kpis":{"presales":{${key(name)}:${kpi}}}}`);
        if ('refused' in r) {
          expect(r.refused.path.startsWith(`kpis.presales`)).toBe(true);
          return;
        }
        const kpis = trackKpis(r.policy, 'presales');
        if (Object.hasOwn(DEFAULT_POLICY.kpis.presales, name)) return;
        expect(kpis.map(([k]) => k)).toContain(name);
        const defs = sumsNeeded(r.policy, 'presales');
        const row: MetricRow = {
          inquiries: null,
          paidCustomers: null,
          receptions: 20,
          gmvFen: null,
          refundCustomers: null,
          cases: null,
          resolved: null,
          serviceScore: null,
          avgResponseSec: null,
        };
        const [score] = scoreTrack(r.policy, 'presales', [
          { memberId: 1, sums: sumRows([row], defs), penaltyPoints: 0 },
        ]);
        const shown = new Map(kpis);
        const mine = score!.kpis.find((k) => k.key === name)!;
        expect(mine.actual).toBe(20);
        expect(shown.get(mine.key)?.label.en).toBe('New');
      }),
      RUNS,
    );
  });
});

describe('any award rank key', () => {
  it('is refused naming awards.rankFen.<key>, or pays that rank', () => {
    fc.assert(
      fc.property(fc.oneof(outsideKey, fc.integer({ min: 1, max: 99 }).map(String)), (rank) => {
        const r = tryOverride(`{"awards":{"rankFen":{${key(rank)}:777}}}`);
        if ('refused' in r) {
          expect(r.refused.path).toBe(`awards.rankFen.${rank}`);
          return;
        }
        expect(awardAmount(r.policy, Number(rank), 0)).toBe(777);
      }),
      RUNS,
    );
  });
});

describe('any track word', () => {
  it('is a track or nothing', () => {
    fc.assert(
      fc.property(outsideKey, (word) => {
        const track = TRACK_WORDS.get(word);
        expect(track === undefined || TRACKS.includes(track)).toBe(true);
      }),
      RUNS,
    );
  });
});
