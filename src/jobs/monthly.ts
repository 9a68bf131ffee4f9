// The month's results on its close day (schedule.closeOnDay): the final ranking per track with
// awards and streaks and a chart in the team channel; each agent's payslip by DM; the payroll file,
// forfeitures, dismissal and rotation flags to leads and supervisors (an Excel workbook, or CSV if
// the policy says so). A correction (a reopened month closed again) sends only what changed since
// (src/jobs/published.ts).
import type { Month } from '../core/dates.js';
import { payrollFile, payrollFileName, payrollWorkbook } from '../export/payroll-file.js';
import { STAFF_ROLES, TRACKS } from '../core/policy.js';
import { teamToday, type Tally } from '../service/context.js';
import { activeWithRoles } from '../service/roster.js';
import type { PayrollRow } from '../service/scores.js';
import { monthlyPost, payrollReport, payslipMessage } from '../slack/render/monthly.js';
import type { Texts } from '../slack/text/index.js';
import { leaderboardPng } from './chart.js';
import { channelDigest, payrollDigest, payslipDigest, type Corrected, type Published } from './published.js';
import type { Item } from './outbox.js';

/** A part of a run that had nobody to go to: `payroll_file` when the team has no active lead, supervisor or admin. */
export type Undelivered = 'payroll_file';

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
    for (const tr of TRACKS) {
      const ranked = rows
        .filter((r) => r.standing && r.member.track === tr)
        .sort((a, b) => a.standing!.score.rank - b.standing!.score.rank);
      if (!ranked.length) continue;
      tracks.push({ track: tr, ranked });
      const png = await leaderboardPng(
        tx.jobs.chartTitle(tx.track[tr], month),
        ranked.map((r) => ({ name: r.member.name, score: r.standing!.score.score, awarded: r.payslip.awardFen > 0 })),
      );
      items.push({
        key: `${key}:chart:${tr}`,
        channel,
        payload: {
          kind: 'file',
          filename: `tally-${month}-${tr}.png`,
          base64: png.toString('base64'),
          title: tx.jobs.chartTitle(tx.track[tr], month),
          comment: '',
        },
      });
    }
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
        format === 'xlsx' ? await payrollWorkbook(rows, locale, month) : Buffer.from(payrollFile(rows, locale))
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
