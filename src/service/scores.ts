// Scores, ranks, awards and pay for a period: loads rows, hands them to src/core, returns values.
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
import { policyOn, TRACKS, type KpiActual, type Level, type Policy, type Track } from '../core/policy.js';
import {
  GMV,
  actualOf,
  rankTrack,
  scoreTrack,
  sumsKey,
  sumsNeeded,
  type RankedScore,
  type Sums,
} from '../core/score.js';
import { fromDay, toDay } from '../db/dates.js';
import { sumMetrics } from '../db/metrics.js';
import { rollupCovers, sumMonth } from '../db/rollup.js';
import { loadPolicyVersions, PolicyMoved, POLICY_HEADS_SQL, teamToday, type Tally } from './context.js';
import type { Member } from '../generated/prisma/client.js';
import { together } from './batch.js';
import { cachedFrom, monthStamp, STAMP_SQL, stampOf } from './cache.js';
import { isClosed } from './closed.js';
import { memberView, type MemberView } from './roster.js';
import { historyOf, HISTORY_SQL, loadHistories, memberOn, type MemberHistory } from './assignments.js';
import { activeOn, awayAllMonth } from '../core/assignments.js';

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
/** The month before this one in the team's calendar: the last that has finished (`rank` and `payroll` without a period). */
export async function lastFinishedMonth(t: Tally): Promise<Month> {
  return addMonths(monthOf((await teamToday(t)).today), -1);
}

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

