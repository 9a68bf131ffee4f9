// The database sums a period's metrics in SQL for speed; the rule is core's sumRows. They must agree.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, TRACKS } from '../../src/core/policy.js';
import { sumRows, sumsKey, sumsNeeded, type MetricRow } from '../../src/core/score.js';
import { fromDay } from '../../src/db/dates.js';
import { sumMetrics } from '../../src/db/metrics.js';
import type { Database } from '../../src/db/open.js';
import { freshDatabase } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  await db.prisma.member.create({
    data: {
      slackId: 'U1',
      name: 'A',
      track: 'presales',
      level: 'regular',
      role: 'agent',
      hiredOn: fromDay('2020-01-01'),
    },
  });
});
afterAll(() => db.close());

const count = fc.option(fc.nat({ max: 500 }), { nil: null, freq: 4 });
const row = fc.record({
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
    fc.integer({ min: 0, max: 600_0 }).map((x) => x / 10),
    { nil: null, freq: 4 },
  ),
});

describe('sumMetrics (SQL) and sumRows (core)', () => {
  it('agree on any month of rows, empty cells and zero denominators included', async () => {
    const defs = [
      ...new Map(TRACKS.flatMap((t) => sumsNeeded(DEFAULT_POLICY, t)).map((d) => [sumsKey(d), d])).values(),
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 28 }), async (rows: MetricRow[]) => {
        await db.prisma.dailyMetric.deleteMany({});
        const member = await db.prisma.member.findUniqueOrThrow({ where: { slackId: 'U1' } });
        await db.prisma.dailyMetric.createMany({
          data: rows.map((r, i) => ({
            ...r,
            gmvFen: r.gmvFen === null ? null : BigInt(r.gmvFen),
            memberId: member.id,
            day: fromDay(`2026-02-${String(i + 1).padStart(2, '0')}`),
          })),
        });
        // a row outside the month must not count
        await db.prisma.dailyMetric.create({
          data: { memberId: member.id, day: fromDay('2026-03-01'), receptions: 999, inquiries: 5, paidCustomers: 5 },
        });
        const sql = (await sumMetrics(db.prisma, '2026-02-01', '2026-02-28', defs)).get(member.id)!;
        const core = sumRows(rows, defs);
        for (const d of defs) {
          const k = sumsKey(d);
          expect(sql[k]!.rows).toBe(core[k]!.rows);
          expect(sql[k]!.numerator).toBeCloseTo(core[k]!.numerator, 6);
          expect(sql[k]!.denominator).toBeCloseTo(core[k]!.denominator, 6);
        }
      }),
      { numRuns: 25 },
    );
  });
});
