// `tally backup` / `tally restore` (src/db/backup.ts): on the database DATABASE_URL names, opened as it
// is (a restore sets it up itself) and, embedded, locked: a backup of a database the bot has open is
// refused with the lock's message naming its pid, so no copy is ever taken of a database mid-write.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import { backupTo, openBackup, restoreFrom, type BackupSummary, type RestoreSummary } from '../db/backup.js';
import { openSession, parseDatabaseUrl } from '../db/open.js';

export type { BackupSummary, RestoreSummary };

/** One pass over every row, as a big import's: the embedded database with a small page cache (less memory). */
const LEAN = { lean: true };

export async function backupDatabase(
  url: string | undefined,
  file: string,
): Promise<BackupSummary & { where: string }> {
  if (existsSync(file)) throw new ConfigError('backup_exists', { file });
  // a directory with no database in it (a mistyped DATABASE_URL): said, not created
  const target = parseDatabaseUrl(url);
  if (target.kind === 'pglite' && target.dir && !existsSync(join(target.dir, 'PG_VERSION')))
    throw new ConfigError('backup_no_schema', { where: target.dir });
  const db = await openSession(url, LEAN);
  try {
    return { ...(await backupTo(db.session, db.kind, db.where, file)), where: db.where };
  } finally {
    await db.close();
  }
}

export async function restoreDatabase(
  url: string | undefined,
  file: string,
): Promise<RestoreSummary & { where: string }> {
  // the file is checked before the database is touched: a file that is no Tally backup leaves no trace
  const backup = await openBackup(file);
  try {
    const db = await openSession(url, LEAN);
    try {
      return { ...(await restoreFrom(db.session, db.where, file, backup)), where: db.where };
    } finally {
      await db.close();
    }
  } finally {
    await backup.lines.return(undefined);
  }
}
