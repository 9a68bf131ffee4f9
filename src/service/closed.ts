// Whether a month is closed, and the guard every write dated in a month goes through.
import { TallyError, type ClosedWrite } from '../errors.js';
import { isMonth, monthOf, type Day, type Month } from '../core/dates.js';
import type { Db } from '../db/open.js';

type Reader = Pick<Db, 'monthClose'>;
type Writer = Pick<Db, 'monthClose' | '$executeRawUnsafe'>;

/** The advisory lock month close holds exclusively and every dated write holds shared. */
export const CLOSE_LOCK = '727074, 0';

export async function isClosed(db: Reader, month: Month): Promise<boolean> {
  const row = await db.monthClose.findUnique({ where: { month } });
  return !!row && row.reopenedAt === null;
}

/** Refuses a change dated in a closed month; the adapters say how to reopen it. */
export async function assertOpen(db: Reader, days: Iterable<Day>, what: ClosedWrite): Promise<void> {
  for (const month of new Set([...days].map(monthOf))) {
    if (await isClosed(db, month)) throw new TallyError('month_closed', { month, ...what });
  }
}

export function checkMonth(month: string): Month {
  if (!isMonth(month)) throw new TallyError('bad_month', { value: month });
  return month;
}

/**
 * Inside a write's transaction: waits while a month is being closed, then refuses the write if its
 * month is closed. With the check inside the transaction, no write can slip in after a close began.
 */
export async function holdOpen(tx: Writer, days: Iterable<Day>, what: ClosedWrite): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock_shared(${CLOSE_LOCK})`);
  await assertOpen(tx, days, what);
}
