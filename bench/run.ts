// Tally's performance benchmark: a 2,000-agent team with two years of daily metrics, loaded the way
// the CLI loads it, then the queries a lead runs every day. Run: npm run bench
//   BENCH_DB=pglite|postgres   only that database (default: both)
//   BENCH_AGENTS=200           a smaller team, for a quick try (figures are then not comparable)
//   BENCH_PGLITE_BUDGET_S=360  above this projected load time PGlite loads only the last 13 months
//   BENCH_DATABASE_URL=postgresql://user@host:port/db   the PostgreSQL database to use, empty, kept
//                              afterwards (default: a new tally_bench_<timestamp> on 127.0.0.1:5432, dropped)
//   BENCH_PGLITE_DIR=<dir>     the PGlite data directory to use, empty, kept afterwards (default: a temporary one)
//   BENCH_JSON=<file>          also writes the figures as JSON: {"pglite": {...}, "postgres": {...}}, in ms
// Beside every query figure the bench prints its floor: the bare SQL for the same answer on the same
// data (one member's month summed; the month grouped by member), timed in the same run, and the ratio.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { fixedClock } from '../src/clock.js';
import { addMonths, firstDay, lastDay, type Month, type Period } from '../src/core/dates.js';
import { DEFAULT_POLICY, TRACKS } from '../src/core/policy.js';
import { sumsKey, sumsNeeded } from '../src/core/score.js';
import { fromDay } from '../src/db/dates.js';
import { sumMetrics } from '../src/db/metrics.js';
import { openDatabase, type Database, type Db } from '../src/db/open.js';
import { demoMetrics, demoRoster, metricsCsv, rosterCsv, type DemoMember, type DemoMetric } from '../src/demo/team.js';
import { parseMetrics } from '../src/import/metrics.js';
import { parseRoster } from '../src/import/roster.js';
import type { Tally } from '../src/service/context.js';
import { bumpMonth, EVERY_MONTH } from '../src/service/cache.js';
import { importMetrics } from '../src/service/metrics.js';
import { recordPenalty } from '../src/service/penalties.js';
import { importRoster } from '../src/service/roster.js';
import { memberScore, monthResults, payroll, scorePeriod } from '../src/service/scores.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { buildApp } from '../src/slack/app.js';
import { SECRET } from '../test/support/slack.js';
import { runJob } from '../src/jobs/run.js';
import { setPolicy } from '../src/service/policy.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 2000);
const LAST_MONTH: Month = '2026-10';
const ALL_MONTHS = 24; // 2024-11 .. 2026-10
const MIN_MONTHS = 13; // the month itself plus the 12 the streak walk may look back at
const FILE_ROWS = 100_000;
const NOW = '2026-11-05T10:00:00+08:00'; // what TALLY_NOW would be: every generated day is in the past
const SEED = 2026;
const BY = 'U0SUPER01'; // the supervisor demoRoster always creates
const PGLITE_BUDGET_MS = Number(process.env.BENCH_PGLITE_BUDGET_S ?? 360) * 1000;
const MONTH: Period = { kind: 'month', month: LAST_MONTH };
const DAY_OF = '2026-10-15';
const DAY: Period = { kind: 'day', day: DAY_OF };

// ---------------------------------------------------------------------------------------------
// measuring

/** The bare SQL a figure is compared with: one member's sums (of the month or of the day), or the month's GROUP BY. */
type FloorKind = 'member' | 'memberDay' | 'month' | 'ack';

/**
 * One line of a database's table. rows: how many rows the step handled, for rows/s. key: its name in
 * BENCH_JSON. floor: the bare SQL for the same answer, printed beside it with the ratio.
 */
interface Figure {
  label: string;
  ms: number;
  rows?: number;
  goalMs?: number;
  note?: string;
  key?: string;
  floor?: FloorKind;
}

interface Report {
  name: string;
  /** its key in BENCH_JSON */
  kind: 'pglite' | 'postgres';
  where: string;
  loaded: string;
  figures: Figure[];
  floors: Record<FloorKind, number>;
  notes: string[];
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Runs fn `warmups` times untimed (plans cached, pages in memory), then returns `runs` timings.
 * `before` runs untimed ahead of each call: `cold(t)` makes every call the first after a write.
 */
async function repeat(
  fn: () => Promise<unknown>,
  runs: number,
  warmups = 1,
  before?: () => Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmups; i++) {
    await before?.();
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    times.push((await timed(fn)).ms);
  }
  return times;
}

/**
 * Period results are cached until the next write dated in their month or before (src/service/cache.ts:
 * every write bumps its month's version). `cold` is what a penalty dated in the measured month does;
 * `coldAll` what a roster change does (every month computes again).
 */
