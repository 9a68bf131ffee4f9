// `tally backup` / `tally restore`: a logical copy of a Tally database in one gzipped file, which
// restores into the embedded database or PostgreSQL alike (PGlite's own dumpDataDir() is a tarball of
// its files, for PGlite only). The file is JSON lines:
//   {"tally":"backup","format":1,"schema":"<last migration>","migrations":[...],"madeAt":"…","from":"pglite"}
//   {"table":"member","columns":["id",…]}            then one line per row: each column's text, or null
//   [ "1", "U0LEAD001", … ]
//   {"sequence":"member_id_seq","value":"15","called":true}
//   {"end":true,"tables":21,"rows":12345}
// Every value is PostgreSQL's own text for it (dates, timestamps with their offset, exact floats, bytea
// in hex, JSON as written) and is read back by the column's type: nothing is converted on the way.
// A backup reads one snapshot (REPEATABLE READ); a restore is one transaction: all of it, or nothing.
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { ConfigError } from '../config.js';
import { LOCK_ID, MIGRATIONS_TABLE, readMigrations, type Migration, type SqlSession } from './migrate.js';

export const BACKUP_FORMAT = 1;

interface Header {
  tally: 'backup';
  format: number;
  /** the last migration the database had: its schema version */
  schema: string | null;
  migrations: string[];
  madeAt: string;
  from: 'pglite' | 'postgres';
}

export interface BackupSummary {
  file: string;
  schema: string | null;
  tables: number;
  rows: number;
  bytes: number;
}

/** Rows fetched per round trip, and rows (or characters of JSON) inserted per statement. */
const FETCH_ROWS = 5_000;
const INSERT_ROWS = 5_000;
const INSERT_CHARS = 4_000_000;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tally's tables (the migrations' own excepted), parents before the tables that refer to them. */
async function tablesInOrder(db: SqlSession): Promise<string[]> {
  const tables = (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
       ORDER BY c.relname`,
    )
  ).map((r) => r.name);
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
     JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = k.connamespace
     WHERE k.contype = 'f' AND n.nspname = current_schema() AND ch.oid <> pa.oid`,
  );
  const ordered: string[] = [];
  const left = new Set(tables);
  while (left.size) {
    const ready = [...left].filter((t) => !edges.some((e) => e.child === t && left.has(e.parent)));
    // a cycle of foreign keys (Tally has none): the rest in name order, for the database to judge
    for (const t of ready.length ? ready : [...left]) {
      ordered.push(t);
      left.delete(t);
    }
  }
  return ordered;
}

async function columnsOf(db: SqlSession, table: string): Promise<Array<{ name: string; type: string }>> {
  return db.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attgenerated = ''
     ORDER BY a.attnum`,
    [table],
  );
}

async function sequences(db: SqlSession): Promise<string[]> {
  return (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'S' ORDER BY c.relname`,
    )
  ).map((r) => r.name);
}

