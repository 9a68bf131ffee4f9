// The month rollup (metric_month) is kept by triggers as metrics are imported: whatever sequence of
// imports and re-imports, it must equal a fresh sum of the daily rows, and the core's sumRows.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_FIELDS } from '../../src/core/policy.js';
import { sumRows, sumsKey, type MetricRow } from '../../src/core/score.js';
import { fromDay, toDay } from '../../src/db/dates.js';
import { sumMetrics } from '../../src/db/metrics.js';
import type { Database } from '../../src/db/open.js';
import { ROLLUP_DEFS, rollupCovers, sumMonth } from '../../src/db/rollup.js';
import type { MetricEntry } from '../../src/import/metrics.js';
import { importMetrics } from '../../src/service/metrics.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const MEMBERS = ['UR1', 'UR2'];
const MONTHS = ['2026-09', '2026-10'];

beforeAll(async () => {
  db = await freshDatabase();
  for (const slackId of MEMBERS)
    await db.prisma.member.create({
      data: {
        slackId,
        name: slackId,
        track: 'presales',
        level: 'regular',
        role: 'agent',
        hiredOn: fromDay('2025-01-01'),
      },
    });
});
afterAll(() => db.close());

const count = fc.option(fc.nat({ max: 500 }), { nil: null, freq: 4 });
const values = fc.record({
  inquiries: count,
  paidCustomers: count,
  receptions: count,
  gmvFen: fc.option(fc.nat({ max: 50_000_000 }), { nil: null, freq: 4 }),
  refundCustomers: count,
  cases: count,
  resolved: count,
  serviceScore: fc.option(
    fc.integer({ min: 0, max: 100_000 }).map((x) => x / 1000),
    { nil: null, freq: 4 },
  ),
  avgResponseSec: fc.option(
    fc.integer({ min: 0, max: 6000 }).map((x) => x / 10),
    { nil: null, freq: 4 },
  ),
});
// a few days across two months, so re-imports of the same member-day are common
const cell = fc.record({
  member: fc.constantFrom(...MEMBERS),
  day: fc.constantFrom('2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03'),
  values,
});
/** one import: no member-day twice in a file (the parser refuses that) */
const file = fc.uniqueArray(cell, { minLength: 1, maxLength: 8, selector: (c) => `${c.member} ${c.day}` });

describe('the month rollup', () => {
  it('equals a fresh sum after any sequence of imports and re-imports', async () => {
    const t = tallyOn(db);
    const defs = [...ROLLUP_DEFS];
    expect(rollupCovers(defs)).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 4 }), async (files) => {
        await db.prisma.dailyMetric.deleteMany({});
        for (const [i, f] of files.entries()) {
          const entries: MetricEntry[] = f.map((c, line) => ({
            line: line + 2,
            day: c.day,
            slackId: c.member,
            ...c.values,
          }));
          await importMetrics(t, entries, { fileName: `f${i}.csv`, by: 'cli' });
        }
        const members = await db.prisma.member.findMany();
        const daily = await db.prisma.dailyMetric.findMany();
        for (const month of MONTHS) {
          const rollup = await sumMonth(db.prisma, month, defs);
          const fresh = await sumMetrics(db.prisma, `${month}-01`, `${month}-${month === '2026-09' ? 30 : 31}`, defs);
          expect([...rollup.keys()].sort()).toEqual([...fresh.keys()].sort());
          for (const m of members) {
            const rows: MetricRow[] = daily
              .filter((d) => d.memberId === m.id && toDay(d.day).startsWith(month))
              .map(
                (d) =>
                  Object.fromEntries(METRIC_FIELDS.map((f) => [f, d[f] === null ? null : Number(d[f])])) as MetricRow,
              );
            const core = sumRows(rows, defs);
            const got = rollup.get(m.id);
            if (!rows.length) {
              expect(got).toBeUndefined();
              continue;
            }
            for (const d of defs) {
              const k = sumsKey(d);
              // counts and integer sums exactly; float sums as exactly as float8 can say them
              expect(got![k]!.rows).toBe(fresh.get(m.id)![k]!.rows);
              expect(got![k]!.rows).toBe(core[k]!.rows);
              expect(got![k]!.numerator).toBeCloseTo(core[k]!.numerator, 6);
              expect(got![k]!.denominator).toBeCloseTo(core[k]!.denominator, 6);
              expect(got![k]!.numerator).toBeCloseTo(fresh.get(m.id)![k]!.numerator, 6);
            }
          }
        }
        // the rollup holds exactly the sums of what is stored now: recomputing it from scratch changes nothing
        const [drift] = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
          `SELECT count(*)::bigint AS n FROM metric_month m FULL JOIN (
             SELECT member_id, to_char(day, 'YYYY-MM') AS month, count(*)::int AS days,
               COALESCE(SUM(receptions), 0)::bigint AS sr,
               COALESCE(SUM(service_score::numeric * receptions::numeric), 0) AS ws
             FROM daily_metric GROUP BY 1, 2) f USING (member_id, month)
           WHERE COALESCE(m.days, 0) <> COALESCE(f.days, 0)
              OR (f.days IS NOT NULL AND (m.sum_receptions <> f.sr OR m.weighted_service_score_receptions_n <> f.ws))`,
        );
        expect(Number(drift!.n)).toBe(0);
      }),
      { numRuns: 15 },
    );
  });
});
