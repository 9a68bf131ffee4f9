// At start the bot scores the months /myscore shows, so the first requests read them from memory.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';
import { warmResults } from '../../src/jobs/warm.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: () => {}, env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } }, db);
});
afterAll(() => db.close());

it("scores this month and the trend's months, and keeps their first and last places for later look-backs", async () => {
  const months = await warmResults(tallyOn(db));
  expect(months).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
  // each open month's award state is kept at its current stamp: a later look-back reads it, unscored
  const fresh = await db.prisma.$queryRawUnsafe<Array<{ month: string }>>(
    `SELECT s.month FROM month_award_state s
     WHERE s.stamp = (SELECT COALESCE(SUM(n), 0) FROM month_version v WHERE v.month <= s.month) ORDER BY s.month`,
  );
  expect(fresh.map((r) => r.month)).toEqual(months);
  // the demo's months have first places to keep
  const kept = await db.prisma.$queryRawUnsafe<Array<{ month: string }>>(
    `SELECT DISTINCT month FROM month_award WHERE award_rank = 1 ORDER BY month`,
  );
  expect(kept.map((r) => r.month)).toEqual(['2026-09', '2026-10', '2026-11']);
});
