// Faults of what Tally runs on, from the CLI: the database connection cut in the middle of `month
// close`, the disk full during an import. Each is one line (exit 75), nothing is written, and the same
// command works once the fault is gone. On PGlite a failed import leaves no lasting growth: the space
// it took is given back, at once or at the next start.
import { execFile, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/program.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { diskBytes } from '../../src/db/pglite-space.js';
import { faultOf, type DatabaseNotice } from '../../src/faults.js';
import { databaseKind, freshDatabaseUrl } from '../support/db.js';
import { PgProxy, type Cut } from '../support/pg-proxy.js';

const run = promisify(execFile);
const NOW = '2026-11-05T10:00:00+08:00';

/** The real `tally` command in its own process: exit code and stderr. */
async function tally(url: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = { ...process.env, DATABASE_URL: url, TALLY_NOW: NOW };
  try {
    const r = await run('node', ['bin/tally.mjs', ...args], { env });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const r = e as { code: number; stdout: string; stderr: string };
    return { code: r.code, out: r.stdout, err: r.stderr };
  }
}

/** Runs CLI commands in this process on one open database, as the bot holds it. */
function cliOn(db: Database) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (s) => out.push(s), err: (s) => err.push(s), env: { TALLY_NOW: NOW } };
    const code = await runCli(argv, io, db);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

const ONE_LINE_FAULT = /^error: [^\n]+: nothing was written; run the command again [^\n]+$/;

describe.skipIf(databaseKind() !== 'postgres')('the PostgreSQL connection cut during month close', () => {
  let url: string;
  let proxy: PgProxy;
  const closed = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(`SELECT 1 FROM month_close WHERE month = '2026-10' AND reopened_at IS NULL`)).rowCount;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    url = await freshDatabaseUrl();
    const db = await openDatabase(url);
    expect((await cliOn(db)('demo')).code).toBe(0);
    await db.close();
    proxy = await new PgProxy(url).start();
  });
  afterAll(() => proxy.stop());

  it.each<Cut>(['drop', 'terminate'])(
    'connection %s while the snapshots are written: one line, exit 75, the month still open; run again, it closes',
    async (how) => {
      proxy.cutOn('INSERT INTO score_snapshot', how);
      const cut = await tally(proxy.url, 'month', 'close', '2026-10');
      expect(proxy.cuts).toBeGreaterThan(0);
      expect(cut.err.trim()).toMatch(ONE_LINE_FAULT);
      expect(cut.err).toMatch(/^error: lost the connection to the database \(/);
      expect(cut.code).toBe(75);
      expect(await closed()).toBe(0);
      const again = await tally(proxy.url, 'month', 'close', '2026-10');
      expect(again.err).toBe('');
      expect(again.out).toMatch(/^2026-10 closed: 15 people's results frozen\./);
      expect(await closed()).toBe(1);
      // for the next case: reopened as `month reopen` does (the demo team has no admin to name with --by)
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const reopened = await c.query(
          `UPDATE month_close SET reopened_at = now(), reopened_by = 'test', reopen_why = 'test'
           WHERE month = '2026-10' AND reopened_at IS NULL`,
        );
        expect(reopened.rowCount).toBe(1);
      } finally {
        await c.end();
      }
    },
  );

  it('a database out of reach when the command starts: one line, exit 75', async () => {
    const down = new URL(proxy.url);
    await proxy.stop();
    const r = await tally(down.toString(), 'rank', '--month', '2026-10');
    expect(r.err.trim()).toMatch(
      /^error: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/\w+: connect ECONNREFUSED [\d.:]+$/,
    );
    expect(r.code).toBe(75);
    proxy = await new PgProxy(url).start();
  });
});

// --- a full disk: a small tmpfs under the data, which needs root and mount (CI runs as root); else skipped

