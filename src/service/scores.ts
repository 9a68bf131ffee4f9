// Scores, ranks, awards and pay for a period: loads rows, hands them to src/core, returns values.
import { dayIn } from '../clock.js';
import { TallyError } from '../errors.js';
import { awardInputs, monthlyAwards, type Award } from '../core/awards.js';
import {
  addMonths,
  firstDay,
  isDay,
  isMonth,
  lastDay,
  monthOf,
  periodEnd,
  periodLabel,
  periodStart,
  type Day,
  type Month,
  type Period,
} from '../core/dates.js';
import { summarisePenalties, type MonthPenalties, type PenaltyRecord } from '../core/penalties.js';
import { payslip, type Payslip } from '../core/payslip.js';
import { policyOn, TRACKS, type Level, type Policy, type PolicyVersion, type Track } from '../core/policy.js';
import { GMV, actualOf, rankTrack, scoreTrack, sumsKey, sumsNeeded, type RankedScore } from '../core/score.js';
import { fromDay, toDay } from '../db/dates.js';
import { sumMetrics } from '../db/metrics.js';
import { loadPolicyVersions, type Tally } from './context.js';
import type { Member } from '../generated/prisma/client.js';
import { cached } from './cache.js';
import { isClosed } from './closed.js';
import { memberView, type MemberView } from './roster.js';

export interface Standing {
  member: MemberView;
  score: RankedScore;
  gmvFen: number;
}

export interface PeriodScores {
  period: Period;
  policy: Policy;
  tracks: Record<Track, Standing[]>;
  /** penalties of every member penalised in the period, by member id */
  penalties: Map<number, MonthPenalties>;
  members: Map<number, MemberView>;
}

/** Parses "2026-11" or "2026-11-05" (as typed on the command line or in Slack) into a period. */
export function parsePeriod(opts: { day?: string; month?: string }): Period {
  if (opts.day !== undefined && opts.month !== undefined) throw new TallyError('period_both', {});
  if (opts.day !== undefined) {
    if (!isDay(opts.day)) throw new TallyError('bad_date', { value: opts.day });
    return { kind: 'day', day: opts.day };
  }
  if (opts.month !== undefined) {
    if (!isMonth(opts.month)) throw new TallyError('bad_month', { value: opts.month });
    return { kind: 'month', month: opts.month };
  }
  throw new TallyError('period_missing', {});
}

async function loadPenalties(t: Tally, from: Day, to: Day): Promise<PenaltyRecord[]> {
  const rows = await t.db.penalty.findMany({
    where: { occurredOn: { gte: fromDay(from), lte: fromDay(to) } },
    select: { id: true, memberId: true, ruleCode: true, amountFen: true, points: true, occurredOn: true, status: true },
  });
  return rows.map((r) => ({ ...r, occurredOn: toDay(r.occurredOn) }));
}

/**
 * Each member's penalties in a period: money and points of the period's own, escalations (counted per
 * calendar month) of the whole month it lies in, so a day's score shows the month's forfeiture too.
 */
function periodPenalties(
  policy: Policy,
  period: Period,
  monthPenalties: readonly PenaltyRecord[],
): Map<number, MonthPenalties> {
  const from = periodStart(period);
  const to = periodEnd(period);
  const byMember = new Map<number, PenaltyRecord[]>();
  for (const p of monthPenalties) {
    const list = byMember.get(p.memberId);
    if (list) list.push(p);
    else byMember.set(p.memberId, [p]);
  }
  const out = new Map<number, MonthPenalties>();
  for (const [id, list] of byMember) {
    const month = summarisePenalties(policy, id, list);
    const own =
      period.kind === 'month'
        ? month
        : summarisePenalties(
            policy,
            id,
            list.filter((p) => p.occurredOn >= from && p.occurredOn <= to),
          );
    out.set(id, {
      ...own,
      commissionForfeited: month.commissionForfeited,
      dismissalFlag: month.dismissalFlag,
      escalations: month.escalations,
    });
  }
  return out;
}

