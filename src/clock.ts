// The one clock. TALLY_NOW fixes it; calendar days are always taken in the team's time zone.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Day } from './core/dates.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const t = typeof at === 'string' ? new Date(at) : at;
  return { now: () => new Date(t.getTime()) };
}

/** TALLY_NOW when set, else the system clock. */
export function clockFromEnv(tallyNow: string | undefined): Clock {
  return tallyNow ? fixedClock(tallyNow) : systemClock;
}

export function dayIn(at: Date, timeZone: string): Day {
  return format(new TZDate(at.getTime(), timeZone), 'yyyy-MM-dd');
}

/** The wall-clock time "HH:mm" in a time zone. */
export function timeIn(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), 'HH:mm');
}

/** "2026-11-03 09:00": a moment as a person reads it in a time zone. */
export function minuteIn(at: Date, timeZone: string): string {
  return `${dayIn(at, timeZone)} ${timeIn(at, timeZone)}`;
}

/** ISO 8601 in a time zone, with its offset: "2026-11-03T09:00:00+08:00" (never "Z"). */
export function isoIn(at: Date, timeZone: string): string {
  return format(new TZDate(at.getTime(), timeZone), "yyyy-MM-dd'T'HH:mm:ssxxx");
}
