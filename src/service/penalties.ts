// Recording, revoking and listing penalties: the same functions serve the CLI and Slack.
import { dayIn } from '../clock.js';
import { TallyError } from '../errors.js';
import { firstDay, isDay, isMonth, lastDay, monthOf, type Day, type Month } from '../core/dates.js';
import { formatFen } from '../core/money.js';
import { escalationsTriggeredAt, matchRule, priceRule } from '../core/penalties.js';
import type { Escalation, Rule } from '../core/policy.js';
import { policyOn } from '../core/policy.js';
import { fromDay, toDay } from '../db/dates.js';
import type { Db } from '../db/open.js';
import type { Penalty, Member } from '../generated/prisma/client.js';
import { audit } from './audit.js';
import { assertOpen, holdOpen } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { findMember, findStaff, type MemberView } from './roster.js';

export interface PenaltyView {
  id: number;
  slackId: string;
  name: string;
  ruleCode: string | null;
  ruleLabel: Rule['label'] | null;
  reason: string;
  amountFen: number;
  lossFen: number;
  points: number;
  occurredOn: Day;
  recordedBy: string;
  recordedAt: string;
  status: 'active' | 'revoked';
  revokedBy: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
}

type PenaltyRow = Penalty & { member: Member; recordedBy: Member; revokedBy: Member | null };

function view(p: PenaltyRow, rules: Record<string, Rule>): PenaltyView {
  return {
    id: p.id,
    slackId: p.member.slackId,
    name: p.member.name,
    ruleCode: p.ruleCode,
    ruleLabel: p.ruleCode ? (rules[p.ruleCode]?.label ?? null) : null,
    reason: p.reason,
    amountFen: p.amountFen,
    lossFen: p.lossFen,
    points: p.points,
    occurredOn: toDay(p.occurredOn),
    recordedBy: p.recordedBy.slackId,
    recordedAt: p.recordedAt.toISOString(),
    status: p.status,
    revokedBy: p.revokedBy?.slackId ?? null,
    revokedAt: p.revokedAt?.toISOString() ?? null,
    revokeReason: p.revokeReason,
  };
}

const include = { member: true, recordedBy: true, revokedBy: true } as const;

/** A number that can be a penalty id (a positive PostgreSQL integer). */
export function isPenaltyId(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647;
}

export interface PenaltyRequest {
  /** the member penalised */
  slackId: string;
  /** who records it: a lead, supervisor or admin */
  by: string;
  /** a rule code or alias with an optional note, or a free reason */
  text: string;
  amountFen?: number;
  lossFen?: number;
  on?: Day;
}

export interface RecordedPenalty {
  penalty: PenaltyView;
  member: MemberView;
  /** occurrences of this rule for the member this month, this one included */
  monthCount: number;
  /** escalations this penalty triggered (e.g. the 4th buck passing forfeits the month's commission) */
  triggered: Escalation[];
  month: Month;
  /** supervisors to alert (not the one who recorded it): a big amount or a dismissal flag */
  alertSupervisors: string[];
}

