// Promotions over time: the review's candidates, a lead's approval or decline, a trainee confirmed
// after probation, and one person's progress and trend. Rules are src/core/promotions.ts; the new
// level is written as an assignment through src/service/assignments.ts.
import { TallyError, type NotCandidate } from '../errors.js';
import { shownText } from '../core/text.js';
import { activeOn, type ActivityEntry } from '../core/assignments.js';
import { addMonths, firstDay, isDay, isMonth, monthOf, type Day, type Month } from '../core/dates.js';
import { policyOn, type Level, type Policy } from '../core/policy.js';
import {
  evaluate,
  fullMonths,
  levelOn,
  nextFirst,
  probationEnds,
  progress,
  reviewWindow,
  type Evaluation,
  type LevelFrom,
  type MonthRecord,
  type Person,
  type Progress,
} from '../core/promotions.js';
import { fromDay, toDay } from '../db/dates.js';
import { writeAssignment, type Tx } from './assignments.js';
import { audit } from './audit.js';
import { teamToday, type Tally } from './context.js';
import { assertMayGive, assertOver, findMember, findStaff, memberView, type MemberView } from './roster.js';
import { monthsResults } from './scores.js';

export interface CandidateView {
  member: MemberView;
  evaluation: Evaluation;
  /** the window's months, oldest first (a month without a score has scoreHundredths null) */
  records: MonthRecord[];
  /** the decision already taken on this candidate in this month, if any */
  decision: DecisionView | null;
}

export interface DecisionView {
  id: number;
  member: MemberView;
  month: Month;
  kind: 'promotion' | 'probation';
  from: Level;
  to: Level;
  decision: 'approved' | 'declined';
  effectiveFrom: Day | null;
  why: string | null;
  by: string;
  byName: string;
}

/** Each member's levels over time, from the assignment history. */
async function levelsByMember(t: Tally, memberId?: number): Promise<Map<number, LevelFrom[]>> {
  const rows = await t.db.memberAssignment.findMany({
    ...(memberId === undefined ? {} : { where: { memberId } }),
    select: { memberId: true, effectiveFrom: true, level: true },
    orderBy: [{ memberId: 'asc' }, { effectiveFrom: 'asc' }],
  });
  const out = new Map<number, LevelFrom[]>();
  for (const r of rows) {
    const list = out.get(r.memberId) ?? [];
    list.push({ from: toDay(r.effectiveFrom), level: r.level });
    out.set(r.memberId, list);
  }
  return out;
}

/** Each member's deactivations and reactivations, oldest first. */
async function activityByMember(t: Tally): Promise<Map<number, ActivityEntry[]>> {
  const rows = await t.db.memberActivity.findMany({
    select: { memberId: true, day: true, active: true },
    orderBy: [{ memberId: 'asc' }, { day: 'asc' }, { id: 'asc' }],
  });
  const out = new Map<number, ActivityEntry[]>();
  for (const r of rows) {
    const list = out.get(r.memberId) ?? [];
    list.push({ day: toDay(r.day), active: r.active });
    out.set(r.memberId, list);
  }
  return out;
}

/** A member as the rules read them; a member without history reads as their roster row from hired_on. */
function personOf(m: MemberView, levels: Map<number, LevelFrom[]>): Person {
  return { memberId: m.id, hiredOn: m.hiredOn, levels: levels.get(m.id) ?? [{ from: m.hiredOn, level: m.level }] };
}

/**
 * Every member's record of the given months, from each month's results (a closed month's snapshots,
 * an open month's scores): one read per month, whoever is asked about. Months not over are left out.
 */
async function monthRecords(
  t: Tally,
  months: Month[],
  today: Day,
  memberId?: number,
  stamps?: ReadonlyMap<Month, number>,
): Promise<Map<number, MonthRecord[]>> {
  const finished = months.filter((m) => m < monthOf(today));
  const results = await monthsResults(t, finished, stamps);
  const out = new Map<number, MonthRecord[]>();
  const ids =
    memberId === undefined
      ? new Set(results.flatMap((r) => [...r.byMember.keys(), ...r.penalties.keys()]))
      : [memberId];
  for (const id of ids) {
    out.set(
      id,
      results.map((r) => {
        const s = r.byMember.get(id);
        return {
          month: r.month,
          scoreHundredths: s ? s.score.scoreHundredths : null,
          rank: s ? s.score.rank : null,
          ranked: s ? r.tracks[s.member.track].length : 0,
          dismissalFlag: r.penalties.get(id)?.dismissalFlag ?? false,
        };
      }),
    );
  }
  return out;
}

