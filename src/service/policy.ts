// Policy versions: view the one in force, add a new one from a date on.
import { TallyError } from '../errors.js';
import { isDay, monthOf, type Day } from '../core/dates.js';
import { overridePolicy, policyOn, PolicyError, type Policy } from '../core/policy.js';
import { fromDay } from '../db/dates.js';
import { audit } from './audit.js';
import { loadPolicyVersions, teamToday, type Tally } from './context.js';
import { actorOrOperator } from './roster.js';

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
 * Adds a policy version effective from `from`: the override is merged onto the policy in force on
 * that day. Backdating would rescore periods already paid, so it needs `backdate`.
 */
export async function setPolicy(
  t: Tally,
  override: unknown,
  opts: { from: Day; by: string; backdate?: boolean },
): Promise<{ effectiveFrom: Day; policy: Policy }> {
  await actorOrOperator(t, opts.by, 'set_policy');
  if (!isDay(opts.from)) throw new TallyError('bad_date', { value: opts.from, field: 'from' });
  const { today } = await teamToday(t);
  if (opts.from < today && !opts.backdate) throw new TallyError('policy_backdated', { from: opts.from, today });
  const versions = await loadPolicyVersions(t);
  let policy: Policy;
  try {
    policy = overridePolicy(policyOn(versions, opts.from), override);
  } catch (e) {
    if (e instanceof PolicyError) throw policyRefusal(e);
    throw e;
  }
  await t.db.$transaction(async (tx) => {
    // nothing is lost: a version replaced on the same date stays in the audit trail
    const previous = await tx.policyVersion.findUnique({ where: { effectiveFrom: fromDay(opts.from) } });
    await tx.policyVersion.upsert({
      where: { effectiveFrom: fromDay(opts.from) },
      create: { effectiveFrom: fromDay(opts.from), policy, setBy: opts.by },
      update: { policy, setBy: opts.by },
    });
    await audit(
      tx,
      opts.by,
      'policy.set',
      opts.from,
      {
        override: override as object,
        ...(previous ? { replaced: previous.policy as object } : {}),
      },
      monthOf(opts.from),
    );
  });
  return { effectiveFrom: opts.from, policy };
}
