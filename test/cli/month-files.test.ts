// The month-close outputs without Slack: `jobs run monthly --out <dir>` writes a chart per track and
// the payroll workbook, `chart --out <dir>` the charts, with or without a team channel. The workbook
// is read back with exceljs for what a lead sees: a title row naming the month and the track,
// numbers and their headers right-aligned, columns as wide as their widest cell, a bold totals row,
// and the note on why a trainee gets no performance pay or award.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { monthChartData } from '../../src/jobs/monthly.js';
import { leaderboardSvg } from '../../src/jobs/chart.js';
import { payroll } from '../../src/service/scores.js';
import { texts } from '../../src/slack/text/index.js';
import { cliOn, type ChartJson, type CliResult, type JobRunJson, type JobsListJson } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const dir = mkdtempSync(join(tmpdir(), 'tally-month-files-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  expect((await tally('metrics', 'import', 'examples/metrics.csv')).code).toBe(0);
  // a name longer than any column's old fixed width
  writeFileSync(
    join(dir, 'long-name.csv'),
    'slack_id,name,track,level,hired_on,role\nU00001006,Alexandra Konstantinopoulou-Smith,aftersales,regular,2025-02-20,agent\n',
  );
  expect((await tally('roster', 'import', join(dir, 'long-name.csv'))).code).toBe(0);
});
afterAll(() => db.close());

