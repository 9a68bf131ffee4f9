// People over time (domain.md): probation, time at level, the promotion review's candidates and one
// person's progress toward the next level. Pure: the service hands in assignments and month records.
import { addMonths, addMonthsToDay, firstDay, monthOf, type Day, type Month } from './dates.js';
import type { Level, Policy, PromotionPath } from './policy.js';

/** One effective-dated level of a member (their assignment history, any order). */
export interface LevelFrom {
  from: Day;
  level: Level;
}

/** A finished month as the review reads it: the month's score (null: not scored) and flags. */
export interface MonthRecord {
  month: Month;
  /** the month's score in hundredths (8640 = 86.40), null when the member was not scored */
  scoreHundredths: number | null;
  rank: number | null;
  /** how many were ranked in the member's track that month */
  ranked: number;
  dismissalFlag: boolean;
}

export interface Person {
  memberId: number;
  hiredOn: Day;
  levels: readonly LevelFrom[];
}

/** Full calendar months from `from` to `to`: the largest n with from + n months <= to (0 when to < from). */
export function fullMonths(from: Day, to: Day): number {
  if (to < from) return 0;
  let n = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  while (n > 0 && addMonthsToDay(from, n) > to) n--;
  return n;
}

/** The level in force on a day and the first day of the unbroken run of that level, or null before any. */
export function levelOn(levels: readonly LevelFrom[], day: Day): { level: Level; since: Day } | null {
  const sorted = [...levels].filter((l) => l.from <= day).sort((a, b) => (a.from < b.from ? -1 : 1));
  const current = sorted.at(-1);
  if (!current) return null;
  let since = current.from;
  for (let i = sorted.length - 2; i >= 0 && sorted[i]!.level === current.level; i--) since = sorted[i]!.from;
  return { level: current.level, since };
}

/** The promotion path out of a level, if the policy has one. */
export function pathFrom(policy: Policy, level: Level): PromotionPath | undefined {
  return policy.people.promotions.find((p) => p.from === level);
}

export interface TimeAtLevel {
  /** 'level': months at the current level; 'team': months since hired_on */
  counts: 'level' | 'team';
  needed: number;
  /** full months counted on the day asked about */
  months: number;
  /** the first day the requirement is met */
  metOn: Day;
  met: boolean;
}

/** Whether a path's time requirement is met on a day, counted from the level's start or hired_on. */
export function timeRequirement(path: PromotionPath, start: { since: Day; hiredOn: Day }, day: Day): TimeAtLevel {
  const counts = path.monthsInTeam !== undefined ? 'team' : 'level';
  const needed = path.monthsInTeam ?? path.monthsAtLevel ?? 0;
  const from = counts === 'team' ? start.hiredOn : start.since;
  const metOn = addMonthsToDay(from, needed);
  return { counts, needed, months: fullMonths(from, day), metOn, met: metOn <= day };
}

export interface ScoreRecord {
  monthsScored: number;
  /** the average of the scored months in hundredths, rounded half-up; null when none was scored */
  averageHundredths: number | null;
  enoughMonths: boolean;
  /** the exact average (not the rounded one) is at least minAverageScore */
  averageMet: boolean;
  dismissal: boolean;
}

/** The review's reading of a window of months: months without a score are left out. */
export function scoreRecord(policy: Policy, records: readonly MonthRecord[]): ScoreRecord {
  const scores = records.map((r) => r.scoreHundredths).filter((s): s is number => s !== null);
  const sum = scores.reduce((a, b) => a + b, 0);
  const n = scores.length;
  return {
    monthsScored: n,
    averageHundredths: n ? Math.floor((2 * sum + n) / (2 * n)) : null,
    enoughMonths: n >= policy.people.minScoredMonths,
    // sum / n >= min, in integers: min in hundredths may be fractional (80.5 → 8050)
    averageMet: n > 0 && sum >= Math.round(policy.people.minAverageScore * 100) * n,
    dismissal: records.some((r) => r.dismissalFlag),
  };
}

/** The finished months a review in `month` averages: the window just before it, oldest first. */
export function reviewWindow(policy: Policy, month: Month): Month[] {
  const n = policy.people.reviewWindowMonths;
  return Array.from({ length: n }, (_, i) => addMonths(month, i - n));
}