/** A record for every month of the window, a month the member was not scored in as null. */
function fullRecords(months: Month[], known: readonly MonthRecord[] | undefined): MonthRecord[] {
  return months.map(
    (month) =>
      known?.find((r) => r.month === month) ?? {
        month,
        scoreHundredths: null,
        rank: null,
        ranked: 0,
        dismissalFlag: false,
      },
  );
}

async function decisionsOf(
  t: Tally,
  where: { id?: number; month?: Month; memberId?: number; kind?: string },
): Promise<DecisionView[]> {
  const rows = await t.db.promotionDecision.findMany({ where, orderBy: { id: 'asc' } });
  if (!rows.length) return [];
  const members = new Map(
    (await t.db.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.memberId))] } } })).map((m) => [
      m.id,
      memberView(m),
    ]),
  );
  const deciders = new Map(
    (await t.db.member.findMany({ where: { slackId: { in: rows.map((r) => r.decidedBy) } } })).map((m) => [
      m.slackId,
      m.name,
    ]),
  );
  return rows.map((r) => ({
    id: r.id,
    member: members.get(r.memberId)!,
    month: r.month,
    kind: r.kind as DecisionView['kind'],
    from: r.fromLevel,
    to: r.toLevel,
    decision: r.decision as DecisionView['decision'],
    effectiveFrom: r.effectiveFrom ? toDay(r.effectiveFrom) : null,
    why: r.why,
    by: r.decidedBy,
    byName: deciders.get(r.decidedBy) ?? r.decidedBy,
  }));
}

export interface CandidateList {
  month: Month;
  policy: Policy;
  candidates: CandidateView[];
}

/**
 * The review's candidates for a month (any month: leads may ask any time), each with their record of
 * the window's months and any decision already taken. Members on the team on the month's first day
 * (by their dated deactivations and reactivations, not today's roster).
 */
export async function promotionCandidates(t: Tally, month: Month): Promise<CandidateList> {
  if (!isMonth(month)) throw new TallyError('bad_month', { value: month });
  const { today, versions } = await teamToday(t);
  const policy = policyOn(versions, firstDay(month));
  const window = reviewWindow(policy, month);
  const day = firstDay(month);
  const [members, levels, activity, records, decisions] = await Promise.all([
    t.db.member.findMany({ where: { hiredOn: { lte: fromDay(day) } }, orderBy: { id: 'asc' } }),
    levelsByMember(t),
    activityByMember(t),
    monthRecords(t, window, today),
    decisionsOf(t, { month, kind: 'promotion' }),
  ]);
  const candidates: CandidateView[] = [];
  for (const row of members) {
    const member = memberView(row);
    // on the team on the review's first day (whoever left or came back since: a past review reads the same)
    if (!activeOn(activity.get(member.id) ?? [], member.hiredOn, day)) continue;
    const list = fullRecords(window, records.get(member.id));
    const e = evaluate(policy, personOf(member, levels), day, list);
    if (!e?.candidate) continue;
    candidates.push({
      member,
      evaluation: e,
      records: list,
      decision: decisions.find((d) => d.member.id === member.id) ?? null,
    });
  }
  candidates.sort(
    (a, b) =>
      (b.evaluation.record.averageHundredths ?? 0) - (a.evaluation.record.averageHundredths ?? 0) ||
      a.member.slackId.localeCompare(b.member.slackId),
  );
  return { month, policy, candidates };
}

/** Why someone is not a candidate in a month, for the refusal. */
function whyNot(e: Evaluation | null, level: Level): { why: NotCandidate; level: Level; to?: Level; metOn?: string } {
  if (!e) return { why: 'no_path', level };
  const base = { level, to: e.to };
  if (!e.time.met) return { ...base, why: 'time', metOn: e.time.metOn };
  if (e.record.dismissal) return { ...base, why: 'dismissal' };
  if (!e.record.enoughMonths) return { ...base, why: 'months' };
  return { ...base, why: 'average' };
}

interface Subject {
  member: MemberView;
  decider: MemberView;
  today: Day;
  month: Month;
  kind: DecisionView['kind'];
  from: Level;
  to: Level;
  detail: { monthsAtLevel: number; averageScore: number | null; monthsScored: number; probationEnded?: Day };
}

/**
 * Who is being decided about, by whom, and on what: a trainee whose probation has ended (confirm as
 * regular), else a candidate of `month`'s review (default: this month's). Refuses a non-staff or
 * inactive decider, deciding about oneself, a trainee still on probation, and a non-candidate.
 */
