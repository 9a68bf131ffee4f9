// The roster: who is on the team, in which track and level, with which role. Nobody is deleted.
import { TallyError, type AdminAction, type CsvCell, type StaffAction } from '../errors.js';
import { toDay } from '../db/dates.js';
import type { Member } from '../generated/prisma/client.js';
import type { Db } from '../db/open.js';
import { nameError, type RosterEntry } from '../import/roster.js';
import { memberName } from '../core/names.js';
import { STAFF_ROLES, type Level, type Role, type Track } from '../core/policy.js';
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

/**
 * Adds new members (their first assignment from hired_on) and updates existing ones: a new name is a
 * rename, a new platform account moves, and a changed track, level or role is a dated assignment from
 * the row's effective_from (default: the team's today). An existing member's row with another hire
 * date is refused: it would make them someone else (roster set --hired-on --correct corrects one).
 * The same file imported twice changes nothing the second time.
 */
export async function importRoster(
  t: Tally,
  entries: RosterEntry[],
  meta: { fileName: string; by: string },
): Promise<RosterImportResult> {
  const { today } = await teamToday(t);
  // a lead's file may add and move only people below them, to roles and levels below their own
  const actor = await actorOrOperator(t, meta.by, 'import_files');
  const write = () =>
    t.db.$transaction(
      async (tx) => {
        // one roster import at a time, so each one's added/updated counts are true
        await lockImports(tx, 'roster');
        // a month close waits for this import, and this import sees every month already closed
        await holdOpen(tx, [], { write: 'metrics', file: meta.fileName });
        const existing = new Map(
          (await tx.member.findMany({ include: { assignments: { orderBy: { effectiveFrom: 'asc' } } } })).map((m) => [
            m.slackId,
            m,
          ]),
        );
        const closed = new Set(
          (await tx.monthClose.findMany({ where: { reopenedAt: null }, select: { month: true } })).map((c) => c.month),
        );
        const result: RosterImportResult = { added: 0, updated: 0, unchanged: 0, inactive: [] };
        const changed: Array<{
          slackId: string;
          name: string;
          track: Track;
          level: Level;
          role: Role;
          hiredOn: Day;
          platformAccount: string | null;
        }> = [];
        const moves: Array<{ memberId: number; from: Day; track: Track; level: Level; role: Role }> = [];
        checkAccounts(existing, entries, meta.fileName);
        // a file that demotes the last lead, supervisor or admin (and names no other) is refused
        await assertDecidersRemain(
          tx,
          entries.map((e) => ({ slackId: e.slackId, role: e.role ?? existing.get(e.slackId)?.role ?? 'agent' })),
        );
        for (const raw of entries) {
          const cell = (column: string) => ({
            file: meta.fileName,
            line: raw.line,
            column: (raw.columns && own(raw.columns, column)) ?? column,
            ...(raw.sheet === undefined ? {} : { sheet: raw.sheet }),
          });
          // the file readers checked it already; the demo and any other caller meet the same rule here
          const checked = memberName(raw.name);
          if ('problem' in checked) throw nameError(checked, cell('name'));
          const e = { ...raw, name: checked.name };
          const old = existing.get(e.slackId);
          const at = { member: cell('slack_id'), role: cell('role'), level: cell('level') };
          if (!old) {
            if (actor) assertMayGive(actor, { role: e.role ?? 'agent', level: e.level }, at);
            result.added++;
            changed.push({
              slackId: e.slackId,
              name: e.name,
              track: e.track,
              level: e.level,
              role: e.role ?? 'agent',
              hiredOn: e.hiredOn,
              platformAccount: e.platformAccount ?? null,
            });
            continue;
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
          if (!old.active) result.inactive.push(e.slackId);
          const rows = old.assignments.map((a) => ({ ...a, from: toDay(a.effectiveFrom) }));
          const from = e.effectiveFrom ?? (today < hiredOn ? hiredOn : today);
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
          if (moved) {
            const until = rows.find((a) => a.from > from)?.from ?? null;
            const hit = [...closed]
              .sort()
              .find((month) => month >= monthOf(from) && (until === null || month <= monthOf(addDays(until, -1))));
            if (hit)
              throw new TallyError('month_closed', { month: hit, write: 'assignment', slackId: old.slackId, from });
            moves.push({ memberId: old.id, from, ...wanted });
          }
          const platformAccount = e.platformAccount ?? old.platformAccount ?? null;
          const renamed = old.name !== e.name || old.platformAccount !== platformAccount;
          if (!moved && !renamed) result.unchanged++;
          else {
            result.updated++;
            // the member row keeps today's track, level and role: refreshed from the assignments below
            if (renamed)
              changed.push({ ...e, track: old.track, level: old.level, role: old.role, hiredOn, platformAccount });
          }
        }
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

/** A sub-account names one member: one the file gives someone must not stay with someone else. */
function checkAccounts(existing: Map<string, Member>, entries: RosterEntry[], fileName: string): void {
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
      throw new TallyError('csv_platform_account_taken', {
        file: fileName,
        line: e.line,
        column: e.columns?.platform_account ?? 'platform_account',
        ...(e.sheet === undefined ? {} : { sheet: e.sheet }),
        account,
        slackId: other,
      });
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
  const decides = (m: { active: boolean; role: Role }) => m.active && STAFF_ROLES.includes(m.role);
  const now = await tx.member.findMany({
    where: {
      OR: [{ active: true, role: { in: [...STAFF_ROLES] } }, { slackId: { in: changes.map((c) => c.slackId) } }],
    },
    select: { slackId: true, name: true, role: true, active: true },
    orderBy: { id: 'asc' },
  });
  const before = now.filter(decides);
  if (!before.length) return; // nobody decides now: nothing to lose (a new team, or one that lost them before this guard)
  const byId = new Map(now.map((m) => [m.slackId, m]));
  const after = new Map(before.map((m) => [m.slackId, m]));
  for (const c of changes) {
    const old = byId.get(c.slackId);
    const next = { active: c.active ?? old?.active ?? true, role: c.role ?? old?.role ?? 'agent' };
    if (decides(next)) after.set(c.slackId, { slackId: c.slackId, name: old?.name ?? '', ...next });
    else after.delete(c.slackId);
  }
  if (after.size) return;
  const last = before[0]!;
  const change = changes.find((c) => c.slackId === last.slackId);
  throw new TallyError('last_decider', {
    slackId: last.slackId,
    name: last.name,
    role: last.role,
    change: change?.active === false ? 'deactivate' : 'demote',
  });
}

const SLACK_ID = /^[UW][A-Z0-9]+$/;

/**
 * Whom plain `@name` words name (typed in Slack without picking from its list, or in the console): a
 * roster name in any case, or a Slack id. A Slack id not on the roster stays itself (the command then
 * says it is not on the roster). Refused: a name nobody has, and one several have (among the active
 * ones, when some are active). No query when there are none.
 */
export async function peopleNamed(t: Tally, names: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!names.length) return out;
  const members = await t.db.member.findMany({ select: { slackId: true, name: true, active: true } });
  for (const name of new Set(names)) {
    const id = name.toUpperCase();
    if (members.some((m) => m.slackId === id)) {
      out.set(name, id);
      continue;
    }
    const lower = name.toLowerCase();
    const all = members.filter((m) => m.name.toLowerCase() === lower);
    const active = all.filter((m) => m.active);
    const found = active.length ? active : all;
    if (found.length === 0 && SLACK_ID.test(name)) {
      out.set(name, name);
      continue;
    }
    if (found.length === 0) throw new TallyError('unknown_person', { name });
    if (found.length > 1) throw new TallyError('ambiguous_person', { name, count: found.length });
    out.set(name, found[0]!.slackId);
  }
  return out;
}

export async function listMembers(t: Tally, opts: { includeInactive?: boolean } = {}): Promise<MemberView[]> {
  // the roster as of today: a change dated today or earlier is in force (usually nothing to write)
  await syncCurrentAssignments(t);
  const rows = await t.db.member.findMany({
    where: opts.includeInactive ? {} : { active: true },
    orderBy: [{ track: 'asc' }, { name: 'asc' }],
  });
  return rows.map(memberView);
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
