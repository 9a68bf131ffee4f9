// The embedded database off the bot's thread. PGlite is WebAssembly: every query is CPU work on the
// thread that runs it, and on the bot's thread Bolt's ack to Slack waited behind queries. Here PGlite
// and its Prisma adapter run in a worker thread (pglite-worker.ts); this side hands Prisma a driver
// adapter that forwards each call there and gives back exactly what the adapter answered: the same
// rows, the same errors (a Postgres code such as 40P01 or 23505 still reaches Prisma and serial.ts).
// The data directory is still locked by this process (lock.ts); a kill -9 ends both threads at once.
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
import type { SqlSession } from './migrate.js';
import { fromWire, type Envelope, type Reply, type Request, type Started, type WorkerStart } from './pglite-wire.js';

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

export class PGliteThread {
  #worker: Worker;
  #pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  #lastId = 0;
  /** set once the worker is gone: every call from then on fails with it */
  #gone: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (m: Reply) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      this.#idle();
      if (m.ok) p.resolve(m.value);
      else p.reject(fromWire(m.error));
    });
    const stop = (why: Error) => {
      const unexpected = !this.#gone;
      this.#gone ??= why;
      for (const p of this.#pending.values()) p.reject(this.#gone);
      this.#pending.clear();
      // the database died under a running process: on one thread that was an uncaught error, which
      // stops the process (and a supervisor restarts it); it stays so rather than a bot without a database
      if (unexpected)
        setImmediate(() => {
          throw why;
        });
    };
    worker.on('error', (e) => stop(new Error(`the embedded database's thread failed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => stop(new Error(`the embedded database's thread stopped (exit ${code})`)));
  }

  /** Opens the database (a directory, or memory) in a new thread. Rejects with the error PGlite gave. */
  static async open(dir: string | null, opts: { lean?: boolean } = {}): Promise<PGliteThread> {
    const worker = startWorker({ dir, lean: opts.lean === true });
    const started = await new Promise<Started>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the embedded database's thread stopped (exit ${code})`)));
    });
    if (!started.ready) {
      await worker.terminate();
      throw fromWire(started.error);
    }
    const thread = new PGliteThread(worker);
    thread.#idle();
    return thread;
  }

  call<T>(r: Request): Promise<T> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = ++this.#lastId;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // a call in flight keeps the process alive, as an awaited query did on one thread
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage({ ...r, id } satisfies Envelope);
    });
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

  /** Closes PGlite (its files consistent), then ends the thread. */
  async close(): Promise<void> {
    if (this.#gone) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.#gone = new Error('the embedded database is closed');
      await this.#worker.terminate();
    }
  }
}

class ProxyQueryable {
  readonly provider = 'postgres';
  readonly adapterName = ADAPTER_NAME;
  constructor(
    protected thread: PGliteThread,
    protected tx?: number,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.thread.call({ op: 'queryRaw', query, tx: this.tx });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.thread.call({ op: 'executeRaw', query, tx: this.tx });
  }
}

class ProxyTransaction extends ProxyQueryable implements Transaction {
  // as pglite-prisma-adapter: Prisma sends BEGIN/COMMIT itself only as no-ops; PGlite runs the transaction
  readonly options = { usePhantomQuery: true };
  constructor(thread: PGliteThread, tx: number) {
    super(thread, tx);
  }

  commit(): Promise<void> {
    return this.thread.call({ op: 'commit', tx: this.tx! });
  }

  rollback(): Promise<void> {
    return this.thread.call({ op: 'rollback', tx: this.tx! });
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
    return new ProxyTransaction(this.thread, await this.thread.call<number>({ op: 'begin', isolationLevel }));
  }

  // the thread is the database's, not the adapter's: Database.close() ends it
  async dispose(): Promise<void> {}
}
