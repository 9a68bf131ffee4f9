// Days and months as people type them, read the same way in Slack and in CSV files: year first
// (2026-11-05, 2026-11-5, 2026/11/5). A year-last date (10/05/2026) could be day-first or
// month-first, so it is refused rather than guessed.
import { isDay, isMonth, type Day, type Month } from './dates.js';

export type DayInput =
  /** not written like a date at all (a word of a note, say) */
  | { kind: 'none' }
  | { kind: 'day'; day: Day }
  /** written like a date, but no such day (2026-02-30) */
  | { kind: 'invalid' }
  /** year last: 10/05/2026 is 10 May to some and October 5 to others */
  | { kind: 'ambiguous' };

const YEAR_FIRST = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
const YEAR_LAST = /^\d{1,2}([-/.])\d{1,2}\1\d{4}$|^\d{1,2}([-/])\d{1,2}\2\d{2}$/;
const MONTH_FIRST = /^(\d{4})([-/])(\d{1,2})$/;

const pad = (n: string) => n.padStart(2, '0');

/** Reads one word as a day: 2026-11-05, 2026-11-5, 2026/11/05, 2026/11/5. */
export function readDay(text: string): DayInput {
  // the longest date form is 10 characters: a longer word is not a date and no pattern needs to see it
  if (text.length > 10) return { kind: 'none' };
  const m = YEAR_FIRST.exec(text);
  if (m) {
    const day = `${m[1]}-${pad(m[3]!)}-${pad(m[4]!)}`;
    return isDay(day) ? { kind: 'day', day } : { kind: 'invalid' };
  }
  return YEAR_LAST.test(text) ? { kind: 'ambiguous' } : { kind: 'none' };
}

export type MonthInput = { kind: 'none' } | { kind: 'month'; month: Month } | { kind: 'invalid' };

/** Reads one word as a month: 2026-11, 2026-1, 2026/11. */
export function readMonth(text: string): MonthInput {
  if (text.length > 7) return { kind: 'none' };
  const m = MONTH_FIRST.exec(text);
  if (!m) return { kind: 'none' };
  const month = `${m[1]}-${pad(m[3]!)}`;
  return isMonth(month) ? { kind: 'month', month } : { kind: 'invalid' };
}
