// Files as leads have them, end to end through the CLI: Excel workbooks (dates as dates, serial
// numbers or text, numbers stored as text, a trailing empty row), the platform's own daily report
// read through the policy's column mapping, a dry run, and the refusals of files that are not what
// they should be (UTF-16 is read; binary, header-only and files missing a weighed column are refused).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type MetricsImportJson, type RosterListJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { xlsxBomb } from '../support/zip.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-imports-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
});
afterAll(() => db.close());

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A workbook as a lead saves it: sheets of rows, each cell as Excel holds it (with its number format). */
async function workbook(
  name: string,
  sheets: Array<{ name: string; rows: Array<Array<ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string }>> }>,
): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const s of sheets) {
    const sheet = book.addWorksheet(s.name);
    s.rows.forEach((row, r) =>
      row.forEach((c, i) => {
        const cell = sheet.getCell(r + 1, i + 1);
        if (c !== null && typeof c === 'object' && 'numFmt' in c) {
          cell.value = c.value;
          cell.numFmt = c.numFmt;
        } else cell.value = c;
      }),
    );
  }
  const path = join(dir, name);
  await book.xlsx.writeFile(path);
  return path;
}

const PRESALES_ZH = ['日期', '客服ID', '询单人数', '成交人数', '接待人数', '销售额', '退款人数', '服务得分'];

async function score(slackId: string, day: string) {
  const r = await tally('score', slackId, '--day', day, '--json');
  expect(r.code).toBe(0);
  return r.json<{ kpis: Array<{ key: string; actual: number | null }> }>();
}

describe('metrics import from an Excel workbook', () => {
  it('reads the first sheet: Chinese headers, real dates, serial numbers and text dates, numbers as text', async () => {
    const path = await workbook('业绩.xlsx', [
      {
        name: '十月',
        rows: [
          PRESALES_ZH,
          // a real date, formatted as one
          [{ value: new Date(Date.UTC(2026, 9, 1)), numFmt: 'yyyy/m/d' }, 'U00001001', 50, 20, 60, 2000.5, 1, 90],
          // Excel's serial number of 2026-10-02, unformatted; numbers stored as text
          [46297, 'U00001001', '40', '10', '55', '1,234.50', '0', '88.5'],
          // a text date as people type them, and a percentage score
          ['2026/10/3', 'U00001001', 30, 9, 40, '¥980', 0, { value: 0.955, numFmt: '0.0%' }],
          ['2026-10-04', 'U00001001', 30, 9, 40, 980, 0, 91],
          // a trailing empty row Excel keeps for its formatting
          [null, null, null],
        ],
      },
      { name: '说明', rows: [['这一页不是数据']] },
    ]);
    const r = await tally('metrics', 'import', path, '--json');
    expect(r.err).toBe('');
    expect(r.json<MetricsImportJson>()).toMatchObject({ rows: 4, members: 1, from: '2026-10-01', to: '2026-10-04' });
    const day2 = await tally('score', 'U00001001', '--day', '2026-10-02', '--json');
    expect(day2.code).toBe(0);
    // ¥1,234.50 over 10 paying customers, exactly
    const d2 = day2.json<{ kpis: Array<{ key: string; actual: number | null }> }>();
    expect(d2.kpis.find((k) => k.key === 'order_value')!.actual).toBe(12345);
    const d3 = await score('U00001001', '2026-10-03');
    expect(d3.kpis.find((k) => k.key === 'service')!.actual).toBe(95.5);
    expect(d3.kpis.find((k) => k.key === 'order_value')!.actual).toBeCloseTo(98000 / 9, 6);
  });

  it('reads another sheet by name, and refuses one that is not there, naming the sheets', async () => {
    const path = await workbook('two.xlsx', [
      { name: 'Notes', rows: [['nothing here']] },
      {
        name: 'Daily',
        rows: [
          ['date', 'slack_id', 'inquiries', 'paid_customers', 'receptions', 'gmv', 'refund_customers', 'service_score'],
          ['2026-10-05', 'U00001002', 10, 3, 12, 300, 0, 80],
        ],
      },
    ]);
    expect((await tally('metrics', 'import', path, '--sheet', 'Daily', '--json')).json<MetricsImportJson>().rows).toBe(
      1,
    );
    const missing = await tally('metrics', 'import', path, '--sheet', 'Data');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('error: two.xlsx has no sheet "Data"; its sheets: Notes, Daily');
  });

  it('refuses a bad cell as it refuses one in a CSV, naming the sheet, the row and the column as written', async () => {
    const path = await workbook('bad.xlsx', [
      {
        name: '业绩',
        rows: [
          PRESALES_ZH,
          ['2026-10-06', 'U00001001', 10, 3, 12, 300, 0, 80],
          ['2026-10-07', 'U00001001', 'ten', 3, 12, 300, 0, 80],
        ],
      },
    ]);
    const r = await tally('metrics', 'import', path);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: bad.xlsx, sheet 业绩, row 3, column 询单人数: "ten" is not a whole number of 0 or more');
    // all or nothing: the good row before it was not written
    expect((await tally('score', 'U00001001', '--day', '2026-10-06', '--json')).json<{ score: unknown }>().score).toBe(
      null,
    );
  });
});

