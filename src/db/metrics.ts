// Per-member sums of a period's daily metrics, computed by the database. The rule (a row missing
// either side of a KPI is left out of both sums) is core's sumRows; test/db/metrics.test.ts proves
// the two agree.
import type { Day } from '../core/dates.js';
import type { KpiActual, MetricField } from '../core/policy.js';
import { sumsKey, type Sums } from '../core/score.js';
import type { Db } from './open.js';

export const COLUMN: Record<MetricField, string> = {
  inquiries: 'inquiries',
  paidCustomers: 'paid_customers',
  receptions: 'receptions',
  gmvFen: 'gmv_fen',
  refundCustomers: 'refund_customers',
  cases: 'cases',
  resolved: 'resolved',
  serviceScore: 'service_score',
  avgResponseSec: 'avg_response_sec',
};

export const DECIMAL: ReadonlySet<MetricField> = new Set(['serviceScore', 'avgResponseSec']);

function sumsSql(def: KpiActual, i: number): string {
  if (def.kind === 'sum') {
    const c = COLUMN[def.field];
    // counts and gmv sum exactly as bigint: no float touches money
    const type = DECIMAL.has(def.field) ? 'float8' : 'bigint';
    return `COALESCE(SUM(${c}), 0)::${type} AS n${i}, 0::float8 AS d${i}, COUNT(${c})::int AS r${i}`;
  }
  const a = COLUMN[def.kind === 'ratio' ? def.numerator : def.field];
  const b = COLUMN[def.kind === 'ratio' ? def.denominator : def.by];
  const both = `FILTER (WHERE ${a} IS NOT NULL AND ${b} IS NOT NULL)`;
  // integer columns sum exactly (int → bigint, bigint → numeric); a weighted sum is float8 like core's
  const numerator = def.kind === 'ratio' ? `SUM(${a})` : `SUM(${a} * ${b})`;
  return `COALESCE(${numerator} ${both}, 0)::float8 AS n${i}, COALESCE(SUM(${b}) ${both}, 0)::float8 AS d${i}, (COUNT(*) ${both})::int AS r${i}`;
}

/** Sums for every member with at least one metrics row in [from, to], keyed by member id then sumsKey. */
export async function sumMetrics(
  db: Db,
  from: Day,
  to: Day,
  defs: readonly KpiActual[],
  memberIds?: readonly number[],
): Promise<Map<number, Record<string, Sums>>> {
  const select = defs.map(sumsSql).join(',\n  ');
  const rows = await db.$queryRawUnsafe<Array<Record<string, number | bigint>>>(
    `SELECT member_id, ${select}
     FROM daily_metric WHERE day BETWEEN $1::date AND $2::date ${memberIds ? 'AND member_id = ANY($3::int[])' : ''}
     GROUP BY member_id`,
    from,
    to,
    ...(memberIds ? [memberIds] : []),
  );
  return sumsByMember(rows, defs);
}

/** Rows of `member_id, n0, d0, r0, n1, ...` (one triple per KPI, in `defs` order) as each member's sums. */
export function sumsByMember(
  rows: ReadonlyArray<Record<string, number | bigint>>,
  defs: readonly KpiActual[],
): Map<number, Record<string, Sums>> {
  const out = new Map<number, Record<string, Sums>>();
  for (const row of rows) {
    const sums: Record<string, Sums> = {};
    defs.forEach((def, i) => {
      sums[sumsKey(def)] = {
        numerator: exactNumber(row[`n${i}`]!),
        denominator: Number(row[`d${i}`]),
        rows: Number(row[`r${i}`]),
      };
    });
    out.set(Number(row.member_id), sums);
  }
  return out;
}

export function exactNumber(v: number | bigint): number {
  if (typeof v === 'bigint' && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))) {
    throw new RangeError(`a metric total of ${v} is beyond exact arithmetic`);
  }
  return Number(v);
}
