// The leads' payroll as an Excel workbook, read back with an independent reader (exceljs's own
// parser, not the writer's objects): every figure equals `payroll --json`, money stays numbers
// formatted ¥#,##0.00, the header row is frozen, totals add up, flags are marked; the monthly job
// sends this workbook by default.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { runJob } from '../../src/jobs/run.js';
import { cliOn, type CliResult, type PayrollJson } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-payroll-xlsx-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  expect((await tally('metrics', 'import', 'examples/metrics.csv')).code).toBe(0);
  // three store deductions: commission forfeited and a dismissal flag to mark
  for (const day of ['2026-10-08', '2026-10-09', '2026-10-10']) {
    const r = await tally('penalty', 'add', 'U00001001', 'store_deduction', '--on', day, '--by', 'U0LEAD001');
    expect(r.code).toBe(0);
  }
});
afterAll(() => db.close());

const fen = (v: unknown) => Math.round(Number(v) * 100);
/** A formula's stored value (exceljs's reader drops a stored 0, which the file does hold: `<v>0</v>`). */
const plain = (v: ExcelJS.CellValue) =>
  v !== null && typeof v === 'object' && 'formula' in v ? ((v as { result?: unknown }).result ?? 0) : v;

/** Every money column of a payroll sheet, by header, and the `payroll --json` field it must equal. */
const MONEY: Array<[string, keyof PayrollJson['rows'][number]]> = [
  ['底薪', 'baseFen'],
  ['绩效', 'performanceFen'],
  ['提成', 'commissionFen'],
  ['排名奖', 'awardFen'],
  ['餐补', 'mealFen'],
  ['合计', 'totalFen'],
];

