// Recording, revoking and listing penalties: the same functions serve the CLI and Slack.
import { dayIn } from '../clock.js';
import { TallyError } from '../errors.js';
import { shownText } from '../core/text.js';
import { firstDay, isDay, isMonth, lastDay, monthOf, type Day, type Month } from '../core/dates.js';
import { own } from '../core/keys.js';
import { escalationsTriggeredAt, matchRule, priceRule } from '../core/penalties.js';
import type { Escalation, Rule } from '../core/policy.js';
import { policyOn } from '../core/policy.js';
import { fromDay, toDay } from '../db/dates.js';
import type { Db } from '../db/open.js';
import type { Penalty, Member } from '../generated/prisma/client.js';
import { audit } from './audit.js';
import { assertOpen, holdOpen } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { assertOver, findMember, findStaff, type MemberView } from './roster.js';

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
    ruleLabel: p.ruleCode ? (own(rules, p.ruleCode)?.label ?? null) : null,
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
  const by = await findStaff(t, req.by, 'record_penalties');
  const member = await findMember(t, req.slackId);
  if (!member.active) throw new TallyError('inactive_member', { slackId: member.slackId, name: member.name });
  if (member.id === by.id) throw new TallyError('self_penalty', {});
  // only from above: a lead penalises agents, a supervisor leads too, an admin supervisors too
  assertOver('penalise', by, member);
  const on = req.on ?? today;
  if (!isDay(on)) throw new TallyError('bad_date', { value: on });
  if (on > today) throw new TallyError('future_date', { value: on, today });
  if (on < member.hiredOn) {
    throw new TallyError('before_hire', {
      value: on,
      slackId: member.slackId,
      name: member.name,
      hiredOn: member.hiredOn,
    });
  }
  await assertOpen(t.db, [on], { write: 'penalty', on });
  const policy = policyOn(versions, on);
  const max = policy.penalties.maxAmountFen;
  for (const [name, v] of [
    ['amount', req.amountFen],
    ['loss', req.lossFen],
  ] as const) {
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0) throw new TallyError('bad_amount', { name });
    if (v > max) throw new TallyError('amount_too_large', { name, amountFen: v, maxFen: max });
  }
  // what a lead typed, kept as shown: a control character (U+0000 PostgreSQL cannot store) is dropped
  const text = shownText(req.text).trim();
  if (!text) throw new TallyError('missing_reason', {});
  if (text.length > policy.penalties.maxReasonLength) {
    throw new TallyError('reason_too_long', {
      length: text.length,
      max: policy.penalties.maxReasonLength,
      text: 'reason',
    });
  }
  const codes = Object.keys(policy.penalties.rules).join(', ');
  const match = matchRule(policy, text);
  let data: { ruleCode: string | null; reason: string; amountFen: number; lossFen: number; points: number };
  switch (match.kind) {
    case 'ambiguous':
      throw new TallyError('ambiguous_rule', { text: match.text, codes: match.codes.join(', ') });
    case 'unknown_code':
      throw new TallyError('unknown_rule', { rule: match.text, codes });
    case 'free':
      if (req.amountFen === undefined)
        throw new TallyError('free_reason_needs_amount', { reason: match.reason, codes });
      if (req.amountFen === 0) throw new TallyError('zero_amount', {});
      if (req.lossFen !== undefined) throw new TallyError('loss_on_free_reason', {});
      data = { ruleCode: null, reason: match.reason, amountFen: req.amountFen, lossFen: 0, points: 0 };
      break;
    case 'rule': {
      const rule = match.rule;
      if (req.amountFen !== undefined)
        throw new TallyError('rule_has_amount', { rule: match.code, amountFen: rule.amountFen });
      if (req.lossFen !== undefined && !rule.addsLoss) throw new TallyError('loss_not_allowed', { rule: match.code });
      if (req.lossFen === undefined && rule.addsLoss)
        throw new TallyError('loss_required', { rule: match.code, amountFen: rule.amountFen });
      const price = priceRule(rule, req.lossFen ?? 0);
      if (price.amountFen > max) throw new TallyError('amount_too_large', { amountFen: price.amountFen, maxFen: max });
      data = { ruleCode: match.code, reason: match.note || rule.label.zh, ...price };
      break;
    }
  }
  const month = monthOf(on);
  const { row, monthCount } = await t.db.$transaction(async (tx) => {
    await holdOpen(tx, [on], { write: 'penalty', on });
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
    await audit(
      tx,
      by.slackId,
      'penalty.record',
      member.slackId,
      { penaltyId: row.id, ...data, occurredOn: on },
      // the penalty's own trigger bumps its month, naming the member (month_change)
      null,
    );
    return { row, monthCount };
  });
  // escalation follows the rulebook in force for the month, as payroll does: a rule added since escalates from next month
  const monthRule = data.ruleCode ? own(policyOn(versions, firstDay(month)).penalties.rules, data.ruleCode) : undefined;
  const triggered = monthRule ? escalationsTriggeredAt(monthRule, monthCount) : [];
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
    // not the one who recorded it, nor a supervisor penalised (they have their own DM)
    alertSupervisors: supervisors.map((s) => s.slackId).filter((id) => id !== by.slackId && id !== member.slackId),
  };
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
  const by = await findStaff(t, req.by, 'revoke_penalties');
  const why = shownText(req.why).trim();
  if (!why) throw new TallyError('missing_revoke_reason', {});
  const { versions, today } = await teamToday(t);
  const max = policyOn(versions, today).penalties.maxReasonLength;
  if (why.length > max) throw new TallyError('reason_too_long', { length: why.length, max, text: 'reason' });
  if (!isPenaltyId(req.id)) throw new TallyError('no_such_penalty', { id: req.id });
  const dated = await t.db.penalty.findUnique({ where: { id: req.id }, select: { occurredOn: true } });
  const revoking = { write: 'revoke', id: req.id } as const;
  if (dated) await assertOpen(t.db, [toDay(dated.occurredOn)], revoking);
  const now = t.clock.now();
  return t.db.$transaction(async (tx) => {
    if (dated) await holdOpen(tx, [toDay(dated.occurredOn)], revoking);
    await lockPenalty(tx, req.id);
    // the status check is in the WHERE so two revokes racing cannot both succeed
    const updated = await tx.penalty.updateMany({
      where: { id: req.id, status: 'active' },
      data: { status: 'revoked', revokedById: by.id, revokedAt: now, revokeReason: why },
    });
    const row = await tx.penalty.findUnique({ where: { id: req.id }, include });
    if (!row) throw new TallyError('no_such_penalty', { id: req.id });
    if (updated.count === 0) {
      const on = row.revokedAt ? dayIn(row.revokedAt, policyOn(versions, today).timezone) : '?';
      throw new TallyError('already_revoked', {
        id: req.id,
        by: row.revokedBy?.slackId ?? '?',
        byName: row.revokedBy?.name ?? '?',
        on,
        why: row.revokeReason ?? '',
      });
    }
    if (row.memberId === by.id) throw new TallyError('self_revoke', {});
    // whoever may not penalise someone may not take their penalties back either
    assertOver('revoke', by, row.member);
    await audit(
      tx,
      by.slackId,
      'penalty.revoke',
      row.member.slackId,
      { penaltyId: row.id, why },
      null, // bumped by the penalty's trigger
    );
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
      await audit(
        tx,
        by.slackId,
        'appeal.close',
        row.member.slackId,
        { appealId: pending.id, penaltyId: row.id, why },
        null,
      );
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

/** The appeal of a penalty, named by the penalty's id as everywhere (`/accept 12`): waiting, accepted, rejected, or closed by a revoke. */
export interface PenaltyAppeal {
  status: 'pending' | 'accepted' | 'rejected' | 'closed';
  filedAt: string;
  /** who decided it (Slack id and name); null while it waits, and for one a revoke closed */
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  /** the decider's comment */
  decision: string | null;
}

/** A penalty as `penalty list` shows it: with its appeal, whatever became of it (null: never appealed). */
export type ListedPenalty = PenaltyView & { appeal: PenaltyAppeal | null };

export async function listPenalties(
  t: Tally,
  opts: { slackId?: string; month?: Month } = {},
): Promise<ListedPenalty[]> {
  const { versions } = await teamToday(t);
  const where: Record<string, unknown> = {};
  if (opts.slackId) where.memberId = (await findMember(t, opts.slackId)).id;
  if (opts.month) {
    if (!isMonth(opts.month)) throw new TallyError('bad_month', { value: opts.month });
    where.occurredOn = { gte: fromDay(firstDay(opts.month)), lte: fromDay(lastDay(opts.month)) };
  }
  const rows = await t.db.penalty.findMany({
    where,
    include: { ...include, appeal: { include: { decidedBy: true } } },
    orderBy: [{ occurredOn: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({
    ...view(r, policyOn(versions, toDay(r.occurredOn)).penalties.rules),
    appeal: r.appeal && {
      status: r.appeal.status,
      filedAt: r.appeal.createdAt.toISOString(),
      decidedBy: r.appeal.decidedBy?.slackId ?? null,
      decidedByName: r.appeal.decidedBy?.name ?? null,
      decidedAt: r.appeal.decidedAt?.toISOString() ?? null,
      decision: r.appeal.decision,
    },
  }));
}
