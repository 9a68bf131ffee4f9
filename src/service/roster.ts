// The roster: who is on the team, in which track and level, with which role. Nobody is deleted.
import { isTallyError, TallyError, type AdminAction, type CsvCell, type StaffAction } from '../errors.js';
import { toDay } from '../db/dates.js';
import type { Member, MemberAssignment } from '../generated/prisma/client.js';
import type { Db } from '../db/open.js';
import { nameError, type RosterEntry } from '../import/roster.js';
import { memberName, whoIsNamed, type Nameable } from '../core/names.js';
import { ROLES, STAFF_ROLES, TRACKS, type Level, type Role, type Track } from '../core/policy.js';
import { levelStanding, mayActOn, mayGive, rolesGiving, rolesOver, type OverAction } from '../core/standing.js';
import { addDays, monthOf, type Day } from '../core/dates.js';
import { own } from '../core/keys.js';
import { audit } from './audit.js';
import { EVERY_MONTH } from './cache.js';
import { teamToday, type Tally } from './context.js';
import { recordActivity, refreshCurrent, syncCurrentAssignments } from './assignments.js';
import { holdOpen } from './closed.js';
import { assignmentOn, sameAssignment } from '../core/assignments.js';
import { lockImports, retryConflicts } from './serial.js';

export interface MemberView {
  id: number;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  role: Role;
  hiredOn: Day;
  active: boolean;
  platformAccount: string | null;
}

export function memberView(
  m: Pick<Member, 'id' | 'slackId' | 'name' | 'track' | 'level' | 'role' | 'hiredOn' | 'active' | 'platformAccount'>,
): MemberView {
  return {
    id: m.id,
    slackId: m.slackId,
    name: m.name,
    track: m.track,
    level: m.level,
    role: m.role,
    hiredOn: toDay(m.hiredOn),
    active: m.active,
    platformAccount: m.platformAccount,
  };
}

export { STAFF_ROLES };

export async function findMember(t: Tally, slackId: string): Promise<MemberView> {
  const m = await t.db.member.findUnique({ where: { slackId } });
  if (!m) throw new TallyError('not_on_roster', { slackId });
  return memberView(m);
}

/** `by` when nobody on the roster acts: the operator at the server's own terminal (a CLI command without --by). */
export const TERMINAL = 'cli';
/** `by` of the demo team's loader (`tally demo`, the console's first run) */
export const DEMO = 'demo';

const ADMIN_ACTIONS: ReadonlySet<string> = new Set<AdminAction>([
  'reopen_month',
  'set_policy',
  'drop_policy',
  'correct_hire_date',
]);

/**
 * The person acting (a Slack user, or the CLI's --by): on the roster, active, and of a role that may
 * do `action` (an admin's action, or staff's). Slack and the CLI both ask here, so they refuse alike.
 */
export async function findActor(t: Tally, slackId: string, action: StaffAction | AdminAction): Promise<MemberView> {
  const m = await findMember(t, slackId);
  if (!m.active) throw new TallyError('inactive_member', { slackId, name: m.name });
  if (ADMIN_ACTIONS.has(action)) {
    if (m.role !== 'admin')
      throw new TallyError('admin_only', { action: action as AdminAction, name: m.name, role: m.role });
  } else if (!STAFF_ROLES.includes(m.role)) {
    throw new TallyError('staff_only', { action: action as StaffAction, slackId, name: m.name, role: m.role });
  }
  return m;
}

/** A member who may act as staff (record penalties, import, see others' detail). */
export function findStaff(t: Tally, slackId: string, action: StaffAction): Promise<MemberView> {
  return findActor(t, slackId, action);
}

/**
 * The person acting where the operator at the terminal may act too (roster import, activate and
 * deactivate, policy set, month close, metrics import): null for the operator, else as findActor.
 */
export async function actorOrOperator(
  t: Tally,
  by: string,
  action: StaffAction | AdminAction,
): Promise<MemberView | null> {
  return by === TERMINAL || by === DEMO ? null : findActor(t, by, action);
}

type Person = { slackId: string; name: string; role: Role };

/** Refuses `action` by `by` on `of` unless `by`'s role stands above theirs (see src/core/standing.ts). */
export function assertOver(action: OverAction, by: { role: Role }, of: Person, at?: CsvCell): void {
  if (mayActOn(action, by.role, of.role)) return;
  throw new TallyError('outranked', {
    action,
    slackId: of.slackId,
    name: of.name,
    role: of.role,
    may: rolesOver(action, of.role),
    ...at,
  });
}

