// The embedded database off the bot's thread. PGlite is WebAssembly: every query is CPU work on the
// thread that runs it, and on the bot's thread Bolt's ack to Slack waited behind queries. Here PGlite
// and its Prisma adapter run in a worker thread (pglite-worker.ts); this side hands Prisma a driver
// adapter that forwards each call there and gives back exactly what the adapter answered: the same
// rows, the same errors (a Postgres code such as 40P01 or 23505 still reaches Prisma and serial.ts).
// The data directory is still locked by this process (lock.ts); a kill -9 ends both threads at once.
// A thread that ends, or whose PostgreSQL stops with a PANIC, is replaced at the next call.
import type { Worker } from 'node:worker_threads';
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import { startThread } from '../thread.js';
import { DatabaseStopped, type DatabaseNotice } from '../faults.js';
import type { SqlSession } from './migrate.js';
import { spaceProblem } from './pglite-space.js';
import {
  fromWire,
  type Envelope,
  type Notice,
  type Reply,
  type Request,
  type Started,
  type WorkerStart,
} from './pglite-wire.js';

const ADAPTER_NAME = 'pglite-prisma-adapter';

/**
 * The thread's young generation: V8's default (up to 48 MB) filled with each big import's short-lived
 * chunks; 8 MB holds a chunk's messages and cost a million-row import some 60 MB less at its peak.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The database's thread (src/thread.ts starts it compiled or through tsx). */
function startWorker(start: WorkerStart): Worker {
  return startThread(import.meta.url, 'pglite-worker', {
    workerData: start,
    name: 'tally-pglite',
    resourceLimits: RESOURCE_LIMITS,
  });
}

/** The worker, started and ready: rejects with the error PGlite gave when it could not open the database. */
async function startedWorker(start: WorkerStart): Promise<{ worker: Worker; notice?: DatabaseNotice }> {
  const worker = startWorker(start);
  const started = await new Promise<Started>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the embedded database's thread stopped (exit ${code})`)));
  });
  if (!started.ready) {
    await worker.terminate();
    throw fromWire(started.error);
  }
  return { worker, ...(started.notice ? { notice: started.notice } : {}) };
}

/** After a failed restart, calls fail at once for this long before the next try (each costs a thread and a recovery). */
const RESTART_PAUSE_MS = 5_000;

export class PGliteThread {
  #worker!: Worker;
  #start: WorkerStart;
  #onNotice: (n: DatabaseNotice) => void;
  /** which thread a transaction began on: one begun on a thread since replaced is gone with it */
  #generation = 0;
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  #lastId = 0;
  /** set while there is no working thread: the call that finds it starts a new one */
  #gone: Error | null = null;
  #closed = false;
  #restarting: Promise<void> | undefined;
  #lastFailedRestart = { at: -Infinity, error: null as unknown };

  private constructor(start: WorkerStart, onNotice: (n: DatabaseNotice) => void) {
    this.#start = start;
    this.#onNotice = onNotice;
  }

