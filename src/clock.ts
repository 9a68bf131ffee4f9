// Two clocks. The business clock (`Tally.clock`) says what day and month it is for the team: scores,
// schedules, "today", the moments records are stamped with; TALLY_NOW fixes it for tests, demos and
// replays. The real clock (`Tally.realClock`, the system's unless a test injects one) measures how
// long something has waited: leases, retries, expiries. It is never fixed, so a lease runs out and a
// retry comes due whatever TALLY_NOW says. Calendar days are always taken in the team's time zone.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { isDay, type Day } from './core/dates.js';

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

/** Now by the real clock: for how long something has waited, never for what day it is. */
export function realNow(t: { realClock?: Clock }): Date {
  return (t.realClock ?? systemClock).now();
}

// date, hours and minutes, optional seconds and fraction, then Z or an offset as ±hh:mm (extended format throughout)
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An instant written as ISO 8601 with its offset or Z (`2026-11-30T23:00:00+08:00`,
 * `2026-11-30T15:00:00.5Z`, `2026-11-30T23:00+08:00`); null for anything else, including a day or
 * time that does not exist (Date.parse reads 2026-02-30 as March 2nd) and any text without an offset,
 * which would be read in the server's own time zone.
 */
export function parseInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text);
  if (!m || !isDay(m[1]!)) return null;
  const [hh, mm, ss, oh, om] = [m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0));
  if (hh! > 23 || mm! > 59 || ss! > 59 || oh! > 23 || om! > 59) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : new Date(at);
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
