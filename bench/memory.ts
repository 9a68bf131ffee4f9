// The bot's memory, as a server sees it: the bot started as production starts it (`npm start`:
// bin/start.mjs, the compiled code in dist/), in HTTP mode against a fake Slack, sent 5,000 signed
// requests as a team sends them (/myscore, /leaderboard, /penalty, its list and rules, App Home),
// and its resident memory (RSS) read from /proc before, after, and at its peak, on each database.
// Run: npm run bench:memory (also the last part of npm run bench)
//   BENCH_DB=pglite|postgres   only that database (default: both)
//   BENCH_MEMORY_AGENTS=500    the team's agents (default 500, the largest team Tally is made for)
//   BENCH_MEMORY_REQUESTS=5000 how many requests
//   BENCH_MEMORY_TSX=1         start the bot from its TypeScript through tsx (as before the build was used)
//   BENCH_MEMORY_NODE_OPTIONS  extra node flags for the bot, to compare settings
//   BENCH_PGLITE_DIR=<dir>, BENCH_DATABASE_URL=postgresql://...   the database to use, kept afterwards;
//                              the team is loaded only when it holds none (default: a new one, removed)
//   BENCH_MEMORY_SNAPSHOT=<file>  also writes a heap snapshot of the bot's main thread after the requests
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
// @ts-expect-error: a plain JavaScript module without types (bin/ runs before anything is compiled)
import { fresh } from '../bin/latest.mjs';
import { fixedClock } from '../src/clock.js';
import { addMonths, firstDay, lastDay, type Month } from '../src/core/dates.js';
import { openDatabase } from '../src/db/open.js';
import { demoMetrics, demoRoster } from '../src/demo/team.js';
import type { Tally } from '../src/service/context.js';
import { importMetrics } from '../src/service/metrics.js';
import { importRoster } from '../src/service/roster.js';
import { FakeSlack, SECRET, sign } from '../test/support/slack.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The node flags `npm start` gives the bot (package.json: "start": "node <flags> bin/start.mjs"). */
const START_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((w) => w.startsWith('--'));
const AGENTS = Number(process.env.BENCH_MEMORY_AGENTS ?? 500);
const REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 5000);
const TSX = process.env.BENCH_MEMORY_TSX === '1';
/** requests in flight at once: a busy team's morning */
const CONCURRENCY = 20;
const NOW = '2026-11-05T10:00:00+08:00';
const THIS_MONTH: Month = '2026-11';
const LAST_MONTH: Month = '2026-10';
/** this month and the 12 before it: all the trend and the streak walk read */
const MONTHS = 13;
const BY = 'U0SUPER01';
/** What the issue asks of the bot after 5,000 requests, in MB. */
const GOAL_MB = { pglite: 320, postgres: 200 } as const;

const log = (line: string) => console.log(`  ${line}`);
const mb = (kb: number) => Math.round(kb / 1024);

// ---------------------------------------------------------------------------------------------
// the team

