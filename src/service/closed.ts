// Whether a month is closed, and the guard every write dated in a month goes through.
import { TallyError } from '../errors.js';
import { isMonth, monthOf, type Day, type Month } from '../core/dates.js';
import type { Db } from '../db/open.js';

type Reader = Pick<Db, 'monthClose'>;

export async function isClosed(db: Reader, month: Month): Promise<boolean> {
  const row = await db.monthClose.findUnique({ where: { month } });
  return !!row && row.reopenedAt === null;
}

/** Refuses a change dated in a closed month, saying how to reopen it. */
export async function assertOpen(db: Reader, days: Iterable<Day>, what: string): Promise<void> {
  for (const month of new Set([...days].map(monthOf))) {
    if (await isClosed(db, month)) {
      throw new TallyError('month_closed', `${month} is closed: ${what} is refused; an admin can reopen it (tally month reopen ${month} --why ...)`, { month });
    }
  }
}

export function checkMonth(month: string): Month {
  if (!isMonth(month)) throw new TallyError('bad_month', `"${month}" is not a month (YYYY-MM)`, { value: month });
  return month;
}
