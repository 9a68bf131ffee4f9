// People over time: each member's track, level and role as effective-dated rows (member_assignment),
// and their deactivations and reactivations as dated entries (member_activity). Nothing is
// overwritten; member.track/level/role/active stay the values in force today, a cache for readers
// of the member row (staff checks, the roster list).
import { TallyError } from '../errors.js';
import { activeOn, assignmentOn, sameAssignment, type ActivityEntry, type Assignment } from '../core/assignments.js';
import { addDays, isDay, monthOf, type Day, type Month } from '../core/dates.js';
import { LEVELS, ROLES, TRACKS, type Level, type Role, type Track } from '../core/policy.js';
import { fromDay, toDay } from '../db/dates.js';
import type { Member } from '../generated/prisma/client.js';
import { audit } from './audit.js';
import { holdOpen } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { assertDecidersRemain, assertMayChange, findActor, memberView, type MemberView } from './roster.js';

export type Tx = Parameters<Parameters<Tally['db']['$transaction']>[0]>[0];

/** A member row with its whole history, oldest first: what a period resolves in core. */
export interface MemberHistory {
  row: Pick<
    Member,
    'id' | 'slackId' | 'name' | 'track' | 'level' | 'role' | 'hiredOn' | 'active' | 'deactivatedAt' | 'platformAccount'
  >;
  assignments: Assignment[];
  activity: ActivityEntry[];
}

/** The member as they were on `day`: their track, level and role in force that day. */
export function memberOn(m: MemberHistory, day: Day): MemberView {
  const view = memberView(m.row);
  const a = assignmentOn(m.assignments, day);
  return a ? { ...view, track: a.track, level: a.level, role: a.role } : view;
}

/**
 * Every member with their assignments and activity: two queries side by side, whatever the team's
 * size (no list of ids sent back), so a period waits for the slower of them, not their sum.
 */
export async function loadHistories(db: Tally['db']): Promise<MemberHistory[]> {
  const [members, rows] = await Promise.all([
    db.member.findMany(),
    // assignments (kind 0) and activity entries (kind 1), each member's oldest first
    db.$queryRawUnsafe<
      Array<{ kind: number; member_id: number; d: string; track: Track; level: Level; role: Role; active: boolean }>
    >(
      `SELECT 0 AS kind, member_id, to_char(effective_from, 'YYYY-MM-DD') AS d, track::text AS track,
         level::text AS level, role::text AS role, NULL::boolean AS active, id
       FROM member_assignment
       UNION ALL
       SELECT 1, member_id, to_char(day, 'YYYY-MM-DD'), NULL, NULL, NULL, active, id FROM member_activity
       ORDER BY kind, member_id, d, id`,
    ),
  ]);
  const byMember = new Map<number, MemberHistory>(
    members.map((row) => [row.id, { row, assignments: [], activity: [] }]),
  );
  for (const r of rows) {
    const h = byMember.get(r.member_id);
    if (!h) continue;
    if (r.kind === 0) h.assignments.push({ from: r.d, track: r.track, level: r.level, role: r.role });
    else h.activity.push({ day: r.d, active: r.active });
  }
  return [...byMember.values()];
}

/** SQL columns (member alias `m`) with the member's assignments and activity as JSON, oldest first. */
export const HISTORY_SQL = `(SELECT COALESCE(json_agg(json_build_object('from', to_char(a.effective_from, 'YYYY-MM-DD'),
      'track', a.track, 'level', a.level, 'role', a.role) ORDER BY a.effective_from), '[]'::json)
     FROM member_assignment a WHERE a.member_id = m.id) AS assignments,
   (SELECT COALESCE(json_agg(json_build_object('day', to_char(e.day, 'YYYY-MM-DD'), 'active', e.active)
      ORDER BY e.day, e.id), '[]'::json)
     FROM member_activity e WHERE e.member_id = m.id) AS activity`;

/** Reads HISTORY_SQL's columns (a driver may hand JSON back as text). */
export function historyOf(row: { assignments: unknown; activity: unknown }): {
  assignments: Assignment[];
  activity: ActivityEntry[];
} {
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return {
    assignments: parse<Assignment[]>(row.assignments ?? []),
    activity: parse<ActivityEntry[]>(row.activity ?? []),
  };
}

export interface AssignmentChange {
  slackId: string;
  track?: string;
  level?: string;
  role?: string;
  /** YYYY-MM-DD: the first day the change is in force */
  from: string;
  /** who made it (a Slack id, or `cli`) */
  by: string;
  note?: string;
}

export interface AssignmentView {
  slackId: string;
  name: string;
  from: Day;
  track: Track;
  level: Level;
  role: Role;
  by: string | null;
}

function checkWord<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  code: 'unknown_track' | 'unknown_level' | 'unknown_role',
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.join(', ');
  if (code === 'unknown_track') throw new TallyError(code, { value, tracks: list });
  if (code === 'unknown_level') throw new TallyError(code, { value, levels: list });
  throw new TallyError(code, { value, roles: list });
}

