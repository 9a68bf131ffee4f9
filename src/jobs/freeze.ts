// Finished months close themselves. The monthly job closes the month it publishes; a month it never
// ran for (Tally was down for longer than a month, the local console, a month with penalties but no
// metrics) would otherwise stay open and be scored again from its rows on every read. Once a
// month's monthly run is due (its close day, schedule.closeOnDay of the next month at
// schedule.monthlyAt: src/jobs/schedule.ts closesOn) it is frozen here, oldest first, without posting
// anything: `jobs run monthly --period YYYY-MM --send` still publishes one. Before its close day a
// finished month stays open, so a late import for its last days is accepted.
import { addMonths, type Month } from '../core/dates.js';
import { teamToday, type Tally } from '../service/context.js';
import { ensureClosed, neverClosedMonths } from '../service/jobs.js';
import { dueRuns } from './schedule.js';

/**
 * Closes every month with data whose monthly run is due and that was never closed; `keepLatest`
 * leaves the latest due month to the monthly job, which publishes it as it closes it. Returns the
 * months it closed.
 */
export async function freezeFinishedMonths(t: Tally, opts: { by: string; keepLatest?: boolean }): Promise<Month[]> {
  const { policy } = await teamToday(t);
  const latest = dueRuns(t.clock.now(), policy).monthly.period as Month;
  const months = await neverClosedMonths(t, opts.keepLatest ? addMonths(latest, -1) : latest);
  for (const month of months) await ensureClosed(t, month, opts.by);
  return months;
}
