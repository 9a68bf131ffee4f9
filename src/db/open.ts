// Opens the database named by DATABASE_URL, applies pending migrations, and returns a Prisma client.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { ConfigError } from '../config.js';
import { migrate, type SqlSession } from './migrate.js';
import { pgPool } from './pg.js';

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** where it is, for messages (no password) */
  where: string;
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = './data';

export type Target = { kind: 'pglite'; dir: string | null } | { kind: 'postgres'; url: string };

export function parseDatabaseUrl(url: string | undefined): Target {
  if (!url) return { kind: 'pglite', dir: resolve(DEFAULT_DATA_DIR) };
  if (url === 'pglite:memory') return { kind: 'pglite', dir: null };
  if (url.startsWith('pglite:')) return { kind: 'pglite', dir: resolve(url.slice('pglite:'.length)) };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new ConfigError(`DATABASE_URL must be postgresql://..., pglite:<dir> or pglite:memory (got "${url.slice(0, 40)}")`);
}

/**
 * The embedded database belongs to one process: two processes writing one PGlite directory lose
 * each other's commits. A lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const path = join(dir, 'tally.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new ConfigError(`the database in ${dir} is in use by another Tally process (pid ${pid}); stop it first, or use PostgreSQL (DATABASE_URL=postgresql://...) to run several`);
      }
      if (pid === process.pid) throw new ConfigError(`the database in ${dir} is already open in this process`);
      rmSync(path, { force: true });
    }
  }
  throw new ConfigError(`cannot lock the database in ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openDatabase(url: string | undefined): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'pglite') {
    if (target.dir) mkdirSync(target.dir, { recursive: true });
    const unlock = target.dir ? lockDataDir(target.dir) : () => {};
    let lite: PGlite | undefined;
    try {
      lite = target.dir ? new PGlite(target.dir) : new PGlite();
      await migrate(pgliteSession(lite));
    } catch (e) {
      await lite?.close().catch(() => {});
      unlock();
      throw e;
    }
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
    return {
      prisma,
      kind: 'pglite',
      where: target.dir ?? 'memory',
      close: async () => {
        await prisma.$disconnect();
        await lite.close();
        unlock();
      },
    };
  }
  const u = new URL(target.url);
  const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
  } catch (e) {
    throw new ConfigError(`cannot connect to PostgreSQL at ${where}: ${(e as Error).message || (e as NodeJS.ErrnoException).code}`);
  }
  try {
    await migrate(pgSession(client));
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pgPool(target.url), { disposeExternalPool: true }) });
  return {
    prisma,
    kind: 'postgres',
    where,
    close: () => prisma.$disconnect(),
  };
}

function pgliteSession(lite: PGlite): SqlSession {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await lite.query<T>(sql, params)).rows,
    exec: async (script) => {
      await lite.exec(script);
    },
  };
}

function pgSession(client: pg.Client): SqlSession {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    exec: async (script) => {
      await client.query(script);
    },
  };
}
