// Imports under pressure: two at once on one database (two processes), and a large roster.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type Day } from '../../src/core/dates.js';
import { fromDay, toDay } from '../../src/db/dates.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import type { MetricEntry } from '../../src/import/metrics.js';
import { parseRoster } from '../../src/import/roster.js';
import { CLOSE_LOCK } from '../../src/service/closed.js';
import { importMetrics } from '../../src/service/metrics.js';
import { importRoster } from '../../src/service/roster.js';
import { retryConflicts } from '../../src/service/serial.js';
import { TallyError } from '../../src/errors.js';
import { cliRefusal } from '../../src/cli/text.js';
import { cliOn, type RosterListJson } from '../support/cli.js';
import { databaseKind, freshDatabaseUrl, tallyOn } from '../support/db.js';

let url: string;
let db: Database;
const MEMBERS = 400;

beforeAll(async () => {
  url = await freshDatabaseUrl();
  db = await openDatabase(url);
  await db.prisma.member.createMany({
    data: Array.from({ length: MEMBERS }, (_, i) => ({
      slackId: `UM${i}`,
      name: `Member ${i}`,
      track: 'presales' as const,
      level: 'regular' as const,
      role: 'agent' as const,
      hiredOn: fromDay('2025-01-01'),
    })),
  });
});
afterAll(() => db.close());

/** A file of every member's rows for the days given, in that order. */
function metricsFile(days: Day[], receptions: number): MetricEntry[] {
  return days.flatMap((day, d) =>
    Array.from({ length: MEMBERS }, (_, i) => ({
      line: d * MEMBERS + i + 2,
      day,
      slackId: `UM${i}`,
      inquiries: 10,
      paidCustomers: 5,
      receptions,
      gmvFen: 100_00,
      refundCustomers: 0,
      cases: null,
      resolved: null,
      serviceScore: 90,
      avgResponseSec: 30,
    })),
  );
}

