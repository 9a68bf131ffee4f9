// Faults of what Tally runs on, not of what anyone asked: the database out of reach, a full disk, no
// memory left, a read-only or forbidden data directory. They are expected (a server restarts, a disk
// fills) and nothing was written when one stops a command: the database rolled the change back. So
// each is told in one line (the CLI exits 75, "try again"; the bot says so to the person and logs the
// fault without a stack), never as a crash. Recognised here once, from the shapes the drivers give:
// pg's and Node's errors, PostgreSQL's SQLSTATE (through Prisma and its driver adapters, on PGlite
// as on PostgreSQL), Prisma's own connection codes.

export type FaultKind = 'connection' | 'disk_full' | 'out_of_memory' | 'read_only' | 'permission';

export interface Fault {
  kind: FaultKind;
  /** what the database or the system said, on one line (for the operator and the log) */
  problem: string;
}

/**
 * The embedded database took back the space a write left behind when it did not commit (rows rolled
 * back after a failed or refused import, WAL files), or could not yet: said to the operator.
 * `interrupted`: the last process stopped before closing it (kill -9, a crash, a disk that filled up).
 */
export type DatabaseNotice =
  | { kind: 'reclaimed'; after: 'interrupted' | 'rolled_back'; freedBytes: number; ms: number }
  | { kind: 'reclaim_failed'; after: 'interrupted' | 'rolled_back'; problem: string };

/** The embedded database's thread ended or its PostgreSQL stopped (a PANIC): `cause` says why. */
export class DatabaseStopped extends Error {
  override name = 'DatabaseStopped';
}

// PostgreSQL's SQLSTATE: class 08 (connection exception) by its prefix, the rest one by one
const STATES: Record<string, FaultKind> = {
  '57P01': 'connection', // admin_shutdown: pg_terminate_backend, a server shutting down
  '57P02': 'connection', // crash_shutdown
  '57P03': 'connection', // cannot_connect_now: starting up, in recovery
  '57P05': 'connection', // idle_session_timeout
  '53300': 'connection', // too_many_connections
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '25006': 'read_only', // read_only_sql_transaction: a standby, or a database set read-only
  '42501': 'permission', // insufficient_privilege: also what PostgreSQL says for EACCES and EROFS on its files
};

// Node's errno codes, from a socket or a file
const ERRNOS: Record<string, FaultKind> = {
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  ECONNABORTED: 'connection',
  EPIPE: 'connection',
  ETIMEDOUT: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  ENETDOWN: 'connection',
  EHOSTDOWN: 'connection',
  EAI_AGAIN: 'connection',
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  ENOMEM: 'out_of_memory',
  EROFS: 'read_only',
  EACCES: 'permission',
  EPERM: 'permission',
};

// Prisma's connection codes: can't reach, timed out, server closed the connection, pool timeout
const PRISMA: Record<string, FaultKind> = {
  P1001: 'connection',
  P1002: 'connection',
  P1008: 'connection',
  P1017: 'connection',
  P2024: 'connection',
};

// what a driver adapter says (its error's `cause`) when the socket, not the query, failed
const ADAPTER_KINDS: Record<string, string> = {
  ConnectionClosed: 'the server closed the connection',
  DatabaseNotReachable: 'the server cannot be reached',
  SocketTimeout: 'the connection timed out',
  TooManyConnections: 'the server has no free connection',
};

// pg's own errors for a connection that went away, which carry no code
const PG_MESSAGES = [/^Connection terminated/, /is not queryable$/, /^timeout exceeded when trying to connect$/];

const own = (o: unknown, key: string): unknown =>
  typeof o === 'object' && o !== null && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** The driver's own words: Prisma puts the call and its code before them, and wraps a raw query's */
const oneLine = (s: string) =>
  (
    s
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? ''
  )
    .replace(/^Raw query failed\. Code: `[^`]*`\. Message: /, '')
    .replace(/^`(.*)`$/, '$1');

/** One error's own fault, not its causes'. */
function faultHere(e: unknown): Fault | null {
  // a driver adapter's payload: Prisma keeps it in meta.driverAdapterError.cause
  const payload = own(own(own(e, 'meta'), 'driverAdapterError'), 'cause');
  if (payload !== undefined) {
    const found = faultHere(payload);
    if (found) return found;
  }
  const state = text(own(e, 'originalCode')) ?? text(own(e, 'code'));
  const message = text(own(e, 'originalMessage')) ?? text(own(e, 'message')) ?? (e instanceof Error ? e.message : '');
  if (state && /^[0-9A-Z]{5}$/.test(state)) {
    // PostgreSQL says EROFS with the code it gives EACCES
    if (state === '42501' && /read-only file system/i.test(message))
      return { kind: 'read_only', problem: oneLine(message) };
    const kind = state.startsWith('08') ? 'connection' : STATES[state];
    if (kind) return { kind, problem: oneLine(message) };
  }
  const kind = own(e, 'kind');
  if (typeof kind === 'string' && Object.hasOwn(ADAPTER_KINDS, kind)) {
    const where = own(e, 'host') ? ` (${String(own(e, 'host'))}:${String(own(e, 'port'))})` : '';
    return { kind: 'connection', problem: `${ADAPTER_KINDS[kind]}${where}` };
  }
  const code = text(own(e, 'code'));
  if (code && Object.hasOwn(ERRNOS, code)) return { kind: ERRNOS[code]!, problem: oneLine(message) || code };
  if (code && Object.hasOwn(PRISMA, code)) return { kind: PRISMA[code]!, problem: oneLine(message) };
  if (e instanceof Error && PG_MESSAGES.some((m) => m.test(e.message)))
    return { kind: 'connection', problem: e.message };
  return null;
}

/** The fault behind an error (its causes and a driver's payload included), or null for anything else. */
export function faultOf(e: unknown): Fault | null {
  const seen = new Set<unknown>();
  let stopped: DatabaseStopped | undefined;
  for (let at = e; at !== undefined && at !== null && !seen.has(at); at = own(at, 'cause')) {
    seen.add(at);
    const found = faultHere(at);
    if (found) return found;
    if (at instanceof DatabaseStopped) stopped ??= at;
  }
  // the embedded database stopped for a reason of its own: it starts again for the next command
  return stopped ? { kind: 'connection', problem: stopped.message } : null;
}