/** A PNG's width and height (its IHDR). */
function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(PNG);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** Columns as a person reads the width of a cell's text: a CJK character takes two. */
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
const yuan = (n: number) =>
  `${n < 0 ? '-' : ''}¥${Math.abs(n)
    .toFixed(2)
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
/** A cell as Excel shows it: money as ¥1,234.50, a score with two decimals. */
function shown(cell: ExcelJS.Cell): string {
  const v = cell.value;
  const value = v !== null && typeof v === 'object' && 'formula' in v ? (v.result ?? 0) : v;
  if (typeof value === 'number')
    return cell.numFmt?.startsWith('¥') ? yuan(value) : cell.numFmt === '0.00' ? value.toFixed(2) : String(value);
  return value === null || value === undefined ? '' : String(value);
}

describe('jobs run monthly --out', () => {
  const out = join(dir, 'new', 'month');

  it('closes the month and writes a chart per track and the payroll workbook into a new directory, with no channel set', async () => {
    const r = await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--out', out);
    expect(r.code, r.err).toBe(0);
    const files = ['tally-2026-10-presales.png', 'tally-2026-10-aftersales.png', 'payroll-2026-10.xlsx'];
    expect(r.out.split('\n')).toEqual([
      expect.stringMatching(/^monthly 2026-10: done, \d+ messages queued \(no team channel set/),
      `Wrote 3 files to ${out}: ${files.join(', ')}.`,
    ]);
    expect(readdirSync(out).sort()).toEqual([...files].sort());
    // the charts are drawn though no channel is set: the examples' tracks rank 8 and 4 agents
    const [w1, h1] = pngSize(join(out, files[0]!));
    const [w2, h2] = pngSize(join(out, files[1]!));
    expect([w1, w2]).toEqual([900, 900]);
    expect(h1 - h2).toBe(28 * (8 - 4));
  });

  it('writes the files again on a second run (the run itself is skipped), and says so in --json', async () => {
    const again = join(dir, 'again');
    const r = await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--out', again, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.json<JobRunJson>()).toMatchObject({
      status: 'skipped',
      out: {
        dir: again,
        files: ['tally-2026-10-presales.png', 'tally-2026-10-aftersales.png', 'payroll-2026-10.xlsx'],
      },
    });
    expect(readdirSync(again)).toHaveLength(3);
  });

  describe('the payroll workbook', () => {
    let book: ExcelJS.Workbook;
    beforeAll(async () => {
      book = new ExcelJS.Workbook();
      await book.xlsx.readFile(join(out, 'payroll-2026-10.xlsx'));
    });

    it('names the month and the track in a title row above the header on every sheet', () => {
      expect(book.worksheets.map((s) => [s.name, s.getRow(1).getCell(1).value, s.getRow(2).getCell(1).value])).toEqual([
        ['汇总', '2026年10月 工资表 · 汇总', '岗位'],
        ['售前', '2026年10月 工资表 · 售前', '客服ID'],
        ['售后', '2026年10月 工资表 · 售后', '客服ID'],
      ]);
      for (const s of book.worksheets) expect(s.getRow(1).getCell(1).font).toMatchObject({ bold: true, size: 14 });
    });

    it('right-aligns numbers and their headers, and fits each column to its widest cell', () => {
      for (const sheet of book.worksheets) {
        const headers = (sheet.getRow(2).values as ExcelJS.CellValue[]).map((v) => String(v ?? ''));
        const rows: ExcelJS.Row[] = [];
        for (let n = 2; sheet.getRow(n).hasValues; n++) rows.push(sheet.getRow(n));
        expect(rows.length).toBeGreaterThan(3);
        headers.forEach((h, col) => {
          if (!h) return;
          const cells = rows.map((row) => row.getCell(col));
          // numbers: the money, the score, the rank and the head count, header included
          const numbers = cells
            .slice(1)
            .filter((c) => typeof c.value === 'number' || (c.value as ExcelJS.CellFormulaValue)?.formula);
          if (['底薪', '绩效', '提成', '排名奖', '餐补', '罚款', '合计', '得分', '排名', '人数'].includes(h)) {
            expect(numbers.length, `${sheet.name} ${h}`).toBeGreaterThan(0);
            for (const c of [cells[0]!, ...numbers])
              expect(c.alignment?.horizontal, `${sheet.name} ${h} ${c.address}`).toBe('right');
          }
          // wide enough for the widest cell as shown (合计's ¥43,465.08 does not run into the next column)
          const widest = Math.max(...cells.map((c) => width(shown(c))));
          expect(sheet.getColumn(col).width, `${sheet.name} ${h}`).toBeGreaterThanOrEqual(widest + 1);
        });
      }
    });

    it('sets the totals row in bold on every sheet, and says why a trainee gets no performance pay or award', () => {
      for (const sheet of book.worksheets) {
        let n = 3;
        while (sheet.getRow(n + 1).hasValues) n++;
        const totals = sheet.getRow(n);
        expect(shown(totals.getCell(sheet.name === '汇总' ? 1 : 2))).toBe('合计');
        totals.eachCell((c) =>
          expect(c.font, `${sheet.name} ${c.address}`).toMatchObject({ bold: true, name: expect.any(String) }),
        );
        // below it, after an empty row: the note
        const note = [sheet.getRow(n + 2), sheet.getRow(n + 3)].map((r) => String(r.getCell(1).value)).join('');
        expect(note).toContain('见习客服只发底薪和餐补（减罚款），不发绩效工资、提成和排名奖');
        expect(note).toContain('入职未满3个月');
      }
    });
  });
});

describe('a team with a name', () => {
  it("heads every payroll sheet's title with the policy's teamName, as written in the file", async () => {
    writeFileSync(join(dir, 'name.json'), JSON.stringify({ teamName: '天猫旗舰店客服<&>' }));
    const set = await tally('policy', 'set', join(dir, 'name.json'), '--from', '2026-09-01', '--backdate');
    expect(set.code, set.err).toBe(0);
    const file = join(dir, 'named.xlsx');
    expect((await tally('payroll', '--month', '2026-10', '--xlsx', file)).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.getRow(1).getCell(1).value)).toEqual([
      '天猫旗舰店客服<&> · 2026年10月 工资表 · 汇总',
      '天猫旗舰店客服<&> · 2026年10月 工资表 · 售前',
      '天猫旗舰店客服<&> · 2026年10月 工资表 · 售后',
    ]);
    // and the charts' titles (drawn escaped: the name's < & > are text in the SVG)
    const p = await payroll(tallyOn(db), '2026-10');
    const charts = monthChartData(texts('zh-CN'), '2026-10', p.rows, p.policy);
    expect(charts.map((c) => c.title)).toEqual([
      '天猫旗舰店客服<&> · 2026-10 售前',
      '天猫旗舰店客服<&> · 2026-10 售后',
    ]);
    expect(leaderboardSvg(charts[0]!.title, charts[0]!.rows, charts[0]!.legend)).toContain(
      '天猫旗舰店客服&lt;&amp;&gt;',
    );
    // a name with a control character is refused, naming the field
    writeFileSync(join(dir, 'bad-name.json'), JSON.stringify({ teamName: 'a\u0007b' }));
    const bad = await tally('policy', 'set', join(dir, 'bad-name.json'), '--from', '2026-12-01');
    expect([bad.code, bad.err]).toEqual([
      1,
      'error: policy: teamName: a name without control or formatting characters',
    ]);
  });
});

describe('the chart', () => {
  it('tally chart writes one PNG per track, a month not closed marked provisional', async () => {
    const out = join(dir, 'charts');
    const r = await tally('chart', '--month', '2026-10', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`Wrote 2 files to ${out}: tally-2026-10-presales.png, tally-2026-10-aftersales.png.`);
    for (const f of readdirSync(out)) expect(pngSize(join(out, f))[0]).toBe(900);
    // September is not closed (only October was, above)
    const open = (await tally('chart', '--month', '2026-09', '--out', out, '--json')).json<ChartJson>();
    expect(open).toMatchObject({
      month: '2026-09',
      provisional: true,
      files: ['tally-2026-09-presales.png', 'tally-2026-09-aftersales.png'],
    });
  });

  it('ranks everyone, marks the award winners and says who is not eligible for an award and why', async () => {
    const p = await payroll(tallyOn(db), '2026-10');
    const [presales] = monthChartData(texts('zh-CN'), '2026-10', p.rows, p.policy);
    const row = (name: string) => presales!.rows.find((r) => r.name === name)!;
    // the examples: 陈明 is a trainee, 赵丽 joined on 10 August (less than 3 months before October)
    expect(row('陈明')).toMatchObject({ notEligible: '见习', awarded: false });
    expect(row('赵丽')).toMatchObject({ notEligible: '入职未满3个月', awarded: false });
    expect(presales!.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // the winners with their award as the payroll has it (吴晨 first for the second month running)
    const winners = p.rows.filter((r) => r.member.track === 'presales' && r.payslip.awardFen > 0);
    expect(winners.length).toBeGreaterThan(0);
    expect(presales!.rows.filter((r) => r.awarded).map((r) => [r.name, r.award])).toEqual(
      winners.map((r) => [r.member.name, `¥${r.payslip.awardFen / 100}`]),
    );
    expect(presales!.legend.notEligible).toMatch(/^不参与排名奖：(见习；入职未满3个月|入职未满3个月；见习)$/);
    const svg = leaderboardSvg(presales!.title, presales!.rows, presales!.legend);
    for (const text of ['获排名奖', '未获奖', presales!.legend.notEligible, '见习', '入职未满3个月', '>8</text>'])
      expect(svg).toContain(text);
    // in English for an English team
    const [en] = monthChartData(texts('en'), '2026-10', p.rows, p.policy);
    expect(en!.rows.find((r) => r.name === '陈明')!.notEligible).toBe('trainee');
    expect(en!.legend).toMatchObject({ awardWinner: 'Award winner', ranked: 'Eligible, no award' });
  });
});

describe('an --out that cannot be written', () => {
  it('is refused in one line before the month closes: a file, or a file in the way', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const bad of [file, join(file, 'sub')]) {
      const r = await tally('jobs', 'run', 'monthly', '--period', '2026-09', '--out', bad);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `error: --out ${bad}: cannot write there: it is a file, or a file is in the way: give a directory`,
      );
      const chart = await tally('chart', '--month', '2026-10', '--out', bad);
      expect([chart.code, chart.err.split('\n').length]).toEqual([1, 1]);
    }
    // September was not closed by the refused run
    const runs = (await tally('jobs', 'list', '--json')).json<JobsListJson>().runs;
    expect(runs.map((x) => x.period)).not.toContain('2026-09');
  });

  it.skipIf(process.getuid?.() === 0)('is refused in one line without permission to write there', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const r = await tally('chart', '--month', '2026-10', '--out', join(locked, 'charts'));
    expect([r.code, r.err]).toEqual([
      1,
      `error: --out ${join(locked, 'charts')}: cannot write there: permission denied`,
    ]);
    expect(existsSync(join(locked, 'charts'))).toBe(false);
  });

  it('is a usage mistake on a job other than monthly', async () => {
    const r = await tally('jobs', 'run', 'daily', '--period', '2026-10-31', '--out', join(dir, 'daily'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('--out is for the monthly job');
  });
});
