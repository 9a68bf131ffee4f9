import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { cliRefusal } from '../../src/cli/text.js';
import { migrate, MigrationError, readMigrations, type SqlSession } from '../../src/db/migrate.js';
import { freshDatabase } from '../support/db.js';

function session(lite: PGlite): SqlSession {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await lite.query<T>(sql, params)).rows,
    exec: async (script) => void (await lite.exec(script)),
  };
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-mig-'));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migrator', () => {
  it('records every committed migration as prisma migrate deploy does', async () => {
    const db = await freshDatabase();
    try {
      const rows = await db.prisma.$queryRawUnsafe<
        Array<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>
      >(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      );
      const committed = readMigrations();
      expect(rows.map((r) => r.migration_name)).toEqual(committed.map((m) => m.name));
      expect(rows.map((r) => r.checksum)).toEqual(committed.map((m) => m.checksum));
      expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
      expect(await db.prisma.member.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('applies migrations in name order, each atomically, and refuses to go on past a failed one (P3009)', async () => {
    const lite = new PGlite();
    const dir = migrationsDir({
      '001_a': 'CREATE TABLE a (x int);',
      '002_b': 'CREATE TABLE b (y int); INSERT INTO nowhere VALUES (1);',
      '003_c': 'CREATE TABLE c (z int);',
    });
    await expect(migrate(session(lite), readMigrations(dir))).rejects.toMatchObject({
      code: 'migration_failed',
      params: { name: '002_b' },
    });
    // the failed file left nothing half-done, and the next file did not run
    const tables = (
      await lite.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ).rows.map((r) => r.tablename);
    expect(tables).toEqual(['_prisma_migrations', 'a']);
    const failed = (
      await lite.query<{ logs: string }>("SELECT logs FROM _prisma_migrations WHERE migration_name = '002_b'")
    ).rows[0];
    expect(failed?.logs).toMatch(/nowhere/);
    await expect(migrate(session(lite), readMigrations(dir))).rejects.toThrow(MigrationError);
    const refusal = await migrate(session(lite), readMigrations(dir)).catch((e: unknown) => cliRefusal(e));
    expect(refusal).toMatch(/^migration 002_b failed earlier .*\(Prisma P3009\)/);
    await lite.close();
  });

  it('applies only what is new', async () => {
    const lite = new PGlite();
    const first = migrationsDir({ '001_a': 'CREATE TABLE a (x int);' });
    expect(await migrate(session(lite), readMigrations(first))).toEqual(['001_a']);
    const second = migrationsDir({ '001_a': 'CREATE TABLE a (x int);', '002_b': 'CREATE TABLE b (y int);' });
    expect(await migrate(session(lite), readMigrations(second))).toEqual(['002_b']);
    expect(await migrate(session(lite), readMigrations(second))).toEqual([]);
    await lite.close();
  });
});

describe('upgrading a database made before assignment history', () => {
  it('makes each member current values their first assignment from hired_on, and a deactivation a dated entry in the team zone', async () => {
    const lite = new PGlite();
    const all = readMigrations();
    const history = all.findIndex((m) => m.name.endsWith('_member_history'));
    expect(history).toBeGreaterThan(0);
    // the database as the previous release left it
    await migrate(session(lite), all.slice(0, history));
    await lite.exec(`
      INSERT INTO policy_version (effective_from, policy) VALUES ('2026-01-01', '{"timezone": "America/Los_Angeles"}');
      INSERT INTO member (slack_id, name, track, level, role, hired_on, active, deactivated_at, updated_at) VALUES
        ('U1', 'Amy', 'presales', 'senior', 'agent', '2025-06-15', true, NULL, now()),
        ('U2', 'Bob', 'aftersales', 'regular', 'lead', '2024-01-02', false, '2026-09-10T05:00:00Z', now());
      INSERT INTO daily_metric (member_id, day, receptions) SELECT id, '2026-09-01', 10 FROM member;
    `);
    expect(await migrate(session(lite), all)).toEqual(all.slice(history).map((m) => m.name));
    const assignments = (
      await lite.query<{ slack_id: string; from: string; track: string; level: string; role: string }>(
        `SELECT m.slack_id, to_char(a.effective_from, 'YYYY-MM-DD') AS from, a.track::text AS track,
           a.level::text AS level, a.role::text AS role
         FROM member_assignment a JOIN member m ON m.id = a.member_id ORDER BY m.slack_id`,
      )
    ).rows;
    expect(assignments).toEqual([
      { slack_id: 'U1', from: '2025-06-15', track: 'presales', level: 'senior', role: 'agent' },
      { slack_id: 'U2', from: '2024-01-02', track: 'aftersales', level: 'regular', role: 'lead' },
    ]);
    // 05:00 UTC on the 10th is the evening of the 9th in Los Angeles, the team's zone
    const activity = (
      await lite.query<{ slack_id: string; day: string; active: boolean }>(
        `SELECT m.slack_id, to_char(e.day, 'YYYY-MM-DD') AS day, e.active
         FROM member_activity e JOIN member m ON m.id = e.member_id`,
      )
    ).rows;
    expect(activity).toEqual([{ slack_id: 'U2', day: '2026-09-09', active: false }]);
    // the metrics and the member rows are as they were
    expect((await lite.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM daily_metric')).rows[0]!.n).toBe(2);
    expect((await lite.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM metric_month')).rows[0]!.n).toBe(2);
    // a member added after the upgrade starts with an assignment too
    await lite.exec(
      `INSERT INTO member (slack_id, name, track, level, role, hired_on, updated_at) VALUES ('U3', 'Cy', 'presales', 'trainee', 'agent', '2026-11-02', now())`,
    );
    const added = await lite.query<{ from: string; level: string }>(
      `SELECT to_char(effective_from, 'YYYY-MM-DD') AS from, a.level::text AS level FROM member_assignment a
       JOIN member m ON m.id = a.member_id WHERE m.slack_id = 'U3'`,
    );
    expect(added.rows).toEqual([{ from: '2026-11-02', level: 'trainee' }]);
    await lite.close();
  });
});
