// Who stands above whom: agent < lead < supervisor < admin. Acting on someone (their penalties, their
// appeal, their promotion, their place on the roster) needs a role above theirs; giving someone a
// role, or a level that stands with one (lead, supervisor), needs a role above it, except for an admin.
import { ROLES, STAFF_ROLES, type Level, type Role } from './policy.js';

/** What one person does to another, each needing a role above the other's. */
export type OverAction = 'penalise' | 'revoke' | 'decide_appeal' | 'decide_promotion' | 'change';

const height = (r: Role) => ROLES.indexOf(r);

/** The role a level stands with: a lead's and a supervisor's level are theirs, the others an agent's. */
export function levelStanding(level: Level): Role {
  return level === 'lead' || level === 'supervisor' ? level : 'agent';
}

/**
 * Whether someone of role `by` may do `action` to someone of role `of`: only from above, so nobody
 * penalises an admin; the roster is the exception, where an admin may change another admin.
 */
export function mayActOn(action: OverAction, by: Role, of: Role): boolean {
  if (!STAFF_ROLES.includes(by)) return false;
  if (action === 'change' && by === 'admin') return true;
  return height(by) > height(of);
}

/** The roles that may do `action` to someone of role `of`, lowest first; empty when nobody may. */
export function rolesOver(action: OverAction, of: Role): Role[] {
  return STAFF_ROLES.filter((r) => mayActOn(action, r, of));
}

/** Whether someone of role `by` may make someone `to` (a role, or a level's standing): below their own; an admin anything. */
export function mayGive(by: Role, to: Role): boolean {
  if (!STAFF_ROLES.includes(by)) return false;
  return by === 'admin' || height(by) > height(to);
}

/** The roles that may make someone `to`, lowest first. */
export function rolesGiving(to: Role): Role[] {
  return STAFF_ROLES.filter((r) => mayGive(r, to));
}

/** Whether someone of role `by` may decide the promotion of someone of role `of` to level `to`. */
export function mayDecidePromotion(by: Role, of: Role, to: Level): boolean {
  return mayActOn('decide_promotion', by, of) && mayGive(by, levelStanding(to));
}
