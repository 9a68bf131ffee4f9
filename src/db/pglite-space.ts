// The embedded database's disk space after a write that did not commit. PGlite runs PostgreSQL as a
// single process: no autovacuum and no checkpointer. So the rows of a rolled-back import (a refused
// file, a disk that filled up, a kill -9) stayed in the table's file, its indexes kept their pages, and
// the WAL written for it stayed in pg_wal: a 20 MB failed import left the data directory 20 MB larger
// for good, and the retry after freeing that much space failed again. Taking it back is VACUUM (which
// truncates the empty end of a table), REINDEX of a table it shrank (an index never gives pages back)
// and CHECKPOINT (with wal_recycle off, the finished WAL files are deleted, not kept as spares).
// Used by the worker (pglite-worker.ts) only.
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** Left in the data directory while space is still to be taken back, so the next start does it. */
const PENDING = 'tally.reclaim';

// pg_control's `state` (after the system identifier and two version numbers): DB_SHUTDOWNED is 1
const STATE_OFFSET = 16;
const SHUT_DOWN = 1;

/**
 * Whether the last process left the directory without closing it (kill -9, a crash, a shutdown
 * checkpoint that failed on a full disk) or with space still to take back. Read before PGlite starts.
 */
export function leftUnfinished(dir: string): boolean {
  if (existsSync(join(dir, PENDING))) return true;
  const control = join(dir, 'global', 'pg_control');
  // a new directory: nothing there yet
  if (!existsSync(control)) return false;
  const bytes = readFileSync(control);
  return bytes.length >= STATE_OFFSET + 4 && bytes.readUInt32LE(STATE_OFFSET) !== SHUT_DOWN;
}

/**
 * Why PostgreSQL could not open the directory, when it is a file this process may not read or write
 * (another user's, a read-only disk): PGlite then only aborts, without a word. Null if none.
 */
export function accessProblem(dir: string): Error | null {
  for (const name of ['', ...readdirSync(dir, { recursive: true, encoding: 'utf8' })]) {
    try {
      accessSync(join(dir, name), constants.R_OK | constants.W_OK);
    } catch (e) {
      if (['EACCES', 'EPERM', 'EROFS'].includes((e as NodeJS.ErrnoException).code ?? '')) return e as Error;
    }
  }
  return null;
}

/** Says the next start must take back space (this process could not: the disk is still full). Best effort. */
export function markPending(dir: string): void {
  try {
    // an empty file: it needs no free block, only a directory entry
    writeFileSync(join(dir, PENDING), '');
  } catch {
    // the directory refuses even that: the next start sees an unclean shutdown, or the space stays until a later failure
  }
}

/** The bytes the directory takes on disk (its files' blocks, not their lengths). */
export function diskBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    try {
      const st = lstatSync(join(dir, name));
      if (st.isFile()) total += st.blocks * 512;
    } catch {
      // a file removed while counting (a WAL file, a temporary one)
    }
  }
  return total;
}

const MB = 1_048_576;
/** A WAL file: what PostgreSQL must create whole once the current one is full. */
const WAL_FILE = 16 * MB;
/** Room the VACUUM and REINDEX need: a new WAL file or two (they log the pages they change) and the new indexes. */
const ROOM_TO_VACUUM = 48 * MB;

/** Space not to be had: said instead of a PANIC, which is what PostgreSQL does when a WAL file cannot be written. */
export class NotEnoughSpace extends Error {
  override name = 'NotEnoughSpace';
}

const freeBytes = (dir: string) => {
  const { bavail, bsize } = statfsSync(dir);
  return bavail * bsize;
};

function needFree(dir: string, bytes: number): void {
  const free = freeBytes(dir);
  if (free < bytes)
    throw new NotEnoughSpace(
      `${(free / MB).toFixed(1)} MB free on the disk, ${(bytes / MB).toFixed(0)} MB needed to give the space back`,
    );
}

/**
 * Why PostgreSQL may have failed to start here, when the disk is too full for its recovery (which
 * writes a new WAL file): PGlite then only says it "failed to initialize". Null if there is room.
 */
export function spaceProblem(dir: string): Error | null {
  const free = freeBytes(dir);
  if (free >= WAL_FILE + MB) return null;
  return Object.assign(
    new Error(`${(free / MB).toFixed(1)} MB free; the database needs ${(WAL_FILE + MB) / MB} MB to start`),
    { code: 'ENOSPC' },
  );
}

/** Bytes of WAL written since the last checkpoint: what a rolled-back write may have left behind. */
export async function walSinceCheckpoint(lite: PGlite): Promise<number> {
  const { rows } = await lite.query<{ bytes: string }>(
    'SELECT (pg_current_wal_insert_lsn() - redo_lsn)::text AS bytes FROM pg_control_checkpoint()',
  );
  return Number(rows[0]?.bytes ?? 0);
}

const TABLES_SQL = `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_relation_size(c.oid)::text AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  ORDER BY 1`;

/**
 * Takes back what rolled-back writes left: returns the bytes freed. Throws what PostgreSQL said when
 * it cannot (no space even for that): the pending mark then stays for the next try.
 */
export async function reclaim(lite: PGlite, dir: string): Promise<number> {
  const before = diskBytes(dir);
  markPending(dir);
  // PostgreSQL stops (PANIC) when it cannot write a checkpoint's files or a new WAL file: so the space
  // is looked at first, and a disk still full is said, and left for a later try
  const { rows } = await lite.query<{ room: string }>(
    `SELECT (setting::bigint - (pg_walfile_name_offset(pg_current_wal_insert_lsn())).file_offset)::text AS room
       FROM pg_settings WHERE name = 'wal_segment_size'`,
  );
  needFree(dir, MB + (Number(rows[0]?.room ?? 0) < MB ? WAL_FILE : 0));
  // first the WAL files the last checkpoint no longer needs: on a full disk, that is the room VACUUM needs
  await lite.exec('CHECKPOINT');
  needFree(dir, ROOM_TO_VACUUM);
  const sizes = async () =>
    new Map((await lite.query<{ name: string; bytes: string }>(TABLES_SQL)).rows.map((r) => [r.name, Number(r.bytes)]));
  const was = await sizes();
  // the application's tables only: the catalogs barely change, and vacuuming them doubled the time
  if (was.size) await lite.exec(`VACUUM ${[...was.keys()].join(', ')}`);
  for (const [name, bytes] of await sizes()) {
    // rows rolled back at a table's end: VACUUM gave the pages back, its indexes still hold theirs
    if (bytes < was.get(name)!) await lite.exec(`REINDEX TABLE ${name}`);
  }
  await lite.exec('CHECKPOINT');
  rmSync(join(dir, PENDING), { force: true });
  return Math.max(0, before - diskBytes(dir));
}