export interface Evaluation {
  memberId: number;
  from: Level;
  to: Level;
  time: TimeAtLevel;
  /** full months at the current level on the day asked about (whatever the path counts) */
  monthsAtLevel: number;
  record: ScoreRecord;
  candidate: boolean;
}

/**
 * A person measured against the path out of their level on `day`, with `records` the window's months
 * (any others are ignored by the caller). Null when they have no level yet or their level has no path.
 */
export function evaluate(policy: Policy, person: Person, day: Day, records: readonly MonthRecord[]): Evaluation | null {
  const now = levelOn(person.levels, day);
  if (!now) return null;
  const path = pathFrom(policy, now.level);
  if (!path) return null;
  const time = timeRequirement(path, { since: now.since, hiredOn: person.hiredOn }, day);
  const record = scoreRecord(policy, records);
  return {
    memberId: person.memberId,
    from: path.from,
    to: path.to,
    time,
    monthsAtLevel: fullMonths(now.since, day),
    record,
    candidate: time.met && record.enoughMonths && record.averageMet && !record.dismissal,
  };
}

/**
 * The review's candidates for `month` (domain.md): time at level met on its first day, the average
 * of the scored months of the window before it at least minAverageScore with enough scored months,
 * and no dismissal flag in the window. `records` holds each person's months of the window.
 */
export function candidates(
  policy: Policy,
  month: Month,
  people: readonly Person[],
  records: ReadonlyMap<number, readonly MonthRecord[]>,
): Evaluation[] {
  const day = firstDay(month);
  const window = new Set(reviewWindow(policy, month));
  return people
    .map((p) =>
      evaluate(
        policy,
        p,
        day,
        (records.get(p.memberId) ?? []).filter((r) => window.has(r.month)),
      ),
    )
    .filter((e): e is Evaluation => e !== null && e.candidate);
}

/** Whether a month is one of the policy's review months. */
export function isReviewMonth(policy: Policy, month: Month): boolean {
  return policy.people.reviewMonths.includes(Number(month.slice(5, 7)));
}

/** The next review: the first review month whose first day is today or later; null without review months. */
export function nextReview(policy: Policy, today: Day): Month | null {
  if (!policy.people.reviewMonths.length) return null;
  let m = firstDay(monthOf(today)) >= today ? monthOf(today) : addMonths(monthOf(today), 1);
  while (!isReviewMonth(policy, m)) m = addMonths(m, 1);
  return m;
}

/** The day a trainee's probation ends, counted from the day they became a trainee. */
export function probationEnds(policy: Policy, traineeSince: Day): Day {
  return addMonthsToDay(traineeSince, policy.people.probationMonths);
}

/** A decision's default effective day: the 1st of the month after the day it is made. */
export function nextFirst(day: Day): Day {
  return firstDay(addMonths(monthOf(day), 1));
}

export type Progress =
  | { kind: 'none'; level: Level; since: Day; monthsAtLevel: number }
  | { kind: 'probation'; level: Level; since: Day; monthsAtLevel: number; ends: Day; ended: boolean; to: Level }
  | {
      kind: 'path';
      level: Level;
      since: Day;
      monthsAtLevel: number;
      to: Level;
      time: TimeAtLevel;
      record: ScoreRecord;
      /** the next review month, or null when the policy has none */
      review: Month | null;
    };

/**
 * One person's standing toward the next level on `today`: a trainee's probation, else the path out of
 * their level with the time counted today and the average of the window before this month.
 */
export function progress(policy: Policy, person: Person, today: Day, records: readonly MonthRecord[]): Progress | null {
  const now = levelOn(person.levels, today);
  if (!now) return null;
  const base = { level: now.level, since: now.since, monthsAtLevel: fullMonths(now.since, today) };
  if (now.level === 'trainee') {
    const ends = probationEnds(policy, now.since);
    return { kind: 'probation', ...base, ends, ended: ends <= today, to: pathFrom(policy, 'trainee')?.to ?? 'regular' };
  }
  const path = pathFrom(policy, now.level);
  if (!path) return { kind: 'none', ...base };
  const window = new Set(reviewWindow(policy, monthOf(today)));
  return {
    kind: 'path',
    ...base,
    to: path.to,
    time: timeRequirement(path, { since: now.since, hiredOn: person.hiredOn }, today),
    record: scoreRecord(
      policy,
      records.filter((r) => window.has(r.month)),
    ),
    review: nextReview(policy, today),
  };
}