describe('roster import from a workbook, with platform accounts', () => {
  it('reads the platform_account column (平台账号), and keeps it unique', async () => {
    const path = await workbook('花名册.xlsx', [
      {
        name: 'Sheet1',
        rows: [
          ['客服ID', '姓名', '岗位', '级别', '入职日期', '角色', '平台账号'],
          [
            'U00001001',
            '李超',
            '售前',
            '资深',
            { value: new Date(Date.UTC(2025, 4, 20)), numFmt: 'yyyy-mm-dd' },
            '客服',
            '好物旗舰店:李超',
          ],
          ['U00001002', '张强', '售前', '正式', '2025/10/7', '客服', '好物旗舰店:张强'],
        ],
      },
    ]);
    const r = await tally('roster', 'import', path);
    expect(r.err).toBe('');
    const list = (await tally('roster', 'list', '--json')).json<RosterListJson>();
    expect(list.members.find((m) => m.slackId === 'U00001001')).toMatchObject({
      hiredOn: '2025-05-20',
      platformAccount: '好物旗舰店:李超',
    });
    // another member may not take an account someone has
    const taken = await tally(
      'roster',
      'import',
      file(
        'taken.csv',
        'slack_id,name,track,level,hired_on,platform_account\nU00001004,陈明,presales,trainee,2026-05-31,好物旗舰店:李超\n',
      ),
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toBe(
      "error: taken.csv line 2, column platform_account: 好物旗舰店:李超 is already U00001001's platform account",
    );
  });
});

describe("the platform's own daily report, read through the policy's column mapping", () => {
  const report = [
    '客服昵称,日期,询单人数,最终付款人数,接待人数,销售额,退款人数,服务得分,访客数,询单转化率',
    '好物旗舰店:李超,2026-10-20,"1,234",500,1300,"¥123,456.78",3,98.5%,4000,40.52%',
    '好物旗舰店:张强,2026-10-20,800,200,850,"45,678.90",1,92,2500,25.00%',
  ].join('\n');

  it('refuses unknown headers until the policy maps them', async () => {
    const r = await tally('metrics', 'import', file('report.csv', report));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: report\.csv line 1, column 1: unknown column "客服昵称"/);
  });

  it('policy set validates the mapping', async () => {
    const bad = file('bad-map.json', JSON.stringify({ import: { columns: { 客服昵称: 'nickname' } } }));
    const r = await tally('policy', 'set', bad, '--from', '2026-11-05');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: policy: import\.columns\.客服昵称: /);
    const twice = file(
      'twice.json',
      JSON.stringify({ import: { columns: { 最终付款人数: 'paid_customers', 付款人数: 'paid_customers' } } }),
    );
    expect((await tally('policy', 'set', twice, '--from', '2026-11-05')).err).toBe(
      'error: policy: import.columns.付款人数: "最终付款人数" is already read as paid_customers; map one header to each column',
    );
  });

  it('a dry run shows how the file is read and writes nothing; the import then reads it exactly', async () => {
    const mapping = {
      import: {
        columns: { 客服昵称: 'platform_account', 最终付款人数: 'paid_customers', 销售额: 'gmv' },
        otherColumns: 'ignore',
      },
    };
    expect((await tally('policy', 'set', file('map.json', JSON.stringify(mapping)), '--from', '2026-11-05')).code).toBe(
      0,
    );
    const path = file('report.csv', report);
    const dry = await tally('metrics', 'import', path, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('客服昵称 → platform_account');
    expect(dry.out).toContain('ignored: 访客数, 询单转化率');
    expect(dry.out).toContain('2 rows for 2 members, 2026-10-20 to 2026-10-20: 2 new member-days, 0 replaced.');
    expect(dry.out).toMatch(/2\s+2026-10-20\s+李超\s+U00001001\s+1234\s+500\s+1300\s+¥123,456\.78\s+3\s+98\.5/);
    expect(dry.out).toContain('Dry run: nothing was written.');
    expect((await tally('score', 'U00001001', '--day', '2026-10-20', '--json')).json<{ score: unknown }>().score).toBe(
      null,
    );
    const json = await tally('metrics', 'import', path, '--dry-run', '--json');
    expect(json.json<{ written: boolean; rows: number }>()).toMatchObject({ written: false, rows: 2 });

    const r = await tally('metrics', 'import', path, '--json');
    expect(r.err).toBe('');
    expect(r.json<MetricsImportJson>()).toMatchObject({ rows: 2, members: 2, added: 2, replaced: 0 });
    const kpis = (await score('U00001001', '2026-10-20')).kpis;
    expect(kpis.find((k) => k.key === 'order_value')!.actual).toBe(12345678 / 500);
    expect(kpis.find((k) => k.key === 'service')!.actual).toBe(98.5);
    // importing it again replaces the same member-days
    expect((await tally('metrics', 'import', path, '--json')).json<MetricsImportJson>()).toMatchObject({
      added: 0,
      replaced: 2,
    });
  });

  it('a dry run lists the problems with their line and column, and exits 1', async () => {
    const path = file(
      'report-bad.csv',
      [
        '客服昵称,日期,询单人数,最终付款人数,接待人数,销售额,退款人数,服务得分',
        '好物旗舰店:李超,2026-10-21,10,5,12,100,0,90',
        '好物旗舰店:无名,2026-10-21,10,5,12,100,0,90',
        '好物旗舰店:张强,2026-10-21,10,50,12,100,0,90',
      ].join('\n'),
    );
    const r = await tally('metrics', 'import', path, '--dry-run');
    expect(r.code).toBe(1);
    expect(r.out).toContain('2 problems:');
    expect(r.out).toContain(
      'report-bad.csv line 3, column 客服昵称: no one on the roster has the platform account "好物旗舰店:无名"',
    );
    expect(r.out).toContain('report-bad.csv line 4, column 最终付款人数: 50 paid customers is more than 10 inquiries');
    expect(r.err).toBe('error: 2 problems in report-bad.csv; nothing would be imported');
  });
});

