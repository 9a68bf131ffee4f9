// The backup file's reading and a restore's migrations, below the CLI: what needs a migration this
// Tally does not have (a backup from an older release) or a file no export would write.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { cliRefusal } from '../../src/cli/text.js';
import { backupTo, openBackup, restoreFrom } from '../../src/db/backup.js';
import { readMigrations } from '../../src/db/migrate.js';
import { openDatabase, openSession } from '../../src/db/open.js';
import { databaseKind, freshDatabaseUrl } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-backup-db-'));

describe('a backup file', () => {
  it('reads back every character of long lines of Chinese text, whichever bytes a chunk ends on', async () => {
    const migrations = readMigrations().map((m) => m.name);
    const header = { tally: 'backup', format: 1, schema: migrations.at(-1), migrations, madeAt: '', from: 'pglite' };
    // 3-byte characters in lines of every length around the decompressor's 16 KiB chunks
    const rows = Array.from({ length: 40 }, (_, i) => JSON.stringify(['郑组长'.repeat(5_000 + i) + String(i)]));
    const file = join(dir, 'long-lines.gz');
    writeFileSync(file, gzipSync([JSON.stringify(header), ...rows].join('\n') + '\n'));
    const { lines } = await openBackup(file);
    const read: string[] = [];
    for await (const line of lines) read.push(line);
    expect(read).toEqual(rows);
  });

  it('restores a backup of an older schema, then applies the migrations this Tally has beyond it, on its rows', async () => {
    const url = await freshDatabaseUrl();
    const db = await openDatabase(url);
    await db.prisma.member.create({
      data: {
        slackId: 'U1',
        name: '郑组长',
        track: 'presales',
        level: 'lead',
        role: 'lead',
        hiredOn: new Date('2024-01-02'),
      },
    });
    await db.close();
    const file = join(dir, 'older.gz');
    const from = await openSession(url);
    await backupTo(from.session, from.kind, from.where, file).finally(() => from.close());

    // the next release adds a column and fills it from the rows it finds
    const next = [
      ...readMigrations(),
      {
        name: '29990101000000_nickname',
        checksum: 'test',
        sql: `ALTER TABLE member ADD COLUMN nickname text; UPDATE member SET nickname = name || '!';`,
      },
    ];
    const into = await openSession(await freshDatabaseUrl());
    try {
      const restored = await restoreFrom(into.session, into.where, file, await openBackup(file, next), next);
      expect(restored.upgraded).toEqual(['29990101000000_nickname']);
      expect(await into.session.query('SELECT slack_id, nickname FROM member')).toEqual([
        { slack_id: 'U1', nickname: '郑组长!' },
      ]);
      const applied = await into.session.query<{ migration_name: string }>(
        'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(applied.map((r) => r.migration_name)).toEqual(next.map((m) => m.name));
    } finally {
      await into.close();
    }
    // and this release refuses a backup of that newer schema, in one line
    await expect(openBackup(file, next.slice(0, -2)).catch((e: unknown) => cliRefusal(e))).resolves.toBe(
      `${file} was made by a newer Tally (its database has migration ${next.at(-2)!.name}, unknown to this one): upgrade Tally, then restore`,
    );
  });

  it.runIf(databaseKind() === 'pglite')(
    'of an embedded database another process has open is refused with the lock’s message naming it',
    { timeout: 120_000 },
    async () => {
      const url = await freshDatabaseUrl();
      const holder = spawn('node', ['--import', 'tsx', 'test/db/hold-db.ts', url.slice('pglite:'.length), 'hold'], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      try {
        const line = await new Promise<string>((resolve) =>
          createInterface({ input: holder.stdout }).once('line', resolve),
        );
        const pid = Number(/^open (\d+)$/.exec(line)?.[1]);
        const err: string[] = [];
        const file = join(dir, 'held.gz');
        const code = await runCli(['backup', file], {
          out: () => {},
          err: (s) => err.push(s),
          env: { DATABASE_URL: url },
        });
        expect({ code, err }).toEqual({
          code: 1,
          err: [
            `error: the database in ${url.slice('pglite:'.length)} is in use by another Tally process (pid ${pid}); stop it first, or use PostgreSQL (DATABASE_URL=postgresql://...) to run several`,
          ],
        });
      } finally {
        holder.stdin.end();
        await new Promise((resolve) => holder.on('exit', resolve));
      }
    },
  );
});