export async function recordPenalty(t: Tally, req: PenaltyRequest): Promise<RecordedPenalty> {
  const { today, versions } = await teamToday(t);
  const by = await findStaff(t, req.by, 'record penalties');
  const member = await findMember(t, req.slackId);
  if (!member.active)
    throw new TallyError('inactive_member', `${member.name} (${member.slackId}) is no longer active on the roster`, {
      slackId: member.slackId,
    });
  if (member.id === by.id)
    throw new TallyError('self_penalty', 'nobody may penalise themselves; ask another lead or a supervisor', {});
  const on = req.on ?? today;
  if (!isDay(on)) throw new TallyError('bad_date', `date "${on}" does not exist (write YYYY-MM-DD)`, { value: on });
  if (on > today)
    throw new TallyError('future_date', `${on} is in the future (today is ${today})`, { value: on, today });
  if (on < member.hiredOn)
    throw new TallyError('before_hire', `${on} is before ${member.name} was hired (${member.hiredOn})`, { value: on });
  await assertOpen(t.db, [on], `a penalty dated ${on}`);
  const policy = policyOn(versions, on);
  const max = policy.penalties.maxAmountFen;
  for (const [name, v] of [
    ['amount', req.amountFen],
    ['loss', req.lossFen],
  ] as const) {
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0)
      throw new TallyError('bad_amount', `${name} must be an amount of ¥0 or more`, { name });
    if (v > max)
      throw new TallyError(
        'amount_too_large',
        `${name} ${formatFen(v)} is over the ${formatFen(max)} limit for one penalty`,
        { name, max },
      );
  }
  const text = req.text.trim();
  if (!text) throw new TallyError('missing_reason', 'say which rule was broken or give a reason', {});
  if (text.length > policy.penalties.maxReasonLength) {
    throw new TallyError(
      'reason_too_long',
      `the reason is ${text.length} characters; at most ${policy.penalties.maxReasonLength}`,
      { length: text.length, max: policy.penalties.maxReasonLength },
    );
  }
  const match = matchRule(policy, text);
  let data: { ruleCode: string | null; reason: string; amountFen: number; lossFen: number; points: number };
  let rule: Rule | null = null;
  switch (match.kind) {
    case 'ambiguous':
      throw new TallyError(
        'ambiguous_rule',
        `"${match.text}" matches several rules: ${match.codes.join(', ')}; use the rule code`,
        { text: match.text, codes: match.codes.join(', ') },
      );
    case 'unknown_code':
      throw new TallyError(
        'unknown_rule',
        `unknown rule "${match.text}"; rules: ${Object.keys(policy.penalties.rules).join(', ')} (or a free reason with an amount)`,
        { rule: match.text },
      );
    case 'free':
      if (req.amountFen === undefined) {
        throw new TallyError(
          'free_reason_needs_amount',
          `"${truncate(match.reason, 40)}" is not a rule, so it needs an amount (--amount 50, or ¥50 in Slack); rules: ${Object.keys(policy.penalties.rules).join(', ')}`,
          { reason: match.reason },
        );
      }
      if (req.amountFen === 0)
        throw new TallyError('bad_amount', 'a free-reason penalty needs an amount above ¥0', { name: 'amount' });
      if (req.lossFen !== undefined)
        throw new TallyError(
          'loss_not_allowed',
          'a loss is only added to rules that carry one (order_change_missed); put the whole amount in --amount',
          {},
        );
      data = { ruleCode: null, reason: match.reason, amountFen: req.amountFen, lossFen: 0, points: 0 };
      break;
    case 'rule': {
      rule = match.rule;
      if (req.amountFen !== undefined) {
        throw new TallyError(
          'rule_has_amount',
          `${match.code} costs ${formatFen(rule.amountFen)} by the rulebook; the amount is not yours to change (a different amount needs a free reason)`,
          { rule: match.code },
        );
      }
      if (req.lossFen !== undefined && !rule.addsLoss)
        throw new TallyError('loss_not_allowed', `${match.code} does not add a loss`, { rule: match.code });
      if (req.lossFen === undefined && rule.addsLoss) {
        throw new TallyError(
          'loss_required',
          `${match.code} adds the customer's loss to ${formatFen(rule.amountFen)}: give the loss (--loss 35.50, or "loss ¥35.50" in Slack; 0 if there was none)`,
          { rule: match.code },
        );
      }
      const price = priceRule(rule, req.lossFen ?? 0);
      if (price.amountFen > max)
        throw new TallyError(
          'amount_too_large',
          `${formatFen(price.amountFen)} is over the ${formatFen(max)} limit for one penalty`,
          { max },
        );
      data = { ruleCode: match.code, reason: match.note || rule.label.zh, ...price };
      break;
    }
  }
  const month = monthOf(on);
  const { row, monthCount } = await t.db.$transaction(async (tx) => {
    await holdOpen(tx, [on], `a penalty dated ${on}`);
    // one member's penalties are recorded one at a time, so two leads at once both count right
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(727073, $1)', member.id);
    const row = await tx.penalty.create({
      data: { memberId: member.id, ...data, occurredOn: fromDay(on), recordedById: by.id, recordedAt: t.clock.now() },
      include,
    });
    const monthCount = data.ruleCode
      ? await tx.penalty.count({
          where: {
            memberId: member.id,
            ruleCode: data.ruleCode,
            status: 'active',
            occurredOn: { gte: fromDay(firstDay(month)), lte: fromDay(lastDay(month)) },
          },
        })
      : 0;
    await audit(tx, by.slackId, 'penalty.record', member.slackId, { penaltyId: row.id, ...data, occurredOn: on });
    return { row, monthCount };
  });
  // escalation follows the rulebook in force for the month, as payroll does
  const triggered = data.ruleCode
    ? escalationsTriggeredAt(policyOn(versions, firstDay(month)).penalties.rules[data.ruleCode] ?? rule!, monthCount)
    : [];
  const alert =
    data.amountFen >= policyOn(versions, today).penalties.alertSupervisorsFromFen ||
    triggered.some((e) => e.action === 'dismissal');
  const supervisors = alert ? await t.db.member.findMany({ where: { active: true, role: 'supervisor' } }) : [];
  return {
    penalty: view(row, policy.penalties.rules),
    member,
    monthCount,
    triggered,
    month,
    alertSupervisors: supervisors.map((s) => s.slackId).filter((id) => id !== by.slackId),
  };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Takes the penalty's row lock inside a transaction. Filing, deciding and revoking all take it first,
 * so they happen one after another on a penalty and always see each other's result.
 */
