// Per-member per-month sums of the daily metrics (table metric_month), kept by database triggers in
// the same transaction as every write to daily_metric, so scoring a month reads one row per member
// instead of summing every daily row. Float cells are summed as numeric (exact), so any sequence of
// imports and re-imports leaves the same sums as summing afresh. A KPI the rollup does not cover (a
// policy summing another pair of fields) is summed from the daily rows instead (src/db/metrics.ts).
import type { Month } from '../core/dates.js';
import type { KpiActual, MetricField } from '../core/policy.js';
import { METRIC_FIELDS } from '../core/policy.js';
import { sumsKey, type Sums } from '../core/score.js';
import type { Db } from './open.js';
import { COLUMN, DECIMAL, sumsByMember } from './metrics.js';

/** The ratio and weighted sums kept besides every field's own sum: the default policy's. */
const PAIRS: readonly KpiActual[] = [
  { kind: 'ratio', numerator: 'paidCustomers', denominator: 'inquiries' },
  { kind: 'ratio', numerator: 'gmvFen', denominator: 'paidCustomers' },
  { kind: 'ratio', numerator: 'refundCustomers', denominator: 'paidCustomers' },
  { kind: 'ratio', numerator: 'resolved', denominator: 'cases' },
  { kind: 'weighted', field: 'serviceScore', by: 'receptions' },
  { kind: 'weighted', field: 'avgResponseSec', by: 'receptions' },
];

export const ROLLUP_DEFS: readonly KpiActual[] = [
  ...METRIC_FIELDS.map((field): KpiActual => ({ kind: 'sum', field })),
  ...PAIRS,
];

interface Part {
  column: string;
  type: 'bigint' | 'numeric' | 'int';
  /** what one daily row (alias x) adds */
  row: string;
}

/** The columns one definition keeps: numerator, denominator (pairs only) and rows. */
export function rollupParts(def: KpiActual): { n: Part; d: Part | null; r: Part } {
  const typeOf = (...fs: MetricField[]) => (fs.some((f) => DECIMAL.has(f)) ? 'numeric' : 'bigint');
  if (def.kind === 'sum') {
    const c = COLUMN[def.field];
    const type = typeOf(def.field);
    return {
      n: { column: `sum_${c}`, type, row: `COALESCE(x.${c}::${type}, 0)` },
      d: null,
      r: { column: `rows_${c}`, type: 'int', row: `(x.${c} IS NOT NULL)::int` },
    };
  }
  const fa = def.kind === 'ratio' ? def.numerator : def.field;
  const fb = def.kind === 'ratio' ? def.denominator : def.by;
  const [a, b] = [COLUMN[fa], COLUMN[fb]];
  const both = `x.${a} IS NOT NULL AND x.${b} IS NOT NULL`;
  const name = `${def.kind}_${a}_${b}`;
  const nType = def.kind === 'weighted' ? typeOf(fa, fb) : typeOf(fa);
  const nRow = def.kind === 'weighted' ? `x.${a}::${nType} * x.${b}::${nType}` : `x.${a}::${nType}`;
  return {
    n: { column: `${name}_n`, type: nType, row: `CASE WHEN ${both} THEN ${nRow} ELSE 0 END` },
    d: { column: `${name}_d`, type: typeOf(fb), row: `CASE WHEN ${both} THEN x.${b}::${typeOf(fb)} ELSE 0 END` },
    r: { column: `${name}_r`, type: 'int', row: `(${both})::int` },
  };
}

/** Bumps month_version for the months of some rows (cached results of those months go stale). */
export const bumpRowsSql = (rows: string, day: string) =>
  `INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.${day}, 'YYYY-MM'), 1 FROM (${rows}) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;`;

const SQL_TYPE = { bigint: 'BIGINT', numeric: 'DECIMAL(65,30)', int: 'INTEGER' } as const;

const parts = () => ROLLUP_DEFS.flatMap((d) => Object.values(rollupParts(d)).filter((p): p is Part => p !== null));

