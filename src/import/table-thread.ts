// Reading a file in a thread of its own, with a memory limit: the worst file a lead can drop into
// Slack costs one refusal, not the bot. The thread (table-worker.ts) runs openTable on the file's
// bytes and hands over its header, then its rows in batches as they are asked for; whatever it is
// made to hold (a workbook's strings, exceljs's objects) is in its heap, not the bot's, and reading
// never blocks the bot's event loop. Any reader of rows fits behind it: CSV, exceljs, or another.
import type { Worker } from 'node:worker_threads';
import { TallyError, type ErrorCode, type ErrorParams } from '../errors.js';
import { startThread } from '../thread.js';
import type { FileLimits, FileSource, Table, TableRow } from './table.js';

/** What the thread is given: the file, and how to read it. */
export interface ThreadStart {
  name: string;
  bytes: Uint8Array;
  sheet?: string;
  limits: FileLimits;
}

/** What the thread says: the table's header, a batch of rows, or why it cannot go on. */
export type FromThread =
  | { kind: 'table'; file: string; sheet?: string; header: string[] }
  | { kind: 'rows'; rows: TableRow[]; done: boolean }
  | { kind: 'refused'; code: ErrorCode; params: ErrorParams[ErrorCode] }
  | { kind: 'failed'; message: string; stack?: string };

/** a batch: this many rows, or fewer if they hold this many characters */
export const BATCH_ROWS = 1_000;
export const BATCH_CHARS = 1 << 20;

/** How much the thread may take. */
export interface ThreadLimits {
  /** its heap, beyond which the file is refused (file_too_big: memory) */
  memoryMb: number;
  /** threads reading at once; a file beyond them is refused as busy, never queued (an import waits in a transaction) */
  threads: number;
}

let reading = 0;

/** Threads reading a file now: each is closed when its rows are read, refused or abandoned. */
export const threadsReading = () => reading;

/** openTable, in a thread of its own: the same table, the same refusals, and one more (the thread's memory). */
export async function openTableInThread(
  source: FileSource,
  opts: { sheet?: string; limits: FileLimits; thread: ThreadLimits },
): Promise<Table> {
  const chunks: Uint8Array[] = [];
  for await (const c of source.open()) chunks.push(c);
  if (reading >= opts.thread.threads)
    throw new TallyError('files_busy', { file: source.name, max: opts.thread.threads });
  const start: ThreadStart = {
    name: source.name,
    bytes: Buffer.concat(chunks),
    limits: opts.limits,
    ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }),
  };
  const worker = startThread(import.meta.url, 'table-worker', {
    workerData: start,
    name: 'tally-file',
    // the old generation is where a file's strings and rows pile up; the young one is kept small
    resourceLimits: { maxOldGenerationSizeMb: opts.thread.memoryMb, maxYoungGenerationSizeMb: 16 },
  });
  reading++;
  const replies = new Replies(worker, source.name, opts.thread.memoryMb);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    reading--;
    replies.stop();
    void worker.terminate();
  };
  try {
    const first = await replies.next();
    if (first.kind !== 'table') throw unexpected(first);
    return {
      file: first.file,
      ...(first.sheet === undefined ? {} : { sheet: first.sheet }),
      header: first.header,
      close,
      rows: {
        async *[Symbol.asyncIterator]() {
          try {
            for (;;) {
              worker.postMessage('more');
              const m = await replies.next();
              if (m.kind !== 'rows') throw unexpected(m);
              yield* m.rows;
              if (m.done) return;
            }
          } finally {
            close();
          }
        },
      },
    };
  } catch (e) {
    close();
    throw e;
  }
}

/** A refusal as the thread gave it; anything else it said out of turn is a failure. */
function unexpected(m: FromThread): Error {
  if (m.kind === 'refused') return new TallyError(m.code, m.params);
  if (m.kind === 'failed')
    return Object.assign(new Error(`reading a file: ${m.message}`), m.stack ? { stack: m.stack } : {});
  return new Error(`reading a file: the thread said ${m.kind} out of turn`);
}

/** The thread's messages, one at a time as they are awaited; its death, as the error every later wait gets. */
class Replies {
  #queue: FromThread[] = [];
  #waiting: { resolve(m: FromThread): void; reject(e: unknown): void } | null = null;
  #gone: unknown = null;

  constructor(
    private readonly worker: Worker,
    file: string,
    memoryMb: number,
  ) {
    worker.on('message', (m: FromThread) => {
      const w = this.#waiting;
      this.#waiting = null;
      if (w) w.resolve(m);
      else this.#queue.push(m);
      // a thread waiting for the next ask keeps no process alive
      if (!this.#waiting) worker.unref();
    });
    worker.on('error', (e: Error & { code?: string }) =>
      this.#fail(
        // the thread outgrew its heap: the file asked more than any file may, and only the thread is gone
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new TallyError('file_too_big', { file, limit: 'memory', max: memoryMb })
          : new Error(`reading ${file}: ${e.message}`, { cause: e }),
      ),
    );
    worker.on('exit', (code) => this.#fail(new Error(`reading ${file}: the thread stopped (exit ${code})`)));
  }

  next(): Promise<FromThread> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#gone) return Promise.reject(this.#gone);
    this.worker.ref();
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /** Closed on purpose: its end is no failure. */
  stop(): void {
    this.#gone ??= new Error('the file was closed');
  }

  #fail(e: unknown): void {
    this.#gone ??= e;
    const w = this.#waiting;
    this.#waiting = null;
    w?.reject(this.#gone);
  }
}