async function subjectOf(t: Tally, slackId: string, by: string, month: Month | undefined): Promise<Subject> {
  const decider = await findStaff(t, by, 'decide_promotions');
  const member = await findMember(t, slackId);
  if (member.id === decider.id) throw new TallyError('self_promotion', {});
  if (!member.active) throw new TallyError('inactive_member', { slackId, name: member.name });
  // a lead decides agents' promotions, a supervisor leads' too, an admin supervisors' too
  assertOver('decide_promotion', decider, member);
  const { today, versions } = await teamToday(t);
  if (month !== undefined && !isMonth(month)) throw new TallyError('bad_month', { value: month });
  const levels = await levelsByMember(t);
  const person = personOf(member, levels);
  const now = levelOn(person.levels, today);
  if (now?.level === 'trainee') {
    const policy = policyOn(versions, today);
    const ends = probationEnds(policy, now.since);
    if (ends > today) throw new TallyError('probation_not_over', { slackId, name: member.name, ends });
    assertMayGive(decider, { level: 'regular' });
    return {
      member,
      decider,
      today,
      // one decision a month: a confirmation declined this month may be taken again from next month on
      month: monthOf(today),
      kind: 'probation',
      from: 'trainee',
      to: 'regular',
      detail: {
        monthsAtLevel: fullMonths(now.since, today),
        averageScore: null,
        monthsScored: 0,
        probationEnded: ends,
      },
    };
  }
  const m = month ?? monthOf(today);
  const policy = policyOn(versions, firstDay(m));
  const window = reviewWindow(policy, m);
  const records = fullRecords(window, (await monthRecords(t, window, today)).get(member.id));
  const e = evaluate(policy, person, firstDay(m), records);
  if (!e?.candidate)
    throw new TallyError('not_a_candidate', {
      slackId,
      name: member.name,
      month: m,
      ...whyNot(e, now?.level ?? member.level),
    });
  // nobody but an admin makes someone a lead or supervisor at or above their own standing
  assertMayGive(decider, { level: e.to });
  return {
    member,
    decider,
    today,
    month: m,
    kind: 'promotion',
    from: e.from,
    to: e.to,
    detail: {
      monthsAtLevel: e.monthsAtLevel,
      averageScore: e.record.averageHundredths === null ? null : e.record.averageHundredths / 100,
      monthsScored: e.record.monthsScored,
    },
  };
}

async function assertUndecided(t: Tally, s: Subject): Promise<void> {
  const [d] = await decisionsOf(t, { memberId: s.member.id, month: s.month, kind: s.kind });
  if (d)
    throw new TallyError('promotion_decided', {
      slackId: s.member.slackId,
      name: s.member.name,
      month: s.month,
      decision: d.decision,
      by: d.by,
    });
}

/**
 * The decision row, claimed before anything else is written: its unique key makes a second decision
 * (a second click, another decider at the same moment) lose with who decided.
 */
/**
 * Writes a decision, whatever else it changes (an approval's new level: `alsoWrite`) and its audit
 * entry in one transaction, so a failure leaves none of them. One decision per person, month and
 * kind: a second decider at the same moment is told who decided.
 */