async function readBook(bytes: Buffer | string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  if (typeof bytes === 'string') await book.xlsx.readFile(bytes);
  else await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

/** The table of a sheet: the header row under the title, then each row down to the totals (the note follows an empty row). */
function sheetRows(sheet: ExcelJS.Worksheet): Array<Record<string, ExcelJS.Cell>> {
  const headers = (sheet.getRow(2).values as ExcelJS.CellValue[]).map((v) => String(v ?? ''));
  const out: Array<Record<string, ExcelJS.Cell>> = [];
  for (let n = 3; sheet.getRow(n).hasValues; n++) {
    const row = sheet.getRow(n);
    const cells: Record<string, ExcelJS.Cell> = {};
    headers.forEach((h, i) => {
      if (h) cells[h] = row.getCell(i);
    });
    out.push(cells);
  }
  return out;
}

describe('payroll --xlsx', () => {
  it('writes a workbook whose every figure is the one payroll --json gives', async () => {
    const path = join(dir, 'payroll-2026-10.xlsx');
    const r = await tally('payroll', '--month', '2026-10', '--xlsx', path);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Wrote .*payroll-2026-10\.xlsx: payroll 2026-10, 15 people, ¥[\d,]+\.\d\d in all\.$/);
    const json = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    const book = await readBook(path);
    expect(book.worksheets.map((s) => s.name)).toEqual(['汇总', '售前', '售后']);
    const seen = new Set<string>();
    for (const [name, track] of [
      ['售前', 'presales'],
      ['售后', 'aftersales'],
    ] as const) {
      const sheet = book.getWorksheet(name)!;
      // the title and header rows stay in view while scrolling
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      const rows = sheetRows(sheet);
      const people = rows.slice(0, -1);
      const totals = rows.at(-1)!;
      const expected = json.rows.filter((x) => x.track === track);
      expect(people.map((p) => p['客服ID']!.value)).toEqual(expected.map((x) => x.slackId));
      for (const [p, x] of people.map((p, i) => [p, expected[i]!] as const)) {
        seen.add(x.slackId);
        expect(p['姓名']!.value).toBe(x.name);
        for (const [header, field] of MONEY) {
          expect(typeof p[header]!.value).toBe('number');
          expect(fen(p[header]!.value)).toBe(x[field]);
          expect(p[header]!.numFmt).toBe('¥#,##0.00');
        }
        // penalties are a deduction
        expect(fen(p['罚款']!.value)).toBe(0 - x.penaltyFen);
        expect(p['得分']!.value).toBe(x.score);
        expect(p['排名']!.value ?? null).toBe(x.rank);
        expect(p['提成取消']!.value).toBe(x.commissionForfeited ? '是' : '否');
        expect(p['标记开除']!.value).toBe(x.dismissalFlag ? '是' : '否');
        expect(p['调仓库学习']!.value).toBe(x.rotationFlag ? '是' : '否');
        // a flag is marked, not just written
        if (x.dismissalFlag) expect((p['标记开除']!.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
      }
      // the totals row: a formula Excel recalculates, whose stored value is Tally's exact sum
      expect(totals['姓名']!.value).toBe('合计');
      for (const [header, field] of MONEY) {
        const cell = totals[header]!;
        const sum = expected.reduce((s, x) => s + (x[field] as number), 0);
        if (expected.length) expect((cell.value as ExcelJS.CellFormulaValue).formula).toMatch(/^SUM\(/);
        expect(fen(plain(cell.value))).toBe(sum);
      }
    }
    expect(seen.size).toBe(json.rows.length);
    // the summary: one line per track and the grand total, equal to the sum of everyone's pay
    const summary = sheetRows(book.getWorksheet('汇总')!);
    expect(summary.map((r) => r['岗位']!.value)).toEqual(['售前', '售后', '合计']);
    expect(summary.map((r) => r['人数']!.value)).toEqual([
      json.rows.filter((x) => x.track === 'presales').length,
      json.rows.filter((x) => x.track === 'aftersales').length,
      json.rows.length,
    ]);
    expect(fen(plain(summary[2]!['合计']!.value))).toBe(json.rows.reduce((s, x) => s + x.totalFen, 0));
    expect(summary[2]!['标记开除']!.value).toBe(json.rows.filter((x) => x.dismissalFlag).length);
  });

  it('refuses --xlsx with --csv or --json, as a usage mistake', async () => {
    expect((await tally('payroll', '--month', '2026-10', '--csv', '--xlsx', join(dir, 'x.xlsx'))).code).toBe(2);
    expect((await tally('payroll', '--month', '2026-10', '--json', '--xlsx', join(dir, 'x.xlsx'))).code).toBe(2);
  });

  it('is the file the monthly job sends the leads by default, headers in English for an English team', async () => {
    const path = join(dir, 'en.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, JSON.stringify({ locale: 'en' }));
    expect((await tally('policy', 'set', path, '--from', '2026-11-05')).code).toBe(0);
    const json = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    const r = await runJob(tallyOn(db), 'monthly', '2026-10', { owner: 'test' });
    expect(r.status).toBe('done');
    const queued = await db.prisma.outbox.findMany({ where: { key: { startsWith: 'monthly:2026-10:csv:' } } });
    expect(queued.map((q) => q.channel).sort()).toEqual(['U0LEAD001', 'U0LEAD002', 'U0SUPER01']);
    for (const q of queued) {
      const payload = q.payload as { filename: string; base64: string };
      expect(payload.filename).toBe('payroll-2026-10.xlsx');
      const book = await readBook(Buffer.from(payload.base64, 'base64'));
      expect(book.worksheets.map((s) => s.name)).toEqual(['Summary', 'pre-sales', 'after-sales']);
      const everyone = [...sheetRows(book.getWorksheet('pre-sales')!), ...sheetRows(book.getWorksheet('after-sales')!)]
        .filter((row) => row['Slack ID']!.value)
        .map((row) => ({ slackId: row['Slack ID']!.value, totalFen: fen(row['Total']!.value) }));
      expect(everyone.sort((a, b) => String(a.slackId).localeCompare(String(b.slackId)))).toEqual(
        json.rows
          .map((x) => ({ slackId: x.slackId, totalFen: x.totalFen }))
          .sort((a, b) => a.slackId.localeCompare(b.slackId)),
      );
    }
  });
});
