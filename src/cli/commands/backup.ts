// tally backup <file> | tally restore <file>: the whole database in one file, and back into an empty one.
import type { Command } from 'commander';
import { readEnv } from '../../config.js';
import { backupDatabase, restoreDatabase } from '../../service/backup.js';
import type { CliContext } from '../program.js';

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function registerBackup(program: Command, { io, print }: CliContext): void {
  program
    .command('backup <file>')
    .description(
      'write the whole database (every table, the schema version) to one gzipped file; restores with `tally restore` into the embedded database or PostgreSQL',
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { json?: boolean }) => {
      const b = await backupDatabase(readEnv(io.env).DATABASE_URL, file);
      print(
        o.json,
        { file: b.file, schema: b.schema, tables: b.tables, rows: b.rows, bytes: b.bytes },
        () =>
          `Backed up ${b.where} to ${b.file}: ${b.rows} rows in ${b.tables} tables, schema ${b.schema ?? 'none'}, ${size(b.bytes)}.`,
      );
    });
}

export function registerRestore(program: Command, { io, print }: CliContext): void {
  program
    .command('restore <file>')
    .description(
      'load a `tally backup` file into the empty database DATABASE_URL names (refused on one that holds data); all or nothing',
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { json?: boolean }) => {
      const r = await restoreDatabase(readEnv(io.env).DATABASE_URL, file);
      print(
        o.json,
        { file: r.file, schema: r.schema, tables: r.tables, rows: r.rows, upgraded: r.upgraded },
        () =>
          `Restored ${r.file} into ${r.where}: ${r.rows} rows in ${r.tables} tables, schema ${r.schema ?? 'none'}.` +
          (r.upgraded.length
            ? `\nThe backup was made by an older Tally: then upgraded (${r.upgraded.length} migrations, to ${r.upgraded.at(-1)}).`
            : ''),
      );
    });
}
