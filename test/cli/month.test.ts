// Month close: a finished month is frozen; later changes for it are refused until an admin reopens it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type MonthCloseJson, type PayrollJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;
const dir = mkdtempSync(join(tmpdir(), 'tally-month-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('demo')).code).toBe(0);
});
afterAll(() => db.close());

it('freezes a finished month and refuses changes to it until an admin reopens it', async () => {
  expect((await tally('month', 'close', '2026-11')).err).toBe('error: 2026-11 is not over yet (today is 2026-11-05)');
  const live = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
  expect(live.closed).toBe(false);
  expect((await tally('month', 'close', '2026-09')).code).toBe(0);
  const closed = await tally('month', 'close', '2026-10', '--json');
  expect(closed.json<MonthCloseJson>()).toEqual({ month: '2026-10', closed: true, members: 15 });
  const frozen = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
  expect(frozen).toEqual({ ...live, closed: true });
  expect((await tally('rank', '--month', '2026-10', '--json')).code).toBe(0);
  expect((await tally('month', 'close', '2026-10')).err).toBe('error: 2026-10 is already closed');

  // a promotion after the close does not rewrite October
  await tally(
    'roster',
    'import',
    file('promo.csv', 'slack_id,name,track,level,hired_on\nU00001004,陈明,presales,regular,2026-05-31\n'),
  );
  expect((await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>()).toEqual(frozen);

  const before = await db.prisma.penalty.count();
  expect(
    (await tally('penalty', 'add', 'U00001008', 'buck_passing', '--on', '2026-10-20', '--by', 'U0LEAD001')).err,
  ).toMatch(
    /^error: 2026-10 is closed: a penalty dated 2026-10-20 is refused; an admin can reopen it \(tally month reopen 2026-10 --why \.\.\.\)$/,
  );
  expect(
    (await tally('metrics', 'import', file('late.csv', 'date,slack_id,receptions\n2026-10-30,U00001001,5\n'))).err,
  ).toMatch(/late\.csv: importing metrics is refused/);
  expect(await db.prisma.penalty.count()).toBe(before);

  // only an admin reopens, named with --by (a lead is refused, and so is reopening as the terminal)
  expect((await tally('month', 'reopen', '2026-10', '--why', 'x', '--by', 'U0LEAD001')).err).toMatch(
    /only an admin may reopen a month/,
  );
  expect((await tally('month', 'reopen', '2026-10', '--why', 'x')).code).toBe(2);
  const admin = file(
    'admin.csv',
    'slack_id,name,track,level,hired_on,role\nU0ADMIN01,孙管理,presales,supervisor,2026-11-01,admin\n',
  );
  expect((await tally('roster', 'import', admin)).code).toBe(0);
  expect(
    (await tally('month', 'reopen', '2026-10', '--why', 'late store deduction from Tmall', '--by', 'U0ADMIN01')).code,
  ).toBe(0);
  expect(
    (await tally('penalty', 'add', 'U00001008', 'store_deduction', '--on', '2026-10-20', '--by', 'U0LEAD001')).code,
  ).toBe(0);
  expect((await tally('month', 'close', '2026-10')).code).toBe(0);
  const corrected = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
  const row = (p: PayrollJson) => p.rows.find((r) => r.slackId === 'U00001008')!;
  expect(row(corrected).penaltyFen).toBe(row(frozen).penaltyFen + 50_000);
  const trail = await db.prisma.auditLog.findMany({
    where: { action: { startsWith: 'month.' } },
    orderBy: { id: 'asc' },
  });
  expect(trail.map((a) => `${a.action} ${a.subject}`)).toEqual([
    'month.close 2026-09',
    'month.close 2026-10',
    'month.reopen 2026-10',
    'month.close 2026-10',
  ]);
});

it('takes first-place streaks from closed months as they were frozen', async () => {
  const oct = (await tally('payroll', '--month', '2026-10', '--json'))
    .json<PayrollJson>()
    .rows.filter((r) => r.awardRank === 1);
  // September is closed: October's streaks read it from its snapshot rows
  const sepFirst = await db.prisma.scoreSnapshot.findMany({
    where: { period: '2026-09', awardRank: 1 },
    select: { member: { select: { slackId: true } } },
  });
  for (const r of oct) expect(r.streak).toBe(sepFirst.some((s) => s.member.slackId === r.slackId) ? 2 : 1);
});
