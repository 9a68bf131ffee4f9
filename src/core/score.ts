// The shared formula: the same functions score a day and a month; only the rows fed to them differ.
import type { Kpi, KpiActual, MetricField, Policy, Track } from './policy.js';
import { trackKpis } from './policy.js';

/** One member-day of imported metrics; null is "no data" for that cell. */
export type MetricRow = { [K in MetricField]: number | null };

/**
 * A period's summed inputs for one way of computing an actual. Rates come from summed counts, never
 * averaged daily rates; a row missing either side of a KPI is left out of both sums.
 *  sum:      numerator = Σ field,        rows = rows with the field
 *  ratio:    numerator = Σ num, denominator = Σ den   (rows with both)
 *  weighted: numerator = Σ field × by, denominator = Σ by (rows with both)
 */
export interface Sums {
  numerator: number;
  denominator: number;
  rows: number;
}

/** A stable name for what a KPI sums ("ratio:paidCustomers/inquiries"); KPIs that sum the same share it. */
export function sumsKey(def: KpiActual): string {
  if (def.kind === 'sum') return `sum:${def.field}`;
  if (def.kind === 'ratio') return `ratio:${def.numerator}/${def.denominator}`;
  return `weighted:${def.field}*${def.by}`;
}

/** The gmv total that commission is paid on. */
export const GMV: KpiActual = { kind: 'sum', field: 'gmvFen' };

/** Sums rows for each definition, keyed by sumsKey. The database computes the same in SQL for speed. */
export function sumRows(rows: readonly MetricRow[], defs: readonly KpiActual[]): Record<string, Sums> {
  const out: Record<string, Sums> = {};
  for (const def of defs) {
    const s: Sums = { numerator: 0, denominator: 0, rows: 0 };
    for (const row of rows) {
      if (def.kind === 'sum') {
        const v = row[def.field];
        if (v === null) continue;
        s.numerator += v;
      } else {
        const a = row[def.kind === 'ratio' ? def.numerator : def.field];
        const b = row[def.kind === 'ratio' ? def.denominator : def.by];
        if (a === null || b === null) continue;
        s.numerator += def.kind === 'ratio' ? a : a * b;
        s.denominator += b;
      }
      s.rows++;
    }
    out[sumsKey(def)] = s;
  }
  return out;
}

/** The KPI's actual value for the period, or null when it has no data (no rows, or a 0 denominator). */
export function actualOf(def: KpiActual, sums: Sums | undefined): number | null {
  if (!sums || sums.rows === 0) return null;
  if (def.kind === 'sum') return sums.numerator;
  return sums.denominator > 0 ? sums.numerator / sums.denominator : null;
}

/** Every definition a policy's track needs summed, gmv included. */
export function sumsNeeded(policy: Policy, track: Track): KpiActual[] {
  const defs = new Map<string, KpiActual>([[sumsKey(GMV), GMV]]);
  for (const [, k] of trackKpis(policy, track)) defs.set(sumsKey(k.actual), k.actual);
  return [...defs.values()];
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
  /** the period's sums by sumsKey (from sumRows, or the same computed by the database) */
  sums: Record<string, Sums>;
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

export function kpiRatio(
  kpi: Pick<Kpi, 'direction' | 'cap'>,
  actual: number | null,
  target: number | null,
): number | null {
  if (actual === null || target === null) return null;
  if (target === 0) return 1;
  if (kpi.direction === 'higher') return actual / target;
  return actual === 0 ? kpi.cap : target / actual;
}

/**
 * Scores every member of one track over one period. Team-average targets are the mean actual
 * of the members given who have data for that KPI, so pass the whole track.
 */
export function scoreTrack(
  policy: Policy,
  track: Track,
  members: readonly ScoreInput[],
  /**
   * the same track's scores before some members' rows changed: when the track has the same members
   * and the changed ones' KPI totals are what they were (a penalty changes points only), the targets
   * cannot have moved, and every other member keeps their score as it was (the same numbers the full
   * computation gives)
   */
  earlier?: { scores: ReadonlyMap<number, MemberScore>; changed: ReadonlySet<number> },
): MemberScore[] {
  const kpis = trackKpis(policy, track);
  const totalsOf = (m: ScoreInput) => kpis.map(([, k]) => actualOf(k.actual, m.sums[sumsKey(k.actual)]));
  if (earlier && members.length === earlier.scores.size) {
    const again = members.filter((m) => earlier.changed.has(m.memberId));
    const same =
      members.every((m) => earlier.scores.has(m.memberId)) &&
      again.every((m) => {
        const before = earlier.scores.get(m.memberId)!;
        return totalsOf(m).every((a, i) => before.kpis[i]?.key === kpis[i]![0] && before.kpis[i]!.actual === a);
      });
    const anyone = earlier.scores.values().next().value;
    if (same && anyone && anyone.kpis.length === kpis.length && anyone.kpis.every((k, i) => k.key === kpis[i]![0])) {
      const targets = anyone.kpis.map((k) => k.target);
      return members.map((m) =>
        earlier.changed.has(m.memberId)
          ? memberScore(kpis, track, m, totalsOf(m), targets)
          : earlier.scores.get(m.memberId)!,
      );
    }
  }
  const totals = members.map(totalsOf);
  // a float sum depends on its order: summed by member id, the same rows give the same target
  // however the database happened to return them
  const byId = members.map((_, mi) => mi).sort((a, b) => members[a]!.memberId - members[b]!.memberId);
  const targets = kpis.map(([, k], i) => {
    if (k.target !== 'team_average') return k.target;
    let sum = 0;
    let n = 0;
    for (const mi of byId) {
      const a = totals[mi]![i]!;
      if (a !== null) {
        sum += a;
        n++;
      }
    }
    return n > 0 ? sum / n : null;
  });
  return members.map((m, mi) => memberScore(kpis, track, m, totals[mi]!, targets));
}

/** One member's score from their KPI totals and the track's targets. */
function memberScore(
  kpis: ReturnType<typeof trackKpis>,
  track: Track,
  m: ScoreInput,
  totals: ReadonlyArray<number | null>,
  targets: ReadonlyArray<number | null>,
): MemberScore {
  const breakdown: KpiScore[] = kpis.map(([key, k], i) => {
    const actual = totals[i]!;
    const target = targets[i]!;
    const ratio = kpiRatio(k, actual, target);
    const points = ratio === null ? 0 : k.weight * Math.min(ratio, k.cap);
    return {
      key,
      label: k.label,
      direction: k.direction,
      weight: k.weight,
      cap: k.cap,
      actual,
      target,
      ratio,
      points,
    };
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
}

/**
 * Competition ranking ("1, 1, 3"): higher values first, equal values share a rank and the next
 * rank skips. Returns rank by id.
 */
export function sharedRanks<T>(
  items: readonly T[],
  id: (t: T) => number,
  value: (t: T) => number,
): Map<number, number> {
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
  const ranks = sharedRanks(
    scores,
    (s) => s.memberId,
    (s) => s.scoreHundredths,
  );
  return scores
    .map((s) => ({ ...s, rank: ranks.get(s.memberId)! }))
    .sort((a, b) => a.rank - b.rank || a.memberId - b.memberId);
}