function mount(dir: string, mb: number, owner = ''): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m${owner}`, 'tmpfs', dir]).status === 0;
}
const umount = (dir: string) => spawnSync('umount', [dir]);

const canMount = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'tally-mount-'));
  const ok = mount(dir, 1);
  if (ok) umount(dir);
  rmSync(dir, { recursive: true, force: true });
  return ok;
})();

const MB = 1_048_576;
/** Fills the disk under `dir` but `freeMb`: what another program's files did. */
function fill(dir: string, freeMb: number): string {
  const { bavail, bsize } = statfsSync(dir);
  const ballast = join(dir, 'ballast');
  writeFileSync(ballast, Buffer.alloc(Math.max(0, bavail * bsize - freeMb * MB)));
  return ballast;
}

// 100 agents × 400 days: its WAL is over one 16 MB file, so the import needs a new one on the way
const AGENTS = 100;
const DAYS = 400;
const files = mkdtempSync(join(tmpdir(), 'tally-full-'));
const rosterFile = join(files, 'roster.csv');
const metricsFile = join(files, 'metrics.csv');
const badLastRow = join(files, 'bad-last-row.csv');
{
  const id = (i: number) => `U${String(20_000_000 + i)}`;
  const day = (d: number) => new Date(Date.UTC(2026, 10, 4) - d * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(
    rosterFile,
    `slack_id,name,track,level,hired_on,role\n${Array.from({ length: AGENTS }, (_, i) => `${id(i)},agent ${i},presales,regular,2024-01-01,${i === 0 ? 'admin' : 'agent'}\n`).join('')}`,
  );
  const rows: string[] = [];
  for (let d = DAYS - 1; d >= 0; d--)
    for (let i = 0; i < AGENTS; i++) rows.push(`${day(d)},${id(i)},40,${(i + d) % 30},50,${1000 + i}.50,1,,,80.5,30\n`);
  const header =
    'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec\n';
  writeFileSync(metricsFile, header + rows.join(''));
  writeFileSync(badLastRow, `${header}${rows.join('')}${day(0)},${id(0)},forty,1,50,1.00,1,,,80.5,30\n`);
}
afterAll(() => rmSync(files, { recursive: true, force: true }));

/** The embedded database of a new test database, copied to `dir`. */
async function embeddedCopy(dir: string): Promise<void> {
  cpSync((await freshDatabaseUrl()).slice('pglite:'.length), dir, { recursive: true });
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * The data directory's size on disk, apart from its WAL files: those are 16 MB each, one in use and,
 * once it is three quarters full, the next one made ahead by a checkpoint; a failed import's were more.
 */
function footprint(dir: string): { data: number; walFiles: number; total: number } {
  const total = diskBytes(dir);
  const wal = readdirSync(join(dir, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f));
  return { total, data: total - diskBytes(join(dir, 'pg_wal')), walFiles: wal.length };
}
const say = (f: ReturnType<typeof footprint>) => `${mb(f.total)} (${f.walFiles} WAL files)`;

describe.skipIf(databaseKind() !== 'pglite')('the embedded database after a failed import', () => {
  it.skipIf(!canMount)(
    'a full disk (1 MB or 8 MB free): one line, exit 75, nothing written; the space is given back by the next start, and the retry after freeing space imports',
    { timeout: 600_000 },
    async () => {
      for (const freeMb of [1, 8]) {
        const disk = mkdtempSync(join(tmpdir(), 'tally-disk-'));
        expect(mount(disk, 160)).toBe(true);
        let db: Database | undefined;
        try {
          const dir = join(disk, 'data');
          await embeddedCopy(dir);
          const notices: DatabaseNotice[] = [];
          const onNotice = (n: DatabaseNotice) => notices.push(n);
          db = await openDatabase(`pglite:${dir}`, { onNotice });
          expect((await cliOn(db)('roster', 'import', rosterFile)).code).toBe(0);
          const before = footprint(dir);

          const ballast = fill(disk, freeMb);
          let started = performance.now();
          const failed = await cliOn(db)('metrics', 'import', metricsFile);
          const failedMs = performance.now() - started;
          const [line, ...notes] = failed.err.split('\n');
          expect(line).toMatch(
            /^error: no space left on the disk \(could not (extend|write to) file "[^"]+": No space left on device\): nothing was written; run the command again after freeing some space$/,
          );
          expect(notes.every((n) => n.startsWith('note: '))).toBe(true);
          expect(failed.code).toBe(75);
          const grown = footprint(dir);

          // a PostgreSQL that stopped (a WAL file it could not create) cannot start again on a disk still full
          if (/pg_wal/.test(line!))
            expect(faultOf(await db.prisma.dailyMetric.count().catch((e: unknown) => e))).toEqual({
              kind: 'disk_full',
              problem: expect.stringMatching(/^\d+\.\d MB free; the database needs 17 MB to start$/) as string,
            });
          // space freed; nothing of the import is there (on a PostgreSQL that stopped, this starts it again)
          rmSync(ballast);
          expect(await db.prisma.dailyMetric.count()).toBe(0);
          await db.close();
          started = performance.now();
          db = await openDatabase(`pglite:${dir}`, { onNotice });
          const reopenMs = performance.now() - started;
          const after = footprint(dir);
          expect(notices.at(-1)).toMatchObject({ kind: 'reclaimed' });
          expect(grown.total).toBeGreaterThan(before.total);
          expect(Math.abs(after.data - before.data)).toBeLessThan(MB);
          expect(after.walFiles).toBeLessThanOrEqual(2);

          started = performance.now();
          const retry = await cliOn(db)('metrics', 'import', metricsFile);
          expect(retry.err).toBe('');
          expect(retry.out).toMatch(/^Imported .*: 40000 rows for 100 members/);
          expect(await db.prisma.dailyMetric.count()).toBe(AGENTS * DAYS);
          console.info(
            `${freeMb} MB free: ${line} | data before ${say(before)}, after the failed import (${(failedMs / 1000).toFixed(1)} s) ${say(grown)}, ` +
              `after the next start (${(reopenMs / 1000).toFixed(1)} s) ${say(after)}, after the retry (${((performance.now() - started) / 1000).toFixed(1)} s) ${say(footprint(dir))}; ` +
              `notices: ${JSON.stringify(notices)}`,
          );
        } finally {
          await db?.close().catch(() => {});
          umount(disk);
          rmSync(disk, { recursive: true, force: true });
        }
      }
    },
  );

  it('a refused file (its last row is bad): nothing written, and the space the rows took is given back at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-refused-'));
    try {
      rmSync(dir, { recursive: true });
      await embeddedCopy(dir);
      const notices: DatabaseNotice[] = [];
      const db = await openDatabase(`pglite:${dir}`, { onNotice: (n) => notices.push(n) });
      expect((await cliOn(db)('roster', 'import', rosterFile)).code).toBe(0);
      const before = footprint(dir);
      const refused = await cliOn(db)('metrics', 'import', badLastRow);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(
        /^error: bad-last-row\.csv line 40002, column inquiries: "forty" is not a whole number/,
      );
      // a command that writes nothing waits for the database's own work: a close does
      await db.close();
      expect(notices).toMatchObject([{ kind: 'reclaimed', after: 'rolled_back' }]);
      const after = footprint(dir);
      console.info(`refused import: data before ${say(before)}, after ${say(after)}; ${JSON.stringify(notices)}`);
      expect(Math.abs(after.data - before.data)).toBeLessThan(MB);
      expect(after.walFiles).toBeLessThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// another user for the same files: what a data directory copied by root and run by a service account meets
const asNobody =
  canMount && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

describe.skipIf(databaseKind() !== 'pglite' || !canMount)('a data directory Tally may not write', () => {
  it('on a read-only disk: one line, exit 75', async () => {
    const disk = mkdtempSync(join(tmpdir(), 'tally-ro-'));
    expect(mount(disk, 100)).toBe(true);
    try {
      await embeddedCopy(join(disk, 'data'));
      expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
      const r = await tally(`pglite:${join(disk, 'data')}`, 'rank', '--month', '2026-10');
      expect(r.err.trim()).toMatch(/^error: cannot lock the database in \S+: listen EROFS: read-only file system \S+$/);
      expect(r.code).toBe(75);
    } finally {
      umount(disk);
      rmSync(disk, { recursive: true, force: true });
    }
  });

  it.skipIf(!asNobody)(
    "another user's directory, or its files: one line naming the file, exit 75",
    { timeout: 120_000 },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'tally-owner-'));
      const dir = join(root, 'data');
      try {
        await embeddedCopy(dir);
        chmodSync(root, 0o755);
        const asOther = () =>
          run(
            'setpriv',
            ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', 'bin/tally.mjs', 'rank', '--month', '2026-10'],
            // tsx keeps its cache under HOME: one the other user may write
            { env: { ...process.env, HOME: root, DATABASE_URL: `pglite:${dir}`, TALLY_NOW: NOW, TALLY_TSX: '1' } },
          ).then(
            () => ({ code: 0, err: '' }),
            (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
          );
        chmodSync(root, 0o777);
        chmodSync(dir, 0o700);
        const dirOnly = await asOther();
        expect(dirOnly.err.trim()).toMatch(
          /^error: cannot lock the database in \S+: listen EACCES: permission denied \S+$/,
        );
        expect(dirOnly.code).toBe(75);
        // the directory open to all, its files still root's alone: PostgreSQL cannot open them
        chmodSync(dir, 0o777);
        const files = await asOther();
        expect(files.err.trim()).toMatch(
          /^error: permission denied \(EACCES: permission denied, access '\S+'\): nothing was written; run the command again once Tally may write there$/,
        );
        expect(files.code).toBe(75);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

describe.skipIf(databaseKind() !== 'postgres' || !canMount)('a full disk under PostgreSQL', () => {
  it('an import on a tablespace with 1 MB free: one line, exit 75, nothing written; the retry after freeing space imports', async (ctx) => {
    const cfg = inject('database');
    if (cfg.kind !== 'postgres') return;
    const admin = new pg.Client({ connectionString: cfg.adminUrl });
    await admin.connect();
    const dataDir = (await admin.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0]!.d;
    if (!existsSync(dataDir)) {
      await admin.end();
      // a server on another machine: its disk is not ours to fill
      return ctx.skip();
    }
    // the server is on this machine, run by its own user: the tablespace's directory must be theirs
    const { uid, gid } = statSync(dataDir);
    const disk = mkdtempSync(join(tmpdir(), 'tally-pgdisk-'));
    expect(mount(disk, 40, `,uid=${uid},gid=${gid},mode=0700`)).toBe(true);
    const space = `tally_full_${process.pid}`;
    const name = `${cfg.prefix}_full`;
    let db: Database | undefined;
    try {
      await admin.query(`CREATE TABLESPACE ${space} LOCATION '${disk}'`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${cfg.template} TABLESPACE ${space}`);
      const u = new URL(cfg.adminUrl);
      u.pathname = `/${name}`;
      db = await openDatabase(u.toString());
      expect((await cliOn(db)('roster', 'import', rosterFile)).code).toBe(0);
      const ballast = fill(disk, 1);
      const failed = await cliOn(db)('metrics', 'import', metricsFile);
      expect(failed.err).toMatch(
        /^error: no space left on the disk \(could not extend file "[^"]+": No space left on device\): nothing was written; run the command again after freeing some space$/,
      );
      expect(failed.code).toBe(75);
      rmSync(ballast);
      expect(await db.prisma.dailyMetric.count()).toBe(0);
      const retry = await cliOn(db)('metrics', 'import', metricsFile);
      expect(retry.out).toMatch(/^Imported .*: 40000 rows for 100 members/);
    } finally {
      await db?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`DROP TABLESPACE IF EXISTS ${space}`);
      await admin.end();
      umount(disk);
      rmSync(disk, { recursive: true, force: true });
    }
  });
});
