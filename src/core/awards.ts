// Monthly awards (seed 004): award rank among eligible agents, first-place streaks, last-place rotation.
import { addMonths, monthOf, type Day, type Month } from './dates.js';
import { own } from './keys.js';
import type { Level, Policy } from './policy.js';
import { sharedRanks } from './score.js';

/** Eligible when not an excluded level (trainee) and hired at least minTenureMonths before the month's first day. */
export function isEligible(policy: Policy, member: { level: Level; hiredOn: Day }, month: Month): boolean {
  if (policy.awards.excludedLevels.includes(member.level)) return false;
  // hiredOn + minTenureMonths (clamped to its month's end) is on or before the month's 1st: its month
  // is earlier, or it is this month and falls on the 1st, which only a hire on a 1st does
  const due = addMonths(monthOf(member.hiredOn), policy.awards.minTenureMonths);
  return due < month || (due === month && member.hiredOn.endsWith('-01'));
}

export interface AwardInput {
  memberId: number;
  scoreHundredths: number;
  eligible: boolean;
  /** consecutive months immediately before this one in which the member had award rank 1 */
  priorFirstPlaces: number;
  /** consecutive months immediately before this one in which the member was last (see lastPlaces) */
  priorLastPlaces: number;
}

/**
 * A track's standings as award inputs: eligibility from the policy, first and last places running
 * before this month from `prior` (none given: the month on its own, as the streak look-back sees it).
 */
export function awardInputs(
  policy: Policy,
  month: Month,
  standings: readonly { member: { id: number; level: Level; hiredOn: Day }; score: { scoreHundredths: number } }[],
  prior: { firsts?: ReadonlyMap<number, number>; lasts?: ReadonlyMap<number, number> } = {},
): AwardInput[] {
  return standings.map((s) => ({
    memberId: s.member.id,
    scoreHundredths: s.score.scoreHundredths,
    eligible: isEligible(policy, s.member, month),
    priorFirstPlaces: prior.firsts?.get(s.member.id) ?? 0,
    priorLastPlaces: prior.lasts?.get(s.member.id) ?? 0,
  }));
}

export interface Award {
  memberId: number;
  awardRank: number | null;
  /** months running at award rank 1, this one included (0 when not first) */
  streak: number;
  awardFen: number;
  lastPlace: boolean;
  rotationFlag: boolean;
}

/** The amount for an award rank and streak: a streak of 2+ first places replaces the rank-1 amount. */
export function awardAmount(policy: Policy, awardRank: number | null, streak: number): number {
  if (awardRank === null) return 0;
  if (awardRank === 1 && streak >= 2) {
    // tiers are sorted by minMonths when the policy is parsed: the last one reached applies
    let tier: Policy['awards']['streakFen'][number] | undefined;
    for (const t of policy.awards.streakFen)
      if (streak >= t.minMonths && (!tier || t.minMonths > tier.minMonths)) tier = t;
    if (tier) return tier.fen;
  }
  return own(policy.awards.rankFen, String(awardRank)) ?? 0;
}

/** One track's monthly awards. Ineligible members get no award rank and no flag. */
export function monthlyAwards(policy: Policy, track: readonly AwardInput[]): Award[] {
  const eligible = track.filter((m) => m.eligible);
  const ranks = sharedRanks(
    eligible,
    (m) => m.memberId,
    (m) => m.scoreHundredths,
  );
  const lastRank = Math.max(0, ...ranks.values());
  // with everyone tied there is no last place
  const hasLast = eligible.length >= policy.awards.rotationMinEligible && lastRank > 1;
  return track.map((m) => {
    const awardRank = ranks.get(m.memberId) ?? null;
    const streak = awardRank === 1 ? m.priorFirstPlaces + 1 : 0;
    const lastPlace = hasLast && awardRank === lastRank;
    const after = policy.awards.rotationAfterMonths;
    return {
      memberId: m.memberId,
      awardRank,
      streak,
      awardFen: awardAmount(policy, awardRank, streak),
      lastPlace,
      rotationFlag: after > 0 && lastPlace && m.priorLastPlaces + 1 >= after,
    };
  });
}
