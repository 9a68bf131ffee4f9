import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db/open.js';

type Tx = Pick<Db, 'auditLog'>;

/** Appends to the audit trail: who did what to whom. Never updated, never deleted. */
export async function audit(db: Tx, actor: string, action: string, subject: string | null, detail: Prisma.InputJsonValue = {}): Promise<void> {
  await db.auditLog.create({ data: { actor, action, subject, detail } });
}
