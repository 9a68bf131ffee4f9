// docs/domain.md stays true to the code: every default it quotes is the code's default, every rule
// and KPI of the default policy is in it, and its worked example gives what the core computes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEligible, monthlyAwards } from '../../src/core/awards.js';
import { formatFen, parseYuan } from '../../src/core/money.js';
import { payslip } from '../../src/core/payslip.js';
import { summarisePenalties } from '../../src/core/penalties.js';
import { DEFAULT_POLICY, TRACKS, type Level } from '../../src/core/policy.js';
import { actualOf, GMV, rankTrack, scoreTrack, sumRows, sumsKey, sumsNeeded } from '../../src/core/score.js';
import { tables, type Table } from '../support/markdown.js';

const md = readFileSync(new URL('../../docs/domain.md', import.meta.url), 'utf8');
const all = tables(md);
const P = DEFAULT_POLICY;

/** A policy key as the doc writes it (`pay.baseFen.regular`, `awards.streakFen.6`): its value in the defaults. */
function valueAt(path: string): unknown {
  const streak = /^awards\.streakFen\.(\d+)$/.exec(path);
  if (streak) return P.awards.streakFen.find((t) => t.minMonths === Number(streak[1]))?.fen;
  let v: unknown = P;
  for (const part of path.split('.'))
    v = v !== null && typeof v === 'object' ? Object.entries(v).find(([k]) => k === part)?.[1] : undefined;
  return v;
}

const key = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1];
const money = (cell: string) => parseYuan(cell.split(' ')[0]!);
const col = (t: Table, name: string) => t.header.indexOf(name);

describe('docs/domain.md quotes the default policy', () => {
  const settings = all.filter((t) => t.header[0] === 'setting');
  const settingRows = settings.flatMap((t) => t.rows);

  it('has its settings tables', () => {
    expect(settingRows.length).toBeGreaterThan(20);
  });

  it.each(settingRows.map((r) => [r[0]!, r[1]!]))('%s is %s', (cell, shown) => {
    const path = key(cell);
    expect(path, `${cell} is a policy key in backticks`).toBeDefined();
    const value = valueAt(path!);
    expect(value, `${path} is in the default policy`).toBeDefined();
    if (shown.startsWith('¥')) expect(money(shown)).toBe(value);
    else if (Array.isArray(value)) expect(shown.split(', ')).toEqual(value.map(String));
    else expect(shown).toBe(String(value));
  });

  it('names every level, award rank and streak tier', () => {
    const quoted = new Set(settingRows.map((r) => key(r[0]!)));
    for (const level of Object.keys(P.pay.baseFen)) expect(quoted).toContain(`pay.baseFen.${level}`);
    for (const rank of Object.keys(P.awards.rankFen)) expect(quoted).toContain(`awards.rankFen.${rank}`);
    for (const t of P.awards.streakFen) expect(quoted).toContain(`awards.streakFen.${t.minMonths}`);
  });

  it.each(TRACKS)('gives every %s KPI with its weight, target and cap', (track) => {
    const t = all.find((x) => x.header[0] === 'KPI' && x.rows.some((r) => r[0]!.startsWith(`\`kpis.${track}.`)))!;
    const shown = new Map(t.rows.map((r) => [key(r[0]!)!.split('.')[2]!, r]));
    expect([...shown.keys()].sort()).toEqual(Object.keys(P.kpis[track]).sort());
    for (const [name, kpi] of Object.entries(P.kpis[track])) {
      const row = shown.get(name)!;
      expect(Number(row[col(t, 'weight')]), `${track}.${name} weight`).toBe(kpi.weight);
      expect(row[col(t, 'target')], `${track}.${name} target`).toBe(
        kpi.target === 'team_average' ? 'team average' : String(kpi.target),
      );
      expect(Number(row[col(t, 'cap')]), `${track}.${name} cap`).toBe(kpi.cap);
      expect(row[col(t, 'direction')], `${track}.${name} direction`).toBe(kpi.direction);
    }
  });

  it('gives every penalty rule with its amount, points and escalations', () => {
    const t = all.find((x) => x.header[0] === 'rule')!;
    const shown = new Map(t.rows.map((r) => [key(r[0]!)!.split('.')[2]!, r]));
    expect([...shown.keys()].sort()).toEqual(Object.keys(P.penalties.rules).sort());
    for (const [code, rule] of Object.entries(P.penalties.rules)) {
      const row = shown.get(code)!;
      const amount = row[col(t, 'amount')]!;
      expect(money(amount), `${code} amount`).toBe(rule.amountFen);
      expect(amount.includes('+ the loss'), `${code} adds the loss`).toBe(rule.addsLoss);
      expect(Number(row[col(t, 'points')]), `${code} points`).toBe(rule.points);
      const escalations = [...row[4]!.matchAll(/from the (\d+)\w*: (commission forfeited|flagged for dismissal)/g)].map(
        (m) => ({
          fromCount: Number(m[1]),
          action: m[2] === 'commission forfeited' ? 'forfeit_commission' : 'dismissal',
        }),
      );
      expect(escalations, `${code} escalations`).toEqual(rule.escalations);
    }
  });
});