/** Refuses giving a role, or a level that stands with one, at or above the giver's own (an admin gives any). */
export function assertMayGive(
  by: { role: Role },
  give: { role?: Role; level?: Level },
  at?: { role?: CsvCell; level?: CsvCell },
): void {
  if (give.role !== undefined && !mayGive(by.role, give.role))
    throw new TallyError('cannot_give', { what: 'role', value: give.role, may: rolesGiving(give.role), ...at?.role });
  if (give.level === undefined) return;
  const standing = levelStanding(give.level);
  if (!mayGive(by.role, standing))
    throw new TallyError('cannot_give', { what: 'level', value: give.level, may: rolesGiving(standing), ...at?.level });
}

/**
 * Refuses a change to someone's track, level, role or activity unless `by` may make it: never to
 * oneself, only to someone below (an admin also to another admin), and to no role or level at or
 * above `by`'s own (an admin to any). `give`: the role and level that change, if they do.
 */
export function assertMayChange(
  by: MemberView,
  member: Person,
  what: 'assignment' | 'active',
  give: { role?: Role; level?: Level } = {},
  at?: { member?: CsvCell; role?: CsvCell; level?: CsvCell },
): void {
  if (by.slackId === member.slackId) throw new TallyError('self_change', { what, ...at?.member });
  assertOver('change', by, member, at?.member);
  assertMayGive(by, give, at);
}

export interface RosterImportResult {
  added: number;
  updated: number;
  unchanged: number;
  /** in the file but deactivated: left inactive (roster activate brings them back) */
  inactive: string[];
}

const CHUNK = 5_000;

/** What a roster file is checked against besides itself: the roster, the closed months, today, who imports it. */
interface RosterState {
  existing: Map<string, Member & { assignments: MemberAssignment[] }>;
  closed: Set<string>;
  today: Day;
  /** null for the operator at the terminal */
  actor: MemberView | null;
}

async function rosterState(
  db: Pick<Db, 'member' | 'monthClose'>,
  today: Day,
  actor: MemberView | null,
): Promise<RosterState> {
  const members = await db.member.findMany({ include: { assignments: { orderBy: { effectiveFrom: 'asc' } } } });
  const closed = await db.monthClose.findMany({ where: { reopenedAt: null }, select: { month: true } });
  return {
    existing: new Map(members.map((m) => [m.slackId, m])),
    closed: new Set(closed.map((c) => c.month)),
    today,
    actor,
  };
}

/** A member row as written (a new member, or a new name or platform account). */
type MemberWrite = Omit<MemberView, 'id' | 'active'>;

/** A changed track, level or role from a day on. */
interface Move {
  memberId: number;
  from: Day;
  track: Track;
  level: Level;
  role: Role;
}

/** What one row does: adds someone, changes them (`day`: from when), or leaves them as they are. */
type RowOutcome =
  | { change: 'new'; day: Day; write: MemberWrite }
  | { change: 'changed'; day: Day; inactive: boolean; write?: MemberWrite; move?: Move }
  | { change: 'unchanged'; inactive: boolean };

