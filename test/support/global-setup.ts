// Migrates one template database per run; each test file then gets a copy (see ./db.ts).
// TEST_DATABASE_URL=postgresql://... runs the suite on PostgreSQL, otherwise on PGlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/open.js';

declare module 'vitest' {
  export interface ProvidedContext {
    database:
      { kind: 'pglite'; template: string } | { kind: 'postgres'; template: string; adminUrl: string; prefix: string };
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `tally_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const db = await openDatabase(u.toString());
    await db.close();
    project.provide('database', { kind: 'postgres', template, adminUrl: url, prefix: `tally_t_${process.pid}` });
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'tally_t_${process.pid}_%' OR datname = $1`,
        [template],
      );
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const root = mkdtempSync(join(tmpdir(), 'tally-test-'));
  const template = join(root, 'template');
  const db = await openDatabase(`pglite:${template}`);
  await db.close();
  project.provide('database', { kind: 'pglite', template });
  process.env.TALLY_TEST_ROOT = root;
  return () => rmSync(root, { recursive: true, force: true });
}
