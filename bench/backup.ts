// `tally backup` and `tally restore` on a 2,000-agent month, through the CLI as an operator runs them:
// the roster, October's metrics (62,000 rows), penalties, the month closed; then a backup, a restore
// into a new database, and the month's payroll compared. Prints time, peak memory and file size.
// Run: npx tsx bench/backup.ts   (BENCH_DB=pglite|postgres: one database; BENCH_AGENTS=200: smaller)
//   BENCH_PG_ADMIN=postgresql://postgres@127.0.0.1:5432/postgres   where the PostgreSQL databases are made (and dropped)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { demoMetrics, demoRoster, metricsCsv, rosterCsv } from '../src/demo/team.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 2000);
const ADMIN = process.env.BENCH_PG_ADMIN ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const KINDS = (process.env.BENCH_DB ? [process.env.BENCH_DB] : ['pglite', 'postgres']) as Array<'pglite' | 'postgres'>;
const TALLY = fileURLToPath(new URL('../bin/tally.mjs', import.meta.url));
const NOW = '2026-11-05T10:00:00+08:00';
const BY = 'U0SUPER01';

const dir = mkdtempSync(join(tmpdir(), 'tally-bench-backup-'));
const members = demoRoster(AGENTS);
writeFileSync(join(dir, 'roster.csv'), rosterCsv(members));
writeFileSync(join(dir, 'metrics.csv'), metricsCsv(demoMetrics(members, '2026-10-01', '2026-10-31')));

/** Runs `tally ...` on a database; with `measure`, its wall time and peak resident memory (GNU time). */
function tally(url: string, args: string[]): string {
  return execFileSync('node', [TALLY, ...args], {
    env: { ...process.env, DATABASE_URL: url, TALLY_NOW: NOW },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
}

function measured(url: string, args: string[]): { ms: number; rssMb: number; out: string } {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M', 'node', TALLY, ...args], {
    env: { ...process.env, DATABASE_URL: url, TALLY_NOW: NOW },
    encoding: 'utf8',
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`tally ${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(/RSS_KB=(\d+)/.exec(r.stderr)?.[1]);
  return { ms, rssMb: kb / 1024, out: r.stdout.trim() };
}

async function pgDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropPg(names: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n}`);
  await admin.end();
}

const lines: string[] = [];
try {
  for (const kind of KINDS) {
    const tag = `tally_bench_backup_${process.pid}`;
    const [from, to] =
      kind === 'pglite'
        ? [`pglite:${join(dir, 'from')}`, `pglite:${join(dir, 'to')}`]
        : [await pgDatabase(`${tag}_from`), await pgDatabase(`${tag}_to`)];
    try {
      tally(from, ['roster', 'import', join(dir, 'roster.csv')]);
      tally(from, ['metrics', 'import', join(dir, 'metrics.csv')]);
      const agents = members.filter((m) => m.role === 'agent');
      // each CLI call opens the database: a few penalties are enough to have some on the payroll
      for (let i = 0; i < 5; i++) {
        const who = agents[(i * 7) % agents.length]!;
        tally(from, ['penalty', 'add', who.slackId, 'personal_chat', '--on', `2026-10-0${1 + i}`, '--by', BY]);
      }
      tally(from, ['month', 'close', '2026-10', '--by', BY]);
      const file = join(dir, `${kind}.tally.gz`);
      // for scale: the same process doing little (opening the database, reading the roster)
      const base = measured(from, ['roster', 'list', '--json']);
      const backup = measured(from, ['backup', file, '--json']);
      const restore = measured(to, ['restore', file, '--json']);
      // a new embedded directory's first open (initdb and the migrations) is most of a restore's memory: the
      // load alone, into a database Tally has already set up (and left empty)
      const ready = kind === 'pglite' ? `pglite:${join(dir, 'ready')}` : await pgDatabase(`${tag}_ready`);
      tally(ready, ['roster', 'list']);
      const load = measured(ready, ['restore', file, '--json']);
      const pay = [from, to].map((url) => tally(url, ['payroll', '--month', '2026-10', '--json']));
      const same = pay[0] === pay[1];
      if (!same)
        pay.forEach((p, i) => writeFileSync(join(tmpdir(), `tally-bench-backup-payroll-${kind}-${i}.json`), p));
      const { rows, tables } = JSON.parse(backup.out) as { rows: number; tables: number };
      lines.push(
        `| ${kind} | ${rows.toLocaleString('en')} rows, ${tables} tables | ${(statSync(file).size / 1e6).toFixed(2)} MB | ${(backup.ms / 1000).toFixed(1)} s, ${backup.rssMb.toFixed(0)} MB | ${(restore.ms / 1000).toFixed(1)} s, ${restore.rssMb.toFixed(0)} MB | ${(load.ms / 1000).toFixed(1)} s, ${load.rssMb.toFixed(0)} MB | ${(base.ms / 1000).toFixed(1)} s, ${base.rssMb.toFixed(0)} MB | ${same ? 'identical' : 'DIFFERENT'} |`,
      );
      console.log(lines.at(-1));
    } finally {
      if (kind === 'postgres') await dropPg([`${tag}_from`, `${tag}_to`, `${tag}_ready`]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n${AGENTS} agents, October 2026 closed, Node ${process.version}`);
console.log(
  '| Database | Backup holds | File | tally backup (wall, peak RSS) | tally restore into a new database | into one Tally set up (empty) | tally roster list, for scale | payroll --json after |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const l of lines) console.log(l);
