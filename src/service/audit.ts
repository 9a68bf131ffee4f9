import type { Prisma } from '../generated/prisma/client.js';
import type { Month } from '../core/dates.js';
import type { Db } from '../db/open.js';
import { bumpMonth } from './cache.js';

type Tx = Pick<Db, 'auditLog' | '$executeRawUnsafe'>;

/**
 * Appends to the audit trail (who did what to whom; never updated, never deleted) and bumps the
 * version of `changed`, the first month whose results the write changes (EVERY_MONTH for the roster;
 * null when it changes no result), that cached results are stamped with. Call it inside the write's
 * own transaction.
 */
export async function audit(
  db: Tx,
  actor: string,
  action: string,
  subject: string | null,
  detail: Prisma.InputJsonValue,
  changed: Month | null,
): Promise<void> {
  await db.auditLog.create({ data: { actor, action, subject, detail } });
  if (changed !== null) await bumpMonth(db, changed);
}
