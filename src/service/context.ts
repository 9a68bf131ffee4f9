// What every service function gets: the database, the clock, and the team's policy versions.
import type { Clock } from '../clock.js';
import { dayIn } from '../clock.js';
import { DEFAULT_POLICY, policyOn, readStoredPolicy, type Policy, type PolicyVersion } from '../core/policy.js';
import type { Day } from '../core/dates.js';
import type { Db } from '../db/open.js';
import { toDay } from '../db/dates.js';

export interface Tally {
  db: Db;
  clock: Clock;
}

// validating a whole policy costs about a millisecond and every request needs it: keep each parsed
// document, keyed by its stored text (a changed policy is a different text)
const parsed = new Map<string, Policy>();

function parseStored(doc: unknown): Policy {
  const key = JSON.stringify(doc);
  let policy = parsed.get(key);
  if (!policy) {
    policy = readStoredPolicy(doc);
    if (parsed.size > 100) parsed.clear();
    parsed.set(key, policy);
  }
  return policy;
}

export async function loadPolicyVersions(t: Tally): Promise<PolicyVersion[]> {
  const rows = await t.db.policyVersion.findMany({ orderBy: { effectiveFrom: 'asc' } });
  return rows.map((r) => ({ effectiveFrom: toDay(r.effectiveFrom), policy: parseStored(r.policy) }));
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
