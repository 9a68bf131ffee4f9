// The big-file benchmark: one metrics file of 1,000,000 rows (about 50 MB, 2,000 agents × 500 days)
// imported by the real CLI in its own process, on PGlite and on PostgreSQL, with its wall time and
// the process's peak memory (goal: under 400 MB, streaming, all or nothing).
//   BENCH_BIGFILE=0             skip it (npm run bench runs it after bench/run.ts)
//   BENCH_BIGFILE_ROWS=200000   a smaller file, for a quick try
//   BENCH_DB=pglite|postgres    only that database (default: both)
//   BENCH_BUILD=0               do not build first: bin/tally.mjs then runs dist/ if it is fresh, else tsx
//   TALLY_TSX=1                 run the CLI through tsx even when dist/ is fresh (the figures without a build)
// It builds the CLI first (npm run build), as an install that imports big files would run it.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import pg from 'pg';

const ROWS = Number(process.env.BENCH_BIGFILE_ROWS ?? 1_000_000);
const AGENTS = 2_000;
const DAYS = Math.ceil(ROWS / AGENTS);
const NOW = '2026-11-05T10:00:00+08:00';
const GOAL_MB = 400;

if (process.env.BENCH_BIGFILE === '0') process.exit(0);

const dir = mkdtempSync(join(tmpdir(), 'tally-bigfile-'));
const roster = join(dir, 'roster.csv');
const metrics = join(dir, 'metrics.csv');

const slackId = (i: number) => `U${String(10_000_000 + i)}`;

/** Day `d` days before 2026-11-04, as YYYY-MM-DD. */
function dayBefore(d: number): string {
  return new Date(Date.UTC(2026, 10, 4) - d * 86_400_000).toISOString().slice(0, 10);
}

async function writeFiles(): Promise<void> {
  const r = createWriteStream(roster);
  r.write('slack_id,name,track,level,hired_on,role\n');
  for (let i = 0; i < AGENTS; i++) {
    r.write(`${slackId(i)},agent ${i},${i % 4 === 0 ? 'aftersales' : 'presales'},regular,2020-01-01,agent\n`);
  }
  r.end();
  await once(r, 'finish');
  const m = createWriteStream(metrics);
  m.write(
    'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec\n',
  );
  let rows = 0;
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  for (let d = DAYS - 1; d >= 0 && rows < ROWS; d--) {
    const day = dayBefore(d);
    let chunk = '';
    for (let i = 0; i < AGENTS && rows < ROWS; i++, rows++) {
      const inquiries = 30 + rnd(40);
      const paid = rnd(inquiries);
      const after = i % 4 === 0;
      const cases = 20 + rnd(20);
      chunk += after
        ? `${day},${slackId(i)},,,${40 + rnd(60)},,,${cases},${cases - rnd(4)},${70 + rnd(30)}.${rnd(10)},${20 + rnd(40)}\n`
        : `${day},${slackId(i)},${inquiries},${paid},${40 + rnd(60)},${paid * 100 + rnd(9000)}.${String(rnd(100)).padStart(2, '0')},${rnd(3)},,,${70 + rnd(30)}.${rnd(10)},${20 + rnd(40)}\n`;
    }
    if (!m.write(chunk)) await once(m, 'drain');
  }
  m.end();
  await once(m, 'finish');
}

interface Run {
  code: number;
  ms: number;
  peakKb: number;
  out: string;
  err: string;
}

function cli(url: string, args: string[]): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, ['--import', './bench/rss-report.mjs', 'bin/tally.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: url, TALLY_NOW: NOW },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const peak = /TALLY_PEAK_RSS_KB (\d+)/.exec(err);
      resolve({
        code: code ?? 1,
        ms: performance.now() - start,
        peakKb: peak ? Number(peak[1]) : NaN,
        out,
        err: err.replace(/TALLY_PEAK_RSS_KB \d+\n/, ''),
      });
    }),
  );
}

async function postgresUrl(): Promise<{ url: string; drop: () => Promise<void> } | string> {
  const name = `tally_bigfile_${Date.now()}`;
  const admin = new pg.Client({
    connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    return (e as Error).message;
  } finally {
    await admin.end().catch(() => undefined);
  }
  return {
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
/** The peak beside the goal: within it, or by how much it is over. */
const goal = (kb: number) =>
  kb / 1024 <= GOAL_MB ? `≤ ${GOAL_MB} MB ✓` : `≤ ${GOAL_MB} MB ✗ (${(kb / 1024 - GOAL_MB).toFixed(0)} MB over)`;
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

async function bench(name: string, url: string): Promise<void> {
  const r = await cli(url, ['roster', 'import', roster]);
  if (r.code !== 0) throw new Error(`${name}: roster import failed: ${r.err}`);
  const run = await cli(url, ['metrics', 'import', metrics, '--json']);
  if (run.code !== 0) throw new Error(`${name}: metrics import failed: ${run.err}`);
  const result = JSON.parse(run.out) as { rows: number; added: number };
  const minutes = Math.floor(run.ms / 60_000);
  const seconds = ((run.ms % 60_000) / 1000).toFixed(1);
  console.log(
    `| ${name} | ${result.rows.toLocaleString('en-US')} rows | ${minutes ? `${minutes} min ` : ''}${seconds} s (${rate(result.rows, run.ms)}) | ${mb(run.peakKb)} | ${goal(run.peakKb)} |`,
  );
  // all or nothing: a bad last row refuses the whole file, and the process stays as small
  const bad = await cli(url, ['metrics', 'import', metrics.replace('.csv', '-bad.csv')]);
  console.log(
    `| ${name}, same file with a bad last row | refused: ${bad.err.trim().slice(0, 80)} | ${(bad.ms / 1000).toFixed(1)} s | ${mb(bad.peakKb)} | ${goal(bad.peakKb)} |`,
  );
}

/** Builds dist/ so bin/tally.mjs runs the compiled CLI; says which one the runs below use. */
function build(): string {
  if (process.env.BENCH_BUILD !== '0') {
    const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  return process.env.TALLY_TSX === '1' ? 'TypeScript through tsx (TALLY_TSX=1)' : 'bin/tally.mjs (dist/ when fresh)';
}

async function main(): Promise<void> {
  console.log(`CLI: ${build()}`);
  console.log(`Big-file import: generating ${ROWS.toLocaleString('en-US')} rows ...`);
  await writeFiles();
  const { copyFileSync, appendFileSync } = await import('node:fs');
  copyFileSync(metrics, metrics.replace('.csv', '-bad.csv'));
  appendFileSync(metrics.replace('.csv', '-bad.csv'), `2026-11-04,${slackId(1)},5,9,1,1,0,,,80,20\n`);
  console.log(`metrics file: ${(statSync(metrics).size / 1e6).toFixed(1)} MB, ${AGENTS} agents × ${DAYS} days\n`);
  console.log('| Database | File | `tally metrics import` wall time | Peak memory (RSS) | Goal |');
  console.log('|---|---|---:|---:|---:|');
  const only = process.env.BENCH_DB;
  try {
    if (only !== 'postgres') {
      const pgliteDir = mkdtempSync(join(tmpdir(), 'tally-bigfile-db-'));
      try {
        await bench('PGlite', `pglite:${pgliteDir}`);
      } finally {
        rmSync(pgliteDir, { recursive: true, force: true });
      }
    }
    if (only !== 'pglite') {
      const target = await postgresUrl();
      if (typeof target === 'string') console.log(`| PostgreSQL | skipped: ${target} | | | |`);
      else {
        try {
          await bench('PostgreSQL', target.url);
        } finally {
          await target.drop();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
