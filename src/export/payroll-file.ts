// The month's payroll for the leads, as a CSV file or an Excel workbook, the same for `tally payroll
// --csv/--xlsx` and the file the monthly job sends: headers in the team's language, money in yuan,
// penalties as a deduction.
// exceljs is loaded when a workbook is written (15 MB a CSV or the bot's other work does without)
import type ExcelJS from 'exceljs';
import { fenToYuan, formatFen, sumFen } from '../core/money.js';
import { TRACKS, type Level, type Policy, type Track } from '../core/policy.js';
import { shownText } from '../core/text.js';
import { displayWidth } from '../present.js';
import type { PayrollRow } from '../service/scores.js';
import { csvFile, Figure } from './csv.js';

export type Locale = Policy['locale'];

const COLUMNS = [
  'slackId',
  'name',
  'track',
  'level',
  'score',
  'rank',
  'base',
  'performance',
  'commission',
  'award',
  'meal',
  'penalties',
  'total',
  'commissionForfeited',
  'dismissalFlag',
  'rotationFlag',
] as const;

interface Words {
  columns: Record<(typeof COLUMNS)[number], string>;
  track: Record<Track, string>;
  level: Record<Level, string>;
  yes: string;
  no: string;
}

const WORDS: Record<Locale, Words> = {
  'zh-CN': {
    columns: {
      slackId: '客服ID',
      name: '姓名',
      track: '岗位',
      level: '级别',
      score: '得分',
      rank: '排名',
      base: '底薪',
      performance: '绩效',
      commission: '提成',
      award: '排名奖',
      meal: '餐补',
      penalties: '罚款',
      total: '合计',
      commissionForfeited: '提成取消',
      dismissalFlag: '标记开除',
      rotationFlag: '调仓库学习',
    },
    track: { presales: '售前', aftersales: '售后' },
    level: { trainee: '见习', regular: '正式', senior: '资深', lead: '组长', supervisor: '主管' },
    yes: '是',
    no: '否',
  },
  en: {
    columns: {
      slackId: 'Slack ID',
      name: 'Name',
      track: 'Track',
      level: 'Level',
      score: 'Score',
      rank: 'Rank',
      base: 'Base',
      performance: 'Performance',
      commission: 'Commission',
      award: 'Award',
      meal: 'Meal allowance',
      penalties: 'Penalties',
      total: 'Total',
      commissionForfeited: 'Commission forfeited',
      dismissalFlag: 'Flagged for dismissal',
      rotationFlag: 'Warehouse rotation',
    },
    track: { presales: 'pre-sales', aftersales: 'after-sales' },
    level: { trainee: 'trainee', regular: 'regular', senior: 'senior', lead: 'lead', supervisor: 'supervisor' },
    yes: 'yes',
    no: 'no',
  },
};

const yuan = (fen: number) => new Figure(fenToYuan(fen));

export type PayrollFormat = 'csv' | 'xlsx';

export function payrollFileName(month: string, format: PayrollFormat = 'csv'): string {
  return `payroll-${month}.${format}`;
}

/** One person's line of the payroll file, the same in the CSV and the workbook. */
interface PayLine {
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  scoreHundredths: number | null;
  rank: number | null;
  money: Record<(typeof MONEY)[number], number>;
  flags: Record<(typeof FLAGS)[number], boolean>;
}

const MONEY = ['base', 'performance', 'commission', 'award', 'meal', 'penalties', 'total'] as const;
const FLAGS = ['commissionForfeited', 'dismissalFlag', 'rotationFlag'] as const;

function payLine(r: PayrollRow): PayLine {
  const p = r.payslip;
  const score = r.standing?.score;
  return {
    slackId: r.member.slackId,
    name: r.member.name,
    track: r.member.track,
    level: r.member.level,
    scoreHundredths: score ? score.scoreHundredths : null,
    rank: score ? score.rank : null,
    money: {
      base: p.baseFen,
      performance: p.performanceFen,
      commission: p.commissionFen,
      award: p.awardFen,
      meal: p.mealFen,
      // a deduction
      penalties: 0 - p.penaltyFen,
      total: p.totalFen,
    },
    flags: {
      commissionForfeited: r.penalties.commissionForfeited,
      dismissalFlag: r.penalties.dismissalFlag,
      rotationFlag: r.standing?.award.rotationFlag ?? false,
    },
  };
}