export async function lockPenalty(tx: Pick<Db, '$queryRawUnsafe'>, penaltyId: number): Promise<void> {
  await tx.$queryRawUnsafe('SELECT id FROM penalty WHERE id = $1 FOR UPDATE', penaltyId);
}

export interface RevokedPenalty extends PenaltyView {
  /** the appeal that was waiting on this penalty, closed by the revoke */
  closedAppealId: number | null;
}

export async function revokePenalty(t: Tally, req: { id: number; by: string; why: string }): Promise<RevokedPenalty> {
  const by = await findStaff(t, req.by, 'revoke penalties');
  const why = req.why.trim();
  if (!why) throw new TallyError('missing_reason', 'say why the penalty is revoked', {});
  const { versions, today } = await teamToday(t);
  const max = policyOn(versions, today).penalties.maxReasonLength;
  if (why.length > max)
    throw new TallyError('reason_too_long', `the reason is ${why.length} characters; at most ${max}`, {
      length: why.length,
      max,
    });
  if (!isPenaltyId(req.id))
    throw new TallyError('no_such_penalty', `there is no penalty #${req.id}`, { id: String(req.id) });
  const dated = await t.db.penalty.findUnique({ where: { id: req.id }, select: { occurredOn: true } });
  if (dated) await assertOpen(t.db, [toDay(dated.occurredOn)], `revoking penalty #${req.id}`);
  const now = t.clock.now();
  return t.db.$transaction(async (tx) => {
    if (dated) await holdOpen(tx, [toDay(dated.occurredOn)], `revoking penalty #${req.id}`);
    await lockPenalty(tx, req.id);
    // the status check is in the WHERE so two revokes racing cannot both succeed
    const updated = await tx.penalty.updateMany({
      where: { id: req.id, status: 'active' },
      data: { status: 'revoked', revokedById: by.id, revokedAt: now, revokeReason: why },
    });
    const row = await tx.penalty.findUnique({ where: { id: req.id }, include });
    if (!row) throw new TallyError('no_such_penalty', `there is no penalty #${req.id}`, { id: req.id });
    if (updated.count === 0) {
      const on = row.revokedAt ? dayIn(row.revokedAt, policyOn(versions, today).timezone) : '?';
      throw new TallyError(
        'already_revoked',
        `penalty #${req.id} was already revoked by ${row.revokedBy?.name ?? '?'} on ${on}: ${row.revokeReason}`,
        { id: req.id },
      );
    }
    if (row.memberId === by.id) {
      throw new TallyError('self_revoke', 'nobody may revoke their own penalty; ask another lead or a supervisor', {
        id: req.id,
      });
    }
    await audit(tx, by.slackId, 'penalty.revoke', row.member.slackId, { penaltyId: row.id, why });
    // nothing is left to decide on a revoked penalty: a waiting appeal is closed with it
    const pending = await tx.appeal.findFirst({
      where: { penaltyId: row.id, status: 'pending' },
      select: { id: true },
    });
    if (pending) {
      await tx.appeal.update({
        where: { id: pending.id },
        data: { status: 'closed', decidedById: by.id, decidedAt: now, decision: `penalty revoked: ${why}` },
      });
      await audit(tx, by.slackId, 'appeal.close', row.member.slackId, { appealId: pending.id, penaltyId: row.id, why });
    }
    return {
      ...view(row, policyOn(versions, toDay(row.occurredOn)).penalties.rules),
      closedAppealId: pending?.id ?? null,
    };
  });
}

export async function listPenaltiesById(t: Tally, ids: number[]): Promise<PenaltyView[]> {
  ids = ids.filter(isPenaltyId);
  if (ids.length === 0) return [];
  const { versions } = await teamToday(t);
  const rows = await t.db.penalty.findMany({ where: { id: { in: ids } }, include, orderBy: { id: 'asc' } });
  return rows.map((r) => view(r, policyOn(versions, toDay(r.occurredOn)).penalties.rules));
}

export async function listPenalties(t: Tally, opts: { slackId?: string; month?: Month } = {}): Promise<PenaltyView[]> {
  const { versions } = await teamToday(t);
  const where: Record<string, unknown> = {};
  if (opts.slackId) where.memberId = (await findMember(t, opts.slackId)).id;
  if (opts.month) {
    if (!isMonth(opts.month))
      throw new TallyError('bad_month', `"${opts.month}" is not a month (YYYY-MM)`, { value: opts.month });
    where.occurredOn = { gte: fromDay(firstDay(opts.month)), lte: fromDay(lastDay(opts.month)) };
  }
  const rows = await t.db.penalty.findMany({ where, include, orderBy: [{ occurredOn: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => view(r, policyOn(versions, toDay(r.occurredOn)).penalties.rules));
}