/** One row checked against the roster; a problem is thrown (naming its row and column). */
function planRow(s: RosterState, raw: RosterEntry, fileName: string): RowOutcome {
  const cell = (column: string) => ({
    file: fileName,
    line: raw.line,
    column: (raw.columns && own(raw.columns, column)) ?? column,
    ...(raw.sheet === undefined ? {} : { sheet: raw.sheet }),
  });
  // the file readers checked it already; the demo and any other caller meet the same rule here
  const checked = memberName(raw.name);
  if ('problem' in checked) throw nameError(checked, cell('name'));
  const e = { ...raw, name: checked.name };
  const old = s.existing.get(e.slackId);
  const at = { member: cell('slack_id'), role: cell('role'), level: cell('level') };
  // a lead's file may add and move only people below them, to roles and levels below their own
  const actor = s.actor;
  if (!old) {
    if (actor) assertMayGive(actor, { role: e.role ?? 'agent', level: e.level }, at);
    return {
      change: 'new',
      day: e.hiredOn,
      write: {
        slackId: e.slackId,
        name: e.name,
        track: e.track,
        level: e.level,
        role: e.role ?? 'agent',
        hiredOn: e.hiredOn,
        platformAccount: e.platformAccount ?? null,
      },
    };
  }
  const hiredOn = toDay(old.hiredOn);
  if (hiredOn !== e.hiredOn) {
    throw new TallyError('csv_hire_date_changed', {
      ...cell('hired_on'),
      slackId: old.slackId,
      name: old.name,
      hiredOn,
      value: e.hiredOn,
    });
  }
  const rows = old.assignments.map((a) => ({ ...a, from: toDay(a.effectiveFrom) }));
  const from = e.effectiveFrom ?? (s.today < hiredOn ? hiredOn : s.today);
  if (from < hiredOn) {
    throw new TallyError('csv_before_hire', {
      ...cell('effective_from'),
      value: from,
      slackId: old.slackId,
      hiredOn,
    });
  }
  const base = assignmentOn(rows, from) ?? { track: old.track, level: old.level, role: old.role };
  const wanted = { track: e.track, level: e.level, role: e.role ?? base.role };
  const moved = !sameAssignment(wanted, base);
  if (moved && actor) {
    const give = {
      ...(wanted.role === base.role ? {} : { role: wanted.role }),
      ...(wanted.level === base.level ? {} : { level: wanted.level }),
    };
    assertMayChange(actor, old, 'assignment', give, at);
  }
  let move: Move | undefined;
  if (moved) {
    const until = rows.find((a) => a.from > from)?.from ?? null;
    const hit = [...s.closed]
      .sort()
      .find((month) => month >= monthOf(from) && (until === null || month <= monthOf(addDays(until, -1))));
    if (hit) throw new TallyError('month_closed', { month: hit, write: 'assignment', slackId: old.slackId, from });
    move = { memberId: old.id, from, ...wanted };
  }
  const platformAccount = e.platformAccount ?? old.platformAccount ?? null;
  const renamed = old.name !== e.name || old.platformAccount !== platformAccount;
  const inactive = !old.active;
  if (!move && !renamed) return { change: 'unchanged', inactive };
  return {
    change: 'changed',
    day: move ? from : s.today,
    inactive,
    ...(move ? { move } : {}),
    // the member row keeps today's track, level and role: refreshed from the assignments
    ...(renamed
      ? {
          write: {
            slackId: e.slackId,
            name: e.name,
            track: old.track,
            level: old.level,
            role: old.role,
            hiredOn,
            platformAccount,
          },
        }
      : {}),
  };
}

interface RosterPlan {
  result: RosterImportResult;
  writes: MemberWrite[];
  moves: Move[];
  /** each row that passed, with what it does */
  outcomes: Array<{ entry: RosterEntry; outcome: RowOutcome }>;
}

/**
 * Every row checked against the roster: each problem is handed to `problem` (an import throws it,
 * and so stops at the first; a preview notes it and goes on with the next row).
 */
function planRoster(
  s: RosterState,
  entries: readonly RosterEntry[],
  fileName: string,
  problem: (e: TallyError) => void,
): RosterPlan {
  const plan: RosterPlan = {
    result: { added: 0, updated: 0, unchanged: 0, inactive: [] },
    writes: [],
    moves: [],
    outcomes: [],
  };
  for (const entry of entries) {
    let outcome: RowOutcome;
    try {
      outcome = planRow(s, entry, fileName);
    } catch (e) {
      if (!isTallyError(e)) throw e;
      problem(e);
      continue;
    }
    plan.outcomes.push({ entry, outcome });
    if (outcome.change === 'new') {
      plan.result.added++;
      plan.writes.push(outcome.write);
      continue;
    }
    if (outcome.inactive) plan.result.inactive.push(entry.slackId);
    if (outcome.change === 'unchanged') {
      plan.result.unchanged++;
      continue;
    }
    plan.result.updated++;
    if (outcome.write) plan.writes.push(outcome.write);
    if (outcome.move) plan.moves.push(outcome.move);
  }
  return plan;
}

/** Each member's role after the file: what the check that someone still decides looks at. */
const deciderChanges = (s: RosterState, entries: readonly RosterEntry[]): DeciderChange[] =>
  entries.map((e) => ({ slackId: e.slackId, role: e.role ?? s.existing.get(e.slackId)?.role ?? 'agent' }));

const stop = (e: TallyError): never => {
  throw e;
};

