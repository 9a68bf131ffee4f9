// `npm start`: Socket Mode when SLACK_APP_TOKEN is set, HTTP (/slack/events on PORT) with
// SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, otherwise the local console on the embedded database.
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import pino from 'pino';
import { clockFromEnv } from './clock.js';
import { cliFault, cliRefusal } from './cli/text.js';
import { ConfigError, loadDotEnv, readEnv } from './config.js';
import { openDatabase } from './db/open.js';
import { faultOf } from './faults.js';
import { buildApp } from './slack/app.js';
import { modeOf, readSlackEnv } from './slack/config.js';
import { runConsole } from './slack/console.js';
import { jobsClient } from './jobs/client.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { warmResults } from './jobs/warm.js';
import { databaseAnswers } from './service/health.js';
import { awardsKept } from './service/scores.js';
import { HEALTH_PATH, startHealthServer, whereListening } from './slack/health.js';
import { InFlight, ROLLBACK_WAIT_MS, STOP_WAIT_MS, Stopping, within } from './stop.js';

/**
 * The embedded database's page cache in the bot: PGlite's memory never shrinks and PostgreSQL's
 * default (128 MB) is touched whole at start, the largest part of the bot's memory. A team's working
 * set (this month's and the trend's rollups, the roster, penalties) fits in 32 MB; what is read
 * beyond it comes from the data directory through the OS cache. The CLI keeps the default (its imports
 * of big files, or 16 MB: src/db/pglite-worker.ts).
 */
const BOT_PAGE_CACHE_MB = 32;

async function main(): Promise<void> {
  loadDotEnv();
  const env = readEnv();
  const slack = readSlackEnv();
  const mode = modeOf(slack);
  // a fault of the machine (a lost database connection, a full disk) is logged as what it is, without a stack
  const err = (e: unknown) => {
    const fault = faultOf(e);
    return fault ? { fault } : pino.stdSerializers.err(e as Error);
  };
  const log = pino({ level: slack.LOG_LEVEL, serializers: { err } }, pino.destination(2));
  const database = await openDatabase(env.DATABASE_URL, {
    pageCacheMb: BOT_PAGE_CACHE_MB,
    onNotice: (notice) =>
      notice.kind === 'reclaimed'
        ? log.info({ notice }, 'the embedded database gave back the disk space of a change it rolled back')
        : log.warn(
            { notice },
            'the embedded database could not yet give back the disk space of a change it rolled back',
          ),
  });
  const deps = { tally: { db: database.prisma, clock: clockFromEnv(env.TALLY_NOW) }, log };
  if (mode.kind === 'console') {
    try {
      await runConsole(deps, {
        input: process.stdin,
        output: process.stdout,
        interactive: process.stdin.isTTY === true,
      });
    } finally {
      await database.close();
    }
    return;
  }
  // a stop (SIGTERM from systemd or a container, Ctrl-C) is taken from here on, even while starting:
  // the catch-up at start may be running a month's close
  const inFlight = new InFlight();
  const noNew = new AbortController();
  const rollBack = new AbortController();
  let app: App | undefined;
  let server: Server | undefined;
  let health: Server | undefined;
  let scheduler: Scheduler | undefined;
  let warmed: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | null = null;
  const start = (async () => {
    app = buildApp(deps, { mode, apiUrl: slack.SLACK_API_URL, inFlight });
    // where HTTP mode really listens (PORT=0 picks a free port), for the log line
    if (mode.kind === 'http') server = (await app.start({ port: mode.port, host: mode.host })) as Server;
    else {
      await app.start();
      if (env.HEALTH_PORT !== undefined)
        health = await startHealthServer(env.HEALTH_PORT, slack.HOST, () => databaseAnswers(deps.tally));
    }
    if (stopping) return;
    scheduler = await startScheduler(
      { ...deps, client: jobsClient(mode.botToken, slack.SLACK_API_URL) },
      { halt: { noNew: noNew.signal, rollBack: rollBack.signal } },
    );
    if (stopping) return;
    // in the background: a slow start is only slower first answers, never a failed start
    const warming = performance.now();
    warmed = warmResults(deps.tally).then(
      (months) => log.info({ months, ms: Math.round(performance.now() - warming) }, 'months scored ahead'),
      (err: unknown) => {
        if (!stopping) log.error({ err }, 'could not score the months ahead; they are scored when first asked');
      },
    );
    const listening = server ? whereListening(server) : null;
    const probe = health ? whereListening(health) : null;
    log.info(
      {
        mode: mode.kind,
        database: database.where,
        // what `npm start` chose (bin/start.mjs): the build in dist/, or the TypeScript through tsx
        code: import.meta.url.endsWith('.js') ? 'compiled' : 'typescript',
        ...(listening ? { ...listening, path: '/slack/events', health: HEALTH_PATH } : {}),
        ...(probe ? { health: { ...probe, path: HEALTH_PATH } } : {}),
      },
      'Tally is running',
    );
  })();
  const stop = async (signal: NodeJS.Signals) => {
    const began = performance.now();
    const left = () => STOP_WAIT_MS - (performance.now() - began);
    log.info({ signal, waitSec: STOP_WAIT_MS / 1000 }, 'stopping: finishing what is in progress');
    noNew.abort(new Stopping());
    // as far as the start gets (a catch-up job in progress finishes, or is rolled back below)
    const started = await within(start, left());
    if (!started) {
      rollBack.abort(new Stopping());
      await within(start, ROLLBACK_WAIT_MS);
    }
    // no new requests: the HTTP listener closes (idle keep-alive connections with it), the socket disconnects
    health?.close();
    server?.closeIdleConnections();
    if (app) await within(app.stop(), Math.max(0, left()));
    server?.closeAllConnections();
    // the requests taken in and the job in progress finish within the wait, or are told to stop
    if (inFlight.count) log.info({ requests: inFlight.count }, 'stopping: waiting for the requests in progress');
    const [requests, jobs] = await Promise.all([
      within(inFlight.settled(), left()),
      scheduler?.stop({ waitMs: Math.max(0, left()), rollbackMs: ROLLBACK_WAIT_MS }) ?? { finished: true },
    ]);
    // what is still being computed or kept in the background gets a moment to finish (a cache: never required)
    await within(Promise.all([warmed, awardsKept(deps.tally)]), Math.min(2000, Math.max(0, left())));
    const unfinished = requests ? 0 : inFlight.count;
    const closed = await within(database.close(), ROLLBACK_WAIT_MS);
    log.info(
      {
        signal,
        ms: Math.round(performance.now() - began),
        jobs: started && jobs.finished ? 'finished' : 'rolled back',
        requests: unfinished ? `${unfinished} cut short` : 'finished',
        ...(closed ? {} : { database: 'did not close in time' }),
      },
      'stopped',
    );
    process.exit(0);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return void log.info({ signal }, 'already stopping');
    stopping = stop(signal).catch((err: unknown) => {
      log.error({ err }, 'could not stop cleanly');
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await start;
}

main().catch((e) => {
  if (e instanceof ConfigError) {
    console.error(`error: ${cliRefusal(e)}`);
    // a database server down or starting up: a fault, and starting again may work
    process.exitCode = faultOf(e.cause) ? 75 : 1;
    return;
  }
  // the database out of reach or its disk full at start: one line, and a supervisor may start it again
  const fault = faultOf(e);
  if (fault) {
    console.error(`error: ${cliFault(fault)}`);
    process.exitCode = 75;
    return;
  }
  console.error(e);
  process.exitCode = 70;
});
