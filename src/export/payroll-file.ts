// The month's payroll for the leads, as a CSV file or an Excel workbook, the same for `tally payroll
// --csv/--xlsx` and the file the monthly job sends: headers in the team's language, money in yuan,
// penalties as a deduction.
// exceljs is loaded when a workbook is written (15 MB a CSV or the bot's other work does without)
import type ExcelJS from 'exceljs';
import { fenToYuan, sumFen } from '../core/money.js';
import { TRACKS, type Level, type Policy, type Track } from '../core/policy.js';
import { shownText } from '../core/text.js';
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

const SHEET_WORDS: Record<Locale, { summary: string; people: string; total: string; flagged: string }> = {
  'zh-CN': { summary: '汇总', people: '人数', total: '合计', flagged: '标记' },
  en: { summary: 'Summary', people: 'People', total: 'Total', flagged: 'Flagged' },
};

/** Excel's money format: figures stay numbers a lead can add up, shown as ¥1,234.50 */
export const MONEY_FORMAT = '¥#,##0.00';
const FLAG_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

/** Every sheet: the header row frozen; printed landscape, each sheet one page wide with its header on every page. */
const SHEET: Partial<ExcelJS.AddWorksheetOptions> = {
  views: [{ state: 'frozen', ySplit: 1 }],
  pageSetup: {
    orientation: 'landscape',
    paperSize: 9,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '1:1',
  },
};

/**
 * The payroll as an Excel workbook: a summary sheet, then one sheet per track with the same columns
 * as the CSV, money as numbers formatted ¥#,##0.00, a totals row, the header row frozen, flags marked.
 */
export async function payrollWorkbook(rows: readonly PayrollRow[], locale: Locale, month: string): Promise<Buffer> {
  const w = WORDS[locale];
  const sw = SHEET_WORDS[locale];
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = 'Tally';
  book.title = payrollFileName(month, 'xlsx');
  const lines = rows.map(payLine);
  const summary = book.addWorksheet(sw.summary, SHEET);
  const trackSheets = TRACKS.map((track) => {
    const sheet = book.addWorksheet(w.track[track], SHEET);
    const mine = lines.filter((l) => l.track === track);
    sheet.columns = COLUMNS.map((c) => ({ header: w.columns[c], key: c, width: columnWidth(c) }));
    header(sheet.getRow(1));
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
      for (const f of FLAGS) {
        if (!l.flags[f]) continue;
        const cell = row.getCell(f);
        cell.fill = FLAG_FILL;
        cell.font = { bold: true, color: { argb: 'FF9C0006' } };
        row.getCell('name').fill = FLAG_FILL;
      }
    }
    // the totals row adds up in Excel (a lead's correction updates it), with Tally's exact sums as its values
    const first = 2;
    const last = mine.length + 1;
    const totals = sheet.addRow([]);
    totals.getCell('name').value = sw.total;
    for (const m of MONEY) {
      const col = sheet.getColumn(m).letter;
      const exact = Number(sumFen(mine.map((l) => l.money[m]))) / 100;
      totals.getCell(m).value = mine.length ? { formula: `SUM(${col}${first}:${col}${last})`, result: exact } : 0;
      totals.getCell(m).numFmt = MONEY_FORMAT;
    }
    for (const f of FLAGS) totals.getCell(f).value = mine.filter((l) => l.flags[f]).length;
    totals.font = { bold: true };
    totals.border = { top: { style: 'thin' } };
    return { track, sheet, count: mine.length, totalsRow: totals.number };
  });
  summary.columns = [
    { header: w.columns.track, key: 'track', width: 12 },
    { header: sw.people, key: 'people', width: 8 },
    ...MONEY.map((m) => ({ header: w.columns[m], key: m, width: 14 })),
    ...FLAGS.map((f) => ({ header: w.columns[f], key: f, width: 12 })),
  ];
  header(summary.getRow(1));
  for (const t of trackSheets) {
    const row = summary.addRow({ track: w.track[t.track], people: t.count });
    for (const m of MONEY) {
      const exact = Number(sumFen(lines.filter((l) => l.track === t.track).map((l) => l.money[m]))) / 100;
      const col = t.sheet.getColumn(m).letter;
      row.getCell(m).value = { formula: `'${t.sheet.name}'!${col}${t.totalsRow}`, result: exact };
      row.getCell(m).numFmt = MONEY_FORMAT;
    }
    for (const f of FLAGS) row.getCell(f).value = lines.filter((l) => l.track === t.track && l.flags[f]).length;
  }
  const all = summary.addRow({ track: sw.total, people: lines.length });
  for (const m of MONEY) {
    const col = summary.getColumn(m).letter;
    all.getCell(m).value = {
      formula: `SUM(${col}2:${col}${TRACKS.length + 1})`,
      result: Number(sumFen(lines.map((l) => l.money[m]))) / 100,
    };
    all.getCell(m).numFmt = MONEY_FORMAT;
  }
  for (const f of FLAGS) all.getCell(f).value = lines.filter((l) => l.flags[f]).length;
  all.font = { bold: true };
  all.border = { top: { style: 'thin' } };
  return Buffer.from(await book.xlsx.writeBuffer());
}

function header(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.alignment = { vertical: 'middle', wrapText: true };
  });
}

function columnWidth(c: (typeof COLUMNS)[number]): number {
  if (c === 'slackId') return 14;
  if (c === 'name') return 16;
  if ((MONEY as readonly string[]).includes(c)) return 14;
  if ((FLAGS as readonly string[]).includes(c)) return 12;
  return 9;
}