/**
 * Adds new members (their first assignment from hired_on) and updates existing ones: a new name is a
 * rename, a new platform account moves, and a changed track, level or role is a dated assignment from
 * the row's effective_from (default: the team's today). An existing member's row with another hire
 * date is refused: it would make them someone else (roster set --hired-on --correct corrects one).
 * The same file imported twice changes nothing the second time. All or nothing: refused at the first
 * problem (previewRoster lists them all).
 */
export async function importRoster(
  t: Tally,
  entries: RosterEntry[],
  meta: { fileName: string; by: string },
): Promise<RosterImportResult> {
  const { today } = await teamToday(t);
  const actor = await actorOrOperator(t, meta.by, 'import_files');
  const write = () =>
    t.db.$transaction(
      async (tx) => {
        // one roster import at a time, so each one's added/updated counts are true
        await lockImports(tx, 'roster');
        // a month close waits for this import, and this import sees every month already closed
        await holdOpen(tx, [], { write: 'metrics', file: meta.fileName });
        const s = await rosterState(tx, today, actor);
        const existing = s.existing;
        checkAccounts(existing, entries, meta.fileName, stop);
        // a file that demotes the last lead, supervisor or admin (and names no other) is refused
        await assertDecidersRemain(tx, deciderChanges(s, entries));
        const { result, writes: changed, moves } = planRoster(s, entries, meta.fileName, stop);
        // accounts passed from one member to another: let go first, so the unique index never sees two at once
        const moved = changed.filter((r) => {
          const old = existing.get(r.slackId);
          return old?.platformAccount && old.platformAccount !== r.platformAccount;
        });
        if (moved.length) {
          await tx.$executeRawUnsafe(
            `UPDATE member SET platform_account = NULL WHERE slack_id = ANY($1::text[])`,
            moved.map((r) => r.slackId),
          );
        }
        // one statement per chunk instead of a round trip per member: thousands fit in the transaction
        for (let start = 0; start < changed.length; start += CHUNK) {
          const slice = changed.slice(start, start + CHUNK);
          // a new member's first assignment is written by the insert's trigger (from hired_on)
          await tx.$executeRawUnsafe(
            `INSERT INTO member (slack_id, name, track, level, role, hired_on, platform_account, updated_at)
             SELECT s, n, tr::"Track", l::"Level", r::"Role", h::date, pa, now()
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, n, tr, l, r, h, pa)
             ON CONFLICT (slack_id) DO UPDATE SET
               name = EXCLUDED.name, platform_account = EXCLUDED.platform_account, updated_at = now()`,
            slice.map((r) => r.slackId),
            slice.map((r) => r.name),
            slice.map((r) => r.track),
            slice.map((r) => r.level),
            slice.map((r) => r.role),
            slice.map((r) => r.hiredOn),
            slice.map((r) => r.platformAccount),
          );
        }
        for (let start = 0; start < moves.length; start += CHUNK) {
          const slice = moves.slice(start, start + CHUNK);
          await tx.$executeRawUnsafe(
            `INSERT INTO member_assignment (member_id, effective_from, track, level, role, set_by, note)
             SELECT m, f::date, tr::"Track", l::"Level", r::"Role", $6, $7
             FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(m, f, tr, l, r)
             ON CONFLICT (member_id, effective_from) DO UPDATE SET
               track = EXCLUDED.track, level = EXCLUDED.level, role = EXCLUDED.role,
               set_by = EXCLUDED.set_by, note = EXCLUDED.note`,
            slice.map((r) => r.memberId),
            slice.map((r) => r.from),
            slice.map((r) => r.track),
            slice.map((r) => r.level),
            slice.map((r) => r.role),
            meta.by,
            `roster import ${meta.fileName}`,
          );
        }
        if (moves.length) await refreshCurrent(tx, today, [...new Set(moves.map((r) => r.memberId))]);
        await tx.importBatch.create({
          data: { kind: 'roster', fileName: meta.fileName, rowCount: entries.length, importedBy: meta.by },
        });
        await audit(
          tx,
          meta.by,
          'roster.import',
          meta.fileName,
          { ...result, assignments: moves.map((r) => ({ ...r })) },
          EVERY_MONTH,
        );
        return result;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  return retryConflicts({ file: meta.fileName, kind: 'roster' }, write);
}

/** One roster row as Tally understood it, and what importing it would do. */
export interface RosterPreviewRow {
  line: number;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  role: Role;
  hiredOn: Day;
  platformAccount?: string;
  /** adds them, changes them (from `from`), or leaves them as they are */
  change: 'new' | 'changed' | 'unchanged';
  from?: Day;
}

/** A roster file checked as an import would check it, in the shape of a metrics file's preview. */
export interface RosterPreview {
  kind: 'roster';
  file: string;
  sheet?: string;
  rows: number;
  /** members on rows without a problem */
  members: number;
  /** the first and last day the file's additions and changes take effect (a new member's hire date) */
  from: Day | null;
  to: Day | null;
  /** people new to the roster, and people on it whose name, account, track, level or role the file changes */
  added: number;
  replaced: number;
  /** the first rows, as read */
  sample: RosterPreviewRow[];
  /** its problems in the order of their lines, each with its line and column; `problemCount` counts them all */
  problems: TallyError[];
  problemCount: number;
}

/** A roster file's rows as read: each row, or what is wrong with it. */
export type RosterRows = Iterable<RosterEntry | TallyError> | AsyncIterable<RosterEntry | TallyError>;

const lineOf = (e: TallyError): number => {
  const line = (e.params as { line?: unknown }).line;
  return typeof line === 'number' ? line : Number.MAX_SAFE_INTEGER;
};

/**
 * Reads a whole roster file and checks it as an import by `by` would, writing nothing: every problem
 * (the file's own, and those against the roster: a changed hire date, a closed month, someone the
 * importer may not change), how its first rows were read, and what it would change.
 */
export async function previewRoster(
  t: Tally,
  rows: RosterRows,
  opts: { fileName: string; by: string; sample?: number; problems?: number },
): Promise<RosterPreview> {
  const actor = await actorOrOperator(t, opts.by, 'import_files');
  const { today } = await teamToday(t);
  const s = await rosterState(t.db, today, actor);
  const found: TallyError[] = [];
  const entries: RosterEntry[] = [];
  // a row with several problems comes as several: rows are counted by their lines
  const lines = new Set<number>();
  for await (const e of rows) {
    lines.add(isTallyError(e) ? lineOf(e) : e.line);
    if (isTallyError(e)) found.push(e);
    else entries.push(e);
  }
  const problem = (e: TallyError) => void found.push(e);
  checkAccounts(s.existing, entries, opts.fileName, problem);
  const plan = planRoster(s, entries, opts.fileName, problem);
  const lost = await decidersLost(t.db, deciderChanges(s, entries));
  if (lost) found.push(lost);
  // in the order of the file's lines (a row's own problems first); the file's as a whole last
  const sorted = found.map((e, i) => ({ e, i })).sort((a, b) => lineOf(a.e) - lineOf(b.e) || a.i - b.i);
  const bad = new Set(found.map(lineOf));
  const ok = plan.outcomes.filter((o) => !bad.has(o.entry.line));
  const days = ok.flatMap(({ outcome: o }) => (o.change === 'unchanged' ? [] : [o.day])).sort();
  const sheet = entries[0]?.sheet ?? (found[0]?.params as { sheet?: string } | undefined)?.sheet;
  return {
    kind: 'roster',
    file: opts.fileName,
    ...(sheet === undefined ? {} : { sheet }),
    rows: lines.size,
    members: ok.length,
    from: days[0] ?? null,
    to: days.at(-1) ?? null,
    added: ok.filter((o) => o.outcome.change === 'new').length,
    replaced: ok.filter((o) => o.outcome.change === 'changed').length,
    sample: ok.slice(0, opts.sample ?? 5).map(({ entry: e, outcome: o }) => {
      const old = s.existing.get(e.slackId);
      const assignment =
        o.change === 'new'
          ? o.write
          : o.change === 'changed' && o.move
            ? o.move
            : { track: e.track, level: e.level, role: e.role ?? old?.role ?? 'agent' };
      const account = e.platformAccount ?? old?.platformAccount ?? undefined;
      return {
        line: e.line,
        slackId: e.slackId,
        name: e.name,
        track: assignment.track,
        level: assignment.level,
        role: assignment.role,
        hiredOn: e.hiredOn,
        ...(account ? { platformAccount: account } : {}),
        change: o.change,
        ...(o.change === 'changed' && o.move ? { from: o.move.from } : {}),
      };
    }),
    problems: sorted.slice(0, opts.problems ?? sorted.length).map((x) => x.e),
    problemCount: sorted.length,
  };
}

/** A sub-account names one member: one the file gives someone must not stay with someone else. */
function checkAccounts(
  existing: ReadonlyMap<string, Member>,
  entries: readonly RosterEntry[],
  fileName: string,
  problem: (e: TallyError) => void,
): void {
  const holder = new Map<string, string>();
  const inFile = new Set(entries.map((e) => e.slackId));
  for (const m of existing.values())
    if (m.platformAccount && !inFile.has(m.slackId)) holder.set(m.platformAccount, m.slackId);
  // a member in the file keeps their account when the file leaves it unsaid
  for (const e of entries) {
    const account = e.platformAccount ?? existing.get(e.slackId)?.platformAccount;
    if (!account) continue;
    const other = holder.get(account);
    if (other !== undefined && other !== e.slackId) {
      problem(
        new TallyError('csv_platform_account_taken', {
          file: fileName,
          line: e.line,
          column: e.columns?.platform_account ?? 'platform_account',
          ...(e.sheet === undefined ? {} : { sheet: e.sheet }),
          account,
          slackId: other,
        }),
      );
      continue;
    }
    holder.set(account, e.slackId);
  }
}

export async function setActive(t: Tally, slackId: string, active: boolean, by: string): Promise<MemberView> {
  const actor = await actorOrOperator(t, by, 'change_roster');
  const m = await findMember(t, slackId);
  if (actor) assertMayChange(actor, m, 'active');
  if (m.active === active)
    throw new TallyError(active ? 'already_active' : 'already_inactive', { slackId, name: m.name });
  const { today } = await teamToday(t);
  return t.db.$transaction(async (tx) => {
    if (!active) await assertDecidersRemain(tx, [{ slackId, active: false }]);
    const updated = await tx.member.update({
      where: { slackId },
      data: { active, deactivatedAt: active ? null : t.clock.now() },
    });
    // the dated entry is the history (payroll reads it); the member row says only how things are today
    await recordActivity(tx, m.id, today, active, by);
    await audit(tx, by, active ? 'roster.activate' : 'roster.deactivate', slackId, { day: today }, EVERY_MONTH);
    return memberView(updated);
  });
}

/** A change to a member as it will be: their role, or whether they are active (unsaid: as now; a new member is active). */
export interface DeciderChange {
  slackId: string;
  role?: Role;
  active?: boolean;
}

/**
 * Refuses a change that would leave a team that has someone who can decide (an active lead,
 * supervisor or admin) with nobody: appeals and the month's payroll file would then go to no one.
 * Call it inside the transaction that writes the change, before writing it, with every member the
 * change touches (roster deactivate, a roster import, roster set --role). It takes the roster's lock,
 * so two changes at once cannot each leave the other one as the last.
 */
export async function assertDecidersRemain(
  tx: Pick<Db, 'member' | '$executeRawUnsafe'>,
  changes: readonly DeciderChange[],
): Promise<void> {
  if (!changes.length) return;
  await lockImports(tx, 'roster');
  const lost = await decidersLost(tx, changes);
  if (lost) throw lost;
}

/** The refusal of a change that would leave nobody to decide, or null (no lock: a preview asks too). */
async function decidersLost(db: Pick<Db, 'member'>, changes: readonly DeciderChange[]): Promise<TallyError | null> {
  if (!changes.length) return null;
  const decides = (m: { active: boolean; role: Role }) => m.active && STAFF_ROLES.includes(m.role);
  const now = await db.member.findMany({
    where: {
      OR: [{ active: true, role: { in: [...STAFF_ROLES] } }, { slackId: { in: changes.map((c) => c.slackId) } }],
    },
    select: { slackId: true, name: true, role: true, active: true },
    orderBy: { id: 'asc' },
  });
  const before = now.filter(decides);
  if (!before.length) return null; // nobody decides now: nothing to lose (a new team, or one that lost them before this guard)
  const byId = new Map(now.map((m) => [m.slackId, m]));
  const after = new Map(before.map((m) => [m.slackId, m]));
  for (const c of changes) {
    const old = byId.get(c.slackId);
    const next = { active: c.active ?? old?.active ?? true, role: c.role ?? old?.role ?? 'agent' };
    if (decides(next)) after.set(c.slackId, { slackId: c.slackId, name: old?.name ?? '', ...next });
    else after.delete(c.slackId);
  }
  if (after.size) return null;
  const last = before[0]!;
  const change = changes.find((c) => c.slackId === last.slackId);
  return new TallyError('last_decider', {
    slackId: last.slackId,
    name: last.name,
    role: last.role,
    change: change?.active === false ? 'deactivate' : 'demote',
  });
}

/**
 * Whom plain `@name` words name (typed in Slack without picking from its list, or in the console): a
 * roster name in any case, or a Slack id. A Slack id not on the roster stays itself (the command then
 * says it is not on the roster). Refused: a name nobody has (with the names close to it), and one
 * several have (among the active ones, when some are active). No query when there are none.
 */
export async function peopleNamed(t: Tally, names: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!names.length) return out;
  const members = await t.db.member.findMany({ select: { slackId: true, name: true, active: true } });
  for (const name of new Set(names)) out.set(name, namedIn(members, name));
  return out;
}

/**
 * The Slack id of the person a command line names (`--by`, `--as`, a member argument): a Slack id,
 * or a name on the roster that only one person has, in any case (see whoIsNamed). A Slack id not on
 * the roster is kept as given, for the command to refuse as it always has. Refused: a name nobody has,
 * with the names close to it, and a name several have, with each of them. `field`: the option it was
 * given to, for the refusal (`by` for --by).
 */
export async function personNamed(t: Tally, word: string, field?: string): Promise<string> {
  // an id on the roster is the one query it always was
  const exact = await t.db.member.findUnique({ where: { slackId: word }, select: { slackId: true } });
  if (exact) return exact.slackId;
  const members = await t.db.member.findMany({ select: { slackId: true, name: true, active: true } });
  // the operator's names are nobody's (the command then says `cli` is not on the roster where a person must act)
  return namedIn(members, word.trim().replace(/^@/, ''), field, [TERMINAL, DEMO]);
}

/** A decider named on the command line (an optional --by): the operator at the terminal (`cli`) as it is, else personNamed. */
export async function deciderNamed(t: Tally, word: string, field = 'by'): Promise<string> {
  return word === TERMINAL || word === DEMO ? word : personNamed(t, word, field);
}

function namedIn(members: readonly Nameable[], word: string, field?: string, kept: readonly string[] = []): string {
  const named = whoIsNamed(members, word);
  if ('found' in named) return named.found.slackId;
  if (kept.includes(word)) return word;
  const at = field === undefined ? {} : { field };
  const person = (m: Nameable) => ({ slackId: m.slackId, name: m.name });
  switch (named.problem) {
    case 'id':
      return word;
    case 'unknown':
      throw new TallyError('unknown_person', { name: word, near: named.near.map(person), ...at });
    case 'ambiguous':
      throw new TallyError('ambiguous_person', {
        name: word,
        count: named.matches.length,
        matches: named.matches.map(person),
        ...at,
      });
  }
}

export async function listMembers(t: Tally, opts: { includeInactive?: boolean } = {}): Promise<MemberView[]> {
  // the roster as of today: a change dated today or earlier is in force (usually nothing to write)
  await syncCurrentAssignments(t);
  const rows = await t.db.member.findMany({ where: opts.includeInactive ? {} : { active: true } });
  return rows.map(memberView).sort(rosterOrder);
}

/** Names in the order a Chinese reader looks them up (by pinyin; latin names after them, alphabetically), the same on every machine. */
const BY_NAME = new Intl.Collator('zh-CN', { sensitivity: 'base' });

/**
 * The roster's order (`roster list`, the console's `/who`): by track (pre-sales, then after-sales),
 * then by role from the top (admin, supervisor, lead, then agents), then by name; the Slack id last,
 * so two people of the same name always come in the same order.
 */
export function rosterOrder(a: MemberView, b: MemberView): number {
  return (
    TRACKS.indexOf(a.track) - TRACKS.indexOf(b.track) ||
    ROLES.indexOf(b.role) - ROLES.indexOf(a.role) ||
    BY_NAME.compare(a.name, b.name) ||
    (a.slackId < b.slackId ? -1 : a.slackId > b.slackId ? 1 : 0)
  );
}

/** Everyone active with one of these roles, in roster order: who is told (payroll reports, delivery alerts). */
export async function activeWithRoles(t: Tally, roles: readonly Role[]): Promise<MemberView[]> {
  const rows = await t.db.member.findMany({
    where: { active: true, role: { in: [...roles] } },
    orderBy: { id: 'asc' },
  });
  return rows.map(memberView);
}

/** No one on the roster yet, active or not (a new database). */
export async function rosterIsEmpty(t: Tally): Promise<boolean> {
  return (await t.db.member.count()) === 0;
}
