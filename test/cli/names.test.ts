// What a name may hold, at every way a name comes in: a roster CSV, a roster workbook (Alt+Enter
// puts a line feed in a cell), and the service itself (the demo and any other caller). A control
// character is refused in one line naming the cell, nothing written; zero-width characters and bidi
// controls are dropped; the name is kept in NFC.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { importRoster } from '../../src/service/roster.js';
import { cliOn, type CliResult, type RosterListJson } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-names-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
});
afterAll(() => db.close());

function csv(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, ['slack_id,name,track,level,hired_on', ...rows].join('\n'));
  return path;
}

const nameOf = async (slackId: string) =>
  (await tally('roster', 'list', '--json')).json<RosterListJson>().members.find((m) => m.slackId === slackId)?.name;

describe('a name on the way in', () => {
  it('refuses a control character inside a name in one line naming the cell; nothing is written', async () => {
    const members = await db.prisma.member.count();
    const r = await tally(
      'roster',
      'import',
      csv('vt.csv', [
        'U0NEW0001,新人甲,presales,trainee,2026-11-01',
        'U0NEW0002,"Vertical\vTab",presales,trainee,2026-11-01',
      ]),
    );
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: vt.csv line 3, column name: the name holds a control character (U+000B), such as a line break: a name is one line of printable text`,
    );
    expect(await db.prisma.member.count()).toBe(members);
  });

  it('refuses a line break a workbook cell holds (Alt+Enter), naming the sheet, the row and the column', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('花名册');
    sheet.addRow(['客服ID', '姓名', '岗位', '级别', '入职日期']);
    sheet.addRow(['U0NEW0003', '王\n芳', '售前', '见习', '2026-11-01']);
    const path = join(dir, 'roster.xlsx');
    await book.xlsx.writeFile(path);
    const r = await tally('roster', 'import', path);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: roster.xlsx, sheet 花名册, row 2, column 姓名: the name holds a control character (U+000A), such as a line break: a name is one line of printable text`,
    );
    expect(await db.prisma.member.count({ where: { slackId: 'U0NEW0003' } })).toBe(0);
  });

  it('refuses an empty name and one over 80 characters', async () => {
    const long = await tally(
      'roster',
      'import',
      csv('long.csv', [`U0NEW0004,${'李'.repeat(81)},presales,trainee,2026-11-01`]),
    );
    expect(long.err).toBe(`error: long.csv line 2, column name: a name of 1 to 80 characters is needed`);
    const invisible = await tally(
      'roster',
      'import',
      csv('zw.csv', ['U0NEW0004,\u200B\u202E,presales,trainee,2026-11-01']),
    );
    expect(invisible.err).toBe(`error: zw.csv line 2, column name: a name of 1 to 80 characters is needed`);
  });

  it('drops zero-width characters and bidi controls, and keeps the name in NFC', async () => {
    const r = await tally(
      'roster',
      'import',
      csv('strip.csv', [
        'U0NEW0005,"\u202E王芳\u202C",presales,trainee,2026-11-01',
        'U0NEW0006,李\u200B超\uFEFF,presales,trainee,2026-11-01',
        'U0NEW0007,Jose\u0301,presales,trainee,2026-11-01',
      ]),
    );
    expect(r.err).toBe('');
    expect(await nameOf('U0NEW0005')).toBe('王芳');
    expect(await nameOf('U0NEW0006')).toBe('李超');
    expect(await nameOf('U0NEW0007')).toBe('José');
    // the same file again changes nothing: the names are the ones kept
    expect((await tally('roster', 'import', join(dir, 'strip.csv'))).out).toMatch(/0 added, 0 updated, 3 unchanged/);
  });

  it('holds for the service too (the demo and any other caller): refused naming the cell, or cleaned', async () => {
    const t = tallyOn(db);
    const entry = { slackId: 'U0NEW0008', track: 'presales', level: 'trainee', hiredOn: '2026-11-01' } as const;
    await expect(
      importRoster(t, [{ ...entry, line: 7, name: 'Line\nFeed' }], { fileName: 'demo', by: 'cli' }),
    ).rejects.toMatchObject({
      code: 'csv_name_control',
      params: { file: 'demo', line: 7, column: 'name', char: 'U+000A' },
    });
    expect(await db.prisma.member.count({ where: { slackId: 'U0NEW0008' } })).toBe(0);
    await importRoster(t, [{ ...entry, line: 2, name: ' \u2066新人丁\u2069 ' }], { fileName: 'demo', by: 'cli' });
    expect(await nameOf('U0NEW0008')).toBe('新人丁');
  });

  it("refuses a policy's label, alias or mapped header holding a control character, naming the field", async () => {
    const versions = await db.prisma.policyVersion.count();
    const tail = 'policy text is printable text on one line';
    const cases: Array<[object, string]> = [
      [
        { penalties: { rules: { buck_passing: { label: { zh: '踢\u0000皮球' } } } } },
        `penalties.rules.buck_passing.label.zh: holds a control character (U+0000); ${tail}`,
      ],
      [
        { penalties: { rules: { buck_passing: { aliases: ['踢\n皮球'] } } } },
        `penalties.rules.buck_passing.aliases.0: holds a control character (U+000A); ${tail}`,
      ],
      // the refusal itself is one line without the header's control character
      [
        { import: { columns: { '销售额\u0007': 'gmv' } } },
        `import.columns.销售额: the name holds a control character (U+0007); ${tail}`,
      ],
    ];
    for (const [override, refusal] of cases) {
      const file = join(dir, 'policy.json');
      writeFileSync(file, JSON.stringify(override));
      const r = await tally('policy', 'set', file, '--from', '2026-11-06', '--by', 'cli');
      expect(r.code).toBe(1);
      expect(r.err).toBe(`error: policy: ${refusal}`);
    }
    expect(await db.prisma.policyVersion.count()).toBe(versions);
  });
});
