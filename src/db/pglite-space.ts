// The embedded database's disk space after a write that did not commit. PGlite runs PostgreSQL as a
// single process: no autovacuum and no checkpointer. So the rows of a rolled-back import (a refused
// file, a disk that filled up, a kill -9) stayed in the table's file, its indexes kept their pages, and
// the WAL written for it stayed in pg_wal: a 20 MB failed import left the data directory 20 MB larger
// for good, and the retry after freeing that much space failed again. Taking it back is VACUUM (which
// truncates the empty end of a table), REINDEX of a table it shrank (an index never gives pages back)
// and CHECKPOINT (with wal_recycle off, the finished WAL files are deleted, not kept as spares).
// Used by the worker (pglite-worker.ts) only.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // first the WAL files the last checkpoint no longer needs: on a full disk, that is the room VACUUM needs
  await lite.exec('CHECKPOINT');
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
