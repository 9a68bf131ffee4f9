// pg 9 removes the client's own query queue: a second query on a client already running one warns
// today and will fail then. Prisma loads several relations of one row in parallel, and inside a
// transaction they all go to the transaction's one client.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { recordPenalty } from '../../src/service/penalties.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { fromDay } from '../../src/db/dates.js';

let db: Database;
const warnings: string[] = [];
const overlapping: string[] = [];
const query = pg.Client.prototype.query;
const onWarning = (w: Error) => warnings.push(w.message);

beforeAll(async () => {
  process.on('warning', onWarning);
  // pg warns only once per process; this sees every overlap, under the same condition pg checks
  pg.Client.prototype.query = function (
    this: pg.Client & { _queryQueue: unknown[]; pipeline?: boolean },
    ...args: unknown[]
  ) {
    if (this._queryQueue.length > 0 && !this.pipeline)
      overlapping.push(String((args[0] as { text?: string })?.text ?? args[0]).slice(0, 80));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  db = await freshDatabase();
  for (const [slackId, role] of [
    ['UA', 'agent'],
    ['UL', 'lead'],
  ] as const) {
    await db.prisma.member.create({
      data: { slackId, name: slackId, track: 'presales', level: 'regular', role, hiredOn: fromDay('2025-01-01') },
    });
  }
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  process.off('warning', onWarning);
  await db.close();
});

it('never sends a query on a PostgreSQL client that is still running one, even inside a transaction', async () => {
  // recording a penalty loads the new row's member, recorder and revoker inside its transaction
  const r = await recordPenalty(tallyOn(db), { slackId: 'UA', by: 'UL', text: 'buck_passing' });
  await db.prisma.$transaction(async (tx) =>
    tx.penalty.findMany({ include: { member: true, recordedBy: true, revokedBy: true } }),
  );
  await Promise.all([db.prisma.member.count(), db.prisma.penalty.count(), db.prisma.auditLog.count()]);
  await new Promise((r) => setImmediate(r));
  expect(r.penalty.id).toBeGreaterThan(0);
  expect(overlapping).toEqual([]);
  expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
});
