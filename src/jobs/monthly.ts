// The month's results on its close day (schedule.closeOnDay): the final ranking per track with
// awards and streaks and a chart in the team channel; each agent's payslip by DM; the payroll file,
// forfeitures, dismissal and rotation flags to leads and supervisors (an Excel workbook, or CSV if
// the policy says so). A correction (a reopened month closed again) sends only what changed since
// (src/jobs/published.ts).
import type { Month } from '../core/dates.js';
import { payrollFile, payrollFileName, payrollWorkbook } from '../export/payroll-file.js';
import { firstDay } from '../core/dates.js';
import { formatFen } from '../core/money.js';
import { STAFF_ROLES, TRACKS, type Policy, type Track } from '../core/policy.js';
import { teamToday, type Tally } from '../service/context.js';
import { policyInForce } from '../service/policy.js';
import { activeWithRoles } from '../service/roster.js';
import type { PayrollRow } from '../service/scores.js';
import { monthlyPost, payrollReport, payslipMessage } from '../slack/render/monthly.js';
import type { Texts } from '../slack/text/index.js';
import { leaderboardPng, type ChartLegend, type ChartRow } from './chart.js';
import { channelDigest, payrollDigest, payslipDigest, type Corrected, type Published } from './published.js';
import type { Item } from './outbox.js';

/** A part of a run that had nobody to go to: `payroll_file` when the team has no active lead, supervisor or admin. */
export type Undelivered = 'payroll_file';

/** One track's chart of a month: its file name, its title and the PNG. */
export interface TrackChart {
  track: Track;
  filename: string;
  title: string;
  png: Buffer;
}

/** A track's ranked members, best first. */
function rankedIn(rows: readonly PayrollRow[], track: Track): PayrollRow[] {
  return rows
    .filter((r) => r.standing && r.member.track === track)
    .sort((a, b) => a.standing!.score.rank - b.standing!.score.rank);
}

/** The policy a month is scored and paid with: the one in force on its first day. */
async function monthPolicy(t: Tally, month: Month): Promise<Policy> {
  return (await policyInForce(t, firstDay(month))).policy;
}

/** What one track's chart shows, before it is drawn. */
export interface ChartData {
  track: Track;
  /** the title as drawn (marked provisional for a month not closed) */
  title: string;
  rows: ChartRow[];
  legend: ChartLegend;
}

/**
 * What the month's chart per track with someone ranked shows: ranks, award winners and their
 * award, who is not eligible for an award and why (the policy's awards.excludedLevels and
 * minTenureMonths), and a legend, in the team's language. `provisional` marks a month not closed yet.
 */
export function monthChartData(
  tx: Texts,
  month: Month,
  rows: readonly PayrollRow[],
  policy: Policy,
  provisional = false,
): ChartData[] {
  const c = tx.jobs.chart;
  const excluded = (r: PayrollRow) => policy.awards.excludedLevels.includes(r.member.level);
  return TRACKS.flatMap((track) => {
    const ranked = rankedIn(rows, track);
    if (!ranked.length) return [];
    // the team's name (policy teamName) first when it has one, as on the payroll sheets
    const named = tx.jobs.chartTitle(tx.track[track], month);
    const title = policy.teamName ? `${policy.teamName} · ${named}` : named;
    // the legend names each reason this chart shows, in full
    const reasons = new Set(
      ranked
        .filter((r) => !r.standing!.eligible)
        .map((r) => (excluded(r) ? c.level(tx.level[r.member.level]) : c.tenure(policy.awards.minTenureMonths))),
    );
    return [
      {
        track,
        title: provisional ? c.provisional(title) : title,
        rows: ranked.map((r) => ({
          name: r.member.name,
          score: r.standing!.score.score,
          rank: r.standing!.score.rank,
          awarded: r.payslip.awardFen > 0,
          ...(r.payslip.awardFen > 0 ? { award: formatFen(r.payslip.awardFen).replace(/\.00$/, '') } : {}),
          ...(r.standing!.eligible
            ? {}
            : {
                notEligible: excluded(r)
                  ? c.level(tx.level[r.member.level])
                  : c.tenureShort(policy.awards.minTenureMonths),
              }),
        })),
        legend: {
          awardWinner: c.awardWinner,
          ranked: c.ranked,
          notEligible: c.notEligible([...reasons].join(tx.lang === 'en' ? '; ' : '；')),
        },
      },
    ];
  });
}

/** The month's charts (monthChartData), drawn whether or not there is a channel to post them to. */
export async function monthCharts(
  tx: Texts,
  month: Month,
  rows: readonly PayrollRow[],
  policy: Policy,
  provisional = false,
): Promise<TrackChart[]> {
  const out: TrackChart[] = [];
  for (const d of monthChartData(tx, month, rows, policy, provisional))
    out.push({
      track: d.track,
      filename: chartFileName(month, d.track),
      title: d.title,
      png: await leaderboardPng(d.title, d.rows, d.legend),
    });
  return out;
}

