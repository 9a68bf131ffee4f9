// Imports of one kind run one at a time: two overlapping files written at once lock the same rows in
// different orders and deadlock. A transaction the database still rolls back for a deadlock or a
// serialisation conflict (with some other writer) is simply run again.
import { setTimeout as wait } from 'node:timers/promises';
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db/open.js';
import { TallyError } from '../errors.js';

/** Transaction-scoped advisory locks (class 727074 is Tally's; 0 is month close, see closed.ts). */
const IMPORT_LOCK = { metrics: '727074, 1', roster: '727074, 2' } as const;

/** First thing in an import's transaction: waits for any import of the same kind to commit. */
export async function lockImports(tx: Pick<Db, '$executeRawUnsafe'>, kind: keyof typeof IMPORT_LOCK): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${IMPORT_LOCK[kind]})`);
}

// deadlock_detected, serialization_failure
const RETRYABLE = new Set(['40P01', '40001']);

export function isConflict(e: unknown): boolean {
  if (!(e instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const state = (e.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)
    ?.driverAdapterError?.cause?.originalCode;
  return e.code === 'P2034' || RETRYABLE.has(state ?? '');
}

/** Runs a whole transaction, again when the database rolled it back for a conflict; then one clear line. */
export async function retryConflicts<T>(
  what: { file: string; kind: 'roster' | 'metrics' },
  run: () => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (attempt >= attempts) throw new TallyError('busy_conflicts', what);
      // apart at random, so two retries do not meet again
      await wait(50 * attempt + Math.floor(Math.random() * 100));
    }
  }
}