/** Scores and ranks every member with metrics in the period, per track, with the policy in force at its start. */
export function scorePeriod(t: Tally, period: Period, versions?: PolicyVersion[]): Promise<PeriodScores> {
  return cached(t, `score:${periodLabel(period)}`, () => computePeriod(t, period, versions));
}

/**
 * Lets pending I/O (Slack requests waiting for their ack) run. The embedded database executes on this
 * thread and its results resolve as microtasks, so a long computation would otherwise hold every
 * other request until it ends.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function computePeriod(t: Tally, period: Period, versions?: PolicyVersion[]): Promise<PeriodScores> {
  await yieldToEventLoop();
  const from = periodStart(period);
  const to = periodEnd(period);
  const policy = policyOn(versions ?? (await loadPolicyVersions(t)), from);
  const defs = new Map(TRACKS.flatMap((tr) => sumsNeeded(policy, tr)).map((d) => [sumsKey(d), d]));
  const [memberRows, sums, penaltyRows] = await Promise.all([
    t.db.member.findMany(),
    sumMetrics(t.db, from, to, [...defs.values()]),
    loadPenalties(t, firstDay(monthOf(from)), lastDay(monthOf(from))),
  ]);
  const members = new Map(memberRows.map((m) => [m.id, memberView(m)]));
  const penalties = periodPenalties(policy, period, penaltyRows);
  const tracks = {} as Record<Track, Standing[]>;
  for (const track of TRACKS) {
    const inputs = [...sums]
      .filter(([id]) => members.get(id)?.track === track)
      .map(([memberId, s]) => ({ memberId, sums: s, penaltyPoints: penalties.get(memberId)?.points ?? 0 }));
    tracks[track] = rankTrack(scoreTrack(policy, track, inputs)).map((score) => ({
      member: members.get(score.memberId)!,
      score,
      gmvFen: actualOf(GMV, sums.get(score.memberId)![sumsKey(GMV)]) ?? 0,
    }));
  }
  return { period, policy, tracks, penalties, members };
}

export interface MonthStanding extends Standing {
  eligible: boolean;
  award: Award;
}

export interface MonthResults extends Omit<PeriodScores, 'tracks'> {
  month: Month;
  tracks: Record<Track, MonthStanding[]>;
  /** every scored member's standing by member id */
  byMember: Map<number, MonthStanding>;
}

/** Award ranks and last places of one month, without streak history (what the streak walk looks back at). */
function baseAwards(scores: PeriodScores, month: Month): Map<number, Award> {
  const out = new Map<number, Award>();
  for (const track of TRACKS) {
    for (const a of monthlyAwards(scores.policy, awardInputs(scores.policy, month, scores.tracks[track])))
      out.set(a.memberId, a);
  }
  return out;
}

/**
 * A month's final standings: scores, ranks, award ranks, streak awards and rotation flags. Streaks
 * look back month by month only as far as a streak can still change the amount.
 */
export async function monthResults(t: Tally, month: Month): Promise<MonthResults> {
  if (!isMonth(month)) throw new TallyError('bad_month', { value: month });
  const frozen = await frozenMonth(t, month);
  return frozen ? frozen.results : liveMonth(t, month);
}

/** An open month's results, computed from its rows (cached until the next write). */
function liveMonth(t: Tally, month: Month): Promise<MonthResults> {
  return cached(t, `month:${month}`, () => computeMonth(t, month));
}

interface Frozen {
  results: MonthResults;
  rows: PayrollRow[];
}

