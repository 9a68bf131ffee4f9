// The embedded database's own thread: PGlite (WebAssembly, CPU-bound) and pglite-prisma-adapter run
// here, so a query never blocks the bot's event loop (Bolt must ack Slack within 3 s). The bot's side
// is pglite-proxy.ts; the messages are in pglite-wire.ts. Started only by pglite-proxy.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { faultOf, type DatabaseNotice } from '../faults.js';
import { tidyHeap } from '../memory.js';
import {
  accessProblem,
  leftUnfinished,
  markPending,
  reclaim,
  spaceProblem,
  walSinceCheckpoint,
} from './pglite-space.js';
import {
  toWire,
  type Envelope,
  type Notice,
  type Reply,
  type Request,
  type Started,
  type WorkerStart,
} from './pglite-wire.js';

/**
 * PostgreSQL's page cache lives in PGlite's WebAssembly memory, which never shrinks: at its default
 * (128 MB) it is touched whole at start and a 1,000,000-row import peaked near 700 MB. 16 MB keeps
 * the thread at about half that; pages beyond it come from the data directory's files (the OS cache),
 * which makes writes to big tables several times slower. So only a lean process (the CLI importing a
 * file) takes it. The bot asks for its own size (src/main.ts).
 */
const LEAN = ['-c', 'shared_buffers=16MB'];

/**
 * A checkpoint deletes the WAL files it no longer needs, where PostgreSQL keeps them as spares (up to
 * min_wal_size, 80 MB): what a big write took in pg_wal is given back (see pglite-space.ts).
 */
const WAL = ['-c', 'wal_recycle=off'];

/**
 * WAL since the last checkpoint past which a rollback is followed by taking back space (some seconds
 * of VACUUM): a rolled-back import's rows, about half as much as its WAL. Measured since the last
 * checkpoint, which costs nothing per transaction; writes that committed count too, so a small
 * rollback after many of them starts it as well, at most once per this much WAL.
 */
const RECLAIM_AFTER_WAL = 8 * 1024 * 1024;

const port = parentPort!;
const { dir, lean, pageCacheMb } = workerData as WorkerStart;

/**
 * The first PANIC: PostgreSQL stops there (it would restart all its processes), and this PGlite
 * instance answers every later query with an error. From then on each request gets this one (a full
 * disk, say, rather than "cannot drop active portal"), marked broken: the bot's side starts a new thread.
 */
let broken: unknown;
/** A write failed for want of disk space: what it took is given back after its rollback. */
let diskFull = false;
/** Space is still to be taken back (the last try failed: no room even for that); tried before the next write. */
let pending = false;
/** The last reclaim, which a close waits for. */
let reclaiming: Promise<void> = Promise.resolve();

const isPanic = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  ((e as { severity?: unknown }).severity === 'PANIC' || isPanic((e as { cause?: unknown }).cause));

// after a PANIC, pglite-prisma-adapter's rollback (which it does not await) fails too: that is the PANIC's, not a new failure
process.on('unhandledRejection', (e) => {
  if (broken === undefined) throw e;
});

/** Takes back the space rolled-back writes left (pglite-space.ts), and says how it went. */
async function takeBack(db: PGlite, after: 'interrupted' | 'rolled_back'): Promise<DatabaseNotice> {
  const started = performance.now();
  try {
    const freedBytes = await reclaim(db, dir!);
    pending = false;
    return { kind: 'reclaimed', after, freedBytes, ms: Math.round(performance.now() - started) };
  } catch (e) {
    // PostgreSQL stopped after all: this instance answers nothing any more (the thread is replaced)
    if (isPanic(e)) broken ??= e;
    pending = true;
    markPending(dir!);
    return { kind: 'reclaim_failed', after, problem: (e as Error).message };
  }
}

let lite: PGlite | undefined;
let adapter: SqlDriverAdapter | undefined;
let notice: DatabaseNotice | undefined;
try {
  const unfinished = dir !== null && leftUnfinished(dir);
  lite = new PGlite(dir ?? undefined, {
    startParams: [
      ...PGlite.defaultStartParams,
      ...WAL,
      ...(lean ? LEAN : pageCacheMb ? ['-c', `shared_buffers=${pageCacheMb}MB`] : []),
    ],
  });
  await lite.waitReady;
  adapter = await new PrismaPGlite(lite).connect();
  // PostgreSQL replayed what the last process had written (its crash recovery): a write it never
  // committed is rolled back, and the space it took is taken back before anything else
  if (unfinished) notice = await takeBack(lite, 'interrupted');
  // it stopped on the way: an open that cannot be used is a failed open
  if (broken !== undefined) throw broken;
} catch (e) {
  // PGlite aborts or "failed to initialize" without a word on a file it may not open or a disk too
  // full for its recovery: the file and the system's reason, or the free space, instead
  const why = dir !== null && !faultOf(e) ? (accessProblem(dir) ?? spaceProblem(dir)) : null;
  port.postMessage({ ready: false, error: toWire(why ?? e) } satisfies Started);
  // a PostgreSQL that stopped cannot close (its files are as the next start's recovery wants them)
  if (broken === undefined) await lite?.close().catch(() => {});
  lite = adapter = undefined;
}