async function load(url: string): Promise<string[]> {
  const members = demoRoster(AGENTS, { seed: 2026, hiredBefore: firstDay(addMonths(THIS_MONTH, -MONTHS)) });
  const agents = members.filter((m) => m.role === 'agent').map((m) => m.slackId);
  const db = await openDatabase(url);
  try {
    const t: Tally = { db: db.prisma, clock: fixedClock(NOW) };
    const there = await db.prisma.member.count();
    if (there) {
      if (there !== members.length)
        throw new Error(`${url} holds ${there} members, not the ${members.length} of this team`);
      log(`team: ${there} members, loaded before`);
      return agents;
    }
    await importRoster(
      t,
      members.map((m, i) => ({ ...m, line: i + 2 })),
      { fileName: 'roster.csv', by: 'cli' },
    );
    const started = performance.now();
    let rows = 0;
    for (let k = MONTHS - 1; k >= 0; k--) {
      const month = addMonths(THIS_MONTH, -k);
      // up to yesterday
      const to = month === THIS_MONTH ? '2026-11-04' : lastDay(month);
      const metrics = demoMetrics(members, firstDay(month), to, 2026).map((r, i) => ({ ...r, line: i + 2 }));
      await importMetrics(t, metrics, { fileName: `metrics-${month}.csv`, by: 'cli' });
      rows += metrics.length;
    }
    log(
      `team: ${members.length} members, ${rows.toLocaleString('en')} daily rows in ${MONTHS} months, loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await db.close();
  }
  return agents;
}

// ---------------------------------------------------------------------------------------------
// the bot, as `npm start` runs it

interface Bot {
  child: ChildProcess;
  url: string;
  /** resolves once the bot has scored its months ahead (its start is over) */
  warmed: Promise<void>;
  stderr: () => string;
}

async function startBot(databaseUrl: string, fake: FakeSlack, cwd: string): Promise<Bot> {
  const extra = [...START_FLAGS, ...(process.env.BENCH_MEMORY_NODE_OPTIONS ?? '').split(' ').filter(Boolean)];
  if (process.env.BENCH_MEMORY_SNAPSHOT) extra.push('--heapsnapshot-signal=SIGUSR2');
  const child = spawn(process.execPath, [...extra, join(ROOT, 'bin/start.mjs')], {
    cwd,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TALLY_NOW: NOW,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: `${fake.url}/api/`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TALLY_TSX: TSX ? '1' : '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let warmedResolve!: () => void;
  const warmed = new Promise<void>((r) => (warmedResolve = r));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      for (const line of d.split('\n')) {
        if (line.includes('"Tally is running"')) {
          const { port } = JSON.parse(line) as { port: number };
          resolve(`http://127.0.0.1:${port}/slack/events`);
        }
        if (line.includes('"months scored ahead"') || line.includes('could not score the months ahead'))
          warmedResolve();
      }
      // keep the tail only: the log of 5,000 requests is not the bench's to hold
      if (err.length > 100_000) err = err.slice(-20_000);
    });
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}): ${err}`)));
  });
  return { child, url, warmed, stderr: () => err };
}

/** Has the bot write a heap snapshot of its main thread (into its working directory) and moves it to `file`. */
async function snapshot(child: ChildProcess, cwd: string, file: string): Promise<void> {
  child.kill('SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const f = readdirSync(cwd).find((x) => x.endsWith('.heapsnapshot'));
    if (!f) continue;
    const size = statSync(join(cwd, f)).size;
    await new Promise((r) => setTimeout(r, 1000));
    if (statSync(join(cwd, f)).size !== size || size === 0) continue;
    renameSync(join(cwd, f), file);
    return log(`heap snapshot: ${file}`);
  }
}

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** The process's resident memory now and at its peak (the kernel's high-water mark), in kB. */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: field('VmRSS'), peak: field('VmHWM') };
}

// ---------------------------------------------------------------------------------------------
// the requests

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: string, type: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...sign(body), 'content-type': type, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    // a kept-alive connection the bot closed as it was reused: the request never reached it, send it again
    req.on('error', (e: NodeJS.ErrnoException) =>
      req.reusedSocket && e.code === 'ECONNRESET' ? post(url, body, type).then(resolve, reject) : reject(e),
    );
    req.end(body);
  });
}

let n = 0;
/** How long each /myscore took until its answer reached Slack, in ms. */
const replies: number[] = [];
const run = Date.now().toString(36);

/** One request of the team's mix, by its number; resolves once Slack has the answer. */
async function one(fake: FakeSlack, url: string, agents: string[], i: number): Promise<string> {
  const id = `m${run}-${++n}`;
  const who = agents[(i * 7919) % agents.length]!;
  const other = agents[(i * 104_729 + 13) % agents.length]!;
  const lead = i % 2 ? 'U0LEAD001' : 'U0LEAD002';
  const k = i % 20;
  if (k === 19) {
    // App Home: an event, answered with views.publish
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${id}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: i % 40 === 19 ? lead : who, tab: 'home', channel: 'D1' },
    });
    const status = await post(url, body, 'application/json');
    if (status !== 200) throw new Error(`app_home_opened: HTTP ${status}`);
    await fake.waitFor((c) => c.method === 'views.publish' && c.body.user_id === (i % 40 === 19 ? lead : who));
    return 'home';
  }
  const [user, command, text] =
    k < 9
      ? [who, '/myscore', k % 3 === 0 ? LAST_MONTH : '']
      : k < 11
        ? [lead, '/myscore', `<@${other}|x> ${k === 9 ? LAST_MONTH : ''}`.trim()]
        : k < 14
          ? [who, '/leaderboard', k === 11 ? '' : k === 12 ? `${LAST_MONTH} presales` : 'aftersales']
          : k < 16
            ? [BY, '/penalty', `<@${other}|x> ${k === 14 ? 'buck_passing' : 'personal_chat'} bench ${i}`]
            : k < 18
              ? [who, '/penalty', 'list']
              : [who, '/penalty', 'rules'];
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: user,
    command,
    text,
    api_app_id: 'A1',
    response_url: fake.responseUrl(id),
    trigger_id: `t-${id}`,
  }).toString();
  const started = performance.now();
  const status = await post(url, body, 'application/x-www-form-urlencoded');
  if (status !== 200) throw new Error(`${command} ${text}: HTTP ${status}`);
  await fake.waitFor((c) => c.respondId === id);
  if (command === '/myscore') replies.push(performance.now() - started);
  return command;
}

/** Sends REQUESTS requests, CONCURRENCY at a time; returns how many of each. */
async function send(fake: FakeSlack, url: string, agents: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < REQUESTS) {
      const what = await one(fake, url, agents, next++);
      counts.set(what, (counts.get(what) ?? 0) + 1);
      // the fake keeps what it was sent: dropped as we go, so its own memory stays flat
      if (++done % 200 === 0) fake.calls.splice(0, fake.calls.length - 400);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  if (fake.problems.length) throw new Error(`Slack saw problems: ${fake.problems.slice(0, 5).join('; ')}`);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// one database

interface Result {
  name: string;
  kind: 'pglite' | 'postgres';
  started: number;
  after: number;
  settled: number;
  peak: number;
  seconds: number;
  /** /myscore until its answer: p50, p99 in ms */
  myscore: [number, number];
}

async function measure(name: string, kind: Result['kind'], databaseUrl: string): Promise<Result> {
  console.log(`\n== ${name}`);
  const agents = await load(databaseUrl);
  const fake = await new FakeSlack().start();
  const cwd = mkdtempSync(join(tmpdir(), 'tally-membench-cwd-'));
  const bot = await startBot(databaseUrl, fake, cwd);
  try {
    await bot.warmed;
    const pid = bot.child.pid!;
    const started = rss(pid).now;
    log(`started (months scored ahead): RSS ${mb(started)} MB`);
    const t0 = performance.now();
    replies.length = 0;
    const counts = await send(fake, bot.url, agents);
    const myscore: [number, number] = [percentile(replies, 50), percentile(replies, 99)];
    const seconds = (performance.now() - t0) / 1000;
    const after = rss(pid);
    log(
      `${REQUESTS.toLocaleString('en')} requests in ${seconds.toFixed(0)} s (${[...counts].map(([k, v]) => `${k} ×${v}`).join(', ')}): RSS ${mb(after.now)} MB, peak ${mb(after.peak)} MB; /myscore answered in p50 ${myscore[0].toFixed(0)} ms, p99 ${myscore[1].toFixed(0)} ms`,
    );
    await new Promise((r) => setTimeout(r, 5000));
    const settled = rss(pid);
    log(`5 s later: RSS ${mb(settled.now)} MB, peak ${mb(settled.peak)} MB`);
    if (process.env.BENCH_MEMORY_SNAPSHOT)
      await snapshot(bot.child, cwd, `${process.env.BENCH_MEMORY_SNAPSHOT}.${kind}.heapsnapshot`);
    return { name, kind, started, after: after.now, settled: settled.now, peak: settled.peak, seconds, myscore };
  } finally {
    bot.child.kill('SIGTERM');
    await new Promise((r) => bot.child.once('exit', r));
    await fake.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function postgres(): Promise<{ url: string; drop: () => Promise<void> } | string> {
  const admin = new pg.Client({
    connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await admin.connect();
  } catch (e) {
    return (e as Error).message;
  }
  const name = `tally_membench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return {
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const only = process.env.BENCH_DB;
  if (!TSX && !fresh('main')) {
    console.log('dist/ is missing or older than src/: npm run build');
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  console.log(
    `Tally's memory: the bot (${TSX ? 'TypeScript through tsx' : 'compiled, dist/main.js'}; node ${[...START_FLAGS, process.env.BENCH_MEMORY_NODE_OPTIONS ?? ''].join(' ').trim() || 'without flags'}) after ${REQUESTS.toLocaleString('en')} requests, ${AGENTS} agents, clock ${NOW}, Node ${process.version}`,
  );
  const results: Result[] = [];
  if (only !== 'postgres') {
    const given = process.env.BENCH_PGLITE_DIR;
    const dir = given ?? mkdtempSync(join(tmpdir(), 'tally-membench-'));
    try {
      results.push(await measure('PGlite', 'pglite', `pglite:${dir}`));
    } finally {
      if (!given) rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only !== 'pglite') {
    const given = process.env.BENCH_DATABASE_URL;
    const db = given ? { url: given, drop: async () => {} } : await postgres();
    if (typeof db === 'string') console.log(`\nPostgreSQL skipped: 127.0.0.1:5432 is not reachable (${db})`);
    else
      try {
        results.push(await measure('PostgreSQL', 'postgres', db.url));
      } finally {
        await db.drop();
      }
  }
  console.log(`\n| The bot's memory (RSS), ${AGENTS} agents | ${results.map((r) => r.name).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---:').join('|')}|`);
  const row = (label: string, f: (r: Result) => string) => console.log(`| ${label} | ${results.map(f).join(' | ')} |`);
  row('started, months scored ahead', (r) => `${mb(r.started)} MB`);
  row(`after ${REQUESTS.toLocaleString('en')} requests`, (r) => {
    const goal = GOAL_MB[r.kind];
    return `${mb(r.after)} MB ${mb(r.after) < goal ? '✓' : '✗'} (goal < ${goal} MB)`;
  });
  row('5 s later', (r) => `${mb(r.settled)} MB`);
  row('peak', (r) => `${mb(r.peak)} MB`);
  row('requests per second', (r) => `${Math.round(REQUESTS / r.seconds)}`);
  row('/myscore until answered, p50 / p99', (r) => `${r.myscore[0].toFixed(0)} / ${r.myscore[1].toFixed(0)} ms`);
}

await main();