const cold = (t: Tally) => () => {
  // a lead's penalty dated in the measured month, each time on the next agent
  const slackId = penalised.agents[penalised.next++ % penalised.agents.length]!;
  return recordPenalty(t, { slackId, by: BY, text: 'buck_passing', on: DAY_OF });
};
/** What an import dated in the month does: the month is scored afresh (no member named). */
const coldImport = (t: Tally) => () => bumpMonth(t.db, LAST_MONTH);
const coldAll = (t: Tally) => () => bumpMonth(t.db, EVERY_MONTH);
/** The agents `cold` penalises in turn (set once the roster is loaded). */
const penalised = { agents: [] as string[], next: 0 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const max = (xs: number[]) => Math.max(...xs);
const log = (line: string) => console.log(`  ${line}`);

// ---------------------------------------------------------------------------------------------
// databases

/** A database to benchmark, and how to get rid of it afterwards. */
interface Target {
  name: string;
  url: string;
  dispose(): Promise<void>;
}

function pgliteTarget(): Target {
  const given = process.env.BENCH_PGLITE_DIR;
  if (given) return { name: 'PGlite', url: `pglite:${given}`, dispose: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  return { name: 'PGlite', url: `pglite:${dir}`, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh database on the local server, or null (with the reason) when the server is not there. */
async function postgresTarget(): Promise<Target | string> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return givenTarget(given);
  const admin = await connectAdmin();
  if (typeof admin === 'string') return admin;
  const name = `tally_bench_${Date.now()}`;
  await admin.client.query(`CREATE DATABASE ${name}`);
  await admin.client.end();
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  return {
    name: 'PostgreSQL',
    url,
    dispose: async () => {
      const again = await connectAdmin();
      if (typeof again === 'string') return console.log(`  could not drop ${name}: ${again}`);
      await again.client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.client.end();
    },
  };
}

/** The database BENCH_DATABASE_URL names: used as it is (it should be empty) and left as it is afterwards. */
async function givenTarget(url: string): Promise<Target | string> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`BENCH_DATABASE_URL must be postgresql://... (got "${url}")`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
  return { name: 'PostgreSQL', url, dispose: async () => {} };
}

// CREATE/DROP DATABASE must run outside the database concerned: try the maintenance db, then /test
async function connectAdmin(): Promise<{ client: pg.Client } | string> {
  let reason = '';
  for (const db of ['postgres', 'test']) {
    const client = new pg.Client({
      connectionString: `postgresql://postgres@127.0.0.1:5432/${db}`,
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      return { client };
    } catch (e) {
      reason = (e as Error).message;
      await client.end().catch(() => undefined);
    }
  }
  return reason;
}

// ---------------------------------------------------------------------------------------------
// loading

/** The months to load, newest first, so the 13 months the scores need are always in. */
function monthsBack(count: number): Month[] {
  return Array.from({ length: count }, (_, k) => addMonths(LAST_MONTH, -k));
}

/**
 * Cuts the generated rows into files of FILE_ROWS rows, month by month so only about one file is
 * in memory. Every month uses the same seed: skills (drawn first) stay put across months, as the
 * demo intends, which makes the same agents win every month: the streak walk's worst case.
 */
function* metricFiles(
  members: DemoMember[],
  months: () => Month[],
): Generator<{ rows: DemoMetric[]; months: Month[] }> {
  let buffer: DemoMetric[] = [];
  let bufferMonths: Month[] = [];
  // months() is read again after each file: the load may decide to stop early (PGlite budget)
  for (let i = 0; i < months().length; i++) {
    const m = months()[i]!;
    buffer.push(...demoMetrics(members, firstDay(m), lastDay(m), SEED));
    bufferMonths.push(m);
    while (buffer.length >= FILE_ROWS) {
      yield { rows: buffer.slice(0, FILE_ROWS), months: bufferMonths };
      buffer = buffer.slice(FILE_ROWS);
      bufferMonths = buffer.length ? [m] : [];
    }
  }
  if (buffer.length) yield { rows: buffer, months: bufferMonths };
}

async function loadRoster(t: Tally, members: DemoMember[], figures: Figure[]): Promise<void> {
  const bytes = Buffer.from(rosterCsv(members));
  const parse = await timed(async () => parseRoster('roster.csv', bytes));
  const write = await timed(() => importRoster(t, parse.value, { fileName: 'roster.csv', by: 'cli' }));
  figures.push({
    label: `roster import (${members.length} members): parse + write`,
    ms: parse.ms + write.ms,
    rows: members.length,
  });
  log(`roster: ${members.length} members, parse ${parse.ms.toFixed(0)} ms, write ${write.ms.toFixed(0)} ms`);
}

interface LoadResult {
  rows: number;
  months: Month[];
  files: Array<{ rows: number; csvMs: number; parseMs: number; writeMs: number }>;
  wallMs: number;
}

/** Loads metrics file by file like `tally metrics import` does: CSV bytes → parseMetrics → importMetrics. */
async function loadMetrics(t: Tally, members: DemoMember[], budgetMs: number): Promise<LoadResult> {
  let planned = monthsBack(ALL_MONTHS);
  const done = new Set<Month>();
  const result: LoadResult = { rows: 0, months: [], files: [], wallMs: 0 };
  const start = performance.now();
  let n = 0;
  for (const file of metricFiles(members, () => planned)) {
    n++;
    const csv = await timed(async () => Buffer.from(metricsCsv(file.rows)));
    const parse = await timed(async () => parseMetrics(`metrics-${n}.csv`, csv.value));
    const write = await timed(() => importMetrics(t, parse.value, { fileName: `metrics-${n}.csv`, by: 'cli' }));
    result.files.push({ rows: file.rows.length, csvMs: csv.ms, parseMs: parse.ms, writeMs: write.ms });
    result.rows += file.rows.length;
    file.months.forEach((m) => done.add(m));
    log(
      `file ${String(n).padStart(2)}: ${file.rows.length} rows (${file.months.join(', ')}): csv ${csv.ms.toFixed(0)} ms, parse ${parse.ms.toFixed(0)} ms, write ${write.ms.toFixed(0)} ms`,
    );
    // after the first file we know the pace: project the whole load and cut it short if too slow
    if (n === 1 && planned.length > MIN_MONTHS) {
      const perRow = (performance.now() - start) / file.rows.length;
      const projected = perRow * (file.rows.length / file.months.length) * ALL_MONTHS;
      if (projected > budgetMs) {
        planned = monthsBack(MIN_MONTHS);
        log(
          `projected ${(projected / 60_000).toFixed(1)} min for ${ALL_MONTHS} months > budget ${(budgetMs / 60_000).toFixed(1)} min: loading only ${MIN_MONTHS} months`,
        );
      }
    }
  }
  result.wallMs = performance.now() - start;
  result.months = [...done].sort();
  return result;
}

// ---------------------------------------------------------------------------------------------
// querying

/**
 * Counts the queries a call sends, by operation: memberScore(month) calls scorePeriod once for the
 * month and once per month the streak walk looks back, and each scorePeriod runs one sumMetrics.
 */
function countingDb(db: Db): { db: Db; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const extended = db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const key = model ? `${model}.${operation}` : operation;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return query(args);
      },
    },
  });
  // the extended client has every method services use; its type just carries the extension too
  return { db: extended as unknown as Db, counts };
}

