import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db/open.js';

type Tx = Pick<Db, 'auditLog' | 'dataVersion'>;

/**
 * Appends to the audit trail (who did what to whom; never updated, never deleted) and bumps the
 * data version that cached results are stamped with. Call it inside the write's own transaction.
 */
export async function audit(
  db: Tx,
  actor: string,
  action: string,
  subject: string | null,
  detail: Prisma.InputJsonValue = {},
): Promise<void> {
  await db.auditLog.create({ data: { actor, action, subject, detail } });
  await db.dataVersion.update({ where: { id: 1 }, data: { n: { increment: 1 } } });
}
