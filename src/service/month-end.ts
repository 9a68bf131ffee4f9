// Whose data for a month's last days is missing: a platform's report for a day arrives the next
// morning, so the last days are the ones still to come after the month has ended. The leads are told
// with the provisional standings on the 1st and again when the month closes. Earlier gaps are the
// daily post's nudge.
import { activeOn } from '../core/assignments.js';
import { addDays, daysBetween, lastDay, type Day, type Month } from '../core/dates.js';
import { fromDay, toDay } from '../db/dates.js';
import { loadHistories, memberOn } from './assignments.js';
import type { Tally } from './context.js';
import type { MemberView } from './roster.js';

/** How many of a month's last days are checked. */
export const MONTH_END_DAYS = 3;

export interface MissingData {
  /** the month's last days checked, first and last */
  from: Day;
  to: Day;
  /** each agent on the team on one of those days without a metrics row for it, in roster order */
  missing: Array<{ member: MemberView; days: Day[] }>;
}

/** The agents with no metrics for a day of the month's last MONTH_END_DAYS they were on the team. Three queries. */
export async function missingAtMonthEnd(t: Tally, month: Month): Promise<MissingData> {
  const to = lastDay(month);
  const from = addDays(to, 1 - MONTH_END_DAYS);
  const [histories, rows] = await Promise.all([
    loadHistories(t.db),
    t.db.dailyMetric.findMany({
      where: { day: { gte: fromDay(from), lte: fromDay(to) } },
      select: { memberId: true, day: true },
    }),
  ]);
  const have = new Set(rows.map((r) => `${r.memberId} ${toDay(r.day)}`));
  const days = daysBetween(from, to);
  const missing = histories
    .map((h) => ({
      member: memberOn(h, to),
      days: days.filter(
        (d) =>
          activeOn(h.activity, toDay(h.row.hiredOn), d) &&
          memberOn(h, d).role === 'agent' &&
          !have.has(`${h.row.id} ${d}`),
      ),
    }))
    .filter((m) => m.days.length > 0)
    .sort((a, b) => a.member.id - b.member.id);
  return { from, to, missing };
}
