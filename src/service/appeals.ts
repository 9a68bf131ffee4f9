// Appeals: an agent contests a penalty; the lead who recorded it, or a supervisor or admin, accepts
// (the penalty is revoked) or rejects it. One appeal per penalty; every step is in the audit trail.
import { TallyError } from '../errors.js';
import { shownText } from '../core/text.js';
import { policyOn, ROLES, STAFF_ROLES, type Role } from '../core/policy.js';
import { mayActOn } from '../core/standing.js';
import type { Appeal } from '../generated/prisma/client.js';
import { toDay } from '../db/dates.js';
import { audit } from './audit.js';
import { assertOpen, holdOpen } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { isPenaltyId, listPenaltiesById, lockPenalty, type PenaltyView } from './penalties.js';
import { assertOver, findMember, findStaff, type MemberView } from './roster.js';

export interface AppealView {
  id: number;
  status: Appeal['status'];
  comment: string;
  by: string;
  decidedBy: string | null;
  decision: string | null;
  penalty: PenaltyView;
}

async function maxText(t: Tally): Promise<number> {
  const { today, versions } = await teamToday(t);
  return policyOn(versions, today).penalties.maxReasonLength;
}

function checkComment(comment: string, max: number, what: 'appeal' | 'decision'): string {
  // kept as shown: a control character (U+0000 PostgreSQL cannot store) is dropped
  const c = shownText(comment).trim();
  if (!c) throw new TallyError('missing_comment', { for: what });
  if (c.length > max) throw new TallyError('reason_too_long', { length: c.length, max, text: 'comment' });
  return c;
}

type Staff = { slackId: string; role: Role };

/**
 * Who decides an appeal, of the active staff above the one appealing (nobody decides their own, nor a
 * peer's: a lead's appeal goes to supervisors and admins, a supervisor's to admins): the lead who
 * recorded the penalty, then every supervisor and admin; when none of them is left (the recording
 * lead was deactivated or demoted and there is no supervisor or admin), every active lead.
 */
export function whoDecides(recordedBy: string, appellant: Staff, activeStaff: readonly Staff[]): string[] {
  const above = activeStaff.filter(
    (m) => m.slackId !== appellant.slackId && mayActOn('decide_appeal', m.role, appellant.role),
  );
  const first = above.filter((m) => m.slackId === recordedBy || m.role === 'supervisor' || m.role === 'admin');
  const chosen = first.length ? first : above.filter((m) => m.role === 'lead');
  return chosen.map((m) => m.slackId).sort((a, b) => Number(b === recordedBy) - Number(a === recordedBy));
}

async function activeStaff(t: Tally): Promise<Staff[]> {
  return t.db.member.findMany({
    where: { active: true, role: { in: [...STAFF_ROLES] } },
    select: { slackId: true, role: true },
    orderBy: { id: 'asc' },
  });
}

async function decidersFor(t: Tally, recordedBy: string, appellant: Staff): Promise<string[]> {
  return whoDecides(recordedBy, appellant, await activeStaff(t));
}

function alreadyAppealed(penaltyId: number, status: Appeal['status']): TallyError {
  return new TallyError('already_appealed', { id: penaltyId, status });
}

/** Refuses an appeal that cannot be filed; the same checks run before the modal opens and when it is sent. */
async function appealable(
  t: Tally,
  penaltyId: number,
  by: string,
): Promise<{ member: MemberView; penalty: PenaltyView }> {
  const member = await findMember(t, by);
  const [penalty] = await listPenaltiesById(t, [penaltyId]);
  if (!penalty || penalty.slackId !== member.slackId) throw new TallyError('no_penalty_of_yours', { id: penaltyId });
  const existing = await t.db.appeal.findUnique({ where: { penaltyId } });
  if (existing) throw alreadyAppealed(penaltyId, existing.status);
  if (penalty.status !== 'active') throw new TallyError('already_revoked', { id: penaltyId });
  return { member, penalty };
}

/** Before the Appeal modal opens: the penalty is the caller's, still active and not yet appealed. */
export async function checkAppealable(t: Tally, req: { penaltyId: number; by: string }): Promise<PenaltyView> {
  return (await appealable(t, req.penaltyId, req.by)).penalty;
}