/** The migration's SQL: table, triggers and backfill (kept here so the columns and the code agree). */
export function rollupMigrationSql(): string {
  const cols = parts();
  const delta = (from: string) =>
    `INSERT INTO metric_month AS m (member_id, month, days, ${cols.map((p) => p.column).join(', ')})
    SELECT x.member_id, to_char(x.day, 'YYYY-MM'), SUM(x.sg)::int, ${cols.map((p) => `COALESCE(SUM(x.sg * ${p.row}), 0)`).join(',\n      ')}
    FROM (${from}) x
    GROUP BY 1, 2
    ON CONFLICT (member_id, month) DO UPDATE SET days = m.days + EXCLUDED.days,
      ${cols.map((p) => `${p.column} = m.${p.column} + EXCLUDED.${p.column}`).join(',\n      ')};`;
  return `-- Per-member per-month sums of daily_metric, kept by triggers (src/db/rollup.ts generates this file).
CREATE TABLE "metric_month" (
    "member_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "days" INTEGER NOT NULL DEFAULT 0,
${cols.map((p) => `    "${p.column}" ${SQL_TYPE[p.type]} NOT NULL DEFAULT 0,`).join('\n')}

    CONSTRAINT "metric_month_pkey" PRIMARY KEY ("month","member_id")
);

CREATE FUNCTION metric_month_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- whoever wrote the rows (an import, or a statement by hand), the months' cached results go stale
  IF TG_OP = 'INSERT' THEN
    ${delta('SELECT 1 AS sg, * FROM new_rows')}
    ${bumpRowsSql('SELECT day FROM new_rows', 'day')}
  ELSIF TG_OP = 'UPDATE' THEN
    ${delta('SELECT 1 AS sg, * FROM new_rows UNION ALL SELECT -1 AS sg, * FROM old_rows')}
    ${bumpRowsSql('SELECT day FROM new_rows UNION ALL SELECT day FROM old_rows', 'day')}
  ELSE
    ${delta('SELECT -1 AS sg, * FROM old_rows')}
    ${bumpRowsSql('SELECT day FROM old_rows', 'day')}
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER metric_month_insert AFTER INSERT ON daily_metric
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_month_apply();
CREATE TRIGGER metric_month_update AFTER UPDATE ON daily_metric
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_month_apply();
CREATE TRIGGER metric_month_delete AFTER DELETE ON daily_metric
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_month_apply();

-- a penalty written in any way makes its months' results stale; a member changes every month's
CREATE FUNCTION penalty_month_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${bumpRowsSql('SELECT occurred_on FROM new_rows', 'occurred_on')}
  ELSIF TG_OP = 'UPDATE' THEN
    ${bumpRowsSql('SELECT occurred_on FROM new_rows UNION ALL SELECT occurred_on FROM old_rows', 'occurred_on')}
  ELSE
    ${bumpRowsSql('SELECT occurred_on FROM old_rows', 'occurred_on')}
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER penalty_month_insert AFTER INSERT ON penalty
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_bump();
CREATE TRIGGER penalty_month_update AFTER UPDATE ON penalty
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_bump();
CREATE TRIGGER penalty_month_delete AFTER DELETE ON penalty
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_bump();

CREATE FUNCTION member_month_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO month_version AS v (month, n) VALUES ('0000-00', 1) ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER member_month_bump AFTER INSERT OR UPDATE OR DELETE ON member
  FOR EACH STATEMENT EXECUTE FUNCTION member_month_bump();

-- an existing database: the sums of what is already imported
${delta('SELECT 1 AS sg, * FROM daily_metric').replace(/ON CONFLICT[\s\S]*$/, ';')}
`;
}

/** The model for prisma/schema.prisma (the columns are raw SQL's only). */
export function rollupModel(): string {
  const prismaType = { bigint: 'BigInt', numeric: 'Decimal @db.Decimal(65, 30)', int: 'Int' } as const;
  const camel = (c: string) => c.replace(/_([a-z])/g, (_, l: string) => l.toUpperCase());
  return [
    'model MetricMonth {',
    '  memberId Int @map("member_id")',
    '  month String',
    '  days Int @default(0)',
    ...parts().map((p) => `  ${camel(p.column)} ${prismaType[p.type]} @default(0) @map("${p.column}")`),
    '',
    '  @@id([month, memberId])',
    '  @@map("metric_month")',
    '}',
  ].join('\n');
}

/** Whether the rollup keeps every one of these sums. */
export function rollupCovers(defs: readonly KpiActual[]): boolean {
  const kept = new Set(ROLLUP_DEFS.map(sumsKey));
  return defs.every((d) => kept.has(sumsKey(d)));
}

/** The month's sums from the rollup, as sumMetrics returns them; only for defs the rollup covers. */
export async function sumMonth(
  db: Db,
  month: Month,
  defs: readonly KpiActual[],
  memberIds?: readonly number[],
): Promise<Map<number, Record<string, Sums>>> {
  const read = (p: Part) => `${p.column}::${p.type === 'numeric' ? 'float8' : p.type === 'int' ? 'int' : 'bigint'}`;
  const select = defs.flatMap((def, i) => {
    const { n, d, r } = rollupParts(def);
    return [`${read(n)} AS n${i}`, d ? `${read(d)} AS d${i}` : `0::float8 AS d${i}`, `${read(r)} AS r${i}`];
  });
  const rows = await db.$queryRawUnsafe<Array<Record<string, number | bigint>>>(
    `SELECT member_id, ${select.join(', ')} FROM metric_month WHERE month = $1 AND days > 0
     ${memberIds ? 'AND member_id = ANY($2::int[])' : ''}`,
    month,
    ...(memberIds ? [memberIds] : []),
  );
  return sumsByMember(rows, defs);
}
