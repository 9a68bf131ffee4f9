// The embedded database's own thread: PGlite (WebAssembly, CPU-bound) and pglite-prisma-adapter run
// here, so a query never blocks the bot's event loop (Bolt must ack Slack within 3 s). The bot's side
// is pglite-proxy.ts; the messages are in pglite-wire.ts. Started only by pglite-proxy.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { tidyHeap } from '../memory.js';
import { toWire, type Envelope, type Reply, type Request, type Started, type WorkerStart } from './pglite-wire.js';

/**
 * PostgreSQL's page cache lives in PGlite's WebAssembly memory, which never shrinks: at its default
 * (128 MB) it is touched whole at start and a 1,000,000-row import peaked near 700 MB. 16 MB keeps
 * the thread at about half that; pages beyond it come from the data directory's files (the OS cache),
 * which makes writes to big tables several times slower. So only a lean process (the CLI importing a
 * file) takes it; the bot keeps the default.
 */
const LEAN = ['-c', 'shared_buffers=16MB'];

const port = parentPort!;
const { dir, lean } = workerData as WorkerStart;

let lite: PGlite | undefined;
let adapter: SqlDriverAdapter | undefined;
try {
  lite = new PGlite(dir ?? undefined, { startParams: [...PGlite.defaultStartParams, ...(lean ? LEAN : [])] });
  await lite.waitReady;
  adapter = await new PrismaPGlite(lite).connect();
} catch (e) {
  port.postMessage({ ready: false, error: toWire(e) } satisfies Started);
  await lite?.close().catch(() => {});
  lite = adapter = undefined;
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
      const tx = await adapter.startTransaction(r.isolationLevel);
      open.set(++lastTx, tx);
      return lastTx;
    }
    case 'commit':
    case 'rollback': {
      const tx = transaction(r.tx);
      open.delete(r.tx);
      await (r.op === 'commit' ? tx.commit() : tx.rollback());
      return undefined;
    }
    case 'close':
      await lite.close();
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
      (e: unknown) => port.postMessage({ id: m.id, ok: false, error: toWire(e) } satisfies Reply),
    );
  });
  port.postMessage({ ready: true } satisfies Started);
} else {
  // nothing opened: the thread ends once the error is on its way
  port.close();
}