/** Metric rows from day `from` to day `to`: what a query over that span reads. */
async function rowsIn(t: Tally, from: string, to: string): Promise<number> {
  return t.db.dailyMetric.count({ where: { day: { gte: fromDay(from), lte: fromDay(to) } } });
}

/** How memberScore(month) talks to the database: query counts, and how many months it scores. */
async function monthScoreQueries(
  t: Tally,
  slackId: string,
): Promise<{ counts: Map<string, number>; monthsScored: number }> {
  const counting = countingDb(t.db);
  // a new client object has an empty cache: this is the first call after a write
  await memberScore({ db: counting.db, clock: t.clock }, slackId, MONTH);
  // each period scored loads the roster once (memberScore itself uses findUnique)
  return { counts: counting.counts, monthsScored: counting.counts.get('Member.findMany') ?? 0 };
}

async function benchQueries(t: Tally, slackId: string, figures: Figure[], notes: string[]): Promise<void> {
  const walk = await monthScoreQueries(t, slackId);
  // rows column for queries: the metric rows they sum; the streak walk reads every month it scores
  const monthRows = await rowsIn(t, firstDay(LAST_MONTH), lastDay(LAST_MONTH));
  const walkRows = await rowsIn(t, firstDay(addMonths(LAST_MONTH, 1 - walk.monthsScored)), lastDay(LAST_MONTH));
  const dayRows = await rowsIn(t, DAY_OF, DAY_OF);

  const ranking = await repeat(() => scorePeriod(t, MONTH), 5, 1, cold(t));
  figures.push({
    label: `scorePeriod month ${LAST_MONTH}, after a write: median of 5`,
    ms: median(ranking),
    rows: monthRows,
    goalMs: 1000,
    key: 'scoreMonthAfterWrite',
    floor: 'month',
  });
  figures.push({
    label: `scorePeriod month ${LAST_MONTH}, after a write: max of 5`,
    ms: max(ranking),
    rows: monthRows,
    goalMs: 1000,
    floor: 'month',
  });
  log(`scorePeriod(month), after a write: ${ranking.map((x) => x.toFixed(0)).join(', ')} ms`);

  const pay = await repeat(() => payroll(t, LAST_MONTH), 3, 1, cold(t));
  figures.push({
    label: `payroll ${LAST_MONTH} (awards, streak walk), after a write: median of 3`,
    ms: median(pay),
    rows: walkRows,
    key: 'payrollAfterWrite',
    floor: 'month',
  });
  log(`payroll, after a write: ${pay.map((x) => x.toFixed(0)).join(', ')} ms`);

  const monthCold = await repeat(() => memberScore(t, slackId, MONTH), 3, 1, cold(t));
  figures.push({
    label: `memberScore month ${LAST_MONTH}, first after a write: median of 3`,
    ms: median(monthCold),
    rows: walkRows,
    goalMs: 50,
    key: 'memberScoreMonthAfterWrite',
    floor: 'member',
  });
  log(`memberScore(month), first after a write: ${monthCold.map((x) => x.toFixed(0)).join(', ')} ms`);
  const monthImport = await repeat(() => memberScore(t, slackId, MONTH), 3, 1, coldImport(t));
  figures.push({
    label: `memberScore month ${LAST_MONTH}, first after an import (scored afresh): median of 3`,
    ms: median(monthImport),
    rows: walkRows,
    key: 'memberScoreMonthAfterImport',
    floor: 'member',
  });
  log(`memberScore(month), first after an import: ${monthImport.map((x) => x.toFixed(0)).join(', ')} ms`);
  const month = await repeat(() => memberScore(t, slackId, MONTH), 10);
  figures.push({
    label: `memberScore month ${LAST_MONTH}, no write since: median of 10`,
    ms: median(month),
    rows: walkRows,
    goalMs: 50,
    key: 'memberScoreMonthCached',
    floor: 'member',
  });
  log(`memberScore(month), no write since: ${month.map((x) => x.toFixed(1)).join(', ')} ms`);

  const dayCold = await repeat(() => memberScore(t, slackId, DAY), 5, 1, cold(t));
  figures.push({
    label: `memberScore day ${DAY_OF}, first after a write: median of 5`,
    ms: median(dayCold),
    rows: dayRows,
    goalMs: 50,
    floor: 'memberDay',
  });
  log(`memberScore(day), first after a write: ${dayCold.map((x) => x.toFixed(0)).join(', ')} ms`);
  const day = await repeat(() => memberScore(t, slackId, DAY), 10);
  figures.push({
    label: `memberScore day ${DAY_OF}, no write since: median of 10`,
    ms: median(day),
    rows: dayRows,
    goalMs: 50,
    floor: 'memberDay',
  });
  log(`memberScore(day), no write since: ${day.map((x) => x.toFixed(1)).join(', ')} ms`);

  await explainScores(t, walk.monthsScored, { monthRows, walkRows, dayRows }, figures);
  const total = [...walk.counts.values()].reduce((a, b) => a + b, 0);
  notes.push(`memberScore(month) sends ${total} queries: ${[...walk.counts].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  notes.push(
    `memberScore(month), first after a write, scores ${walk.monthsScored} months (${LAST_MONTH} and ${walk.monthsScored - 1} before it for streaks); ` +
      `until the next write the month's results are served from the cache`,
  );
}

