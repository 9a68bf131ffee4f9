// People over time: which track, level and role a member had on a day or in a month, and whether
// they were on the team at all. Pure: the rows come from the database, the answers from here.
import { firstDay, lastDay, type Day, type Month } from './dates.js';
import type { Level, Role, Track } from './policy.js';

export interface Assignment {
  /** the first day it is in force; it lasts until the next one's */
  from: Day;
  track: Track;
  level: Level;
  role: Role;
}

/** A deactivation (active false) or reactivation (active true), in force from its day on. */
export interface ActivityEntry {
  day: Day;
  active: boolean;
}

/** Oldest first; entries on the same day keep their order (the later one wins). */
function byFrom<T extends { from: Day }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/**
 * The assignment in force on `day`: the latest one from that day or before. Before the first one
 * (a day before the hire date) the first one, so a member always has a track and a level.
 * Undefined only for a member with no assignment at all.
 */
export function assignmentOn<T extends Assignment>(assignments: readonly T[], day: Day): T | undefined {
  const sorted = byFrom(assignments);
  let found: T | undefined = sorted[0];
  for (const a of sorted) {
    if (a.from <= day) found = a;
    else break;
  }
  return found;
}

/** A month is scored, ranked and paid with the assignment in force on its first day. */
export function assignmentForMonth<T extends Assignment>(assignments: readonly T[], month: Month): T | undefined {
  return assignmentOn(assignments, firstDay(month));
}

/** Activity entries by day; same-day entries keep the order given (the order they were written). */
function byDay(activity: readonly ActivityEntry[]): ActivityEntry[] {
  return activity
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.day < b.e.day ? -1 : a.e.day > b.e.day ? 1 : a.i - b.i))
    .map((x) => x.e);
}

/** Whether the member was on the team on `day`: hired by then, and not deactivated at the time. */
export function activeOn(activity: readonly ActivityEntry[], hiredOn: Day, day: Day): boolean {
  if (day < hiredOn) return false;
  let active = true;
  for (const e of byDay(activity)) {
    if (e.day > day) break;
    active = e.active;
  }
  return active;
}

/**
 * Away every day of the month (not hired yet, or deactivated all through it): no payroll row for
 * that month, whatever happens later. The day of a deactivation is their last day on the team, so
 * someone deactivated on the 1st is still on that month's payroll.
 */
export function awayAllMonth(activity: readonly ActivityEntry[], hiredOn: Day, month: Month): boolean {
  const first = firstDay(month);
  const last = lastDay(month);
  if (hiredOn > last) return true;
  const start = hiredOn > first ? hiredOn : first;
  // on the team as the month (or their time on it) began: the last entry before that day says
  let before = true;
  for (const e of byDay(activity)) {
    if (e.day >= start) break;
    before = e.active;
  }
  if (before) return false;
  // away when it began: back on some day of it?
  return !activity.some((e) => e.active && e.day >= start && e.day <= last);
}

/**
 * The day of the deactivation that kept the member away all of `month` (awayAllMonth), or null when
 * they were on the team some day of it (or were not hired yet: that is the hire date's refusal).
 */
export function awaySince(activity: readonly ActivityEntry[], hiredOn: Day, month: Month): Day | null {
  if (hiredOn > lastDay(month) || !awayAllMonth(activity, hiredOn, month)) return null;
  let since: Day | null = null;
  for (const e of byDay(activity)) {
    if (e.day >= firstDay(month)) break;
    if (!e.active && since === null) since = e.day;
    if (e.active) since = null;
  }
  return since;
}

/** Whether two assignments say the same thing (the day aside). */
export function sameAssignment(a: Omit<Assignment, 'from'>, b: Omit<Assignment, 'from'>): boolean {
  return a.track === b.track && a.level === b.level && a.role === b.role;
}