/**
 * The first closed month a change in force from `from` until `until` (exclusive; null: for good)
 * would touch: its days from `from`'s month on, and every month whose first day it covers.
 */
export async function closedMonthTouched(
  tx: Pick<Tx, '$queryRawUnsafe'>,
  from: Day,
  until: Day | null,
): Promise<Month | null> {
  const rows = await tx.$queryRawUnsafe<Array<{ month: string }>>(
    `SELECT month FROM month_close WHERE reopened_at IS NULL AND month >= $1 AND ($2::text IS NULL OR month <= $2)
     ORDER BY month LIMIT 1`,
    monthOf(from),
    until === null ? null : monthOf(addDays(until, -1)),
  );
  return rows[0]?.month ?? null;
}

/**
 * Writes member.track/level/role as in force on `today` for the members given (all when omitted),
 * only where they differ: a member row written bumps every month's results (a trigger).
 */
export async function refreshCurrent(
  tx: Pick<Tx, '$queryRawUnsafe' | '$executeRawUnsafe'>,
  today: Day,
  memberIds?: number[],
): Promise<number> {
  const current = `SELECT DISTINCT ON (member_id) member_id, track, level, role FROM member_assignment
     WHERE effective_from <= $1::date ${memberIds ? 'AND member_id = ANY($2::int[])' : ''}
     ORDER BY member_id, effective_from DESC`;
  const params: unknown[] = memberIds ? [today, memberIds] : [today];
  const [stale] = await tx.$queryRawUnsafe<Array<{ n: number }>>(
    `SELECT COUNT(*)::int AS n FROM member m JOIN (${current}) a ON a.member_id = m.id
     WHERE (m.track, m.level, m.role) IS DISTINCT FROM (a.track, a.level, a.role)`,
    ...params,
  );
  if (!stale?.n) return 0;
  return tx.$executeRawUnsafe(
    `UPDATE member m SET track = a.track, level = a.level, role = a.role, updated_at = now()
     FROM (${current}) a
     WHERE a.member_id = m.id AND (m.track, m.level, m.role) IS DISTINCT FROM (a.track, a.level, a.role)`,
    ...params,
  );
}

/** Brings every member row's cached track, level and role to the values in force today (a dated change's day came). */
export async function syncCurrentAssignments(t: Tally): Promise<number> {
  const { today } = await teamToday(t);
  return refreshCurrent(t.db, today);
}

async function memberWithHistory(tx: Tx, slackId: string) {
  const m = await tx.member.findUnique({
    where: { slackId },
    include: { assignments: { orderBy: { effectiveFrom: 'asc' } } },
  });
  if (!m) throw new TallyError('not_on_roster', { slackId });
  return m;
}

/**
 * A change of track, level or role in force from `from` on (a day), until the member's next dated
 * change. Refused, writing nothing: an unknown track, level or role, `from` before the hire date, a
 * change that changes nothing, or one that would touch a closed month (reopen it first).
 */
export async function setAssignment(t: Tally, change: AssignmentChange): Promise<AssignmentView> {
  const { today } = await teamToday(t);
  // `by` is a person (roster set's --by is required): on the roster, active, staff, and above the member
  const by = await findActor(t, change.by, 'change_roster');
  return t.db.$transaction((tx) => writeAssignment(tx, today, change, by));
}

/**
 * setAssignment inside a caller's transaction (a promotion writes its decision in the same one);
 * `by`, when given, must be allowed the change (a promotion's decider was checked for it already).
 */
