// What the bot's thread and the embedded database's worker thread (pglite-worker.ts) say to each other.
// Types only, plus the error conversions both sides share: everything here crosses postMessage, so it
// is what the structured clone carries (strings, numbers, bigints, Dates, Uint8Arrays, plain objects).
import type { IsolationLevel, SqlQuery } from '@prisma/driver-adapter-utils';
import type { DatabaseNotice } from '../faults.js';

/** Given to the worker at start: the directory, or null for an in-memory database. */
export interface WorkerStart {
  dir: string | null;
  /** a small page cache, for a process that streams a big file (src/db/pglite-worker.ts) */
  lean: boolean;
  /** otherwise the page cache's size in MB (shared_buffers), when not PostgreSQL's default 128 MB */
  pageCacheMb?: number;
}

/** One call; `tx` names a transaction the worker holds open for Prisma. */
export type Request =
  // the migrator's session: plain PGlite, its own value parsing
  | { op: 'query'; sql: string; params?: unknown[] }
  | { op: 'exec'; script: string }
  // Prisma's driver adapter (pglite-prisma-adapter, run in the worker as it is)
  | { op: 'queryRaw'; query: SqlQuery; tx?: number }
  | { op: 'executeRaw'; query: SqlQuery; tx?: number }
  | { op: 'executeScript'; script: string }
  | { op: 'begin'; isolationLevel?: IsolationLevel }
  | { op: 'commit'; tx: number }
  | { op: 'rollback'; tx: number }
  | { op: 'close' };

export type Envelope = Request & { id: number };

/** `broken`: PostgreSQL stopped with a PANIC and this instance answers nothing any more (the thread is replaced). */
export type Reply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError; broken?: true };

/** Something the worker did on its own (taking back space), for the operator. */
export type Notice = { notice: DatabaseNotice };

/** The worker's first message: ready (and what it did first), or why it could not open the database. */
export type Started = { ready: true; notice?: DatabaseNotice } | { ready: false; error: WireError };

/**
 * An error as it crosses threads. A driver adapter error keeps its payload (Prisma reads the Postgres
 * code from it: serial.ts retries 40P01/40001, 23505 becomes P2002); any other error keeps its name,
 * message and own fields (a PGlite DatabaseError's code, detail, ...).
 */
export type WireError =
  | { kind: 'driver'; cause: Record<string, unknown> }
  | { kind: 'error'; name: string; message: string; stack?: string; fields: Record<string, unknown> };

const cloneable = (v: unknown) =>
  v === null || ['string', 'number', 'boolean', 'bigint', 'undefined'].includes(typeof v);

export function toWire(e: unknown): WireError {
  if (e instanceof Error && e.name === 'DriverAdapterError' && typeof e.cause === 'object' && e.cause !== null)
    return { kind: 'driver', cause: structuredClone(e.cause) as Record<string, unknown> };
  if (!(e instanceof Error)) return { kind: 'error', name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (cloneable(v)) fields[k] = v;
  return { kind: 'error', name: e.name, message: e.message, stack: e.stack, fields };
}

/** Prisma recognises an adapter's error by its name and its payload in `cause`. */
export class DriverAdapterError extends Error {
  override name = 'DriverAdapterError';
  constructor(override readonly cause: Record<string, unknown>) {
    super(typeof cause['message'] === 'string' ? cause['message'] : String(cause['kind']));
  }
}

export function fromWire(w: WireError): Error {
  if (w.kind === 'driver') return new DriverAdapterError(w.cause);
  const e = Object.assign(new Error(w.message), w.fields);
  e.name = w.name;
  // where it was thrown in the worker, then where this thread was waiting for it
  if (w.stack)
    e.stack = `${w.stack}\n    --- in the database worker, awaited at:\n${e.stack?.split('\n').slice(1).join('\n')}`;
  return e;
}