describe("docs/domain.md's worked example is what the core computes", () => {
  const example = md.slice(md.indexOf('## A worked example'));
  const [input, results] = tables(example);
  const cell = (t: Table, row: string[], name: string) => row[col(t, name)]!;
  const num = (text: string) => (text === '' ? null : Number(text));
  const people = [...new Set(input!.rows.map((r) => r[0]!))].map((name, i) => {
    const rows = input!.rows.filter((r) => r[0] === name);
    return {
      id: i + 1,
      name,
      level: cell(input!, rows[0]!, 'level') as Level,
      hiredOn: name === 'Cai' ? '2026-09-01' : '2024-01-01',
      rows: rows.map((r) => ({
        inquiries: num(cell(input!, r, 'inquiries')),
        paidCustomers: num(cell(input!, r, 'paid_customers')),
        receptions: num(cell(input!, r, 'receptions')),
        gmvFen: parseYuan(cell(input!, r, 'gmv')),
        refundCustomers: num(cell(input!, r, 'refund_customers')),
        cases: null,
        resolved: null,
        serviceScore: num(cell(input!, r, 'service_score')),
        avgResponseSec: null,
      })),
    };
  });
  // Bo's one buck_passing penalty, priced by the rule
  const bo = people.find((p) => p.name === 'Bo')!;
  const penalties = summarisePenalties(P, bo.id, [
    {
      id: 1,
      memberId: bo.id,
      ruleCode: 'buck_passing',
      amountFen: 5000,
      points: 2,
      occurredOn: '2026-10-02',
      status: 'active',
    },
  ]);
  const defs = sumsNeeded(P, 'presales');
  const inputs = people.map((p) => ({
    memberId: p.id,
    sums: sumRows(p.rows, defs),
    penaltyPoints: p.id === bo.id ? penalties.points : 0,
  }));
  const ranked = rankTrack(scoreTrack(P, 'presales', inputs));
  const awards = monthlyAwards(
    P,
    ranked.map((s) => ({
      memberId: s.memberId,
      scoreHundredths: s.scoreHundredths,
      eligible: isEligible(P, people[s.memberId - 1]!, '2026-10'),
      priorFirstPlaces: 0,
      priorLastPlaces: 0,
    })),
  );

  it('has three people with two days each, and their results', () => {
    expect(people.map((p) => p.rows.length)).toEqual([2, 2, 2]);
    expect(results!.rows).toHaveLength(3);
  });

  it.each(['Amy', 'Bo', 'Cai'])("%s's score, ranks and payslip", (name) => {
    const p = people.find((x) => x.name === name)!;
    const row = results!.rows.find((r) => r[0] === name)!;
    const score = ranked.find((s) => s.memberId === p.id)!;
    const award = awards.find((a) => a.memberId === p.id)!;
    const pen = p.id === bo.id ? penalties : summarisePenalties(P, p.id, []);
    const slip = payslip(P, {
      level: p.level,
      scoreHundredths: score.scoreHundredths,
      gmvFen: actualOf(GMV, inputs[p.id - 1]!.sums[sumsKey(GMV)]) ?? 0,
      awardFen: award.awardFen,
      penaltyFen: pen.moneyFen,
      commissionForfeited: pen.commissionForfeited,
    });
    const shown = (name: string) => cell(results!, row, name);
    expect(shown('score')).toBe(score.score.toFixed(2));
    expect(shown('rank')).toBe(String(score.rank));
    expect(shown('award rank')).toBe(award.awardRank === null ? '' : String(award.awardRank));
    expect({
      base: shown('base'),
      performance: shown('performance'),
      commission: shown('commission'),
      award: shown('award'),
      meal: shown('meal'),
      penalties: shown('penalties'),
      total: shown('total'),
    }).toEqual({
      base: formatFen(slip.baseFen),
      performance: formatFen(slip.performanceFen),
      commission: formatFen(slip.commissionFen),
      award: formatFen(slip.awardFen),
      meal: formatFen(slip.mealFen),
      penalties: formatFen(slip.penaltyFen),
      total: formatFen(slip.totalFen),
    });
  });
});
