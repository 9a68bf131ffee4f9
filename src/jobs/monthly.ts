// The month's results on the 1st: the final ranking per track with awards and streaks and a chart
// in the team channel; each agent's payslip by DM; the payroll file, forfeitures, dismissal and
// rotation flags to leads and supervisors (an Excel workbook, or CSV if the policy says so).
import { sumFen } from '../core/money.js';
import type { Month } from '../core/dates.js';
import { payrollFile, payrollFileName, payrollWorkbook } from '../export/payroll-file.js';
import { STAFF_ROLES, TRACKS } from '../core/policy.js';
import { teamToday, type Tally } from '../service/context.js';
import { activeWithRoles } from '../service/roster.js';
import type { PayrollRow } from '../service/scores.js';
import { context, escape, header, linesToSections, message, section } from '../slack/blocks.js';
import { payslipBlock } from '../slack/commands/myscore.js';
import type { Texts } from '../slack/text/index.js';
import { leaderboardPng } from './chart.js';
import type { Item } from './outbox.js';

const TOP = 10;

export async function monthlyItems(
  t: Tally,
  month: Month,
  rows: PayrollRow[],
  tx: Texts,
  channel: string | null,
  key: string,
  correction: boolean,
): Promise<Item[]> {
  const items: Item[] = [];
  const title = correction ? tx.jobs.correctionTitle(month) : tx.jobs.monthlyTitle(month);
  if (channel) {
    const lines: string[] = [];
    for (const tr of TRACKS) {
      const ranked = rows
        .filter((r) => r.standing && r.member.track === tr)
        .sort((a, b) => a.standing!.score.rank - b.standing!.score.rank);
      if (!ranked.length) continue;
      lines.push(
        `*${tx.board.title(tx.track[tr]!, month)}*`,
        ...ranked
          .slice(0, TOP)
          .map((r) => `${r.standing!.score.rank}. ${escape(r.member.name)} · *${r.standing!.score.score.toFixed(2)}*`),
      );
      const awards = ranked.filter((r) => r.payslip.awardFen > 0);
      lines.push(
        ...(awards.length
          ? awards.map((r) =>
              tx.jobs.award(
                r.member.slackId,
                r.standing!.award.awardRank!,
                r.standing!.award.streak,
                r.payslip.awardFen,
              ),
            )
          : [tx.jobs.noAwards]),
      );
      const png = await leaderboardPng(
        tx.jobs.chartTitle(tx.track[tr]!, month),
        ranked.map((r) => ({ name: r.member.name, score: r.standing!.score.score, awarded: r.payslip.awardFen > 0 })),
      );
      items.push({
        key: `${key}:chart:${tr}`,
        channel,
        payload: {
          kind: 'file',
          filename: `tally-${month}-${tr}.png`,
          base64: png.toString('base64'),
          title: tx.jobs.chartTitle(tx.track[tr]!, month),
          comment: '',
        },
      });
    }
    // the post first, then its charts
    items.unshift({
      key: `${key}:post`,
      channel,
      payload: { kind: 'message', ...message(title, [header(title), ...linesToSections(lines)].slice(0, 50)) },
    });
  }
  const ranked = new Map(TRACKS.map((tr) => [tr, rows.filter((x) => x.standing && x.member.track === tr).length]));
  for (const r of rows) {
    if (r.member.role !== 'agent' || !r.member.active) continue;
    const p = r.payslip;
    const slipTitle = `${correction ? `${title}\n` : ''}${tx.jobs.payslipTitle(month)}`;
    const blocks = [
      section(`*${slipTitle}*`),
      ...(r.standing
        ? [
            section(
              tx.score.summary(
                r.standing.score.score.toFixed(2),
                r.standing.score.rank,
                ranked.get(r.member.track)!,
                tx.track[r.member.track]!,
              ),
            ),
          ]
        : [section(tx.score.notScored)]),
      payslipBlock(tx, p),
      ...(r.penalties.commissionForfeited ? [context(tx.score.forfeited)] : []),
    ];
    items.push({
      key: `${key}:payslip:${r.member.slackId}`,
      channel: r.member.slackId,
      payload: { kind: 'message', ...message(slipTitle, blocks) },
    });
  }
  const staff = await activeWithRoles(t, STAFF_ROLES);
  if (staff.length) {
    const flags = [
      ...rows.filter((r) => r.penalties.dismissalFlag).map((r) => tx.jobs.dismissal(r.member.slackId)),
      ...rows.filter((r) => r.penalties.commissionForfeited).map((r) => tx.jobs.forfeited(r.member.slackId)),
      ...rows.filter((r) => r.standing?.award.rotationFlag).map((r) => tx.jobs.rotation(r.member.slackId)),
    ];
    const total = sumFen(rows.map((r) => r.payslip.totalFen));
    const reportTitle = `${correction ? `${title}: ` : ''}${tx.jobs.reportTitle(month)}`;
    const report = message(
      reportTitle,
      [
        header(reportTitle),
        section(tx.jobs.reportTotal(rows.length, total)),
        ...linesToSections(flags.length ? flags : [tx.jobs.noFlags]),
      ].slice(0, 50),
    );
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
  return items;
}