/** A closed month as it was frozen (src/service/months.ts), or null when it is open. */
function frozenMonth(t: Tally, month: Month): Promise<Frozen | null> {
  return cached(t, `frozen:${month}`, async () => {
    if (!(await isClosed(t.db, month))) return null;
    const [snapshots, versions] = await Promise.all([
      t.db.scoreSnapshot.findMany({ where: { period: month }, include: { member: true } }),
      loadPolicyVersions(t),
    ]);
    const rows: PayrollRow[] = snapshots.map((snap) => {
      const detail = snap.detail as unknown as {
        standing: MonthStanding | null;
        penalties: MonthPenalties;
        payslip: Payslip;
      };
      // the member as they were that month: track and level frozen, name as today
      const member = { ...memberView(snap.member), track: snap.track, level: snap.level };
      return {
        member,
        standing: detail.standing ? { ...detail.standing, member } : null,
        penalties: detail.penalties,
        payslip: detail.payslip,
      };
    });
    const tracks = Object.fromEntries(
      TRACKS.map((tr) => [
        tr,
        rows
          .filter((r) => r.standing && r.member.track === tr)
          .map((r) => r.standing!)
          .sort((a, b) => a.score.rank - b.score.rank || a.member.id - b.member.id),
      ]),
    ) as Record<Track, MonthStanding[]>;
    const results: MonthResults = {
      period: { kind: 'month', month },
      month,
      policy: policyOn(versions, firstDay(month)),
      tracks,
      penalties: new Map(rows.map((r) => [r.member.id, r.penalties])),
      members: new Map(rows.map((r) => [r.member.id, r.member])),
      byMember: new Map(rows.filter((r) => r.standing).map((r) => [r.member.id, r.standing!])),
    };
    return { results, rows: sortPayroll(rows) };
  });
}

/** Award ranks and last places of an earlier month, for the streak look-back: frozen if closed. */
async function pastAwards(
  t: Tally,
  month: Month,
  versions: PolicyVersion[],
): Promise<Map<number, Pick<Award, 'awardRank' | 'lastPlace'>>> {
  if (await isClosed(t.db, month)) {
    const rows = await t.db.scoreSnapshot.findMany({
      where: { period: month },
      select: { memberId: true, awardRank: true, lastPlace: true },
    });
    return new Map(rows.map((r) => [r.memberId, r]));
  }
  return baseAwards(await scorePeriod(t, { kind: 'month', month }, versions), month);
}

async function computeMonth(t: Tally, month: Month): Promise<MonthResults> {
  const versions = await loadPolicyVersions(t);
  const scores = await scorePeriod(t, { kind: 'month', month }, versions);
  const base = baseAwards(scores, month);
  const firsts = [...base.values()].filter((a) => a.awardRank === 1).map((a) => a.memberId);
  const lasts = [...base.values()].filter((a) => a.lastPlace).map((a) => a.memberId);
  const priorFirst = new Map<number, number>();
  const priorLast = new Map<number, number>();
  const maxFirst = Math.max(0, ...scores.policy.awards.streakFen.map((s) => s.minMonths)) - 1;
  const maxLast = scores.policy.awards.rotationAfterMonths - 1;
  let runningFirst = firsts;
  let runningLast = lasts;
  for (let k = 1; k <= Math.max(maxFirst, maxLast) && (runningFirst.length || runningLast.length); k++) {
    const awards = await pastAwards(t, addMonths(month, -k), versions);
    runningFirst = k <= maxFirst ? runningFirst.filter((id) => awards.get(id)?.awardRank === 1) : [];
    runningLast = k <= maxLast ? runningLast.filter((id) => awards.get(id)?.lastPlace === true) : [];
    for (const id of runningFirst) priorFirst.set(id, k);
    for (const id of runningLast) priorLast.set(id, k);
  }
  const tracks = {} as Record<Track, MonthStanding[]>;
  for (const track of TRACKS) {
    const standings = scores.tracks[track];
    const inputs = awardInputs(scores.policy, month, standings, { firsts: priorFirst, lasts: priorLast });
    const awards = new Map(monthlyAwards(scores.policy, inputs).map((a) => [a.memberId, a]));
    tracks[track] = standings.map((s, i) => ({
      ...s,
      eligible: inputs[i]!.eligible,
      award: awards.get(s.member.id)!,
    }));
  }
  const byMember = new Map(TRACKS.flatMap((tr) => tracks[tr]).map((s) => [s.member.id, s]));
  return { ...scores, month, tracks, byMember };
}

export interface PayrollRow {
  member: MemberView;
  standing: MonthStanding | null;
  penalties: MonthPenalties;
  payslip: Payslip;
}