export async function fileAppeal(
  t: Tally,
  req: { penaltyId: number; by: string; comment: string },
): Promise<{ appeal: AppealView; deciders: string[] }> {
  const comment = checkComment(req.comment, await maxText(t), 'appeal');
  const { member, penalty } = await appealable(t, req.penaltyId, req.by);
  const appeal = await t.db.$transaction(async (tx) => {
    // the checks above again, under the penalty's lock: six clicks at once file one appeal, and a revoke cannot slip in between
    await lockPenalty(tx, req.penaltyId);
    const existing = await tx.appeal.findUnique({ where: { penaltyId: req.penaltyId } });
    if (existing) throw alreadyAppealed(req.penaltyId, existing.status);
    const current = await tx.penalty.findUniqueOrThrow({ where: { id: req.penaltyId }, select: { status: true } });
    if (current.status !== 'active') throw new TallyError('already_revoked', { id: req.penaltyId });
    const a = await tx.appeal.create({ data: { penaltyId: req.penaltyId, memberId: member.id, comment } });
    await audit(
      tx,
      member.slackId,
      'appeal.file',
      member.slackId,
      {
        appealId: a.id,
        penaltyId: req.penaltyId,
        comment,
      },
      null,
    );
    return a;
  });
  return {
    appeal: {
      id: appeal.id,
      status: appeal.status,
      comment,
      by: member.slackId,
      decidedBy: null,
      decision: null,
      penalty,
    },
    deciders: await decidersFor(t, penalty.recordedBy, member),
  };
}

type AppealState = { status: Appeal['status'] } & {
  penalty: { status: 'active' | 'revoked'; revokedBy: { slackId: string; name: string } | null };
};

/** A decided appeal, or one whose penalty was revoked meanwhile, is not decided (again). */
function assertUndecided(appealId: number, penaltyId: number, a: AppealState): void {
  if (a.status === 'accepted' || a.status === 'rejected') throw new TallyError('already_decided', { id: penaltyId });
  if (a.penalty.status === 'revoked' || a.status === 'closed') {
    const who = a.penalty.revokedBy;
    throw new TallyError('appeal_penalty_revoked', {
      id: penaltyId,
      by: who?.slackId ?? '?',
      byName: who?.name ?? '?',
    });
  }
}

/** The penalty an appeal is about (buttons and forms sent before appeals were named by their penalty); null if none. */
export async function penaltyOfAppeal(t: Tally, appealId: number): Promise<number | null> {
  if (!isPenaltyId(appealId)) return null;
  return (await t.db.appeal.findUnique({ where: { id: appealId }, select: { penaltyId: true } }))?.penaltyId ?? null;
}

/**
 * Whether this person may decide the appeal of this penalty now (one penalty has one appeal, so an
 * appeal is named by its penalty's id); checked before the decision modal opens and again on submit.
 */
export async function checkDecider(t: Tally, req: { penaltyId: number; by: string }) {
  const by = await findStaff(t, req.by, 'decide_appeals');
  const row = isPenaltyId(req.penaltyId)
    ? await t.db.appeal.findUnique({
        where: { penaltyId: req.penaltyId },
        include: { penalty: { include: { recordedBy: true, revokedBy: true } }, member: true },
      })
    : null;
  if (!row) throw new TallyError('no_such_appeal', { id: req.penaltyId });
  if (row.member.id === by.id) throw new TallyError('self_decide', {});
  assertOver('decide_appeal', by, row.member);
  if (!(await decidersFor(t, row.penalty.recordedBy.slackId, row.member)).includes(by.slackId))
    throw new TallyError('not_deciding_lead', { id: row.penaltyId });
  assertUndecided(row.id, row.penaltyId, row);
  return { by, row };
}

