// Each month's state, for `month list` and App Home: the months that hold data (metrics or penalties)
// or were ever closed, newest first, with who closed (or reopened) each and when, whether a monthly
// run published its results, and when an open month closes.
import { minuteIn } from '../clock.js';
import { monthOf, type Day, type Month } from '../core/dates.js';
import { closesOn, provisionalOn } from '../jobs/schedule.js';
import { teamToday, type Tally } from './context.js';
import { PUBLISHED } from './jobs.js';

export type MonthStateName = 'open' | 'closed' | 'reopened';

/** Who closes a month on its own: the bot's schedule (its runs and catch-up record `scheduler`). */
export const SCHEDULE = 'schedule';

export interface MonthState {
  month: Month;
  state: MonthStateName;
  /** the last close (a reopened month keeps it); null while never closed */
  closedAt: Date | null;
  /** a Slack id, `schedule`, `cli` (the terminal) or `console` (the local console froze it at start) */
  closedBy: string | null;
  reopenedAt: Date | null;
  reopenedBy: string | null;
  reopenWhy: string | null;
  /** a monthly run published its results (any close of it) */
  posted: boolean;
  /** an open month: when its monthly run closes it */
  closes: { day: Day; at: Date } | null;
}

/** What a closer was recorded as, as `month list` names it. */
const closer = (by: string | null) => (by === 'scheduler' ? SCHEDULE : by);

export async function monthStates(t: Tally): Promise<{ months: MonthState[]; timezone: string }> {
  const { policy } = await teamToday(t);
  const months = await t.db.$queryRawUnsafe<Array<{ month: string }>>(
    `SELECT month FROM metric_month WHERE days > 0
     UNION SELECT to_char(occurred_on, 'YYYY-MM') FROM penalty
     UNION SELECT month FROM month_close
     ORDER BY month DESC`,
  );
  const closes = new Map((await t.db.monthClose.findMany()).map((c) => [c.month, c]));
  const published = await t.db.$queryRawUnsafe<Array<{ month: string }>>(
    `SELECT DISTINCT split_part(period, '#', 1) AS month FROM job_run WHERE job = 'monthly' AND status = ANY($1::text[])`,
    [...PUBLISHED],
  );
  const posted = new Set(published.map((p) => p.month));
  return {
    timezone: policy.timezone,
    months: months.map(({ month }): MonthState => {
      const c = closes.get(month);
      const state: MonthStateName = !c ? 'open' : c.reopenedAt ? 'reopened' : 'closed';
      return {
        month,
        state,
        closedAt: c?.closedAt ?? null,
        closedBy: closer(c?.closedBy ?? null),
        reopenedAt: c?.reopenedAt ?? null,
        reopenedBy: c?.reopenedAt ? (c.reopenedBy ?? null) : null,
        reopenWhy: c?.reopenedAt ? (c.reopenWhy ?? null) : null,
        posted: posted.has(month),
        closes: state === 'open' ? closesOn(month, policy) : null,
      };
    }),
  };
}

/** A month's state as people read it: times in the team's time zone, and whether an open month is past its close. */
export interface MonthLine {
  month: Month;
  state: MonthStateName;
  /** when it reached its state: closed, or reopened */
  when: string | null;
  /** who did: as recorded (a Slack id, `schedule`, `cli`, `console`) */
  by: string | null;
  posted: boolean;
  closes: string | null;
  due: boolean;
}

export function monthLine(m: MonthState, timezone: string, now: Date): MonthLine {
  const at = m.state === 'reopened' ? m.reopenedAt : m.closedAt;
  return {
    month: m.month,
    state: m.state,
    when: at && minuteIn(at, timezone),
    by: m.state === 'reopened' ? m.reopenedBy : m.closedBy,
    posted: m.posted,
    closes: m.closes && minuteIn(m.closes.at, timezone),
    due: m.closes !== null && m.closes.at <= now,
  };
}

/** Each month's state as people read it, newest first. */
export async function monthLines(t: Tally): Promise<MonthLine[]> {
  const { months, timezone } = await monthStates(t);
  const now = t.clock.now();
  return months.map((m) => monthLine(m, timezone, now));
}

export interface MonthClosing {
  month: Month;
  /** when the 1st posts its provisional standings; null when the policy closes months on the 1st */
  provisionalAt: Date | null;
  closesAt: Date;
  /** its close time has passed and nothing closed it yet */
  due: boolean;
}

/** The months still to close, oldest first: every open month that holds data, and this month with or without. */
export async function monthsClosing(t: Tally): Promise<MonthClosing[]> {
  const { today, policy } = await teamToday(t);
  const { months } = await monthStates(t);
  const open = new Set(months.filter((m) => m.state === 'open').map((m) => m.month));
  open.add(monthOf(today));
  const now = t.clock.now();
  return [...open].sort().map((month) => {
    const closesAt = closesOn(month, policy).at;
    return {
      month,
      provisionalAt: policy.schedule.closeOnDay > 1 ? provisionalOn(month, policy).at : null,
      closesAt,
      due: closesAt <= now,
    };
  });
}