describe('files that are not what they should be', () => {
  const header = 'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,service_score';

  it("reads Excel's Unicode text (UTF-16, tab-separated)", async () => {
    const text = `${header.replace(/,/g, '\t')}\r\n2026-10-22\tU00001002\t10\t3\t12\t300\t0\t80\r\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await tally('metrics', 'import', file('unicode.txt', bytes), '--json');
    expect(r.err).toBe('');
    expect(r.json<MetricsImportJson>().rows).toBe(1);
  });

  it('refuses a binary file without printing its bytes, and an old .xls', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const r = await tally('metrics', 'import', file('photo.csv', png));
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: photo.csv is not a text or Excel file; save it as UTF-8 CSV or .xlsx');
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect((await tally('metrics', 'import', file('old.xls', xls))).err).toBe(
      'error: old.xls is an old Excel .xls workbook; save it as .xlsx or as UTF-8 CSV',
    );
  });

  it('refuses a zip bomb in one line from its directory, for metrics and the roster, writing nothing', async () => {
    // 0.9 MB whose shared strings unpack to 300 MB: more than the CLI holds whole of any workbook
    const bomb = file('bomb.xlsx', await xlsxBomb(300));
    const batches = await db.prisma.importBatch.count();
    for (const what of ['metrics', 'roster']) {
      const r = await tally(what, 'import', bomb);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        'error: bomb.xlsx: its part xl/sharedStrings.xml unpacks to more than 100 MB; nothing was read (save it as CSV, or split it)',
      );
      expect(r.out).toBe('');
    }
    expect(await db.prisma.importBatch.count()).toBe(batches);
    // one that declares 3 GB in all is told so
    const r = await tally('metrics', 'import', file('huge.xlsx', await xlsxBomb(1, { declaredMb: 3000 })));
    expect(r.err).toBe(
      'error: huge.xlsx: the workbook unpacks to more than 1,024 MB; nothing was read (save it as CSV, or split it)',
    );
  });

  it('says "no rows" for a header-only file, CSV or workbook, and exits 1', async () => {
    const r = await tally('metrics', 'import', file('header.csv', `${header}\n`));
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: header.csv line: no rows: there is a header and nothing under it'.replace(' line', ''));
    const book = await workbook('header.xlsx', [{ name: '业绩', rows: [PRESALES_ZH] }]);
    expect((await tally('metrics', 'import', book)).err).toBe(
      'error: header.xlsx, sheet 业绩: no rows: there is a header and nothing under it',
    );
  });

  it('refuses a member-day given twice, naming the line that had it first, in a file in any order', async () => {
    const row = (day: string, id = 'U00001001') => `${day},${id},50,20,60,2000.00,0,85.0`;
    // days far apart, later and then earlier, for two members: the second 2026-03-10 of U00001001 is the mistake
    const days = ['2026-10-20', '2026-03-10', '2026-10-21', '2025-06-01', '2026-10-01', '2026-03-11'];
    const rows = [...days.map((d) => row(d)), row('2026-03-10', 'U00001002'), row('2026-03-10')];
    const before = await db.prisma.dailyMetric.count();
    const r = await tally('metrics', 'import', file('twice.csv', `${header}\n${rows.join('\n')}\n`));
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: twice.csv line 9, column slack_id: U00001001 on 2026-03-10 is already on line 3');
    expect(await db.prisma.dailyMetric.count()).toBe(before);
  });

  it('names a column a KPI weighs that the file lacks, and writes nothing', async () => {
    const r = await tally('metrics', 'import', file('part.csv', 'date,slack_id,receptions\n2026-10-23,U00001002,12\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: part\.csv: no column \w+, which the presales KPI \w+ weighs/);
    const zh = await tally('metrics', 'import', file('部分.csv', '日期,客服ID,接待人数\n2026-10-23,U00001002,12\n'));
    expect(zh.err).toMatch(/^error: 部分\.csv: no column 服务得分, which the presales KPI 服务得分 weighs/);
  });
});