export async function decideAppeal(
  t: Tally,
  req: { penaltyId: number; by: string; accept: boolean; comment: string },
): Promise<AppealView> {
  const { by, row } = await checkDecider(t, req);
  const comment = checkComment(req.comment, await maxText(t), 'decision');
  const accepting = { write: 'accept_appeal', id: row.id } as const;
  if (req.accept) await assertOpen(t.db, [toDay(row.penalty.occurredOn)], accepting);
  const now = t.clock.now();
  await t.db.$transaction(async (tx) => {
    if (req.accept) await holdOpen(tx, [toDay(row.penalty.occurredOn)], accepting);
    // the penalty's lock first, as a revoke takes it: a revoke and an accept at once, exactly one wins
    await lockPenalty(tx, row.penaltyId);
    const current = await tx.appeal.findUniqueOrThrow({
      where: { id: row.id },
      select: {
        status: true,
        penalty: { select: { status: true, revokedBy: { select: { slackId: true, name: true } } } },
      },
    });
    assertUndecided(row.id, row.penaltyId, current);
    await tx.appeal.update({
      where: { id: row.id },
      data: { status: req.accept ? 'accepted' : 'rejected', decidedById: by.id, decidedAt: now, decision: comment },
    });
    if (req.accept) {
      await tx.penalty.update({
        where: { id: row.penaltyId },
        data: {
          status: 'revoked',
          revokedById: by.id,
          revokedAt: now,
          revokeReason: `appeal #${row.id} accepted: ${comment}`,
        },
      });
      await audit(
        tx,
        by.slackId,
        'penalty.revoke',
        row.member.slackId,
        {
          penaltyId: row.penaltyId,
          why: `appeal #${row.id} accepted: ${comment}`,
        },
        null, // bumped by the penalty's trigger
      );
    }
    await audit(
      tx,
      by.slackId,
      req.accept ? 'appeal.accept' : 'appeal.reject',
      row.member.slackId,
      {
        appealId: row.id,
        penaltyId: row.penaltyId,
        comment,
      },
      null,
    );
  });
  const [penalty] = await listPenaltiesById(t, [row.penaltyId]);
  return {
    id: row.id,
    status: req.accept ? 'accepted' : 'rejected',
    comment: row.comment,
    by: row.member.slackId,
    decidedBy: by.slackId,
    decision: comment,
    penalty: penalty!,
  };
}

/** An appeal waiting with nobody to decide it: the team has no active lead, supervisor or admin. */
export interface UndecidableAppeal {
  penaltyId: number;
  by: string;
  name: string;
  filedAt: string;
}

/**
 * The waiting appeals nobody can decide now (for `jobs list`): the team has no active lead, supervisor
 * or admin, or nobody active stands above the one appealing (a supervisor's appeal in a team without an admin).
 */
export async function undecidableAppeals(t: Tally): Promise<UndecidableAppeal[]> {
  const staff = await activeStaff(t);
  const rows = await t.db.appeal.findMany({
    where: { status: 'pending' },
    include: { member: true, penalty: { include: { recordedBy: true } } },
    orderBy: { id: 'asc' },
  });
  return rows
    .filter((r) => whoDecides(r.penalty.recordedBy.slackId, r.member, staff).length === 0)
    .map((r) => ({
      penaltyId: r.penaltyId,
      by: r.member.slackId,
      name: r.member.name,
      filedAt: r.createdAt.toISOString(),
    }));
}

/** The appeals waiting for a lead (theirs) or a supervisor or admin (all), one page at a time, with how many wait in all. */
export async function waitingAppeals(
  t: Tally,
  slackId: string,
  page: number,
  perPage: number,
): Promise<{ total: number; page: number; pages: number; appeals: AppealView[] }> {
  const me = await findMember(t, slackId);
  if (me.role === 'agent' || !me.active) return { total: 0, page: 1, pages: 1, appeals: [] };
  // a lead decides what they recorded, and, while no supervisor or admin is active, what a lead who left recorded
  const staff = await activeStaff(t);
  const covering = me.role === 'lead' && !staff.some((m) => m.role === 'supervisor' || m.role === 'admin');
  const gone = { NOT: { active: true, role: { in: [...STAFF_ROLES] } } };
  // only the appeals of people below me: never my own, nor a peer's
  const below = { role: { in: ROLES.filter((r) => mayActOn('decide_appeal', me.role, r)) } };
  const where =
    me.role === 'lead'
      ? {
          status: 'pending' as const,
          member: below,
          penalty: { recordedBy: covering ? { OR: [{ slackId: me.slackId }, gone] } : { slackId: me.slackId } },
        }
      : { status: 'pending' as const, member: below };
  const total = await t.db.appeal.count({ where });
  const pages = Math.max(1, Math.ceil(total / perPage));
  // a page that emptied since its button was drawn shows the last one that has appeals
  const shown = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = await t.db.appeal.findMany({
    where,
    include: { member: true },
    orderBy: { id: 'asc' },
    skip: (shown - 1) * perPage,
    take: perPage,
  });
  const penalties = new Map(
    (
      await listPenaltiesById(
        t,
        rows.map((r) => r.penaltyId),
      )
    ).map((p) => [p.id, p]),
  );
  const appeals = rows.map((r) => ({
    id: r.id,
    status: r.status,
    comment: r.comment,
    by: r.member.slackId,
    decidedBy: null,
    decision: null,
    penalty: penalties.get(r.penaltyId)!,
  }));
  return { total, page: shown, pages, appeals };
}
