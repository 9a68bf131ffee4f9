// Policy versions: view the one in force, add a new one from a date on.
import { TallyError } from '../errors.js';
import { isoIn, minuteIn } from '../clock.js';
import { isDay, monthOf, type Day } from '../core/dates.js';
import {
  DEFAULT_POLICY,
  overridePolicy,
  policyOn,
  PolicyError,
  readStoredPolicy,
  type Policy,
} from '../core/policy.js';
import { policyChanges, readOverride } from '../core/policy-doc.js';
import { fromDay, toDay } from '../db/dates.js';
import { audit } from './audit.js';
import { loadPolicyVersions, teamToday, type Tally } from './context.js';
import { actorOrOperator, findActor } from './roster.js';

/** A refused policy document as a refusal code, the field path kept. */
function policyRefusal(e: PolicyError): TallyError {
  const p = e.problem;
  if (p.kind === 'not_object') return new TallyError('policy_not_object', {});
  if (p.kind === 'too_many_rules') return new TallyError('policy_too_many_rules', { active: p.active, max: p.max });
  if (p.kind === 'reserved_key') return new TallyError('policy_reserved_key', { path: e.path, key: p.key });
  return new TallyError('policy_field', { path: e.path, problem: p.message });
}

export async function policyInForce(
  t: Tally,
  on?: Day,
): Promise<{ on: Day; policy: Policy; effectiveFrom: Day | null }> {
  const { today, versions } = await teamToday(t);
  const day = on ?? today;
  if (!isDay(day)) throw new TallyError('bad_date', { value: day, field: 'on' });
  const from = versions.filter((v) => v.effectiveFrom <= day).at(-1)?.effectiveFrom ?? null;
  return { on: day, policy: policyOn(versions, day), effectiveFrom: from };
}

/**
 * Adds a policy version effective from `from`: the override (money in fen, or in yuan as "¥80") is
 * merged onto the policy in force on that day. Backdating would rescore periods already paid, so it
 * needs `backdate`; a version already starting that day is replaced only with `replace`.
 */
export async function setPolicy(
  t: Tally,
  override: unknown,
  opts: { from: Day; by: string; backdate?: boolean; replace?: boolean },
): Promise<{ effectiveFrom: Day; policy: Policy; replaced: boolean }> {
  await actorOrOperator(t, opts.by, 'set_policy');
  if (!isDay(opts.from)) throw new TallyError('bad_date', { value: opts.from, field: 'from' });
  const { today, policy: current } = await teamToday(t);
  if (opts.from < today && !opts.backdate) throw new TallyError('policy_backdated', { from: opts.from, today });
  const versions = await loadPolicyVersions(t);
  let policy: Policy;
  let applied: unknown;
  try {
    applied = readOverride(override);
    policy = overridePolicy(policyOn(versions, opts.from), applied);
  } catch (e) {
    if (e instanceof PolicyError) throw policyRefusal(e);
    throw e;
  }
  const replaced = await t.db.$transaction(async (tx) => {
    // nothing is lost: a version replaced on the same date stays in the audit trail
    const previous = await tx.policyVersion.findUnique({ where: { effectiveFrom: fromDay(opts.from) } });
    if (previous && !opts.replace) {
      throw new TallyError('policy_version_exists', {
        from: opts.from,
        setBy: previous.setBy ?? '?',
        setAt: minuteIn(previous.createdAt, current.timezone),
      });
    }
    // stamped by the business clock, as every record is: `policy versions` says when it was set
    const at = t.clock.now();
    await tx.policyVersion.upsert({
      where: { effectiveFrom: fromDay(opts.from) },
      create: { effectiveFrom: fromDay(opts.from), policy, setBy: opts.by, createdAt: at },
      update: { policy, setBy: opts.by, createdAt: at },
    });
    await audit(
      tx,
      opts.by,
      'policy.set',
      opts.from,
      {
        // as applied: yuan amounts in fen
        override: applied as object,
        ...(previous
          ? {
              replaced: previous.policy as object,
              replacedSetBy: previous.setBy,
              replacedSetAt: previous.createdAt.toISOString(),
            }
          : {}),
      },
      monthOf(opts.from),
    );
    return previous !== null;
  });
  return { effectiveFrom: opts.from, policy, replaced };
}

export interface PolicyVersionView {
  from: Day;
  setBy: string | null;
  /** when it was set (last replaced), ISO 8601 in the team's time zone */
  setAt: string;
  /** field by field against the version before it (the default policy for the first) */
  changes: string[];
}

/** Every policy version, oldest first, with what each changed; `today` tells which are in force. */
export async function policyVersions(t: Tally): Promise<{ today: Day; versions: PolicyVersionView[] }> {
  const { today, policy } = await teamToday(t);
  const rows = await t.db.policyVersion.findMany({ orderBy: { effectiveFrom: 'asc' } });
  let before: Policy = DEFAULT_POLICY;
  const versions = rows.map((r) => {
    const after = readStoredPolicy(r.policy);
    const view = {
      from: toDay(r.effectiveFrom),
      setBy: r.setBy,
      setAt: isoIn(r.createdAt, policy.timezone),
      changes: policyChanges(before, after),
    };
    before = after;
    return view;
  });
  return { today, versions };
}

/**
 * Drops a version that has not started yet (an admin's decision, as setting one is): it is deleted
 * from the versions, and the audit trail keeps it whole (who set it, when, the policy). A version in
 * force or past has been used and stays; so does the team's first, which every later one built on.
 */
export async function dropPolicy(t: Tally, req: { from: string; by: string }): Promise<{ from: Day; later: Day[] }> {
  await findActor(t, req.by, 'drop_policy');
  if (!isDay(req.from)) throw new TallyError('bad_date', { value: req.from, field: 'from' });
  const { today } = await teamToday(t);
  return t.db.$transaction(async (tx) => {
    const rows = await tx.policyVersion.findMany({ orderBy: { effectiveFrom: 'asc' } });
    const days = rows.map((r) => toDay(r.effectiveFrom));
    const i = days.indexOf(req.from);
    const row = rows[i];
    if (!row) throw new TallyError('no_policy_version', { from: req.from, versions: days.join(', ') });
    if (req.from <= today) throw new TallyError('policy_version_started', { from: req.from, today });
    if (i === 0) throw new TallyError('policy_version_first', { from: req.from });
    await tx.policyVersion.delete({ where: { id: row.id } });
    await audit(
      tx,
      req.by,
      'policy.drop',
      req.from,
      { policy: row.policy as object, setBy: row.setBy, setAt: row.createdAt.toISOString() },
      monthOf(req.from),
    );
    return { from: req.from, later: days.slice(i + 1) };
  });
}