async function decide(
  t: Tally,
  s: Subject,
  data: { decision: 'approved' | 'declined'; effectiveFrom: Day | null; why: string | null },
  alsoWrite?: (tx: Tx) => Promise<unknown>,
): Promise<number> {
  try {
    return await t.db.$transaction(async (tx) => {
      const row = await tx.promotionDecision.create({
        data: {
          memberId: s.member.id,
          month: s.month,
          kind: s.kind,
          fromLevel: s.from,
          toLevel: s.to,
          decision: data.decision,
          effectiveFrom: data.effectiveFrom ? fromDay(data.effectiveFrom) : null,
          why: data.why,
          decidedBy: s.decider.slackId,
          detail: s.detail,
        },
      });
      await alsoWrite?.(tx);
      await audit(
        tx,
        s.decider.slackId,
        `${s.kind}.${data.decision === 'approved' ? 'approve' : 'decline'}`,
        s.member.slackId,
        { month: s.month, from: s.from, to: s.to, effectiveFrom: data.effectiveFrom, why: data.why, ...s.detail },
        null,
      );
      return row.id;
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') await assertUndecided(t, s);
    throw e;
  }
}

/** Refuses before a form opens what deciding would refuse: a non-staff decider, a non-candidate, a decided case. */
export async function checkDecision(
  t: Tally,
  slackId: string,
  by: string,
  opts: { month?: Month; kind?: DecisionView['kind'] } = {},
): Promise<void> {
  const s = await subjectOf(t, slackId, by, opts.month);
  if (opts.kind && opts.kind !== s.kind) throw new TallyError('stale_form', {});
  await assertUndecided(t, s);
}

async function decisionById(t: Tally, id: number): Promise<DecisionView> {
  const [d] = await decisionsOf(t, { id });
  return d!;
}

/**
 * Approves a candidate of the review (or confirms a trainee after probation): their new level is an
 * assignment from `from` (default the 1st of next month), written through setAssignment; audited.
 */
export async function approvePromotion(
  t: Tally,
  slackId: string,
  by: string,
  opts: { from?: string; month?: Month } = {},
): Promise<DecisionView> {
  if (opts.from !== undefined && !isDay(opts.from))
    throw new TallyError('bad_date', { value: opts.from, field: 'from' });
  const s = await subjectOf(t, slackId, by, opts.month);
  await assertUndecided(t, s);
  const from = opts.from ?? nextFirst(s.today);
  const data = { decision: 'approved' as const, effectiveFrom: from, why: null };
  // a refused assignment (a date before hire or in a closed month) leaves no decision behind
  const id = await decide(t, s, data, (tx) =>
    writeAssignment(tx, s.today, {
      slackId,
      level: s.to,
      from,
      by: s.decider.slackId,
      note: s.kind === 'probation' ? `confirmed after probation` : `promoted in the ${s.month} review`,
    }),
  );
  return decisionById(t, id);
}

/** Declines a candidate (or a trainee's confirmation) with a reason: kept, audited, nothing else changes. */
export async function declinePromotion(
  t: Tally,
  slackId: string,
  by: string,
  why: string,
  opts: { month?: Month } = {},
): Promise<DecisionView> {
  const reason = shownText(why).trim();
  const s = await subjectOf(t, slackId, by, opts.month);
  if (!reason) throw new TallyError('missing_decline_reason', {});
  await assertUndecided(t, s);
  const data = { decision: 'declined' as const, effectiveFrom: null, why: reason };
  const id = await decide(t, s, data);
  return decisionById(t, id);
}

export interface ProbationDue {
  member: MemberView;
  /** the day they became a trainee */
  since: Day;
  ends: Day;
}

/** Trainees whose probation has ended by `day` and who have no decision on it yet: whom leads are asked to confirm. */
export async function probationsDue(t: Tally, day: Day): Promise<ProbationDue[]> {
  const { versions } = await teamToday(t);
  const policy = policyOn(versions, day);
  const [members, levels, decided] = await Promise.all([
    t.db.member.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
    levelsByMember(t),
    t.db.promotionDecision.findMany({ where: { kind: 'probation' }, select: { memberId: true, month: true } }),
  ]);
  const out: ProbationDue[] = [];
  for (const row of members) {
    const member = memberView(row);
    const now = levelOn(personOf(member, levels).levels, day);
    if (now?.level !== 'trainee') continue;
    const ends = probationEnds(policy, now.since);
    if (ends > day) continue;
    // asked once: any decision since the probation ended answers it (a declined one is revisited by hand)
    if (decided.some((d) => d.memberId === member.id && d.month >= monthOf(ends))) continue;
    out.push({ member, since: now.since, ends });
  }
  return out;
}

export interface PersonRecord {
  member: MemberView;
  today: Day;
  progress: Progress | null;
  /** the last finished months, oldest first (as many as the review window) */
  trend: MonthRecord[];
}

/** The months a person's trend shows: the review window's, up to the month before today's. */
export function trendMonths(policy: Policy, today: Day): Month[] {
  return Array.from({ length: policy.people.reviewWindowMonths }, (_, i) =>
    addMonths(monthOf(today), i - policy.people.reviewWindowMonths),
  );
}

/** One person's level, time at level, progress toward the next level and their recent months. */
export async function personRecord(
  t: Tally,
  slackId: string,
  team?: { today: Day; policy: Policy },
  /** the member and their levels when the caller has read them already (memberScore's `today`) */
  known?: { member: MemberView; levels: LevelFrom[] },
  /** the trend months' stamps when the caller has read them already (memberScore's `stamps`) */
  stamps?: ReadonlyMap<Month, number>,
): Promise<PersonRecord> {
  // one person's answer reads their own rows, and the months' results most often from memory
  const [member, { today, policy }] = await Promise.all([
    known?.member ?? findMember(t, slackId),
    team ?? teamToday(t),
  ]);
  const months = trendMonths(policy, today);
  const [levels, records] = await Promise.all([
    known?.levels.length ? new Map([[member.id, known.levels]]) : levelsByMember(t, member.id),
    monthRecords(t, months, today, member.id, stamps),
  ]);
  const trend = fullRecords(months, records.get(member.id));
  return { member, today, progress: progress(policy, personOf(member, levels), today, trend), trend };
}
