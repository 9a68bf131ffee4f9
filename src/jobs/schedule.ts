// When the jobs are due, in the team's time zone, and which period each run covers. Wall-clock times
// the clocks skip (spring forward) come at the first minute after the gap; a repeated hour (fall
// back) counts its first pass.
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';
import { dayIn } from '../clock.js';
import { addDays, addMonths, firstDay, monthOf, type Day, type Month } from '../core/dates.js';

/** daily: the evening post; provisional: a finished month's standings on the 1st; monthly: the close */
export type JobName = 'daily' | 'provisional' | 'monthly';

export interface Schedule {
  timezone: string;
  schedule: { dailyAt: string; monthlyAt: string; closeOnDay: number };
}

const MINUTE = 60_000;
const localMinute = (at: number, timeZone: string) => format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm');

/** The moment a local day's "HH:mm" comes in a time zone. */
export function instantOf(day: Day, hhmm: string, timeZone: string): Date {
  const wanted = `${day} ${hhmm}`;
  const naive = Date.parse(`${day}T${hhmm}:00Z`);
  // the offsets in force around that day: one, or two when the clocks change
  const offsets = [...new Set([-1, 0, 1].map((d) => tzOffset(timeZone, new Date(naive + d * 86_400_000))))];
  const candidates = offsets.map((o) => naive - o * MINUTE).sort((a, b) => a - b);
  const exact = candidates.find((c) => localMinute(c, timeZone) === wanted);
  if (exact !== undefined) return new Date(exact);
  // the clocks skip that time that day: the first minute after it
  for (let at = candidates[0]!; at <= candidates.at(-1)! + MINUTE; at += MINUTE) {
    if (localMinute(at, timeZone) > wanted) return new Date(at);
  }
  throw new Error(`no moment for ${wanted} in ${timeZone}`);
}

/**
 * The day a daily post covers when it runs on `runDay`: a post in the morning (before noon) covers
 * the day before, the last one that has ended; from noon on it covers its own day.
 */
export function dailyCovers(runDay: Day, dailyAt: string): Day {
  return dailyAt < '12:00' ? addDays(runDay, -1) : runDay;
}

/** The day whose daily run covers `day`. */
export function dailyRunDay(day: Day, dailyAt: string): Day {
  return dailyAt < '12:00' ? addDays(day, 1) : day;
}

export interface DueRun {
  /** the period the run covers: a day (daily) or a month (monthly) */
  period: string;
  /** when it was due */
  at: Date;
}

/**
 * When a month closes: the day and the moment its monthly run is due (schedule.closeOnDay of the next
 * month at schedule.monthlyAt). The one place that says it: the schedule, the freezing of finished
 * months, `month list`, `jobs list` and App Home read it here.
 */
export function closesOn(month: Month, policy: Schedule): { day: Day; at: Date } {
  const day = addDays(firstDay(addMonths(month, 1)), policy.schedule.closeOnDay - 1);
  return { day, at: instantOf(day, policy.schedule.monthlyAt, policy.timezone) };
}

/** When a finished month's provisional standings are posted: the 1st of the next month at schedule.monthlyAt. */
export function provisionalOn(month: Month, policy: Schedule): { day: Day; at: Date } {
  const day = firstDay(addMonths(month, 1));
  return { day, at: instantOf(day, policy.schedule.monthlyAt, policy.timezone) };
}

/** The latest month whose `when` has come by `now` (it falls in the month after, so last month or the one before). */
function latestMonth(now: Date, today: Day, policy: Schedule, when: typeof closesOn): DueRun {
  const last = addMonths(monthOf(today), -1);
  const month = when(last, policy).at <= now ? last : addMonths(last, -1);
  return { period: month, at: when(month, policy).at };
}

/** The most recent run of each job whose time has come by `now`. */
export function dueRuns(now: Date, policy: Schedule): Record<JobName, DueRun> {
  const { timezone, schedule } = policy;
  const today = dayIn(now, timezone);
  const todays = instantOf(today, schedule.dailyAt, timezone);
  const runDay = todays <= now ? today : addDays(today, -1);
  return {
    daily: {
      period: dailyCovers(runDay, schedule.dailyAt),
      at: runDay === today ? todays : instantOf(runDay, schedule.dailyAt, timezone),
    },
    provisional: latestMonth(now, today, policy, provisionalOn),
    monthly: latestMonth(now, today, policy, closesOn),
  };
}