/** One member's payslip for a month, or null when they were not on that month's payroll. */
function payrollRow(results: MonthResults, m: Member): PayrollRow | null {
  const member = memberView(m);
  // on the payroll: hired by the month's end and not deactivated before it began (team calendar)
  if (member.hiredOn > lastDay(results.month)) return null;
  if (m.deactivatedAt && dayIn(m.deactivatedAt, results.policy.timezone) < firstDay(results.month)) return null;
  const standing = results.byMember.get(m.id) ?? null;
  const penalties = results.penalties.get(m.id) ?? summarisePenalties(results.policy, m.id, []);
  return {
    member,
    standing,
    penalties,
    payslip: payslip(results.policy, {
      level: member.level,
      scoreHundredths: standing?.score.scoreHundredths ?? null,
      gmvFen: standing?.gmvFen ?? 0,
      awardFen: standing?.award.awardFen ?? 0,
      penaltyFen: penalties.moneyFen,
      commissionForfeited: penalties.commissionForfeited,
    }),
  };
}

/** As a lead reads a payroll: track by track, best first, the unscored (leads, absent) last. */
function sortPayroll(rows: PayrollRow[]): PayrollRow[] {
  const order = (r: PayrollRow) =>
    [TRACKS.indexOf(r.member.track), r.standing?.score.rank ?? Number.MAX_SAFE_INTEGER] as const;
  return rows.sort((a, b) => {
    const [ta, ra] = order(a);
    const [tb, rb] = order(b);
    return ta - tb || ra - rb || a.member.slackId.localeCompare(b.member.slackId);
  });
}

export async function payroll(
  t: Tally,
  month: Month,
): Promise<{ month: Month; policy: Policy; rows: PayrollRow[]; closed: boolean }> {
  const frozen = await frozenMonth(t, month);
  if (frozen) return { month, policy: frozen.results.policy, rows: frozen.rows, closed: true };
  const results = await liveMonth(t, month);
  const rows = (await t.db.member.findMany())
    .map((m) => payrollRow(results, m))
    .filter((r): r is PayrollRow => r !== null);
  return { month, policy: results.policy, rows: sortPayroll(rows), closed: false };
}

export interface MemberScoreResult {
  period: Period;
  member: MemberView;
  policy: Policy;
  /** null when the member has no metrics in the period */
  standing: Standing | MonthStanding | null;
  /** how many were ranked in the member's track */
  ranked: number;
  penalties: MonthPenalties;
  /** month periods only */
  payslip: Payslip | null;
  /** the level the payslip pays (the month's, for a closed month); null without a payslip */
  payLevel: Level | null;
}

export async function memberScore(t: Tally, slackId: string, period: Period): Promise<MemberScoreResult> {
  const m = await t.db.member.findUnique({ where: { slackId } });
  if (!m) throw new TallyError('not_on_roster', { slackId });
  const member = memberView(m);
  if (period.kind === 'month') {
    const frozen = await frozenMonth(t, period.month);
    const results = frozen?.results ?? (await liveMonth(t, period.month));
    const row = frozen ? (frozen.rows.find((r) => r.member.id === m.id) ?? null) : payrollRow(results, m);
    return {
      period,
      member,
      policy: results.policy,
      standing: results.byMember.get(member.id) ?? null,
      ranked: results.tracks[row?.member.track ?? member.track].length,
      penalties: results.penalties.get(member.id) ?? summarisePenalties(results.policy, member.id, []),
      payslip: row?.payslip ?? null,
      payLevel: row?.member.level ?? null,
    };
  }
  const scores = await scorePeriod(t, period);
  const standing = scores.tracks[member.track].find((s) => s.member.id === member.id) ?? null;
  return {
    period,
    member,
    policy: scores.policy,
    standing,
    ranked: scores.tracks[member.track].length,
    penalties: scores.penalties.get(member.id) ?? summarisePenalties(scores.policy, member.id, []),
    payslip: null,
    payLevel: null,
  };
}
