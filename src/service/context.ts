// What every service function gets: the database, the clock, and the team's policy versions.
import type { Clock } from '../clock.js';
import { dayIn } from '../clock.js';
import { DEFAULT_POLICY, parsePolicy, policyOn, type Policy, type PolicyVersion } from '../core/policy.js';
import type { Day } from '../core/dates.js';
import type { Db } from '../db/open.js';
import { toDay } from '../db/dates.js';

export interface Tally {
  db: Db;
  clock: Clock;
}

export async function loadPolicyVersions(t: Tally): Promise<PolicyVersion[]> {
  const rows = await t.db.policyVersion.findMany({ orderBy: { effectiveFrom: 'asc' } });
  return rows.map((r) => ({ effectiveFrom: toDay(r.effectiveFrom), policy: parsePolicy(r.policy) }));
}

/** Today in the team's time zone, with the versions and the policy in force today. */
export async function teamToday(t: Tally): Promise<{ today: Day; policy: Policy; versions: PolicyVersion[] }> {
  const versions = await loadPolicyVersions(t);
  const now = t.clock.now();
  // the time zone itself comes from the policy; which version applies barely depends on it
  const roughDay = dayIn(now, policyOn(versions, dayIn(now, DEFAULT_POLICY.timezone)).timezone);
  const today = dayIn(now, policyOn(versions, roughDay).timezone);
  return { today, policy: policyOn(versions, today), versions };
}