function daysFrom(from: Day, to: Day): Day[] {
  const days: Day[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Lock requests waiting on this database (advisory locks: month close and imports). */
async function waiting(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND NOT l.granted`,
  );
  return rows[0]!.n;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

describe('metrics import', () => {
  it('lets two overlapping imports from two processes both finish, the later one winning the overlap', async () => {
    // on PostgreSQL a second process; PGlite belongs to one process, so there the same one twice
    const other = databaseKind() === 'postgres' ? await openDatabase(url) : db;
    // the overlap (the 15th to the 30th) in opposite orders: two writers meeting in the middle deadlock
    const first = metricsFile([...daysFrom('2026-10-15', '2026-10-30'), ...daysFrom('2026-10-01', '2026-10-14')], 1);
    const second = metricsFile(daysFrom('2026-10-15', '2026-10-31').reverse(), 2);
    let admin: pg.Client | undefined;
    try {
      let a: Promise<unknown>;
      let b: Promise<unknown>;
      if (databaseKind() === 'postgres') {
        // a month close in progress holds both back, then lets them go at the same instant
        admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query('BEGIN');
        await admin.query(`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`);
        a = importMetrics(tallyOn(db), first, { fileName: 'first.csv', by: 'cli' });
        await until(async () => (await waiting(admin!)) === 1);
        b = importMetrics(tallyOn(other), second, { fileName: 'second.csv', by: 'cli' });
        await until(async () => (await waiting(admin!)) === 2);
        await admin.query('COMMIT');
      } else {
        a = importMetrics(tallyOn(db), first, { fileName: 'first.csv', by: 'cli' });
        b = importMetrics(tallyOn(other), second, { fileName: 'second.csv', by: 'cli' });
      }
      const results = await Promise.allSettled([a, b]);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
    } finally {
      await admin?.end();
      if (other !== db) await other.close();
    }
    const rows = await db.prisma.dailyMetric.findMany({
      where: { day: { gte: fromDay('2026-10-01'), lte: fromDay('2026-10-31') } },
      select: { day: true, receptions: true },
    });
    expect(rows).toHaveLength(31 * MEMBERS);
    const byDay = new Map<string, Set<number | null>>();
    for (const r of rows) byDay.set(toDay(r.day), (byDay.get(toDay(r.day)) ?? new Set()).add(r.receptions));
    for (const [day, values] of byDay) expect([day, [...values]]).toEqual([day, [day < '2026-10-15' ? 1 : 2]]);
  });
});

describe('roster import', () => {
  it('imports 5,000 members in one go, and a re-import updates only the changed ones', async () => {
    const csv = (n: number, level: (i: number) => string) =>
      `slack_id,name,track,level,hired_on,role\n${Array.from({ length: n }, (_, i) => `UR${i},Agent ${i},${i % 2 ? 'presales' : 'aftersales'},${level(i)},2025-03-01,agent`).join('\n')}\n`;
    const big = parseRoster('big.csv', new TextEncoder().encode(csv(5_000, () => 'regular')));
    expect(await importRoster(tallyOn(db), big, { fileName: 'big.csv', by: 'cli' })).toEqual({
      added: 5_000,
      updated: 0,
      unchanged: 0,
      inactive: [],
    });
    await db.prisma.member.update({ where: { slackId: 'UR7' }, data: { active: false, deactivatedAt: new Date() } });
    const again = parseRoster(
      'again.csv',
      new TextEncoder().encode(csv(5_001, (i) => (i % 10 === 0 ? 'senior' : 'regular'))),
    );
    expect(await importRoster(tallyOn(db), again, { fileName: 'again.csv', by: 'cli' })).toEqual({
      added: 1,
      updated: 500,
      unchanged: 4_500,
      inactive: ['UR7'],
    });
    expect(await db.prisma.member.count({ where: { slackId: { startsWith: 'UR' }, level: 'senior' } })).toBe(501);
    expect(await db.prisma.member.findUnique({ where: { slackId: 'UR7' } })).toMatchObject({
      active: false,
      level: 'regular',
      name: 'Agent 7',
    });
    // through the command a lead types
    const r = await cliOn(db)('roster', 'list', '--json');
    expect(r.json<RosterListJson>().members.filter((m) => m.slackId.startsWith('UR'))).toHaveLength(5_000);
  });
});

describe('conflicting writes', () => {
  const conflict = (code: string) =>
    db.prisma.$transaction(async (tx) =>
      tx.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '${code}'; END $$`),
    );

  it('runs a transaction the database rolled back for a deadlock or a serialisation failure again', async () => {
    const codes = ['40P01', '40001'];
    let runs = 0;
    expect(
      await retryConflicts({ file: 'test.csv', kind: 'metrics' }, async () =>
        ++runs <= codes.length ? conflict(codes[runs - 1]!) : 'done',
      ),
    ).toBe('done');
    expect(runs).toBe(3);
  });

  it('gives up with one line after a few tries, and does not retry other errors', async () => {
    let runs = 0;
    const busy = await retryConflicts({ file: 'big.csv', kind: 'metrics' }, () => (runs++, conflict('40P01'))).catch(
      (e) => e,
    );
    expect(busy).toBeInstanceOf(TallyError);
    expect(cliRefusal(busy)).toBe(
      'big.csv: importing metrics: the database kept refusing it for conflicting writes (deadlock); nothing was written, try again',
    );
    expect(runs).toBe(5);
    runs = 0;
    await expect(
      retryConflicts({ file: 'test.csv', kind: 'metrics' }, () => (runs++, conflict('23505'))),
    ).rejects.toThrow(/conflict/);
    expect(runs).toBe(1);
  });

  it('says so in one line in the CLI, for a command that does not retry', async () => {
    // every write fails as if it had deadlocked with another process
    await db.prisma.$executeRawUnsafe(
      `CREATE FUNCTION deadlock() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$ LANGUAGE plpgsql`,
    );
    await db.prisma.$executeRawUnsafe(
      'CREATE TRIGGER deadlock BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION deadlock()',
    );
    try {
      const r = await cliOn(db)('roster', 'deactivate', 'UM1');
      expect({ code: r.code, err: r.err }).toEqual({
        code: 1,
        err: 'error: another change to the same data got in the way (the database reported a deadlock); this change was not saved, run the command again',
      });
      expect(await db.prisma.member.findUnique({ where: { slackId: 'UM1' } })).toMatchObject({ active: true });
    } finally {
      await db.prisma.$executeRawUnsafe('DROP TRIGGER deadlock ON audit_log');
    }
  });
});