/** The payroll file's text (BOM, CRLF); write it as UTF-8. */
export function payrollFile(rows: readonly PayrollRow[], locale: Locale): string {
  const w = WORDS[locale];
  const flag = (on: boolean) => (on ? w.yes : w.no);
  return csvFile(
    COLUMNS.map((c) => w.columns[c]),
    rows.map(payLine).map((l) => [
      l.slackId,
      l.name,
      w.track[l.track],
      w.level[l.level],
      // hundredths are exact: "93.40", never "93.4"
      l.scoreHundredths === null ? null : new Figure(fenToYuan(l.scoreHundredths)),
      l.rank === null ? null : new Figure(String(l.rank)),
      ...MONEY.map((m) => yuan(l.money[m])),
      ...FLAGS.map((f) => flag(l.flags[f])),
    ]),
  );
}

const MONTHS_EN = 'January February March April May June July August September October November December'.split(' ');

interface SheetWords {
  summary: string;
  people: string;
  total: string;
  flagged: string;
  /** each sheet's first row: the month, and whose pay it is */
  title: (month: string, part: string) => string;
  /** why a trainee gets no performance pay, commission or award, and who is eligible for an award */
  notes: (p: { excluded: string[]; months: number }) => string[];
}

const SHEET_WORDS: Record<Locale, SheetWords> = {
  'zh-CN': {
    summary: '汇总',
    people: '人数',
    total: '合计',
    flagged: '标记',
    title: (month, part) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月 工资表 · ${part}`,
    notes: ({ excluded, months }) => [
      '说明：见习客服只发底薪和餐补（减罚款），不发绩效工资、提成和排名奖。',
      `排名奖只在参与排名奖的客服中按名次发放：${excluded.length ? `${excluded.join('、')}和` : ''}入职未满${months}个月的客服不参与（“排名”列是全组名次）。`,
    ],
  },
  en: {
    summary: 'Summary',
    people: 'People',
    total: 'Total',
    flagged: 'Flagged',
    title: (month, part) => `Payroll for ${MONTHS_EN[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)} · ${part}`,
    notes: ({ excluded, months }) => [
      'Note: trainees get base pay and the meal allowance (less penalties) only: no performance pay, commission or award.',
      `Awards go by rank among the agents eligible for one: ${excluded.length ? `${excluded.map((l) => `${l}s`).join(', ')} and ` : ''}agents who joined less than ${months} months before the month are not (the Rank column is the rank in the whole track).`,
    ],
  },
};

/** Excel's money format: figures stay numbers a lead can add up, shown as ¥1,234.50 */
export const MONEY_FORMAT = '¥#,##0.00';
const FLAG_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
/** every font named: a font without a name is drawn in the reader's default face (a serif in LibreOffice) */
const FONT: Partial<ExcelJS.Font> = { name: 'Calibri', size: 11 };
const BOLD: Partial<ExcelJS.Font> = { ...FONT, bold: true };
const TITLE_FONT: Partial<ExcelJS.Font> = { ...FONT, size: 14, bold: true };
const NOTE_FONT: Partial<ExcelJS.Font> = { ...FONT, color: { argb: 'FF595959' } };
/** the title above the header row; the header row is the second */
const TITLE_ROW = 1;
const HEADER_ROW = 2;

/** Every sheet: the title and header rows frozen; printed landscape, each sheet one page wide with them on every page. */
const SHEET: Partial<ExcelJS.AddWorksheetOptions> = {
  views: [{ state: 'frozen', ySplit: HEADER_ROW }],
  pageSetup: {
    orientation: 'landscape',
    paperSize: 9,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${TITLE_ROW}:${HEADER_ROW}`,
  },
};

/** What the policy says about awards, for the sheets' note; `levels` names the excluded levels. */
export interface AwardRules {
  excludedLevels: readonly Level[];
  minTenureMonths: number;
}

/**
 * The payroll as an Excel workbook: a summary sheet, then one sheet per track with the same columns
 * as the CSV. Each sheet: a title row naming the month and the track, the header row (both frozen),
 * money as numbers formatted ¥#,##0.00, numbers and their headers right-aligned, columns as wide as
 * their widest cell, a bold totals row, flags marked, and a note on why a trainee gets no
 * performance pay or award (and who is eligible for an award, as the month's policy says).
 */
