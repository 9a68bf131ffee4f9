// What every service function gets: the database, the clock, and the team's policy versions.
import type { Clock } from '../clock.js';
import { dayIn } from '../clock.js';
import { DEFAULT_POLICY, policyOn, readStoredPolicy, type Policy, type PolicyVersion } from '../core/policy.js';
import type { Day } from '../core/dates.js';
import { openDatabase, type Database, type Db } from '../db/open.js';
import { toDay } from '../db/dates.js';

export interface Tally {
  db: Db;
  clock: Clock;
}

export type { Database };

/** The services' context over a database the caller opened (and closes). */
export function tallyOver(database: Database, clock: Clock): Tally {
  return { db: database.prisma, clock };
}

/** Opens the database at `url` (see src/db/open.ts) for the services; close() when done. */
export async function openTally(
  url: string | undefined,
  clock: Clock,
  opts: { lean?: boolean } = {},
): Promise<{ tally: Tally; close(): Promise<void> }> {
  const database = await openDatabase(url, opts);
  return { tally: tallyOver(database, clock), close: () => database.close() };
}

// Reading a policy document back and validating it grows with its rule catalog (over 100 ms for
// 10,000 rules), and every request needs the policy. So each request reads only the versions' ids
// and row stamps (PostgreSQL's xmin, new whenever a row is written), and a document is fetched and
// parsed once per version and change; concurrent requests share one load.
const loaded = new WeakMap<object, Map<number, { stamp: string; version: Promise<PolicyVersion> }>>();

export async function loadPolicyVersions(t: Tally): Promise<PolicyVersion[]> {
  const heads = await t.db.$queryRawUnsafe<Array<{ id: number; stamp: string }>>(
    'SELECT id, xmin::text AS stamp FROM policy_version ORDER BY effective_from',
  );
  let cache = loaded.get(t.db);
  if (!cache) loaded.set(t.db, (cache = new Map()));
  const stale = heads.filter((h) => cache.get(h.id)?.stamp !== h.stamp);
  if (stale.length) {
    const rows = t.db.policyVersion.findMany({ where: { id: { in: stale.map((h) => h.id) } } });
    for (const h of stale) {
      const version = rows.then((all) => {
        const r = all.find((row) => row.id === h.id);
        if (!r) throw new Error(`policy version ${h.id} disappeared while being read`);
        return { effectiveFrom: toDay(r.effectiveFrom), policy: readStoredPolicy(r.policy) };
      });
      // a failed load is not kept: the next request tries again
      version.catch(() => cache.get(h.id)?.version === version && cache.delete(h.id));
      cache.set(h.id, { stamp: h.stamp, version });
    }
  }
  return Promise.all(heads.map((h) => cache.get(h.id)!.version));
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
