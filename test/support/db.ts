// A fresh, migrated database for one test file, on PGlite or PostgreSQL (whichever the run uses).
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import type { Tally } from '../../src/service/context.js';

let counter = 0;

/** A DATABASE_URL of a new database, already migrated. */
export async function freshDatabaseUrl(): Promise<string> {
  const cfg = inject('database');
  if (cfg.kind === 'pglite') {
    const dir = mkdtempSync(join(dirname(cfg.template), 'db-'));
    cpSync(cfg.template, dir, { recursive: true });
    return `pglite:${dir}`;
  }
  const name = `${cfg.prefix}_${randomBytes(4).toString('hex')}_${counter++}`;
  const admin = new pg.Client({ connectionString: cfg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${cfg.template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(cfg.adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export const databaseKind = () => inject('database').kind;

export async function freshDatabase(): Promise<Database> {
  return openDatabase(await freshDatabaseUrl());
}

export function tallyOn(db: Database, now = '2026-11-05T10:00:00+08:00'): Tally {
  return { db: db.prisma, clock: fixedClock(now) };
}

/** A DATABASE_URL of a new database that nothing has set up (no tables): what a restore or an old release's dump goes into. */
export async function emptyDatabaseUrl(): Promise<string> {
  const cfg = inject('database');
  if (cfg.kind === 'pglite') return `pglite:${mkdtempSync(join(dirname(cfg.template), 'empty-'))}`;
  const name = `${cfg.prefix}_${randomBytes(4).toString('hex')}_${counter++}`;
  const admin = new pg.Client({ connectionString: cfg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(cfg.adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