export async function payrollWorkbook(
  rows: readonly PayrollRow[],
  locale: Locale,
  month: string,
  { awards, teamName }: { awards: AwardRules; teamName: string | null },
): Promise<Buffer> {
  const w = WORDS[locale];
  const sw = SHEET_WORDS[locale];
  // the team's name (policy teamName) heads every sheet's title when it has one
  const titled = (part: string) => (teamName ? `${teamName} · ${sw.title(month, part)}` : sw.title(month, part));
  const notes = sw.notes({
    excluded: awards.excludedLevels.map((l) => w.level[l]),
    months: awards.minTenureMonths,
  });
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = 'Tally';
  book.title = payrollFileName(month, 'xlsx');
  const lines = rows.map(payLine);
  const summary = book.addWorksheet(sw.summary, SHEET);
  const trackSheets = TRACKS.map((track) => {
    const sheet = book.addWorksheet(w.track[track], SHEET);
    const mine = lines.filter((l) => l.track === track);
    sheet.columns = COLUMNS.map((c) => ({ key: c }));
    title(sheet, titled(w.track[track]));
    header(
      sheet.addRow(COLUMNS.map((c) => w.columns[c])),
      COLUMNS.map((c) => alignOf(c)),
    );
    for (const l of mine) {
      const row = sheet.addRow([
        l.slackId,
        // a workbook is XML: a name from an older roster may hold what XML forbids (exceljs writes U+FFFE as it is)
        shownText(l.name),
        w.track[l.track],
        w.level[l.level],
        l.scoreHundredths === null ? null : l.scoreHundredths / 100,
        l.rank,
        ...MONEY.map((m) => l.money[m] / 100),
        ...FLAGS.map((f) => (l.flags[f] ? w.yes : w.no)),
      ]);
      row.getCell('score').numFmt = '0.00';
      for (const m of MONEY) row.getCell(m).numFmt = MONEY_FORMAT;
      align(row, COLUMNS.map(alignOf));
      for (const f of FLAGS) {
        if (!l.flags[f]) continue;
        const cell = row.getCell(f);
        cell.fill = FLAG_FILL;
        cell.font = { ...BOLD, color: { argb: 'FF9C0006' } };
        row.getCell('name').fill = FLAG_FILL;
      }
    }
    // the totals row adds up in Excel (a lead's correction updates it), with Tally's exact sums as its values
    const first = HEADER_ROW + 1;
    const last = HEADER_ROW + mine.length;
    const totals = sheet.addRow([]);
    totals.getCell('name').value = sw.total;
    for (const m of MONEY) {
      const col = sheet.getColumn(m).letter;
      const exact = Number(sumFen(mine.map((l) => l.money[m]))) / 100;
      totals.getCell(m).value = mine.length ? { formula: `SUM(${col}${first}:${col}${last})`, result: exact } : 0;
      totals.getCell(m).numFmt = MONEY_FORMAT;
    }
    for (const f of FLAGS) totals.getCell(f).value = mine.filter((l) => l.flags[f]).length;
    totalsStyle(totals, COLUMNS.length, COLUMNS.map(alignOf));
    note(sheet, notes);
    fitColumns(sheet, HEADER_ROW, totals.number);
    return { track, sheet, count: mine.length, totalsRow: totals.number };
  });
  summary.columns = [
    { key: 'track' },
    { key: 'people' },
    ...MONEY.map((m) => ({ key: m })),
    ...FLAGS.map((f) => ({ key: f })),
  ];
  const summaryAlign: Align[] = [
    'left',
    'right',
    ...MONEY.map((): Align => 'right'),
    ...FLAGS.map((): Align => 'right'),
  ];
  title(summary, titled(sw.summary));
  header(
    summary.addRow([w.columns.track, sw.people, ...MONEY.map((m) => w.columns[m]), ...FLAGS.map((f) => w.columns[f])]),
    summaryAlign,
  );
  for (const t of trackSheets) {
    const row = summary.addRow({ track: w.track[t.track], people: t.count });
    for (const m of MONEY) {
      const exact = Number(sumFen(lines.filter((l) => l.track === t.track).map((l) => l.money[m]))) / 100;
      const col = t.sheet.getColumn(m).letter;
      row.getCell(m).value = { formula: `'${t.sheet.name}'!${col}${t.totalsRow}`, result: exact };
      row.getCell(m).numFmt = MONEY_FORMAT;
    }
    for (const f of FLAGS) row.getCell(f).value = lines.filter((l) => l.track === t.track && l.flags[f]).length;
    align(row, summaryAlign);
  }
  const all = summary.addRow({ track: sw.total, people: lines.length });
  for (const m of MONEY) {
    const col = summary.getColumn(m).letter;
    all.getCell(m).value = {
      formula: `SUM(${col}${HEADER_ROW + 1}:${col}${HEADER_ROW + TRACKS.length})`,
      result: Number(sumFen(lines.map((l) => l.money[m]))) / 100,
    };
    all.getCell(m).numFmt = MONEY_FORMAT;
  }
  for (const f of FLAGS) all.getCell(f).value = lines.filter((l) => l.flags[f]).length;
  totalsStyle(all, summaryAlign.length, summaryAlign);
  note(summary, notes);
  fitColumns(summary, HEADER_ROW, all.number);
  return Buffer.from(await book.xlsx.writeBuffer());
}

