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