/** `tally-2026-11-presales.png`, as in the channel. */
export function chartFileName(month: Month, track: Track): string {
  return `tally-${month}-${track}.png`;
}

export async function monthlyItems(
  t: Tally,
  month: Month,
  rows: PayrollRow[],
  tx: Texts,
  channel: string | null,
  key: string,
  correction: boolean,
): Promise<Item[]> {
  return (await monthlyRun(t, month, rows, tx, channel, key, correction)).items;
}

/** A run's messages, what had nobody to go to, what it published, and (a correction) what it sent again. */
export interface MonthlyRun {
  items: Item[];
  undelivered: Undelivered[];
  /** kept with the run: the next correction compares with it */
  published: Published;
  corrected: Corrected;
}

/**
 * The month's messages, and what had nobody to go to (the run is then not done: it is tried again
 * until it has). `before`: what the month's last run published, for a correction; each part is sent
 * again only if it changed since (or was never sent). Null sends everything (a first close, or a run
 * from before Tally kept what it published).
 */
export async function monthlyRun(
  t: Tally,
  month: Month,
  rows: PayrollRow[],
  tx: Texts,
  channel: string | null,
  key: string,
  correction: boolean,
  before: Published | null = null,
): Promise<MonthlyRun> {
  const items: Item[] = [];
  const undelivered: Undelivered[] = [];
  const corrected: Corrected = { payslips: [], channel: false, payrollFile: false };
  const boards = channelDigest(rows);
  if (channel && (!before || before.channel !== boards)) {
    corrected.channel = true;
    const tracks = [];
    const charts = await monthCharts(tx, month, rows, await monthPolicy(t, month));
    for (const tr of TRACKS) {
      const ranked = rankedIn(rows, tr);
      if (ranked.length) tracks.push({ track: tr, ranked });
    }
    for (const c of charts)
      items.push({
        key: `${key}:chart:${c.track}`,
        channel,
        payload: { kind: 'file', filename: c.filename, base64: c.png.toString('base64'), title: c.title, comment: '' },
      });
    // the post first, then its charts
    items.unshift({
      key: `${key}:post`,
      channel,
      payload: { kind: 'message', ...monthlyPost(tx, { month, correction, tracks }) },
    });
  }
  // what is in Slack after this run: what it sends, and what it leaves as it was
  const slips = new Map(before?.payslips ?? []);
  const ranked = new Map(TRACKS.map((tr) => [tr, rows.filter((x) => x.standing && x.member.track === tr).length]));
  for (const r of rows) {
    if (r.member.role !== 'agent' || !r.member.active) continue;
    const rankedInTrack = ranked.get(r.member.track)!;
    const figures = payslipDigest(r, rankedInTrack);
    if (before && slips.get(r.member.id) === figures) continue;
    slips.set(r.member.id, figures);
    corrected.payslips.push(r.member.slackId);
    const slip = payslipMessage(tx, { month, correction, row: r, rankedInTrack });
    items.push({
      key: `${key}:payslip:${r.member.slackId}`,
      channel: r.member.slackId,
      payload: { kind: 'message', ...slip },
    });
  }
  const payrollNow = payrollDigest(rows);
  let fileSent = before?.payrollFile ?? null;
  if (!before || before.payrollFile !== payrollNow) {
    const staff = await activeWithRoles(t, STAFF_ROLES);
    if (!staff.length) undelivered.push('payroll_file');
    else {
      corrected.payrollFile = true;
      fileSent = payrollNow;
      const report = payrollReport(tx, { month, correction, rows });
      // the same file as `tally payroll --xlsx` (or `--csv`, as the policy says), in the team's language
      const format = (await teamToday(t)).policy.schedule.payrollFormat;
      const locale = tx.lang === 'en' ? 'en' : 'zh-CN';
      const file = (
        format === 'xlsx'
          ? await payrollWorkbook(rows, locale, month, await monthPolicy(t, month))
          : Buffer.from(payrollFile(rows, locale))
      ).toString('base64');
      for (const s of staff) {
        items.push({ key: `${key}:report:${s.slackId}`, channel: s.slackId, payload: { kind: 'message', ...report } });
        items.push({
          key: `${key}:csv:${s.slackId}`,
          channel: s.slackId,
          payload: {
            kind: 'file',
            filename: payrollFileName(month, format),
            base64: file,
            title: tx.jobs.reportTitle(month),
            comment: '',
          },
        });
      }
    }
  }
  const published: Published = {
    payslips: [...slips],
    channel: corrected.channel ? boards : (before?.channel ?? null),
    payrollFile: fileSent,
  };
  return { items, undelivered, published, corrected };
}
