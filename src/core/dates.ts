// Calendar days and months as strings ("2026-11-05", "2026-11"): pure, no time zone involved.
// Which day it is *now* is the clock's business (src/clock.ts), in the team's time zone.

export type Day = string; // YYYY-MM-DD
export type Month = string; // YYYY-MM

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function isMonth(text: string): boolean {
  const m = MONTH.exec(text);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 1970;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS[month - 1]!;
}

export function monthOf(day: Day): Month {
  return day.slice(0, 7);
}

export function firstDay(month: Month): Day {
  return `${month}-01`;
}

export function lastDay(month: Month): Day {
  return `${month}-${daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))}`;
}

export function addMonths(month: Month, n: number): Month {
  // scoring a month calls this for every member: sliced, not split and mapped
  const index = Number(month.slice(0, 4)) * 12 + (Number(month.slice(5, 7)) - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Adds calendar months to a day, clamping to the month's end (2026-01-31 + 1 month = 2026-02-28). */
export function addMonthsToDay(day: Day, n: number): Day {
  const month = addMonths(monthOf(day), n);
  const last = lastDay(month);
  const candidate = `${month}-${day.slice(8, 10)}`;
  return candidate > last ? last : candidate;
}

export function addDays(day: Day, n: number): Day {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Days from `from` to `to` inclusive. */
export function daysBetween(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A scoring period: one day or one calendar month. */
export type Period = { kind: 'day'; day: Day } | { kind: 'month'; month: Month };

export function periodStart(p: Period): Day {
  return p.kind === 'day' ? p.day : firstDay(p.month);
}

export function periodEnd(p: Period): Day {
  return p.kind === 'day' ? p.day : lastDay(p.month);
}

export function periodLabel(p: Period): string {
  return p.kind === 'day' ? p.day : p.month;
}
