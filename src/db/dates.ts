// DATE columns travel as JS Dates at UTC midnight; Tally's days are "YYYY-MM-DD" strings.
import type { Day } from '../core/dates.js';

export function toDay(d: Date): Day {
  return d.toISOString().slice(0, 10);
}

export function fromDay(day: Day): Date {
  return new Date(`${day}T00:00:00.000Z`);
}
