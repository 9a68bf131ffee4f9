// What every service function gets: the database, the clock, and the team's policy versions.
import type { Clock } from '../clock.js';
import { dayIn } from '../clock.js';
import { DEFAULT_POLICY, policyOn, readStoredPolicy, type Policy, type PolicyVersion } from '../core/policy.js';
import type { Day } from '../core/dates.js';
import { openDatabase, type Database, type Db, type OpenOptions } from '../db/open.js';
import { toDay } from '../db/dates.js';

export interface Tally {
  db: Db;
  /** the business clock: what day and month it is (TALLY_NOW fixes it) */
  clock: Clock;
  /** the real clock, for how long something has waited (leases, retries, expiries); the system's unless a test injects one */
  realClock?: Clock;
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
  opts: OpenOptions = {},
): Promise<{ tally: Tally; close(): Promise<void> }> {
  const database = await openDatabase(url, opts);
  return { tally: tallyOver(database, clock), close: () => database.close() };
}

// Reading a policy document back and validating it grows with its rule catalog (over 100 ms for
// 10,000 rules), and every request needs the policy. So each request reads only the versions' ids
// and row stamps (PostgreSQL's xmin, new whenever a row is written), and a document is fetched and
// parsed once per version and change; concurrent requests share one load.
const loaded = new WeakMap<object, Map<number, { stamp: string; version: Promise<PolicyVersion> }>>();

const remembered = new WeakMap<object, { heads: string; versions: Promise<PolicyVersion[]> }>();

/**
 * SQL for the versions' ids and row stamps as one string: a query that reads it alongside its own
 * answer checks in the same round trip that the versions read last (rememberedTeam) still hold.
 */
export const POLICY_HEADS_SQL = `(SELECT COALESCE(string_agg(id::text || ':' || xmin::text, ',' ORDER BY effective_from, id), '')
  FROM policy_version)`;

/** Thrown by a read that found the policy versions changed since rememberedTeam: start again from teamToday. */
export class PolicyMoved extends Error {
  constructor() {
    super('the policy changed since it was last read');
  }
}

export async function loadPolicyVersions(t: Tally): Promise<PolicyVersion[]> {
  const heads = await t.db.$queryRawUnsafe<Array<{ id: number; stamp: string }>>(
    'SELECT id, xmin::text AS stamp FROM policy_version ORDER BY effective_from, id',
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
  const versions = Promise.all(heads.map((h) => cache.get(h.id)!.version));
  const last = { heads: heads.map((h) => `${h.id}:${h.stamp}`).join(','), versions };
  remembered.set(t.db, last);
  versions.catch(() => remembered.get(t.db) === last && remembered.delete(t.db));
  return versions;
}

export interface TeamToday {
  today: Day;
  policy: Policy;
  versions: PolicyVersion[];
}

/** The last team computed from a versions list, by the minute it was for (a day always starts on a whole minute). */
const lastTeam = new WeakMap<PolicyVersion[], { minute: number; team: TeamToday }>();

function teamOn(versions: PolicyVersion[], now: Date): TeamToday {
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastTeam.get(versions);
  if (last?.minute === minute) return last.team;
  const team = computeTeam(versions, now);
  lastTeam.set(versions, { minute, team });
  return team;
}

function computeTeam(versions: PolicyVersion[], now: Date): TeamToday {
  // the time zone itself comes from the policy; which version applies barely depends on it
  const roughDay = dayIn(now, policyOn(versions, dayIn(now, DEFAULT_POLICY.timezone)).timezone);
  const today = dayIn(now, policyOn(versions, roughDay).timezone);
  return { today, policy: policyOn(versions, today), versions };
}

/** Today in the team's time zone, with the versions and the policy in force today. */
export async function teamToday(t: Tally): Promise<TeamToday> {
  return teamOn(await loadPolicyVersions(t), t.clock.now());
}

/**
 * Today's team from the policy versions this process read last, without a query, and `heads`, which
 * versions those were; null before any read. Only for a caller whose next query reads
 * POLICY_HEADS_SQL, compares it with `heads` and starts again from teamToday when they differ
 * (PolicyMoved): a change by another replica is then seen by the same round trip.
 */
export async function rememberedTeam(t: Tally): Promise<(TeamToday & { heads: string }) | null> {
  const last = remembered.get(t.db);
  if (!last) return null;
  try {
    return { ...teamOn(await last.versions, t.clock.now()), heads: last.heads };
  } catch {
    return null;
  }
}
