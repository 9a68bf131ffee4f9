// Cached period results must never outlive a change, even one made by another replica.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open.js';
import { fromDay } from '../../src/db/dates.js';
import { recordPenalty, revokePenalty } from '../../src/service/penalties.js';
import { memberScore } from '../../src/service/scores.js';
import { databaseKind, freshDatabaseUrl, tallyOn } from '../support/db.js';

let url: string;
let a: Database;
let b: Database;

beforeAll(async () => {
  url = await freshDatabaseUrl();
  a = await openDatabase(url);
  // PostgreSQL: a second replica with its own connections; PGlite holds its directory alone
  b = databaseKind() === 'postgres' ? await openDatabase(url) : a;
  for (const [slackId, role] of [
    ['U1', 'agent'],
    ['U2', 'agent'],
    ['UL', 'lead'],
  ] as const) {
    const m = await a.prisma.member.create({
      data: { slackId, name: slackId, track: 'presales', level: 'regular', role, hiredOn: fromDay('2025-01-01') },
    });
    if (role === 'agent') {
      await a.prisma.dailyMetric.create({
        data: {
          memberId: m.id,
          day: fromDay('2026-10-10'),
          inquiries: 10,
          paidCustomers: slackId === 'U1' ? 5 : 4,
          receptions: 10,
          gmvFen: 100_000n,
          refundCustomers: 0,
          serviceScore: 90,
        },
      });
    }
  }
});
afterAll(async () => {
  if (b !== a) await b.close();
  await a.close();
});

it('recomputes a month after a penalty recorded elsewhere, and again after it is revoked', async () => {
  const here = tallyOn(a);
  const there = tallyOn(b);
  const month = { kind: 'month', month: '2026-10' } as const;
  const before = await memberScore(here, 'U1', month);
  expect(before.standing?.score.rank).toBe(1);
  expect(await memberScore(here, 'U1', month)).toEqual(before);

  const p = await recordPenalty(there, { slackId: 'U1', by: 'UL', text: 'fraud', on: '2026-10-11' });
  const after = await memberScore(here, 'U1', month);
  expect(after.penalties.points).toBe(20);
  expect(after.standing!.score.score).toBeCloseTo(before.standing!.score.score - 20, 2);
  expect(after.standing?.score.rank).toBe(2);
  expect(after.payslip?.commissionFen).toBe(0);

  await revokePenalty(there, { id: p.penalty.id, by: 'UL', why: 'wrong agent' });
  expect(await memberScore(here, 'U1', month)).toEqual(before);
});