async function loadPenalties(t: Tally, from: Day, to: Day, memberIds?: number[]): Promise<PenaltyRecord[]> {
  const rows = await t.db.penalty.findMany({
    where: {
      occurredOn: { gte: fromDay(from), lte: fromDay(to) },
      ...(memberIds ? { memberId: { in: memberIds } } : {}),
    },
    select: { id: true, memberId: true, ruleCode: true, amountFen: true, points: true, occurredOn: true, status: true },
    orderBy: { id: 'asc' },
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

/** The month a period's results are stamped with (src/service/cache.ts). */
const stampMonth = (period: Period): Month => monthOf(periodStart(period));

/** Scores and ranks every member with metrics in the period, per track, with the policy in force at its start. */
export async function scorePeriod(t: Tally, period: Period): Promise<PeriodScores> {
  return scoreAt(t, period, await monthStamp(t.db, stampMonth(period)));
}

function scoreAt(t: Tally, period: Period, stamp: number): Promise<PeriodScores> {
  return cachedFrom<Scored>(t, `score:${periodLabel(period)}`, stamp, async (earlier) => {
    const before = await earlier;
    return before ? updatePeriod(t, period, stamp, before) : computePeriod(t, period);
  }).then((s) => s.scores);
}

/**
 * Lets pending I/O (Slack requests waiting for their ack) run. The embedded database executes on this
 * thread and its results resolve as microtasks, so a long computation would otherwise hold every
 * other request until it ends.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where a period's stamp month stood when its rows were read: the versions of earlier months, and its own. */
interface Versions {
  earlier: number;
  own: number;
}

/** A period's scores with the rows they were computed from, so a later write can be applied to them. */
interface Scored {
  scores: PeriodScores;
  /** read before the rows: every change logged after `own` may be missing from them */
  versions: Versions;
  sums: Map<number, Record<string, Sums>>;
  /** the whole month's penalties (escalations count per calendar month) */
  penaltyRows: PenaltyRecord[];
}

const VERSIONS_SQL = `COALESCE((SELECT SUM(n) FROM month_version WHERE month < $1), 0)::bigint AS earlier,
  COALESCE((SELECT n FROM month_version WHERE month = $1), 0)::bigint AS own`;

async function readVersions(t: Tally, month: Month): Promise<Versions> {
  const [row] = await t.db.$queryRawUnsafe<Array<{ earlier: bigint; own: bigint }>>(`SELECT ${VERSIONS_SQL}`, month);
  return { earlier: Number(row!.earlier), own: Number(row!.own) };
}

/** Above this many changed members a month is scored afresh: reading them all is as cheap. */
const MAX_UPDATED = 50;

/**
 * The period's scores after writes since `before`: when every one of them was a penalty (they name
 * their members in month_change) in the period's own month, only those members' rows are read again
 * and the tracks are ranked anew; anything else (an import, the roster, a policy, an earlier month)
 * scores the period afresh.
 */
async function updatePeriod(t: Tally, period: Period, stamp: number, before: Scored): Promise<Scored> {
  const month = stampMonth(period);
  const [row] = await t.db.$queryRawUnsafe<
    Array<{ earlier: bigint; own: bigint; logged: bigint; anyone: boolean | null; members: number[] | null }>
  >(
    `SELECT ${VERSIONS_SQL},
       (SELECT COUNT(DISTINCT n) FROM month_change WHERE month = $1 AND n > $2)::bigint AS logged,
       (SELECT bool_or(member_id IS NULL) FROM month_change WHERE month = $1 AND n > $2) AS anyone,
       (SELECT array_agg(DISTINCT member_id) FROM month_change WHERE month = $1 AND n > $2 AND member_id IS NOT NULL) AS members`,
    month,
    before.versions.own,
  );
  const now = { earlier: Number(row!.earlier), own: Number(row!.own) };
  const ids = row!.members ?? [];
  const applies =
    now.earlier === before.versions.earlier &&
    now.earlier + now.own === stamp &&
    Number(row!.logged) === now.own - before.versions.own &&
    row!.anyone !== true &&
    ids.length > 0 &&
    ids.length <= MAX_UPDATED;
  if (!applies) return computePeriod(t, period);
  const { policy, members } = before.scores;
  const from = periodStart(period);
  const defs = sumDefs(policy);
  const [sums, penaltyRows] = await Promise.all([
    readSums(t, period, defs, ids),
    loadPenalties(t, firstDay(monthOf(from)), lastDay(monthOf(from)), ids),
  ]);
  const changed = new Set(ids);
  const allSums = new Map([...before.sums].filter(([id]) => !changed.has(id)));
  for (const [id, s] of sums) allSums.set(id, s);
  // in id order, as loadPenalties reads them
  const allPenalties = [...before.penaltyRows.filter((p) => !changed.has(p.memberId)), ...penaltyRows].sort(
    (a, b) => a.id - b.id,
  );
  return rankPeriod(period, policy, members, now, allSums, allPenalties, { before: before.scores, changed });
}

const sumDefs = (policy: Policy) => [
  ...new Map(TRACKS.flatMap((tr) => sumsNeeded(policy, tr)).map((d) => [sumsKey(d), d])).values(),
];

/** The period's sums per member (of `memberIds` only, when given). */
function readSums(t: Tally, period: Period, defs: KpiActual[], memberIds?: number[]) {
  // a month reads its rollup (one row per member) when it keeps every sum the policy needs
  return period.kind === 'month' && rollupCovers(defs)
    ? sumMonth(t.db, period.month, defs, memberIds)
    : sumMetrics(t.db, periodStart(period), periodEnd(period), defs, memberIds);
}

async function computePeriod(t: Tally, period: Period): Promise<Scored> {
  await yieldToEventLoop();
  const from = periodStart(period);
  // before the policy and the rows: a write committing while they are read (a penalty, a policy
  // change) is then seen by the next update, which applies it or scores afresh
  const stood = await readVersions(t, stampMonth(period));
  const policy = policyOn(await loadPolicyVersions(t), from);
  const [histories, sums, penaltyRows] = await Promise.all([
    // each member as they were at the period's start: a day's assignment, a month's on its first day
    loadHistories(t.db),
    readSums(t, period, sumDefs(policy)),
    loadPenalties(t, firstDay(monthOf(from)), lastDay(monthOf(from))),
  ]);
  const members = new Map(
    histories.map((h) => {
      const m = memberOn(h, from);
      // a day's roster: who was on the team that day (the daily nudge for missing data reads it)
      return [h.row.id, period.kind === 'day' ? { ...m, active: activeOn(h.activity, m.hiredOn, from) } : m];
    }),
  );
  return rankPeriod(period, policy, members, stood, sums, penaltyRows);
}

/**
 * Scores and ranks each track from the period's rows. `update`: the earlier scores and the members
 * whose rows changed since; a track none of them is in keeps its standings (a track's scores depend
 * on its own members only), and only their penalties are summarised again.
 */
function rankPeriod(
  period: Period,
  policy: Policy,
  members: Map<number, MemberView>,
  versions: Versions,
  sums: Map<number, Record<string, Sums>>,
  penaltyRows: PenaltyRecord[],
  update?: { before: PeriodScores; changed: ReadonlySet<number> },
): Scored {
  let penalties: Map<number, MonthPenalties>;
  if (update) {
    penalties = new Map([...update.before.penalties].filter(([id]) => !update.changed.has(id)));
    const rows = penaltyRows.filter((p) => update.changed.has(p.memberId));
    for (const [id, p] of periodPenalties(policy, period, rows)) penalties.set(id, p);
  } else penalties = periodPenalties(policy, period, penaltyRows);
  const touched = new Set(update ? [...update.changed].map((id) => members.get(id)?.track) : TRACKS);
  const tracks = {} as Record<Track, Standing[]>;
  for (const track of TRACKS) {
    if (update && !touched.has(track)) {
      tracks[track] = update.before.tracks[track];
      continue;
    }
    const inputs = [...sums]
      .filter(([id]) => members.get(id)?.track === track)
      .map(([memberId, s]) => ({ memberId, sums: s, penaltyPoints: penalties.get(memberId)?.points ?? 0 }));
    // an update: the members whose rows did not change keep their scores when the targets cannot have moved
    const earlier = update && {
      scores: new Map(update.before.tracks[track].map((st) => [st.member.id, st.score])),
      changed: update.changed,
    };
    tracks[track] = rankTrack(scoreTrack(policy, track, inputs, earlier)).map((score) => ({
      member: members.get(score.memberId)!,
      score,
      gmvFen: actualOf(GMV, sums.get(score.memberId)![sumsKey(GMV)]) ?? 0,
    }));
  }
  return { scores: { period, policy, tracks, penalties, members }, versions, sums, penaltyRows };
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
function baseAwards(scores: PeriodScores, month: Month, skip?: ReadonlySet<Track>): Map<number, Award> {
  const out = new Map<number, Award>();
  for (const track of TRACKS) {
    if (skip?.has(track)) continue;
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
  return (await monthAt(t, month, await monthStamp(t.db, month))).results;
}

/** Several months' results, their stamps read in one query (most often each is then served from memory). */
export async function monthsResults(
  t: Tally,
  months: readonly Month[],
  /** stamps the caller read already (memberScore's ReadAlso), in the same round trip as its own answer */
  known?: ReadonlyMap<Month, number>,
): Promise<MonthResults[]> {
  if (!months.length) return [];
  for (const month of months) if (!isMonth(month)) throw new TallyError('bad_month', { value: month });
  const stamps =
    known && months.every((m) => known.has(m))
      ? known
      : new Map(
          (
            await t.db.$queryRawUnsafe<Array<{ month: string; stamp: bigint }>>(
              `SELECT m AS month, ${stampOf('m')} AS stamp FROM unnest($1::text[]) AS m`,
              months,
            )
          ).map((r) => [r.month, Number(r.stamp)]),
        );
  return Promise.all(months.map(async (m) => (await monthAt(t, m, stamps.get(m)!)).results));
}

interface MonthEntry {
  results: MonthResults;
  /** a closed month's frozen payroll; null while it is open */
  frozen: PayrollRow[] | null;
}

/**
 * A month at a stamp: a closed month as it was frozen (src/service/months.ts), an open one computed
 * from its rows. Closing and reopening bump the month, so the stamp tells the two apart too.
 */
function monthAt(t: Tally, month: Month, stamp: number, closed?: boolean): Promise<MonthEntry> {
  return cachedFrom<MonthEntry>(t, `month:${month}`, stamp, async (earlier) => {
    const frozen = closed === false ? null : await frozenMonth(t, month);
    if (frozen) return { results: frozen.results, frozen: frozen.rows };
    const before = await earlier;
    return { results: await computeMonth(t, month, stamp, before?.frozen ? undefined : before?.results), frozen: null };
  });
}

interface Frozen {
  results: MonthResults;
  rows: PayrollRow[];
}

/** A closed month as it was frozen, or null when it is open. */
async function frozenMonth(t: Tally, month: Month): Promise<Frozen | null> {
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
}

type PastAwards = Map<number, Pick<Award, 'awardRank' | 'lastPlace'>>;

/**
 * First and last places of the months from..to that are known without scoring: a closed month's
 * snapshots, an open month's month_award rows still valid at its stamp. One query.
 */
async function knownAwards(t: Tally, from: Month, to: Month): Promise<Map<Month, PastAwards>> {
  const rows = await t.db.$queryRawUnsafe<
    Array<{ month: string; member_id: number | null; award_rank: number | null; last_place: boolean | null }>
  >(
    `WITH closed AS (
       SELECT month FROM month_close WHERE month BETWEEN $1 AND $2 AND reopened_at IS NULL
     ), fresh AS (
       SELECT s.month FROM month_award_state s
       WHERE s.month BETWEEN $1 AND $2 AND s.month NOT IN (SELECT month FROM closed)
         AND s.stamp = ${stampOf('s.month')}
     )
     SELECT f.month, a.member_id, a.award_rank, a.last_place
       FROM fresh f LEFT JOIN month_award a ON a.month = f.month
     UNION ALL
     SELECT c.month, s.member_id, s.award_rank, s.last_place
       FROM closed c LEFT JOIN score_snapshot s ON s.period = c.month AND (s.award_rank = 1 OR s.last_place)`,
    from,
    to,
  );
  const out = new Map<Month, PastAwards>();
  for (const r of rows) {
    let month = out.get(r.month);
    if (!month) out.set(r.month, (month = new Map()));
    if (r.member_id !== null) month.set(r.member_id, { awardRank: r.award_rank, lastPlace: r.last_place === true });
  }
  return out;
}

/** keepAwards still writing, per database */
const keeping = new WeakMap<object, Set<Promise<void>>>();

/**
 * Keeps an open month's first and last places in the background: nobody waits for a cache to be
 * written (a failure, or a write overtaken by a newer stamp, only costs a later look-back a recompute).
 */
function keepAwardsLater(t: Tally, month: Month, stamp: number, awards: Map<number, Award>): void {
  let pending = keeping.get(t.db);
  if (!pending) keeping.set(t.db, (pending = new Set()));
  const write = keepAwards(t, month, stamp, awards).finally(() => pending.delete(write));
  pending.add(write);
}

/** Resolves when the first and last places being kept in the background are written (the warm-up, tests). */
export async function awardsKept(t: Tally): Promise<void> {
  while (keeping.get(t.db)?.size) await Promise.all(keeping.get(t.db)!);
}

/** Keeps an open month's first and last places for later look-backs (a cache: a failure only costs a recompute). */
async function keepAwards(t: Tally, month: Month, stamp: number, awards: Map<number, Award>): Promise<void> {
  const kept = [...awards.values()].filter((a) => a.awardRank === 1 || a.lastPlace);
  try {
    await t.db.$transaction([
      // the state row first: its lock orders two replicas keeping the same month
      t.db.$executeRawUnsafe(
        `INSERT INTO month_award_state (month, stamp) VALUES ($1, $2)
         ON CONFLICT (month) DO UPDATE SET stamp = EXCLUDED.stamp`,
        month,
        stamp,
      ),
      t.db.$executeRawUnsafe('DELETE FROM month_award WHERE month = $1', month),
      t.db.$executeRawUnsafe(
        `INSERT INTO month_award (month, member_id, award_rank, last_place)
         SELECT $1, m, r, l FROM unnest($2::int[], $3::int[], $4::bool[]) AS u(m, r, l)`,
        month,
        kept.map((a) => a.memberId),
        kept.map((a) => a.awardRank),
        kept.map((a) => a.lastPlace),
      ),
    ]);
  } catch {
    // the next look-back finds the month's state stale and scores it again
  }
}

/** Award ranks and last places of an earlier month not known yet: frozen if closed, else scored and kept. */
async function pastAwards(t: Tally, month: Month): Promise<PastAwards> {
  if (await isClosed(t.db, month)) {
    const rows = await t.db.scoreSnapshot.findMany({
      where: { period: month },
      select: { memberId: true, awardRank: true, lastPlace: true },
    });
    return new Map(rows.map((r) => [r.memberId, r]));
  }
  const stamp = await monthStamp(t.db, month);
  const base = baseAwards(await scoreAt(t, { kind: 'month', month }, stamp), month);
  keepAwardsLater(t, month, stamp, base);
  return base;
}

/** The period scores each computed month's results were made from (computeMonth compares them with the next ones). */
const madeFrom = new WeakMap<MonthResults, PeriodScores['tracks']>();

/**
 * A month's results: awards, streaks and rotation flags on top of its scores. `earlier`: the same
 * month's results at an earlier stamp. A track whose standings are the very ones those were made from
 * (an update that did not touch it: same policy, same earlier months) keeps its results as they were.
 */
async function computeMonth(t: Tally, month: Month, stamp: number, earlier?: MonthResults): Promise<MonthResults> {
  const scores = await scoreAt(t, { kind: 'month', month }, stamp);
  const source = earlier && earlier.policy === scores.policy ? madeFrom.get(earlier) : undefined;
  const kept = new Set(TRACKS.filter((tr) => source?.[tr] === scores.tracks[tr]));
  const base = baseAwards(scores, month, kept);
  // a kept track's award ranks and last places (they do not depend on earlier months) for keepAwards
  for (const tr of kept) for (const st of earlier!.tracks[tr]) base.set(st.member.id, st.award);
  // the look-back is needed for the tracks scored again only
  const fresh = [...base.values()].filter((a) => !kept.has(scores.members.get(a.memberId)!.track));
  const firsts = fresh.filter((a) => a.awardRank === 1).map((a) => a.memberId);
  const lasts = fresh.filter((a) => a.lastPlace).map((a) => a.memberId);
  const priorFirst = new Map<number, number>();
  const priorLast = new Map<number, number>();
  const maxFirst = Math.max(0, ...scores.policy.awards.streakFen.map((s) => s.minMonths)) - 1;
  const maxLast = scores.policy.awards.rotationAfterMonths - 1;
  const back = Math.max(maxFirst, maxLast);
  keepAwardsLater(t, month, stamp, base);
  const known =
    back > 0 && (firsts.length || lasts.length)
      ? await knownAwards(t, addMonths(month, -back), addMonths(month, -1))
      : new Map<Month, PastAwards>();
  let runningFirst = firsts;
  let runningLast = lasts;
  for (let k = 1; k <= back && (runningFirst.length || runningLast.length); k++) {
    const earlier = addMonths(month, -k);
    const awards = known.get(earlier) ?? (await pastAwards(t, earlier));
    runningFirst = k <= maxFirst ? runningFirst.filter((id) => awards.get(id)?.awardRank === 1) : [];
    runningLast = k <= maxLast ? runningLast.filter((id) => awards.get(id)?.lastPlace === true) : [];
    for (const id of runningFirst) priorFirst.set(id, k);
    for (const id of runningLast) priorLast.set(id, k);
  }
  const tracks = {} as Record<Track, MonthStanding[]>;
  for (const track of TRACKS) {
    if (kept.has(track)) {
      tracks[track] = earlier!.tracks[track];
      continue;
    }
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
  const results = { ...scores, month, tracks, byMember };
  madeFrom.set(results, scores.tracks);
  return results;
}

export interface PayrollRow {
  member: MemberView;
  standing: MonthStanding | null;
  penalties: MonthPenalties;
  payslip: Payslip;
}

/**
 * One member's payslip for a month, or null when they were not on that month's payroll: hired by
 * the month's end and on the team at least one day of it. Paid at the level in force on its first day.
 */
function payrollRow(results: MonthResults, h: MemberHistory): PayrollRow | null {
  const m = h.row;
  if (awayAllMonth(h.activity, toDay(m.hiredOn), results.month)) return null;
  const member = results.byMember.get(m.id)?.member ?? memberOn(h, firstDay(results.month));
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
  const entry = await monthAt(t, month, await monthStamp(t.db, month));
  if (entry.frozen) return { month, policy: entry.results.policy, rows: entry.frozen, closed: true };
  const rows = (await loadHistories(t.db))
    .map((h) => payrollRow(entry.results, h))
    .filter((r): r is PayrollRow => r !== null);
  return { month, policy: entry.results.policy, rows: sortPayroll(rows), closed: false };
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
  /** the member as they are today, and their levels over time (read with the stamp: no extra query) */
  today: { member: MemberView; levels: Array<{ from: Day; level: Level }> };
  /** the stamps of ReadAlso's months, read in the same round trip */
  stamps: Map<Month, number>;
}

/** A JSON column as an object (a driver may hand JSON back as text). */
const jsonOf = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

interface MemberAndStamp {
  h: MemberHistory;
  stamp: number;
  closed: boolean;
  stamps: Map<Month, number>;
}

/**
 * The member and the period's stamp in one round trip: all a cached answer needs from the database.
 * Members asked for together (a burst of /myscore) are read in one statement (src/service/batch.ts).
 */
function memberAndStamp(t: Tally, slackId: string, month: Month, also: ReadAlso = {}): Promise<MemberAndStamp> {
  const months = also.months ?? [];
  const group = `member:${month}:${also.heads === undefined ? '-' : `=${also.heads}`}:${months.join(',')}`;
  return together(t.db, group, slackId, (ids) => membersAndStamp(t, ids, month, also.heads, months)).then((r) => {
    if (r === 'moved') throw new PolicyMoved();
    if (r === null) throw new TallyError('not_on_roster', { slackId });
    return r;
  });
}

async function membersAndStamp(
  t: Tally,
  slackIds: string[],
  month: Month,
  heads: string | undefined,
  months: readonly Month[],
): Promise<Array<MemberAndStamp | 'moved' | null>> {
  const rows = await t.db.$queryRawUnsafe<
    Array<{
      i: bigint | number;
      stamp: bigint;
      id: number | null;
      slack_id: string;
      name: string;
      track: Member['track'];
      level: Member['level'];
      role: Member['role'];
      hired_on: string;
      active: boolean;
      deactivated_at: Date | string | null;
      platform_account: string | null;
      assignments: unknown;
      activity: unknown;
      heads: string | null;
      closed: boolean;
      stamps: Record<string, number | string> | string | null;
    }>
  >(
    `SELECT q.i, (${STAMP_SQL}) AS stamp, ${heads === undefined ? 'NULL' : POLICY_HEADS_SQL} AS heads,
       EXISTS (SELECT 1 FROM month_close WHERE month = $1 AND reopened_at IS NULL) AS closed,
       (SELECT json_object_agg(am, ${stampOf('am')})
        FROM unnest($3::text[]) AS am) AS stamps, m.id, m.slack_id, m.name, m.track::text AS track, m.level::text AS level,
       m.role::text AS role, to_char(m.hired_on, 'YYYY-MM-DD') AS hired_on, m.active, m.deactivated_at,
       m.platform_account, ${HISTORY_SQL}
     FROM unnest($2::text[]) WITH ORDINALITY AS q(slack_id, i) LEFT JOIN member m ON m.slack_id = q.slack_id
     ORDER BY q.i`,
    month,
    slackIds,
    months,
  );
  return rows.map((row) => {
    if (heads !== undefined && row.heads !== heads) return 'moved';
    if (row.id === null) return null;
    return {
      stamp: Number(row.stamp),
      // read with the stamp: closing and reopening bump the month, so the two agree
      closed: row.closed,
      stamps: new Map(Object.entries(jsonOf(row.stamps) ?? {}).map(([m, n]) => [m as Month, Number(n)])),
      h: {
        ...historyOf(row),
        row: {
          id: row.id,
          slackId: row.slack_id,
          name: row.name,
          track: row.track,
          level: row.level,
          role: row.role,
          hiredOn: fromDay(row.hired_on),
          active: row.active,
          deactivatedAt: row.deactivated_at === null ? null : new Date(row.deactivated_at),
          platformAccount: row.platform_account,
        },
      },
    };
  });
}

/** What memberScore may read in its one round trip besides the member and the period's stamp. */
export interface ReadAlso {
  /** the policy versions the caller's team was computed from (rememberedTeam): PolicyMoved if they changed */
  heads?: string;
  /** more months whose stamps to read (monthsResults takes them) */
  months?: readonly Month[];
}

export async function memberScore(
  t: Tally,
  slackId: string,
  period: Period,
  also: ReadAlso = {},
): Promise<MemberScoreResult> {
  const { h, stamp, closed, stamps } = await memberAndStamp(t, slackId, stampMonth(period), also);
  // the member as they were in the period: its KPIs, rank and pay are those of that track and level
  const then = memberOn(h, periodStart(period));
  const today = { member: memberView(h.row), levels: h.assignments.map((a) => ({ from: a.from, level: a.level })) };
  if (period.kind === 'month') {
    const { results, frozen } = await monthAt(t, period.month, stamp, closed);
    const row = frozen ? (frozen.find((r) => r.member.id === h.row.id) ?? null) : payrollRow(results, h);
    const standing = results.byMember.get(then.id) ?? null;
    // a closed month: the track and level it was frozen with
    const member = standing?.member ?? row?.member ?? then;
    return {
      period,
      member,
      policy: results.policy,
      standing,
      ranked: results.tracks[member.track].length,
      penalties: results.penalties.get(member.id) ?? summarisePenalties(results.policy, member.id, []),
      payslip: row?.payslip ?? null,
      payLevel: row?.member.level ?? null,
      today,
      stamps,
    };
  }
  const scores = await scoreAt(t, period, stamp);
  const member = then;
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
    today,
    stamps,
  };
}
