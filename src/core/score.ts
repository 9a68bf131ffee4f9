// The shared formula: the same functions score a day and a month; only the rows fed to them differ.
import type { Kpi, KpiActual, MetricField, Policy, Track } from './policy.js';
import { trackKpis } from './policy.js';

/** One member-day of imported metrics; null is "no data" for that cell. */
export type MetricRow = { [K in MetricField]: number | null };

/** A KPI's summed inputs over a period; actual is null when the period has no data for it. */
export interface KpiTotals {
  numerator: number;
  denominator: number;
  actual: number | null;
}

/**
 * Sums a period's rows for one KPI. Rates come from summed counts, never averaged daily rates;
 * a row missing either side of a KPI is left out of both sums.
 */
export function kpiTotals(rows: readonly MetricRow[], def: KpiActual): KpiTotals {
  let numerator = 0;
  let denominator = 0;
  let seen = 0;
  for (const row of rows) {
    if (def.kind === 'sum') {
      const v = row[def.field];
      if (v === null) continue;
      numerator += v;
      seen++;
    } else if (def.kind === 'ratio') {
      const n = row[def.numerator];
      const d = row[def.denominator];
      if (n === null || d === null) continue;
      numerator += n;
      denominator += d;
    } else {
      const v = row[def.field];
      const w = row[def.by];
      if (v === null || w === null) continue;
      numerator += v * w;
      denominator += w;
    }
  }
  if (def.kind === 'sum') return { numerator, denominator: seen, actual: seen > 0 ? numerator : null };
  return { numerator, denominator, actual: denominator > 0 ? numerator / denominator : null };
}

export interface KpiScore {
  key: string;
  label: Kpi['label'];
  direction: Kpi['direction'];
  weight: number;
  cap: number;
  actual: number | null;
  target: number | null;
  ratio: number | null;
  points: number;
}

export interface ScoreInput {
  memberId: number;
  rows: readonly MetricRow[];
  /** the points of the member's active penalties that occurred in the period */
  penaltyPoints: number;
}

export interface MemberScore {
  memberId: number;
  track: Track;
  kpis: KpiScore[];
  kpiPoints: number;
  penaltyPoints: number;
  /** the score in hundredths of a point, an exact integer: what ranks and pay use */
  scoreHundredths: number;
  /** scoreHundredths / 100 */
  score: number;
}

/** Half-up to 2 decimals, immune to binary noise (93.445 stored as 93.44499… still rounds up). */
export function toHundredths(x: number): number {
  const scaled = Number((x * 100).toPrecision(12));
  return Math.floor(scaled + 0.5);
}

export function kpiRatio(kpi: Pick<Kpi, 'direction' | 'cap'>, actual: number | null, target: number | null): number | null {
  if (actual === null || target === null) return null;
  if (target === 0) return 1;
  if (kpi.direction === 'higher') return actual / target;
  return actual === 0 ? kpi.cap : target / actual;
}

/**
 * Scores every member of one track over one period. Team-average targets are the mean actual
 * of the members given who have data for that KPI, so pass the whole track.
 */
export function scoreTrack(policy: Policy, track: Track, members: readonly ScoreInput[]): MemberScore[] {
  const kpis = trackKpis(policy, track);
  const totals = members.map((m) => kpis.map(([, k]) => kpiTotals(m.rows, k.actual)));
  const targets = kpis.map(([, k], i) => {
    if (k.target !== 'team_average') return k.target;
    let sum = 0;
    let n = 0;
    for (const t of totals) {
      const a = t[i]!.actual;
      if (a !== null) {
        sum += a;
        n++;
      }
    }
    return n > 0 ? sum / n : null;
  });
  return members.map((m, mi) => {
    const breakdown: KpiScore[] = kpis.map(([key, k], i) => {
      const actual = totals[mi]![i]!.actual;
      const target = targets[i]!;
      const ratio = kpiRatio(k, actual, target);
      const points = ratio === null ? 0 : k.weight * Math.min(ratio, k.cap);
      return { key, label: k.label, direction: k.direction, weight: k.weight, cap: k.cap, actual, target, ratio, points };
    });
    const kpiPoints = breakdown.reduce((s, k) => s + k.points, 0);
    const scoreHundredths = toHundredths(Math.max(0, kpiPoints - m.penaltyPoints));
    return {
      memberId: m.memberId,
      track,
      kpis: breakdown,
      kpiPoints,
      penaltyPoints: m.penaltyPoints,
      scoreHundredths,
      score: scoreHundredths / 100,
    };
  });
}

/**
 * Competition ranking ("1, 1, 3"): higher values first, equal values share a rank and the next
 * rank skips. Returns rank by id.
 */
export function sharedRanks<T>(items: readonly T[], id: (t: T) => number, value: (t: T) => number): Map<number, number> {
  const sorted = [...items].sort((a, b) => value(b) - value(a));
  const ranks = new Map<number, number>();
  let rank = 0;
  sorted.forEach((item, i) => {
    if (i === 0 || value(item) !== value(sorted[i - 1]!)) rank = i + 1;
    ranks.set(id(item), rank);
  });
  return ranks;
}

export interface RankedScore extends MemberScore {
  rank: number;
}

/** Ranks one track's scores, best first; ties (equal after rounding) share a rank. */
export function rankTrack(scores: readonly MemberScore[]): RankedScore[] {
  const ranks = sharedRanks(scores, (s) => s.memberId, (s) => s.scoreHundredths);
  return scores
    .map((s) => ({ ...s, rank: ranks.get(s.memberId)! }))
    .sort((a, b) => a.rank - b.rank || a.memberId - b.memberId);
}