  #attach(worker: Worker): void {
    this.#worker = worker;
    this.#generation++;
    this.#gone = null;
    worker.on('message', (m: Reply | Notice) => {
      if ('notice' in m) return this.#onNotice(m.notice);
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      this.#idle();
      if (m.ok) p.resolve(m.value);
      // PostgreSQL stopped with a PANIC (a WAL file it could not create on a full disk): as its
      // postmaster would, the instance is replaced, and its replay of the WAL rolls back what was open
      else if (m.broken)
        p.reject(
          this.#stop(worker, new DatabaseStopped('the embedded database stopped', { cause: fromWire(m.error) })),
        );
      else p.reject(fromWire(m.error));
    });
    worker.on('error', (e) =>
      this.#stop(worker, new DatabaseStopped(`the embedded database's thread failed: ${e.message}`, { cause: e })),
    );
    worker.on('exit', (code) =>
      this.#stop(worker, new DatabaseStopped(`the embedded database's thread stopped (exit ${code})`)),
    );
    this.#idle();
  }

  /**
   * The thread is gone or its database stopped: what waits on it fails with `why`, and the next call
   * starts a new thread (PostgreSQL's crash recovery), so a bot gets its database back on its own
   * once the cause (a full disk) is gone. Returns the error the calls got.
   */
  #stop(worker: Worker, why: Error): Error {
    // a replaced thread's last events
    if (worker !== this.#worker) return why;
    this.#gone ??= why;
    for (const p of this.#pending.values()) p.reject(this.#gone);
    this.#pending.clear();
    void worker.terminate();
    return this.#gone;
  }

  /** A new thread in place of one that stopped; calls that arrive meanwhile wait for it. */
  #restart(): Promise<void> {
    if (!this.#restarting) {
      const restarting = this.#startAgain().finally(() => {
        if (this.#restarting === restarting) this.#restarting = undefined;
      });
      this.#restarting = restarting;
    }
    return this.#restarting;
  }

  async #startAgain(): Promise<void> {
    // a database in memory went with its thread: a new one would be empty
    if (this.#start.dir === null) throw this.#gone;
    const last = this.#lastFailedRestart;
    // a disk that was too full to start on is looked at again at once: freed, the next call starts it
    const roomNow =
      (last.error as { code?: unknown } | null)?.code === 'ENOSPC' && spaceProblem(this.#start.dir) === null;
    if (performance.now() - last.at < RESTART_PAUSE_MS && !roomNow) throw last.error;
    // never two PostgreSQLs on one directory: the stopped one ends first
    await this.#worker.terminate();
    try {
      const { worker, notice } = await startedWorker(this.#start);
      this.#attach(worker);
      if (notice) this.#onNotice(notice);
    } catch (e) {
      this.#lastFailedRestart = { at: performance.now(), error: e };
      throw e;
    }
  }

  /** Opens the database (a directory, or memory) in a new thread. Rejects with the error PGlite gave. */
  static async open(
    dir: string | null,
    opts: { lean?: boolean; pageCacheMb?: number; onNotice?: (n: DatabaseNotice) => void } = {},
  ): Promise<PGliteThread> {
    const start: WorkerStart = { dir, lean: opts.lean === true };
    if (opts.pageCacheMb) start.pageCacheMb = opts.pageCacheMb;
    const thread = new PGliteThread(start, opts.onNotice ?? (() => {}));
    const { worker, notice } = await startedWorker(thread.#start);
    thread.#attach(worker);
    if (notice) thread.#onNotice(notice);
    return thread;
  }

  /** `generation`: the thread a transaction's call must reach, the one it began on. */
  async call<T>(r: Request, generation?: number): Promise<T> {
    if (this.#closed) throw new Error('the embedded database is closed');
    if (generation !== undefined && (this.#gone || generation !== this.#generation))
      throw this.#gone ?? new DatabaseStopped('the embedded database restarted since this transaction began');
    if (this.#gone) await this.#restart();
    const id = ++this.#lastId;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // a call in flight keeps the process alive, as an awaited query did on one thread
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage({ ...r, id } satisfies Envelope);
    });
  }

  /** The thread transactions begin on now. */
  get generation(): number {
    return this.#generation;
  }

  /** An idle database does not keep a finished command alive (the lock does not either). */
  #idle(): void {
    if (this.#pending.size === 0) this.#worker.unref();
  }

  /** The migrator's session. */
  session(): SqlSession {
    return {
      query: <T>(sql: string, params?: unknown[]) => this.call<T[]>({ op: 'query', sql, params }),
      exec: (script: string) => this.call<void>({ op: 'exec', script }),
    };
  }

  /** What PrismaClient takes as `adapter`. */
  adapterFactory(): SqlDriverAdapterFactory {
    return { provider: 'postgres', adapterName: ADAPTER_NAME, connect: async () => new ProxyAdapter(this) };
  }

  /** Closes PGlite (its files consistent), then ends the thread; a stopped database is only ended (its next start recovers). */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#gone) await this.call({ op: 'close' });
    } finally {
      this.#closed = true;
      await this.#restarting?.catch(() => {});
      await this.#worker.terminate();
    }
  }
}

class ProxyQueryable {
  readonly provider = 'postgres';
  readonly adapterName = ADAPTER_NAME;
  constructor(
    protected thread: PGliteThread,
    protected tx?: { id: number; generation: number },
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.thread.call({ op: 'queryRaw', query, tx: this.tx?.id }, this.tx?.generation);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.thread.call({ op: 'executeRaw', query, tx: this.tx?.id }, this.tx?.generation);
  }
}

class ProxyTransaction extends ProxyQueryable implements Transaction {
  // as pglite-prisma-adapter: Prisma sends BEGIN/COMMIT itself only as no-ops; PGlite runs the transaction
  readonly options = { usePhantomQuery: true };
  constructor(thread: PGliteThread, tx: { id: number; generation: number }) {
    super(thread, tx);
  }

  commit(): Promise<void> {
    return this.thread.call({ op: 'commit', tx: this.tx!.id }, this.tx!.generation);
  }

  rollback(): Promise<void> {
    return this.thread.call({ op: 'rollback', tx: this.tx!.id }, this.tx!.generation);
  }
}

class ProxyAdapter extends ProxyQueryable implements SqlDriverAdapter {
  executeScript(script: string): Promise<void> {
    return this.thread.call({ op: 'executeScript', script });
  }

  getConnectionInfo(): ConnectionInfo {
    return { schemaName: undefined, supportsRelationJoins: true };
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const id = await this.thread.call<number>({ op: 'begin', isolationLevel });
    // the thread that answered: a begin may have started a new one
    return new ProxyTransaction(this.thread, { id, generation: this.thread.generation });
  }

  // the thread is the database's, not the adapter's: Database.close() ends it
  async dispose(): Promise<void> {}
}
