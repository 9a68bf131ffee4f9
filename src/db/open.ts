// Opens the database named by DATABASE_URL, applies pending migrations, and returns a Prisma client.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { ConfigError } from '../config.js';
import type { DatabaseNotice } from '../faults.js';
import { lockDataDir } from './lock.js';
import { migrate, type SqlSession } from './migrate.js';
import { PGliteThread } from './pglite-proxy.js';
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

/**
 * Prisma's defaults (2 s to get a connection, 5 s to finish) turn a busy moment into an error: the
 * embedded database runs one transaction at a time, so a fourth lead's penalty queues behind three
 * others, longer on a loaded machine. Waiting is right; a transaction that really hangs still ends.
 */
const TRANSACTIONS = { maxWait: 30_000, timeout: 60_000 };

export type Target = { kind: 'pglite'; dir: string | null } | { kind: 'postgres'; url: string };

export function parseDatabaseUrl(url: string | undefined): Target {
  if (!url) return { kind: 'pglite', dir: resolve(DEFAULT_DATA_DIR) };
  if (url === 'pglite:memory') return { kind: 'pglite', dir: null };
  if (url.startsWith('pglite:')) return { kind: 'pglite', dir: resolve(url.slice('pglite:'.length)) };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new ConfigError('db_bad_url', { url: url.slice(0, 40) });
}

export interface OpenOptions {
  /** the embedded database with a small page cache, for a process streaming a big file (less memory, slower writes) */
  lean?: boolean;
  /** otherwise the embedded database's page cache in MB (PostgreSQL's shared_buffers; default 128) */
  pageCacheMb?: number;
  /** what the embedded database did on its own: space taken back after a failed or interrupted write */
  onNotice?: (n: DatabaseNotice) => void;
}

export async function openDatabase(url: string | undefined, opts: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'pglite') {
    if (target.dir) mkdirSync(target.dir, { recursive: true });
    const lock = target.dir ? await lockDataDir(target.dir) : null;
    const unlock = async () => lock?.release();
    // PGlite runs in its own thread (pglite-proxy.ts): its queries never hold up this event loop
    let lite: PGliteThread | undefined;
    try {
      lite = await PGliteThread.open(target.dir, opts);
      await migrate(lite.session());
    } catch (e) {
      await lite?.close().catch(() => {});
      await unlock();
      throw e;
    }
    const prisma = new PrismaClient({ adapter: lite.adapterFactory(), transactionOptions: TRANSACTIONS });
    return {
      prisma,
      kind: 'pglite',
      where: target.dir ?? 'memory',
      close: async () => {
        await prisma.$disconnect();
        await lite.close();
        await unlock();
      },
    };
  }
  const { client, where } = await connectPg(target.url);
  try {
    await migrate(pgSession(client));
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pgPool(target.url), { disposeExternalPool: true }),
    transactionOptions: TRANSACTIONS,
  });
  return {
    prisma,
    kind: 'postgres',
    where,
    close: () => prisma.$disconnect(),
  };
}

/** One connection to PostgreSQL, and where it is for messages (no password). */
async function connectPg(url: string): Promise<{ client: pg.Client; where: string }> {
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    const refused = new ConfigError('db_connect_failed', {
      where,
      problem: (e as Error).message || ((e as NodeJS.ErrnoException).code ?? ''),
    });
    // why: a server down or starting up (a fault, worth trying again) or a wrong address or password
    refused.cause = e;
    throw refused;
  }
  return { client, where };
}

function pgSession(client: pg.Client): SqlSession {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    exec: async (script) => {
      await client.query(script);
    },
  };
}

/** One connection to the database at `url`, as it is (no migrations): what a backup or a restore works on. */
export interface RawDatabase {
  session: SqlSession;
  kind: 'pglite' | 'postgres';
  where: string;
  close(): Promise<void>;
}

/** Opens one session on the database, locking an embedded one's directory as openDatabase does. */
export async function openSession(url: string | undefined, opts: OpenOptions = {}): Promise<RawDatabase> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'pglite') {
    if (target.dir) mkdirSync(target.dir, { recursive: true });
    const lock = target.dir ? await lockDataDir(target.dir) : null;
    let lite: PGliteThread;
    try {
      lite = await PGliteThread.open(target.dir, opts);
    } catch (e) {
      await lock?.release();
      throw e;
    }
    return {
      session: lite.session(),
      kind: 'pglite',
      where: target.dir ?? 'memory',
      close: async () => {
        await lite.close();
        await lock?.release();
      },
    };
  }
  const { client, where } = await connectPg(target.url);
  return { session: pgSession(client), kind: 'postgres', where, close: () => client.end() };
}