/** The migrations applied to the database, in order; null when it has no migrations table (never set up). */
async function appliedMigrations(db: SqlSession): Promise<string[] | null> {
  const [{ present }] = (await db.query<{ present: boolean }>(
    `SELECT to_regclass(quote_ident(current_schema()) || '._prisma_migrations') IS NOT NULL AS present`,
  )) as [{ present: boolean }];
  if (!present) return null;
  return (
    await db.query<{ name: string }>(
      `SELECT migration_name AS name FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    )
  ).map((r) => r.name);
}

/** The same text whichever server or settings wrote it, and read back the same way. */
const TEXT_SETTINGS = `SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL TimeZone = 'UTC'; SET LOCAL IntervalStyle = 'postgres';
  SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'`;

/** Writes the whole database to `file` (gzipped JSON lines); `file` appears only once complete. */
export async function backupTo(
  db: SqlSession,
  from: Header['from'],
  where: string,
  file: string,
  now = new Date(),
): Promise<BackupSummary> {
  if (existsSync(file)) throw new ConfigError('backup_exists', { file });
  const partial = `${file}.partial`;
  let tables = 0;
  let rows = 0;
  let schema: string | null = null;
  await db.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await db.exec(TEXT_SETTINGS);
    const migrations = await appliedMigrations(db);
    if (migrations === null) throw new ConfigError('backup_no_schema', { where });
    schema = migrations.at(-1) ?? null;
    async function* lines(): AsyncGenerator<string> {
      const header: Header = {
        tally: 'backup',
        format: BACKUP_FORMAT,
        schema,
        migrations: migrations!,
        madeAt: now.toISOString(),
        from,
      };
      yield `${JSON.stringify(header)}\n`;
      for (const table of await tablesInOrder(db)) {
        const columns = (await columnsOf(db, table)).map((c) => c.name);
        yield `${JSON.stringify({ table, columns })}\n`;
        const row = `array_to_json(ARRAY[${columns.map((c) => `${quote(c)}::text`).join(', ')}])::text AS r`;
        await db.exec(`DECLARE tally_backup NO SCROLL CURSOR FOR SELECT ${row} FROM ${quote(table)}`);
        for (;;) {
          const batch = await db.query<{ r: string }>(`FETCH ${FETCH_ROWS} FROM tally_backup`);
          if (!batch.length) break;
          rows += batch.length;
          yield batch.map((b) => `${b.r}\n`).join('');
        }
        await db.exec('CLOSE tally_backup');
        tables++;
      }
      for (const sequence of await sequences(db)) {
        const [s] = await db.query<{ value: string; called: boolean }>(
          `SELECT last_value::text AS value, is_called AS called FROM ${quote(sequence)}`,
        );
        yield `${JSON.stringify({ sequence, value: s!.value, called: s!.called })}\n`;
      }
      yield `${JSON.stringify({ end: true, tables, rows })}\n`;
    }
    try {
      await pipeline(lines, createGzip(), createWriteStream(partial, { flags: 'wx' }));
    } catch (e) {
      rmSync(partial, { force: true });
      throw fileProblem(e, file);
    }
  } finally {
    await db.exec('ROLLBACK').catch(() => {});
  }
  renameSync(partial, file);
  return { file, schema, tables, rows, bytes: statSync(file).size };
}

/** A file that cannot be opened or written: one line naming it (a full disk stays a fault of the machine). */
function fileProblem(e: unknown, file: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST')
    return new ConfigError('backup_unreadable', {
      file,
      problem: code === 'ENOENT' ? 'no such file or directory' : (e as Error).message,
    });
  return e;
}

/** The file's lines, one at a time; its errors (not gzip, cut short) as refusals naming it. */
async function* linesOf(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const source = createReadStream(file);
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  // the line being read, in pieces: a long line (a kept upload's bytes) is joined once, not per chunk
  let pieces: string[] = [];
  try {
    // decoded as a stream: a character whose bytes straddle two chunks stays whole
    for await (const chunk of gunzip.setEncoding('utf8') as AsyncIterable<string>) {
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
        pieces.push(chunk.slice(start, nl));
        yield pieces.join('');
        pieces = [];
        start = nl + 1;
      }
      if (start < chunk.length) pieces.push(chunk.slice(start));
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw new ConfigError('backup_incomplete', { file });
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new ConfigError('backup_not_tally', { file, problem: 'not a gzip file' });
    throw fileProblem(e, file);
  } finally {
    source.destroy();
  }
  if (pieces.length) yield pieces.join('');
}

/** Reads and checks a backup's first line: a Tally backup this version can restore. */
async function readHeader(lines: AsyncGenerator<string>, file: string, known: Migration[]): Promise<Header> {
  const first = await lines.next();
  if (first.done) throw new ConfigError('backup_not_tally', { file, problem: 'it is empty' });
  let header: Partial<Header>;
  try {
    header = JSON.parse(first.value) as Partial<Header>;
  } catch {
    throw new ConfigError('backup_not_tally', { file, problem: 'its first line is not a Tally backup header' });
  }
  if (header?.tally !== 'backup' || !Array.isArray(header.migrations))
    throw new ConfigError('backup_not_tally', { file, problem: 'its first line is not a Tally backup header' });
  if (header.format !== BACKUP_FORMAT)
    throw new ConfigError('backup_not_tally', {
      file,
      problem: `format ${String(header.format)}, this Tally reads ${BACKUP_FORMAT}`,
    });
  const names = known.map((m) => m.name);
  header.migrations.forEach((m, i) => {
    if (names[i] !== m) {
      if (!names.includes(m)) throw new ConfigError('backup_newer', { file, migration: String(m) });
      throw new ConfigError('backup_not_tally', {
        file,
        problem: `its migrations are not this Tally's (${String(m)})`,
      });
    }
  });
  return header as Header;
}

/** What a restore needs from the file before it touches the database: the header, and the rest to read. */
export async function openBackup(file: string, known = readMigrations()) {
  const lines = linesOf(file);
  const header = await readHeader(lines, file, known);
  return { header, lines };
}

async function applyInTransaction(db: SqlSession, migrations: Migration[]): Promise<void> {
  for (const m of migrations) {
    await db.exec(m.sql);
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, $2, now(), now(), 1)`,
      [m.checksum, m.name],
    );
  }
}

/** Tables holding rows (what a migration seeds excepted: data_version's first row, n = 0). */
async function tablesWithData(db: SqlSession): Promise<string[]> {
  const tables = await tablesInOrder(db);
  if (!tables.length) return [];
  const probes = tables.map(
    (t) =>
      `SELECT ${`'${t.replaceAll("'", "''")}'`} AS name WHERE EXISTS (SELECT 1 FROM ${quote(t)}${t === 'data_version' ? ' WHERE n <> 0' : ''})`,
  );
  return (await db.query<{ name: string }>(probes.join(' UNION ALL '))).map((r) => r.name);
}

export interface RestoreSummary {
  file: string;
  schema: string | null;
  /** migrations applied after loading: the backup was made by an older Tally */
  upgraded: string[];
  tables: number;
  rows: number;
}

/**
 * Loads a backup into an empty database, as one transaction: the backup's migrations first (those the
 * database lacks), its rows with triggers off (the rows are the triggers' results already), its
 * sequences where they were, then the migrations this Tally has beyond the backup's.
 */
export async function restoreFrom(
  db: SqlSession,
  where: string,
  file: string,
  backup: { header: Header; lines: AsyncGenerator<string> },
  known = readMigrations(),
): Promise<RestoreSummary> {
  const { header, lines } = backup;
  await db.exec('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    await db.exec(TEXT_SETTINGS);
    const full = await tablesWithData(db);
    if (full.length)
      throw new ConfigError('restore_not_empty', {
        where,
        tables: full.slice(0, 5).join(', ') + (full.length > 5 ? ', …' : ''),
      });
    const applied = (await appliedMigrations(db)) ?? [];
    const ahead = applied.find((m, i) => header.migrations[i] !== m);
    if (ahead !== undefined) throw new ConfigError('restore_schema_ahead', { where, migration: ahead });
    await db.exec(MIGRATIONS_TABLE);
    await applyInTransaction(db, known.slice(applied.length, header.migrations.length));
    const tables = await tablesInOrder(db);
    for (const t of tables) await db.exec(`ALTER TABLE ${quote(t)} DISABLE TRIGGER USER`);
    // what the migrations seeded (data_version's row) gives way to the backup's
    for (const t of [...tables].reverse()) await db.exec(`DELETE FROM ${quote(t)}`);

    let table: { name: string; insert: string; count: number } | null = null;
    let batch: string[] = [];
    let chars = 0;
    let rows = 0;
    let done = 0;
    let end: { tables: number; rows: number } | null = null;
    const flush = async () => {
      if (!batch.length) return;
      await db.query(table!.insert, [`[${batch.join(',')}]`]);
      table!.count += batch.length;
      batch = [];
      chars = 0;
    };
    const bad = (problem: string) => new ConfigError('backup_not_tally', { file, problem });
    for await (const line of lines) {
      if (end) throw bad('it goes on after its end');
      if (line.startsWith('[')) {
        if (!table) throw bad('a row before any table');
        batch.push(line);
        chars += line.length;
        rows++;
        if (batch.length >= INSERT_ROWS || chars >= INSERT_CHARS) await flush();
        continue;
      }
      let item: {
        table?: string;
        columns?: string[];
        sequence?: string;
        value?: string;
        called?: boolean;
        end?: boolean;
        tables?: number;
        rows?: number;
      };
      try {
        item = JSON.parse(line) as typeof item;
      } catch {
        throw bad('a line that is not JSON');
      }
      await flush();
      if (table) done++;
      table = null;
      if (typeof item.table === 'string' && Array.isArray(item.columns)) {
        const types = new Map((await columnsOf(db, item.table)).map((c) => [c.name, c.type]));
        if (!types.size) throw bad(`table ${item.table} is not in this database`);
        const casts = item.columns.map((c, i) => {
          const type = types.get(c);
          if (type === undefined) throw bad(`column ${item.table}.${c} is not in this database`);
          return `(r->>${i})::${type}`;
        });
        table = {
          name: item.table,
          count: 0,
          insert: `INSERT INTO ${quote(item.table)} (${item.columns.map(quote).join(', ')})
            SELECT ${casts.join(', ')} FROM json_array_elements($1::json) AS e(r)`,
        };
      } else if (typeof item.sequence === 'string' && typeof item.value === 'string') {
        await db.query('SELECT setval($1::regclass, $2::bigint, $3::boolean)', [
          quote(item.sequence),
          item.value,
          item.called === true,
        ]);
      } else if (item.end === true) {
        end = { tables: Number(item.tables), rows: Number(item.rows) };
      } else throw bad('a line it does not know');
    }
    if (!end) throw new ConfigError('backup_incomplete', { file });
    if (end.rows !== rows || end.tables !== done) throw new ConfigError('backup_incomplete', { file });
    for (const t of tables) await db.exec(`ALTER TABLE ${quote(t)} ENABLE TRIGGER USER`);
    // an older Tally's backup: this one's later migrations, on its data, as an upgrade in place does
    const upgrade = known.slice(header.migrations.length);
    await applyInTransaction(db, upgrade);
    await db.exec('COMMIT');
    return { file, schema: header.schema, upgraded: upgrade.map((m) => m.name), tables: done, rows };
  } catch (e) {
    await db.exec('ROLLBACK').catch(() => {});
    throw e;
  }
}