/** After a rollback: takes back space when a write failed for want of it, or past RECLAIM_AFTER_WAL of WAL. */
function afterRollback(db: PGlite): void {
  if (dir === null) return;
  reclaiming = reclaiming.then(async () => {
    if (broken !== undefined) return;
    if (!diskFull && !pending && (await walSinceCheckpoint(db)) < RECLAIM_AFTER_WAL) return;
    diskFull = false;
    port.postMessage({ notice: await takeBack(db, 'rolled_back') } satisfies Notice);
  });
  // a failure here is the database's next answer's to report
  reclaiming = reclaiming.catch(() => {});
}

/** Transactions Prisma has open, by the number the bot's side knows them by. */
const open = new Map<number, Transaction>();
let lastTx = 0;

function transaction(id: number): Transaction {
  const tx = open.get(id);
  if (!tx) throw new Error(`no open transaction ${id}`);
  return tx;
}

/**
 * Runs a query, then empties its arguments: the adapter's debug history (@prisma/debug) keeps the
 * last 100 query objects it was given, and a big import's are thousands of values each (some 45 MB
 * of a million-row import's peak, held until the process ends).
 */
async function forget<T>(query: { args: unknown[] }, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } finally {
    query.args = [];
  }
}

async function run(lite: PGlite, adapter: SqlDriverAdapter, r: Request): Promise<unknown> {
  if (broken !== undefined) {
    if (r.op === 'close') return undefined;
    throw broken;
  }
  switch (r.op) {
    case 'query':
      return (await lite.query(r.sql, r.params)).rows;
    case 'exec':
      await lite.exec(r.script);
      return undefined;
    case 'queryRaw':
      return forget(r.query, () => (r.tx === undefined ? adapter : transaction(r.tx)).queryRaw(r.query));
    case 'executeRaw':
      return forget(r.query, () => (r.tx === undefined ? adapter : transaction(r.tx)).executeRaw(r.query));
    case 'executeScript':
      return adapter.executeScript(r.script);
    case 'begin': {
      // space a failed write left and that could not be taken back then: before this one needs it
      if (pending && dir !== null) {
        await reclaiming;
        if (pending) port.postMessage({ notice: await takeBack(lite, 'rolled_back') } satisfies Notice);
        if (broken !== undefined) throw broken;
      }
      const tx = await adapter.startTransaction(r.isolationLevel);
      open.set(++lastTx, tx);
      return lastTx;
    }
    case 'commit':
    case 'rollback': {
      const tx = transaction(r.tx);
      open.delete(r.tx);
      try {
        await (r.op === 'commit' ? tx.commit() : tx.rollback());
      } catch (e) {
        afterRollback(lite);
        throw e;
      }
      if (r.op === 'rollback') afterRollback(lite);
      return undefined;
    }
    case 'close':
      await reclaiming;
      if (broken === undefined) await lite.close();
      return undefined;
  }
}

// every request runs as it arrives, as calls did on one thread: PGlite itself queues them (one query
// at a time; outside a transaction nothing runs while one is open)
if (lite && adapter) {
  const [db, prisma] = [lite, adapter];
  // each chunk of a big import arrives as thousands of values: garbage this thread collects as it goes
  const tidy = tidyHeap();
  port.on('message', (m: Envelope) => {
    run(db, prisma, m).then(
      (value) => {
        port.postMessage({ id: m.id, ok: true, value } satisfies Reply);
        tidy();
      },
      (e: unknown) => {
        if (broken === undefined && isPanic(e)) broken = e;
        if (faultOf(e)?.kind === 'disk_full') diskFull = true;
        const error = toWire(broken ?? e);
        port.postMessage(
          (broken === undefined
            ? { id: m.id, ok: false, error }
            : { id: m.id, ok: false, error, broken: true }) satisfies Reply,
        );
      },
    );
  });
  port.postMessage((notice ? { ready: true, notice } : { ready: true }) satisfies Started);
} else {
  // nothing opened: the thread ends once the error is on its way
  port.close();
}
