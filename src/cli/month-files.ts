// `--out <dir>`: the month-close outputs on disk, the same files the monthly job sends to Slack (one
// chart per track with someone ranked, and the payroll workbook), for a team without Slack or a
// channel, or to look at them before they go out.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Month } from '../core/dates.js';
import { TRACKS } from '../core/policy.js';
import { payrollFileName, payrollWorkbook } from '../export/payroll-file.js';
import { monthCharts } from '../jobs/monthly.js';
import { teamToday, type Tally } from '../service/context.js';
import { payroll } from '../service/scores.js';
import { texts } from '../slack/text/index.js';
import { saveFile, whyNotWritten } from './args.js';
import { plural, CliRefusal } from './text.js';

/** The directory, created if missing; refused in one line when it cannot be written (a file, no permission). */
export function outDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'it is a file, or a file is in the way: give a directory'
        : whyNotWritten(e);
    throw new CliRefusal(`--out ${dir}: cannot write there: ${why}`);
  }
  return dir;
}

export interface Written {
  dir: string;
  /** the file names written, charts first */
  files: string[];
  /** tracks without a chart: nobody ranked in them that month */
  noChart: string[];
  /** the month is not closed: its chart is marked provisional */
  provisional: boolean;
}

/** Writes the month's charts (and with `payrollFile`, its payroll workbook) into `dir`, in the team's language. */
export async function writeMonthFiles(t: Tally, month: Month, dir: string, payrollFile: boolean): Promise<Written> {
  const p = await payroll(t, month);
  const { locale } = (await teamToday(t)).policy;
  const tx = texts(locale);
  const charts = await monthCharts(tx, month, p.rows, p.policy, !p.closed);
  const files: Array<[string, Uint8Array]> = charts.map((c) => [c.filename, c.png]);
  if (payrollFile) files.push([payrollFileName(month, 'xlsx'), await payrollWorkbook(p.rows, locale, month, p.policy)]);
  for (const [name, bytes] of files) saveFile(join(dir, name), bytes);
  const drawn = new Set(charts.map((c) => c.track));
  return {
    dir,
    files: files.map(([name]) => name),
    noChart: TRACKS.filter((tr) => !drawn.has(tr)),
    provisional: !p.closed,
  };
}

/** "Wrote 3 files to out/: a.png, b.png, payroll-2026-11.xlsx." and what has no chart. */
export function writtenText(w: Written, month: Month): string {
  const noChart = w.noChart.length ? ` No chart for ${w.noChart.join(' or ')}: nobody ranked in ${month}.` : '';
  const provisional = w.provisional ? ` ${month} is not closed: the charts are marked provisional.` : '';
  return w.files.length
    ? `Wrote ${plural(w.files.length, 'file')} to ${w.dir}: ${w.files.join(', ')}.${noChart}${provisional}`
    : `Nothing to write for ${month}: nobody ranked in it.`;
}
