// `npm start`: Socket Mode when SLACK_APP_TOKEN is set, HTTP (/slack/events on PORT) with
// SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, otherwise the local console on the embedded database.
import type { Server } from 'node:http';
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
import { startScheduler } from './jobs/scheduler.js';
import { warmResults } from './jobs/warm.js';
import { awardsKept } from './service/scores.js';

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
  const app = buildApp(deps, { mode, apiUrl: slack.SLACK_API_URL });
  // where HTTP mode really listens (PORT=0 picks a free port), for the log line
  let listening: ReturnType<Server['address']> = null;
  if (mode.kind === 'http') listening = ((await app.start({ port: mode.port, host: mode.host })) as Server).address();
  else await app.start();
  const scheduler = await startScheduler({ ...deps, client: jobsClient(mode.botToken, slack.SLACK_API_URL) });
  // in the background: a slow start is only slower first answers, never a failed start
  const warming = performance.now();
  let stopping = false;
  const warmed = warmResults(deps.tally).then(
    (months) => log.info({ months, ms: Math.round(performance.now() - warming) }, 'months scored ahead'),
    (err: unknown) => {
      if (!stopping) log.error({ err }, 'could not score the months ahead; they are scored when first asked');
    },
  );
  log.info(
    {
      mode: mode.kind,
      database: database.where,
      // what `npm start` chose (bin/start.mjs): the build in dist/, or the TypeScript through tsx
      code: import.meta.url.endsWith('.js') ? 'compiled' : 'typescript',
      ...(listening && typeof listening === 'object'
        ? { host: listening.address, port: listening.port, path: '/slack/events' }
        : {}),
    },
    'Tally is running',
  );
  const stop = async () => {
    log.info('stopping');
    stopping = true;
    await scheduler.stop();
    await app.stop();
    // what is still being computed or kept in the background gets a moment to finish (a cache: never required)
    await Promise.race([Promise.all([warmed, awardsKept(deps.tally)]), new Promise((r) => setTimeout(r, 2000))]);
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
