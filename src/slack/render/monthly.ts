// The month's results: the post in the team channel (ranking, awards and streaks per track), each
// agent's payslip DM, and the payroll summary the leads get with the CSV.
import { sumFen } from '../../core/money.js';
import type { Track } from '../../core/policy.js';
import type { MissingData } from '../../service/month-end.js';
import type { MonthStanding, PayrollRow } from '../../service/scores.js';
import { context, escape, escapeLine, header, linesToSections, message, section, type Msg } from '../blocks.js';
import type { Texts } from '../text/index.js';
import { payslipBlocks } from './score.js';

/** Ranked per track in the post; the chart shows everyone. */
const TOP = 10;

/** The month's title, or the correction's when a reopened month was closed again. */
export function monthlyTitle(tx: Texts, month: string, correction: boolean): string {
  return correction ? tx.jobs.correctionTitle(month) : tx.jobs.monthlyTitle(month);
}

/** The channel post: each track's ranking (its rows best first) and its awards. */
export function monthlyPost(
  tx: Texts,
  v: { month: string; correction: boolean; tracks: Array<{ track: Track; ranked: PayrollRow[] }> },
): Msg {
  const lines: string[] = [];
  for (const { track, ranked } of v.tracks) {
    lines.push(
      `*${tx.board.title(tx.track[track], v.month)}*`,
      ...ranked
        .slice(0, TOP)
        .map(
          (r) => `${r.standing!.score.rank}. ${escapeLine(r.member.name)} · *${r.standing!.score.score.toFixed(2)}*`,
        ),
    );
    const awards = ranked.filter((r) => r.payslip.awardFen > 0);
    lines.push(
      ...(awards.length
        ? awards.map((r) =>
            tx.jobs.award(r.member.slackId, r.standing!.award.awardRank!, r.standing!.award.streak, r.payslip.awardFen),
          )
        : [tx.jobs.noAwards]),
    );
  }
  const title = monthlyTitle(tx, v.month, v.correction);
  return message(title, [header(title), ...linesToSections(lines)].slice(0, 50));
}

/** One agent's payslip DM: score and rank (or why there is none), every term, a forfeiture. */
export function payslipMessage(
  tx: Texts,
  v: { month: string; correction: boolean; row: PayrollRow; rankedInTrack: number },
): Msg {
  const r = v.row;
  const slipTitle = `${v.correction ? `${monthlyTitle(tx, v.month, true)}\n` : ''}${tx.jobs.payslipTitle(v.month)}`;
  const blocks = [
    section(`*${slipTitle}*`),
    ...(r.standing
      ? [
          section(
            tx.score.summary(
              r.standing.score.score.toFixed(2),
              r.standing.score.rank,
              v.rankedInTrack,
              tx.track[r.member.track],
            ),
          ),
        ]
      : [section(tx.score.notScored)]),
    ...payslipBlocks(tx, r.payslip, r.member.level),
    ...(r.penalties.commissionForfeited ? [context(tx.score.forfeited)] : []),
  ];
  return message(slipTitle, blocks);
}

/** The leads' payroll summary: how many, the total, and every forfeiture, dismissal and rotation flag. */
export function payrollReport(tx: Texts, v: { month: string; correction: boolean; rows: PayrollRow[] }): Msg {
  const rows = v.rows;
  const flags = [
    ...rows.filter((r) => r.penalties.dismissalFlag).map((r) => tx.jobs.dismissal(r.member.slackId)),
    ...rows.filter((r) => r.penalties.commissionForfeited).map((r) => tx.jobs.forfeited(r.member.slackId)),
    ...rows.filter((r) => r.standing?.award.rotationFlag).map((r) => tx.jobs.rotation(r.member.slackId)),
  ];
  const reportTitle = `${v.correction ? `${monthlyTitle(tx, v.month, true)}: ` : ''}${tx.jobs.reportTitle(v.month)}`;
  return message(
    reportTitle,
    [
      header(reportTitle),
      section(tx.jobs.reportTotal(rows.length, sumFen(rows.map((r) => r.payslip.totalFen)))),
      ...linesToSections(flags.length ? flags : [tx.jobs.noFlags]),
    ].slice(0, 50),
  );
}

/**
 * The 1st: a finished month's standings so far, marked provisional and saying when it closes. No
 * awards: they are decided at the close, with the month's last data in.
 */
export function provisionalPost(
  tx: Texts,
  v: { month: string; closes: string; tracks: Array<{ track: Track; ranked: MonthStanding[] }> },
): Msg {
  const lines: string[] = [];
  for (const { track, ranked } of v.tracks) {
    lines.push(
      `*${tx.board.title(tx.track[track], v.month)}*`,
      ...ranked.slice(0, TOP).map((s) => `${s.score.rank}. ${escape(s.member.name)} · *${s.score.score.toFixed(2)}*`),
    );
  }
  const title = tx.jobs.provisionalTitle(v.month);
  return message(
    title,
    [header(title), context(tx.jobs.provisionalNote(v.closes)), ...linesToSections(lines)].slice(0, 50),
  );
}

/** Most agents a missing-data DM names; the rest are counted. */
const MISSING_NAMED = 30;

/** To the leads: whose data for the month's last days is missing, before the close (`closes`) or at it (null). */
export function missingDataMessage(tx: Texts, v: { month: string; data: MissingData; closes: string | null }): Msg {
  const { from, to, missing } = v.data;
  const lines = missing.slice(0, MISSING_NAMED).map((m) => tx.jobs.missingLine(m.member.slackId, m.days));
  if (missing.length > MISSING_NAMED) lines.push(tx.jobs.more(missing.length - MISSING_NAMED));
  const text =
    v.closes === null
      ? tx.jobs.missingAtClose(v.month, from, to, lines.join('\n'))
      : tx.jobs.missingBeforeClose(v.month, from, to, v.closes, lines.join('\n'));
  return message(text, linesToSections(text.split('\n')));
}
