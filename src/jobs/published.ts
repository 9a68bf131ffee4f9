// What a month's run published, kept with the run as digests of the figures each part showed: when a
// reopened month is closed again, its correction compares with them and sends again only what changed
// (a payslip to whoever's changed, the channel's results, the leads' payroll file).
import { createHash } from 'node:crypto';
import { TRACKS } from '../core/policy.js';
import type { PayrollRow } from '../service/scores.js';

/** Stored with the run (`job_run.progress.published`); member ids with digests as pairs, never as object keys. */
export interface Published {
  /** each payslip in Slack: the member's id and the digest of its figures */
  payslips: Array<[number, string]>;
  /** the channel's post and charts, once they were queued */
  channel: string | null;
  /** the leads' payroll file, once it was queued (someone could take it) */
  payrollFile: string | null;
}

/** What a correction sent again because it changed since the month was posted. */
export interface Corrected {
  /** Slack ids of the people sent a corrected payslip */
  payslips: string[];
  channel: boolean;
  payrollFile: boolean;
}

const digest = (facts: unknown[]): string =>
  createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16);

/** A score as people read it: two decimals (a float's last bits are no correction). */
const shown = (r: PayrollRow): string | null => r.standing?.score.score.toFixed(2) ?? null;

/** Every money term, in a fixed order (a snapshot's JSON does not keep the key order). */
const terms = (r: PayrollRow): number[] => {
  const p = r.payslip;
  return [p.baseFen, p.performanceFen, p.commissionFen, p.awardFen, p.mealFen, p.penaltyFen, p.totalFen, p.uncappedFen];
};

/** A row's results: track, level, score, rank, award and streak, every money term and every flag. Not the name. */
const results = (r: PayrollRow): unknown[] => [
  r.member.track,
  r.member.level,
  shown(r),
  r.standing?.score.rank ?? null,
  r.standing?.award.awardRank ?? null,
  r.standing?.award.streak ?? 0,
  ...terms(r),
  r.penalties.commissionForfeited,
  r.penalties.dismissalFlag,
  r.standing?.award.rotationFlag ?? false,
];

/** One agent's payslip: their results and how many were ranked in their track ("3rd of 12"). */
export function payslipDigest(r: PayrollRow, rankedInTrack: number): string {
  return digest([...results(r), rankedInTrack]);
}

/**
 * The channel's results: each track's ranking with the scores as shown, awards and streaks (the post),
 * down to the last ranked (the charts). Names are not results: a rename is no correction.
 */
export function channelDigest(rows: PayrollRow[]): string {
  return digest(
    TRACKS.map((track) =>
      rows
        .filter((r) => r.standing && r.member.track === track)
        .sort((a, b) => a.standing!.score.rank - b.standing!.score.rank || a.member.id - b.member.id)
        .map((r) => [
          r.member.id,
          r.standing!.score.rank,
          shown(r),
          r.standing!.award.awardRank,
          r.standing!.award.streak,
          r.payslip.awardFen,
        ]),
    ),
  );
}

/** The leads' payroll file and its summary: everyone's results, by Slack id (names aside). */
export function payrollDigest(rows: PayrollRow[]): string {
  return digest(
    [...rows].sort((a, b) => a.member.id - b.member.id).map((r) => [r.member.id, r.member.slackId, ...results(r)]),
  );
}

const isDigest = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{16}$/.test(v);

/** Reads `published` back from a run's progress; null when it is not there (a run before Tally kept it). */
export function readPublished(value: unknown): Published | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { payslips?: unknown; channel?: unknown; payrollFile?: unknown };
  if (!Array.isArray(v.payslips)) return null;
  const payslips = v.payslips.filter(
    (p): p is [number, string] => Array.isArray(p) && p.length === 2 && Number.isInteger(p[0]) && isDigest(p[1]),
  );
  return {
    payslips,
    channel: isDigest(v.channel) ? v.channel : null,
    payrollFile: isDigest(v.payrollFile) ? v.payrollFile : null,
  };
}