/** Every metric column, summed: what any score of a period needs from the daily rows, and no more work. */
const BARE_SUMS = [
  'inquiries',
  'paid_customers',
  'receptions',
  'gmv_fen',
  'refund_customers',
  'cases',
  'resolved',
  'service_score',
  'avg_response_sec',
]
  .map((c) => `SUM(${c}) AS ${c}`)
  .join(', ');

/**
 * The floors: the bare SQL for the same answers on the same data, as one query each through the same
 * client. A member's month (or day) summed, for a member's score; the month summed per member in one
 * GROUP BY, for anything that ranks the month (results, payroll, the month's close).
 */
async function benchFloors(t: Tally, slackId: string, figures: Figure[]): Promise<Record<FloorKind, number>> {
  const { id } = await t.db.member.findUniqueOrThrow({ where: { slackId } });
  const one = (from: string, to: string) => () =>
    t.db.$queryRawUnsafe(
      `SELECT ${BARE_SUMS}, COUNT(*) AS days FROM daily_metric WHERE member_id = $1 AND day BETWEEN $2::date AND $3::date`,
      id,
      from,
      to,
    );
  const member = median(await repeat(one(firstDay(LAST_MONTH), lastDay(LAST_MONTH)), 10, 2));
  const memberDay = median(await repeat(one(DAY_OF, DAY_OF), 10, 2));
  const month = median(
    await repeat(
      () =>
        t.db.$queryRawUnsafe(
          `SELECT member_id, ${BARE_SUMS}, COUNT(*) AS days FROM daily_metric
           WHERE day BETWEEN $1::date AND $2::date GROUP BY member_id`,
          firstDay(LAST_MONTH),
          lastDay(LAST_MONTH),
        ),
      10,
      2,
    ),
  );
  figures.push({
    label: `bare SQL: one member's month ${LAST_MONTH} summed: median of 10`,
    ms: member,
    key: 'bareSqlMemberMonth',
  });
  figures.push({ label: `bare SQL: one member's day ${DAY_OF} summed: median of 10`, ms: memberDay });
  figures.push({
    label: `bare SQL: month ${LAST_MONTH} GROUP BY member: median of 10`,
    ms: month,
    key: 'bareSqlMonthRanking',
  });
  log(
    `floors: member month ${member.toFixed(1)} ms, member day ${memberDay.toFixed(1)} ms, month GROUP BY ${month.toFixed(1)} ms`,
  );
  return { member, memberDay, month, ack: NaN }; // ack: measured with the Slack burst (ackFloor)
}