export async function writeAssignment(
  tx: Tx,
  today: Day,
  change: AssignmentChange,
  by?: MemberView,
): Promise<AssignmentView> {
  const track = checkWord(change.track, TRACKS, 'unknown_track');
  const level = checkWord(change.level, LEVELS, 'unknown_level');
  const role = checkWord(change.role, ROLES, 'unknown_role');
  if (!track && !level && !role) throw new TallyError('assignment_empty', {});
  if (!isDay(change.from)) throw new TallyError('bad_date', { value: change.from, field: 'from' });
  const from = change.from;
  const m = await memberWithHistory(tx, change.slackId);
  const hiredOn = toDay(m.hiredOn);
  if (from < hiredOn) {
    throw new TallyError('before_hire', { value: from, slackId: m.slackId, name: m.name, hiredOn });
  }
  const rows = m.assignments.map((a) => ({ ...a, from: toDay(a.effectiveFrom) }));
  const base = assignmentOn(rows, from) ?? { track: m.track, level: m.level, role: m.role, from: hiredOn };
  const next = { track: track ?? base.track, level: level ?? base.level, role: role ?? base.role };
  if (sameAssignment(next, base)) {
    throw new TallyError('assignment_unchanged', { slackId: m.slackId, name: m.name, from });
  }
  if (by) {
    assertMayChange(by, m, 'assignment', {
      ...(next.role === base.role ? {} : { role: next.role }),
      ...(next.level === base.level ? {} : { level: next.level }),
    });
  }
  // demoting the last lead, supervisor or admin would leave nobody to decide appeals
  if (next.role !== base.role) await assertDecidersRemain(tx, [{ slackId: m.slackId, role: next.role }]);
  const until = rows.find((a) => a.from > from)?.from ?? null;
  // a month close waits for this write, and this write refuses a month already closed
  await holdOpen(tx, [], { write: 'assignment', slackId: m.slackId, from });
  const closed = await closedMonthTouched(tx, from, until);
  if (closed) throw new TallyError('month_closed', { month: closed, write: 'assignment', slackId: m.slackId, from });
  const same = rows.find((a) => a.from === from);
  const data = { ...next, setBy: change.by, note: change.note ?? null };
  if (same) await tx.memberAssignment.update({ where: { id: same.id }, data });
  else await tx.memberAssignment.create({ data: { memberId: m.id, effectiveFrom: fromDay(from), ...data } });
  if (from <= today) await refreshCurrent(tx, today, [m.id]);
  await audit(
    tx,
    change.by,
    'roster.assignment',
    m.slackId,
    {
      from,
      ...next,
      previous: { from: base.from, track: base.track, level: base.level, role: base.role },
      ...(same ? { replaced: { track: same.track, level: same.level, role: same.role } } : {}),
      ...(change.note ? { note: change.note } : {}),
    },
    monthOf(from),
  );
  return { slackId: m.slackId, name: m.name, from, ...next, by: change.by };
}

/** Each change of a member's track, level and role, oldest first (the first from their hire date). */
export async function assignmentHistory(
  t: Tally,
  slackId: string,
): Promise<{ slackId: string; name: string; assignments: Array<Omit<AssignmentView, 'slackId' | 'name'>> }> {
  const m = await t.db.member.findUnique({
    where: { slackId },
    include: { assignments: { orderBy: { effectiveFrom: 'asc' } } },
  });
  if (!m) throw new TallyError('not_on_roster', { slackId });
  return {
    slackId: m.slackId,
    name: m.name,
    assignments: m.assignments.map((a) => ({
      from: toDay(a.effectiveFrom),
      track: a.track,
      level: a.level,
      role: a.role,
      by: a.setBy,
    })),
  };
}

/**
 * An audited correction of a hire date (the roster had it wrong): the first assignment moves with
 * it. Refused when it would fall after a later change or after the member's first metrics, or when
 * a closed month lies between the old date and the new one (it would change who that month paid).
 */
export async function correctHireDate(
  t: Tally,
  req: { slackId: string; hiredOn: string; by: string },
): Promise<MemberView> {
  // a hire date decides pay and award eligibility: only an admin corrects one, never their own
  const by = await findActor(t, req.by, 'correct_hire_date');
  if (!isDay(req.hiredOn)) throw new TallyError('bad_date', { value: req.hiredOn });
  const value = req.hiredOn;
  return t.db.$transaction(async (tx) => {
    const m = await memberWithHistory(tx, req.slackId);
    if (m.slackId === by.slackId) throw new TallyError('self_change', { what: 'hire_date' });
    const old = toDay(m.hiredOn);
    if (old === value) throw new TallyError('hire_date_same', { slackId: m.slackId, name: m.name, hiredOn: old });
    const [first, second] = m.assignments;
    if (second && toDay(second.effectiveFrom) <= value) {
      throw new TallyError('hire_date_after_change', {
        slackId: m.slackId,
        name: m.name,
        value,
        from: toDay(second.effectiveFrom),
      });
    }
    const metric = await tx.dailyMetric.findFirst({
      where: { memberId: m.id, day: { lt: fromDay(value) } },
      orderBy: { day: 'asc' },
      select: { day: true },
    });
    if (metric) {
      throw new TallyError('hire_date_after_metrics', {
        slackId: m.slackId,
        name: m.name,
        value,
        day: toDay(metric.day),
      });
    }
    await holdOpen(tx, [], { write: 'hire_date', slackId: m.slackId, value });
    const [lo, hi] = old < value ? [old, value] : [value, old];
    const closed = await closedMonthTouched(tx, lo, addDays(hi, 1));
    if (closed) throw new TallyError('month_closed', { month: closed, write: 'hire_date', slackId: m.slackId, value });
    const updated = await tx.member.update({ where: { id: m.id }, data: { hiredOn: fromDay(value) } });
    if (first) await tx.memberAssignment.update({ where: { id: first.id }, data: { effectiveFrom: fromDay(value) } });
    await audit(tx, req.by, 'roster.hire_date', m.slackId, { from: old, to: value }, monthOf(lo));
    return memberView(updated);
  });
}

/** Writes a dated deactivation or reactivation; the member row keeps today's state. */
export async function recordActivity(tx: Tx, memberId: number, day: Day, active: boolean, by: string): Promise<void> {
  await tx.memberActivity.create({ data: { memberId, day: fromDay(day), active, setBy: by } });
}

export { activeOn };
