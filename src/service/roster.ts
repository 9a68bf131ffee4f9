// The roster: who is on the team, in which track and level, with which role. Nobody is deleted.
import { TallyError } from '../errors.js';
import { fromDay, toDay } from '../db/dates.js';
import type { Member } from '../generated/prisma/client.js';
import type { RosterEntry } from '../import/roster.js';
import type { Level, Role, Track } from '../core/policy.js';
import type { Day } from '../core/dates.js';
import { audit } from './audit.js';
import type { Tally } from './context.js';

export interface MemberView {
  id: number;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  role: Role;
  hiredOn: Day;
  active: boolean;
}

export function memberView(m: Member): MemberView {
  return { id: m.id, slackId: m.slackId, name: m.name, track: m.track, level: m.level, role: m.role, hiredOn: toDay(m.hiredOn), active: m.active };
}

export const STAFF_ROLES: readonly Role[] = ['lead', 'supervisor', 'admin'];

export async function findMember(t: Tally, slackId: string): Promise<MemberView> {
  const m = await t.db.member.findUnique({ where: { slackId } });
  if (!m) throw new TallyError('not_on_roster', `${slackId} is not on the roster`, { slackId });
  return memberView(m);
}

/** A member who may act as staff (record penalties, import, see others' detail). */
export async function findStaff(t: Tally, slackId: string, action: string): Promise<MemberView> {
  const m = await findMember(t, slackId);
  if (!m.active) throw new TallyError('inactive_member', `${m.name} (${slackId}) is no longer active on the roster`, { slackId });
  if (!STAFF_ROLES.includes(m.role)) {
    throw new TallyError('not_allowed', `${m.name} (${slackId}) is an ${m.role}; only a lead, supervisor or admin may ${action}`, { slackId, action });
  }
  return m;
}

export interface RosterImportResult {
  added: number;
  updated: number;
  unchanged: number;
  /** in the file but deactivated: left inactive (roster activate brings them back) */
  inactive: string[];
}

export async function importRoster(t: Tally, entries: RosterEntry[], meta: { fileName: string; by: string }): Promise<RosterImportResult> {
  return t.db.$transaction(async (tx) => {
    const existing = new Map((await tx.member.findMany()).map((m) => [m.slackId, m]));
    const result: RosterImportResult = { added: 0, updated: 0, unchanged: 0, inactive: [] };
    for (const e of entries) {
      const old = existing.get(e.slackId);
      const data = { name: e.name, track: e.track, level: e.level, role: e.role ?? old?.role ?? 'agent', hiredOn: fromDay(e.hiredOn) };
      if (!old) {
        await tx.member.create({ data: { slackId: e.slackId, ...data } });
        result.added++;
        continue;
      }
      if (!old.active) result.inactive.push(e.slackId);
      const same = old.name === e.name && old.track === e.track && old.level === e.level && old.role === data.role && toDay(old.hiredOn) === e.hiredOn;
      if (same) {
        result.unchanged++;
      } else {
        await tx.member.update({ where: { id: old.id }, data });
        result.updated++;
      }
    }
    await tx.importBatch.create({ data: { kind: 'roster', fileName: meta.fileName, rowCount: entries.length, importedBy: meta.by } });
    await audit(tx, meta.by, 'roster.import', meta.fileName, { ...result });
    return result;
  });
}

export async function setActive(t: Tally, slackId: string, active: boolean, by: string): Promise<MemberView> {
  const m = await findMember(t, slackId);
  if (m.active === active) {
    throw new TallyError(active ? 'already_active' : 'already_inactive', `${m.name} (${slackId}) is already ${active ? 'active' : 'deactivated'}`, { slackId });
  }
  return t.db.$transaction(async (tx) => {
    const updated = await tx.member.update({ where: { slackId }, data: { active, deactivatedAt: active ? null : t.clock.now() } });
    await audit(tx, by, active ? 'roster.activate' : 'roster.deactivate', slackId);
    return memberView(updated);
  });
}

export async function listMembers(t: Tally, opts: { includeInactive?: boolean } = {}): Promise<MemberView[]> {
  const rows = await t.db.member.findMany({ where: opts.includeInactive ? {} : { active: true }, orderBy: [{ track: 'asc' }, { name: 'asc' }] });
  return rows.map(memberView);
}