/** Where the score queries spend their time: their parts timed on their own. */
async function explainScores(
  t: Tally,
  monthsScored: number,
  rows: { monthRows: number; walkRows: number; dayRows: number },
  figures: Figure[],
): Promise<void> {
  const results = median(await repeat(() => monthResults(t, LAST_MONTH), 3, 1, cold(t)));
  figures.push({
    label: `  inside memberScore month: monthResults: median of 3`,
    ms: results,
    rows: rows.walkRows,
    floor: 'month',
  });
  // the earlier months the streak walk scores, each once, as the walk does
  let past = 0;
  await coldAll(t)();
  for (let k = 1; k < monthsScored; k++)
    past += (await timed(() => scorePeriod(t, { kind: 'month', month: addMonths(LAST_MONTH, -k) }))).ms;
  figures.push({
    label: `  inside monthResults: scorePeriod of each month walked back, summed`,
    ms: past,
    rows: rows.walkRows - rows.monthRows,
    floor: 'month',
  });

  // what one scorePeriod is made of: the metric sums, and the whole member table it reloads each time
  const defs = [
    ...new Map(TRACKS.flatMap((tr) => sumsNeeded(DEFAULT_POLICY, tr)).map((d) => [sumsKey(d), d])).values(),
  ];
  const monthSums = median(await repeat(() => sumMetrics(t.db, firstDay(LAST_MONTH), lastDay(LAST_MONTH), defs), 5));
  figures.push({
    label: `  inside scorePeriod: sumMetrics month: median of 5`,
    ms: monthSums,
    rows: rows.monthRows,
    floor: 'month',
  });
  const daySums = median(await repeat(() => sumMetrics(t.db, DAY_OF, DAY_OF, defs), 5));
  figures.push({ label: `  inside scorePeriod: sumMetrics day: median of 5`, ms: daySums, rows: rows.dayRows });
  const roster = median(await repeat(() => t.db.member.findMany(), 5));
  figures.push({ label: `  inside scorePeriod: member.findMany (all): median of 5`, ms: roster, rows: AGENTS + 3 });
}

// ---------------------------------------------------------------------------------------------
// Slack: concurrent signed /myscore requests into the real Bolt receiver, replies to a fake Web API

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Starts bench/slack-load.ts in a worker thread (through tsx's loader, which workers do not inherit). */
function loadWorker(): Worker {
  const target = new URL('./slack-load.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(target)}); })`,
    { eval: true },
  );
}

const next = <T>(w: Worker) =>
  new Promise<T>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });

type Burst = { runs: Array<{ ack: number; reply: number; status: number }>; problems: string[] };

/** Fires one burst of signed /myscore requests from the load worker and checks that every one was taken. */
async function burst(worker: Worker, appUrl: string, users: string[], ackOnly = false): Promise<Burst['runs']> {
  worker.postMessage({ type: 'burst', appUrl, users, text: LAST_MONTH, ackOnly });
  const { runs, problems } = await next<Burst>(worker);
  if (problems.length || runs.some((r) => r.status !== 200))
    throw new Error(`Slack burst failed: ${problems.join('; ')} statuses ${runs.map((r) => r.status).join(',')}`);
  return runs;
}