type Align = 'left' | 'right' | 'center';

/** Numbers right-aligned (their headers too), the yes/no flags centred, text left. */
function alignOf(c: (typeof COLUMNS)[number]): Align {
  if (c === 'score' || c === 'rank' || (MONEY as readonly string[]).includes(c)) return 'right';
  if ((FLAGS as readonly string[]).includes(c)) return 'center';
  return 'left';
}

function align(row: ExcelJS.Row, aligns: readonly Align[]): void {
  aligns.forEach((a, i) => {
    const cell = row.getCell(i + 1);
    cell.alignment = { horizontal: a, vertical: 'middle' };
    cell.font ??= FONT;
  });
}

/** The sheet's first row: the month and whose pay, in large bold type (it runs on over the empty cells beside it). */
function title(sheet: ExcelJS.Worksheet, text: string): void {
  const row = sheet.addRow([text]);
  row.getCell(1).font = TITLE_FONT;
  row.height = 24;
}

function header(row: ExcelJS.Row, aligns: readonly Align[]): void {
  aligns.forEach((a, i) => {
    const c = row.getCell(i + 1);
    c.font = BOLD;
    c.fill = HEADER_FILL;
    c.alignment = { horizontal: a, vertical: 'middle' };
  });
}

function totalsStyle(row: ExcelJS.Row, columns: number, aligns: readonly Align[]): void {
  for (let i = 1; i <= columns; i++) {
    const c = row.getCell(i);
    c.font = BOLD;
    c.border = { top: { style: 'thin' } };
    c.alignment = { horizontal: aligns[i - 1] ?? 'left', vertical: 'middle' };
  }
}

/** The note below the table, a sentence a row after an empty one: it runs on over the empty cells beside it. */
function note(sheet: ExcelJS.Worksheet, notes: readonly string[]): void {
  sheet.addRow([]);
  for (const n of notes) sheet.addRow([n]).getCell(1).font = NOTE_FONT;
}

/** A cell as Excel or LibreOffice shows it, for its width: money as ¥1,234.50, a score with two decimals. */
function shown(cell: ExcelJS.Cell): string {
  const v = cell.value;
  // a formula's value is its stored result (exceljs keeps no result of 0)
  const value = v !== null && typeof v === 'object' && 'formula' in v ? (v.result ?? 0) : v;
  if (typeof value === 'number') {
    if (cell.numFmt === MONEY_FORMAT) return formatFen(Math.round(value * 100));
    if (cell.numFmt === '0.00') return value.toFixed(2);
    return String(value);
  }
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Each column as wide as its widest cell from the header row to the totals row (a CJK character
 * counts two), plus a margin: the title and the note run on over the empty cells beside them.
 */
function fitColumns(sheet: ExcelJS.Worksheet, from: number, to: number): void {
  const widths: number[] = [];
  for (let r = from; r <= to; r++)
    sheet.getRow(r).eachCell((cell, col) => {
      // bold type is a little wider
      const w = Math.max(...shown(cell).split('\n').map(displayWidth)) * (cell.font?.bold ? 1.1 : 1);
      widths[col] = Math.max(widths[col] ?? 0, w);
    });
  widths.forEach((w, col) => {
    // never exactly 9, the width exceljs leaves unwritten (the reader's default then applies)
    sheet.getColumn(col).width = Math.max(6, Math.ceil(w)) + 2.5;
  });
}
