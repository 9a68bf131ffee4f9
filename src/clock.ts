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