/**
 * The floor of an ack: the same 50 requests, from the same client, answered at once by a bare
 * node:http server on this thread (what the client and the loopback take, not Tally).
 */
async function ackFloor(worker: Worker, users: string[]): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  try {
    const p99s: number[] = [];
    for (let i = 0; i < 4; i++)
      p99s.push(
        percentile(
          (await burst(worker, url, users, true)).map((r) => r.ack),
          99,
        ),
      );
    return median(p99s.slice(1)); // the first opens the connections
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * 50 agents type /myscore 2026-10 at the same moment. ack = until Bolt answers the HTTP request
 * (Slack's limit is 3 s); reply = until the ephemeral answer reaches the response_url. The first
 * burst is the process's first (its connections opened, the trend months computed once): printed,
 * with no goal. Then a burst right after a penalty in the month (the month updated once, shared by
 * all 50), and one with no write since.
 */
async function benchSlack(
  t: Tally,
  members: DemoMember[],
  figures: Figure[],
  kind: Database['kind'],
  floors: Record<FloorKind, number>,
): Promise<void> {
  const worker = loadWorker();
  const { url } = await next<{ url: string }>(worker);
  const users = members
    .filter((m) => m.role === 'agent')
    .slice(0, 50)
    .map((m) => m.slackId);
  const floor = await ackFloor(worker, users);
  floors.ack = floor;
  figures.push({ label: '50 concurrent requests to a bare HTTP server: ack p99 (the client floor)', ms: floor });
  log(`client floor: ack p99 ${floor.toFixed(1)} ms`);
  const app = buildApp(
    { tally: t, log: pino({ level: 'warn' }) },
    { mode: { kind: 'http', botToken: 'xoxb-bench', signingSecret: SECRET }, apiUrl: `${url}/api/`, retries: 0 },
  );
  const server = (await app.start(0)) as Server;
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  try {
    for (const [label, before] of [
      ['first burst of the process', async () => {}],
      ['after a write', cold(t)],
      ['no write since', async () => {}],
    ] as const) {
      await before();
      const runs = await burst(worker, appUrl, users);
      const acks = runs.map((r) => r.ack);
      const replies = runs.map((r) => r.reply);
      const key = label === 'after a write' ? 'AfterWrite' : label === 'no write since' ? 'Cached' : null;
      figures.push({
        label: `50 concurrent /myscore, ${label}: ack p99`,
        ms: percentile(acks, 99),
        ...(key ? { goalMs: 50, key: `myscoreAckP99${key}` } : {}),
        floor: 'ack',
      });
      figures.push({
        label: `50 concurrent /myscore, ${label}: reply p99`,
        ms: percentile(replies, 99),
        // the issue's goals: 150 ms, except right after a write on the embedded database (300 ms)
        ...(key ? { goalMs: key === 'AfterWrite' && kind === 'pglite' ? 300 : 150, key: `myscoreReplyP99${key}` } : {}),
        floor: 'member',
      });
      log(
        `/myscore x50 ${label}: ack p50 ${percentile(acks, 50).toFixed(1)} p99 ${percentile(acks, 99).toFixed(1)} ms; reply p50 ${percentile(replies, 50).toFixed(0)} p99 ${percentile(replies, 99).toFixed(0)} ms`,
      );
    }
  } finally {
    await app.stop();
    worker.postMessage({ type: 'stop' });
    await worker.terminate();
  }
}

/**
 * The 1st of the month for 2,000 agents: close the month (freeze snapshots), build the post, charts,
 * payslips and the payroll for the leads, and enqueue it all; Slack's pacing is not included.
 */
async function benchMonthClose(t: Tally, figures: Figure[]): Promise<void> {
  await setPolicy(t, { schedule: { channel: 'C0BENCH01' } }, { from: firstDay(LAST_MONTH), by: BY, backdate: true });
  await cold(t)();
  const r = await timed(() => runJob(t, 'monthly', LAST_MONTH, { owner: 'bench' }));
  figures.push({
    label: `monthly close ${LAST_MONTH}: compute, freeze, build and enqueue`,
    ms: r.ms,
    rows: r.value.enqueued,
    goalMs: 5000,
    key: 'monthClose',
    floor: 'month',
  });
  log(`monthly close: ${r.value.enqueued} messages queued in ${r.ms.toFixed(0)} ms`);
}

// ---------------------------------------------------------------------------------------------
// one database

async function benchDatabase(target: Target, budgetMs: number): Promise<Report> {
  console.log(`\n== ${target.name} (${target.url})`);
  const opened = await timed(() => openDatabase(target.url));
  const database: Database = opened.value;
  const figures: Figure[] = [{ label: 'open + migrate', ms: opened.ms }];
  const notes: string[] = [];
  try {
    const t: Tally = { db: database.prisma, clock: fixedClock(NOW) };
    const members = demoRoster(AGENTS, { seed: SEED, hiredBefore: firstDay(addMonths(LAST_MONTH, 1 - ALL_MONTHS)) });
    await loadRoster(t, members, figures);

    const load = await loadMetrics(t, members, budgetMs);
    addLoadFigures(load, figures, notes);
    const loaded = `${load.rows.toLocaleString('en')} rows, ${load.months.length} months ${load.months[0]} .. ${load.months.at(-1)}`;
    if (load.months.length < ALL_MONTHS)
      notes.push(
        `loaded only ${load.months.length} of ${ALL_MONTHS} months (projected full load over the ${budgetMs / 60_000} min budget)`,
      );

    const agent = members.find((m) => m.role === 'agent' && m.level === 'regular')!.slackId;
    penalised.agents = members.filter((m) => m.role === 'agent').map((m) => m.slackId);
    penalised.next = 0;
    const floors = await benchFloors(t, agent, figures);
    await benchQueries(t, agent, figures, notes);
    await benchSlack(t, members, figures, database.kind, floors);
    await benchMonthClose(t, figures);
    return { name: target.name, kind: database.kind, where: database.where, loaded, figures, floors, notes };
  } finally {
    await database.close();
  }
}

function addLoadFigures(load: LoadResult, figures: Figure[], notes: string[]): void {
  // a small team (BENCH_AGENTS) may fill no whole file: then every file counts
  const whole = load.files.filter((f) => f.rows === FILE_ROWS);
  const full = whole.length ? whole : load.files;
  const first = full[0]!;
  const slowest = [...load.files].sort((a, b) => b.parseMs + b.writeMs - (a.parseMs + a.writeMs))[0]!;
  const pick = (f: (x: (typeof load.files)[number]) => number) => median(full.map(f));
  notes.push(
    `metrics loaded in ${load.files.length} files; "median file" is over the ${full.length} files of ${first.rows.toLocaleString('en')} rows`,
  );
  figures.push({
    label: 'metrics: CSV text for 100k rows (metricsCsv, not part of import)',
    ms: first.csvMs,
    rows: first.rows,
  });
  figures.push({ label: 'metrics import 100k rows, first file: parse', ms: first.parseMs, rows: first.rows });
  figures.push({ label: 'metrics import 100k rows, first file: write', ms: first.writeMs, rows: first.rows });
  figures.push({
    label: 'metrics import 100k rows, first file: total',
    ms: first.parseMs + first.writeMs,
    rows: first.rows,
    goalMs: 10_000,
  });
  figures.push({ label: `metrics import 100k rows, median file: parse`, ms: pick((f) => f.parseMs), rows: first.rows });
  figures.push({ label: `metrics import 100k rows, median file: write`, ms: pick((f) => f.writeMs), rows: first.rows });
  figures.push({
    label: `metrics import 100k rows, median file: total`,
    ms: pick((f) => f.parseMs + f.writeMs),
    rows: first.rows,
    goalMs: 10_000,
    key: 'import100kRows',
  });
  figures.push({
    label: `metrics import 100k rows, slowest file: total`,
    ms: slowest.parseMs + slowest.writeMs,
    rows: slowest.rows,
    goalMs: 10_000,
  });
  const importMs = load.files.reduce((a, f) => a + f.parseMs + f.writeMs, 0);
  figures.push({ label: `metrics: load all files (parse + write)`, ms: importMs, rows: load.rows });
  figures.push({ label: `metrics: load all, wall clock incl. generating data`, ms: load.wallMs, rows: load.rows });
}

// ---------------------------------------------------------------------------------------------
// printing

const fmtMs = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
const verdict = (f: Figure) =>
  f.goalMs === undefined ? '' : f.ms <= f.goalMs ? `ok (≤ ${fmtMs(f.goalMs)})` : `MISSES goal ≤ ${fmtMs(f.goalMs)}`;
const rate = (f: Figure) => (f.rows && f.rows > 1 ? Math.round(f.rows / (f.ms / 1000)).toLocaleString('en') : '');
/** How many times its floor (the bare SQL for the same answer) a figure took. */
const ratio = (r: Report, f: Figure) => (f.floor ? `${(f.ms / r.floors[f.floor]).toFixed(1)}x` : '');

function printReport(r: Report): void {
  console.log(`\n${r.name} at ${r.where}: ${r.loaded}`);
  const head = ['measure', 'ms', 'rows', 'rows/s', 'floor ms', 'x floor', 'goal'];
  const body = r.figures.map((f) => [
    f.label,
    f.ms.toFixed(1),
    f.rows?.toLocaleString('en') ?? '',
    rate(f),
    f.floor ? r.floors[f.floor].toFixed(1) : '',
    ratio(r, f),
    verdict(f),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === head.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
  for (const n of r.notes) console.log(`note: ${n}`);
  console.log(
    `floors: "member" = one member's month summed, "memberDay" = one member's day, "month" = the month GROUP BY member, "ack" = the same 50 requests answered at once by a bare HTTP server`,
  );
}

/** The README table: one column per database, figures matched by label. */
function printMarkdown(reports: Report[]): void {
  const wanted = reports[0]!.figures.filter(
    (f) =>
      f.goalMs !== undefined || /load all|payroll|inside|roster|open|bare SQL|first burst|client floor/.test(f.label),
  );
  console.log(
    `\n| Measure (${AGENTS.toLocaleString('en')} agents) | ${reports.map((r) => r.name).join(' | ')} | Goal |`,
  );
  console.log(`|---|${reports.map(() => '---:').join('|')}|---:|`);
  console.log(`| Data loaded | ${reports.map((r) => r.loaded).join(' | ')} | |`);
  for (const w of wanted) {
    const cells = reports.map((r) => {
      const f = r.figures.find((x) => x.label === w.label);
      if (!f) return '–';
      const miss = f.goalMs !== undefined && f.ms > f.goalMs ? ' ✗' : '';
      const times = f.floor ? `, ${ratio(r, f)} floor` : '';
      return `${fmtMs(f.ms)}${rate(f) ? ` (${rate(f)} rows/s${times})` : times ? ` (${times.slice(2)})` : ''}${miss}`;
    });
    // a goal may differ by database (the reply after a write: 300 ms on PGlite, 150 on PostgreSQL)
    const goals = reports.map((r) => r.figures.find((x) => x.label === w.label)?.goalMs);
    const goal = goals.every((g) => g === goals[0])
      ? w.goalMs === undefined
        ? ''
        : `≤ ${fmtMs(w.goalMs)}`
      : reports.map((r, i) => (goals[i] === undefined ? '' : `≤ ${fmtMs(goals[i])} (${r.name})`)).join(', ');
    console.log(`| ${w.label.trim()} | ${cells.join(' | ')} | ${goal} |`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const only = process.env.BENCH_DB;
  if (only && only !== 'pglite' && only !== 'postgres')
    throw new Error(`BENCH_DB must be pglite or postgres (got "${only}")`);
  console.log(
    `Tally benchmark: ${AGENTS} agents, ${ALL_MONTHS} months ending ${LAST_MONTH}, files of ${FILE_ROWS} rows, clock ${NOW}, Node ${process.version}`,
  );
  const reports: Report[] = [];
  if (only !== 'postgres') {
    const target = pgliteTarget();
    try {
      reports.push(await benchDatabase(target, PGLITE_BUDGET_MS));
    } finally {
      await target.dispose();
    }
  }
  if (only !== 'pglite') {
    const target = await postgresTarget();
    if (typeof target === 'string') {
      console.log(`\nPostgreSQL skipped: 127.0.0.1:5432 is not reachable (${target})`);
    } else {
      try {
        reports.push(await benchDatabase(target, Infinity));
      } finally {
        await target.dispose();
      }
    }
  }
  if (!reports.length) return;
  for (const r of reports) printReport(r);
  printMarkdown(reports);
  printMisses(reports);
  if (process.env.BENCH_JSON) writeJson(process.env.BENCH_JSON, reports);
}

/** BENCH_JSON: the keyed figures of each database, in milliseconds. */
function writeJson(file: string, reports: Report[]): void {
  const out = Object.fromEntries(
    reports.map((r) => [
      r.kind,
      Object.fromEntries(r.figures.filter((f) => f.key).map((f) => [f.key!, Math.round(f.ms * 10) / 10])),
    ]),
  );
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nfigures written to ${file}`);
}

/** Says plainly, at the very end, which goals were missed. */
function printMisses(reports: Report[]): void {
  const misses = reports.flatMap((r) =>
    r.figures
      .filter((f) => f.goalMs !== undefined && f.ms > f.goalMs)
      .map((f) => `${r.name}: ${f.label} = ${fmtMs(f.ms)}, goal ≤ ${fmtMs(f.goalMs!)}`),
  );
  console.log(misses.length ? `\nGoals missed:\n${misses.map((m) => `  - ${m}`).join('\n')}` : '\nAll goals met.');
}

await main();
