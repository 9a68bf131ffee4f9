// Every file Tally writes holds any string a name may be: the payroll CSV parses back to its rows and
// columns, the workbook opens, the chart's SVG renders. Names already in an older database (written
// before names were checked on the way in) go straight into the table here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Resvg } from '@resvg/resvg-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { csvFile, Figure, safeText } from '../../src/export/csv.js';
import { leaderboardPng, leaderboardSvg } from '../../src/jobs/chart.js';
import { shownText } from '../../src/core/text.js';
import { cliOn, type CliResult } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { nastyString } from '../support/strings.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the CSV writer, for any string', () => {
  it('parses back to one row per line of data, every cell as shown (a formula start guarded)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nastyString(), nastyString()), { maxLength: 5 }), (rows) => {
        const file = csvFile(
          ['name', 'reason', 'amount'],
          rows.map(([name, reason]) => [name, reason, new Figure('1.50')]),
        );
        // read as the file is written and sent: UTF-8 bytes
        const back = parse(Buffer.from(file), { bom: true }) as string[][];
        expect(back).toEqual([
          ['name', 'reason', 'amount'],
          ...rows.map(([name, reason]) => [safeText(name), safeText(reason), '1.50']),
        ]);
        // a cell is the text as shown, with at most the guard's ' in front
        for (const [name] of rows) expect([shownText(name), `'${shownText(name)}`]).toContain(safeText(name));
      }),
      { numRuns: 200 },
    );
  });

  it('quotes a line break inside a cell, and guards a formula a bidi mark hid', () => {
    const rows = [
      ['Line\nFeed', 'x'],
      ['Carriage\rReturn', 'y'],
      ['\u202E=1+1', 'z'],
    ];
    expect(parse(csvFile(['a', 'b'], rows), { bom: true })).toEqual([
      ['a', 'b'],
      ['Line\nFeed', 'x'],
      ['Carriage\nReturn', 'y'],
      ["'=1+1", 'z'],
    ]);
  });
});

describe('the chart, for any name', () => {
  const rowsOf = (names: string[]) => names.map((name, i) => ({ name, score: 90 - i, awarded: i === 0 }));

  it('writes an SVG that resvg parses, whatever the names hold', async () => {
    // loads resvg's WebAssembly once
    expect((await leaderboardPng('t', rowsOf(['x']))).subarray(0, 8)).toEqual(PNG);
    fc.assert(
      fc.property(fc.array(nastyString(), { minLength: 1, maxLength: 6 }), (names) => {
        // parsing is where a control character failed the whole run ("a non-XML character found")
        new Resvg(leaderboardSvg('排名 <&> "title"', rowsOf(names))).free();
      }),
      { numRuns: 200 },
    );
  });

  it('draws a PNG whatever the names hold', async () => {
    // a render with the fonts takes ~0.1 s: fewer runs
    await fc.assert(
      fc.asyncProperty(fc.array(nastyString(), { minLength: 1, maxLength: 4 }), async (names) => {
        expect((await leaderboardPng('排名', rowsOf(names))).subarray(0, 8)).toEqual(PNG);
      }),
      { numRuns: 25 },
    );
  });

  it('shows a name on one line, without its controls or bidi marks, escaped', () => {
    const svg = leaderboardSvg('t', [{ name: '\u202Eevil\u202C <b>&\x0b\nName', score: 50, awarded: false }]);
    expect(svg).toContain('>evil &lt;b&gt;&amp; Name</text>');
    expect(svg).not.toMatch(/[\u202A-\u202E\v]/);
  });
});

describe('names an older database holds, in the payroll files and the roster list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-names-'));
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  const NAMES: Record<string, string> = {
    U00001001: 'Line\nFeed',
    U00001002: 'Vertical\x0bTab',
    U00001003: '\u202Eevil\u202C',
    U00001005: 'Non\uFFFEcharacter',
    U00001006: 'Red\x1b[31m',
  };

  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
    expect((await tally('metrics', 'import', 'examples/metrics.csv')).code).toBe(0);
    // straight into the table: no import would take these today
    for (const [slackId, name] of Object.entries(NAMES))
      await db.prisma.member.update({ where: { slackId }, data: { name } });
  });
  afterAll(() => db.close());

  it('payroll --csv parses back to one row per person, 16 columns each, the names as shown', async () => {
    const r = await tally('payroll', '--month', '2026-10', '--csv');
    expect(r.code).toBe(0);
    const rows = parse(r.raw, { bom: true }) as string[][];
    const people = await db.prisma.member.count();
    expect(rows).toHaveLength(people + 1);
    expect(rows.every((row) => row.length === 16)).toBe(true);
    const name = (slackId: string) => rows.find((row) => row[0] === slackId)?.[1];
    expect(name('U00001001')).toBe('Line\nFeed');
    expect(name('U00001002')).toBe('VerticalTab');
    expect(name('U00001003')).toBe('evil');
    expect(name('U00001005')).toBe('Noncharacter');
    expect(name('U00001006')).toBe('Red[31m');
  });

  it('payroll --xlsx writes a workbook that opens, the names without what XML forbids', async () => {
    const path = join(dir, 'payroll.xlsx');
    expect((await tally('payroll', '--month', '2026-10', '--xlsx', path)).code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const names = new Map<string, string>();
    for (const sheet of book.worksheets.slice(1))
      sheet.eachRow((row, n) => {
        if (n > 2) names.set(String(row.getCell(1).value), String(row.getCell(2).value));
      });
    expect(names.get('U00001001')).toBe('Line\nFeed');
    expect(names.get('U00001002')).toBe('VerticalTab');
    expect(names.get('U00001003')).toBe('evil');
    expect(names.get('U00001005')).toBe('Noncharacter');
    expect(names.get('U00001006')).toBe('Red[31m');
  });

  it('roster list prints each person on one row, with no control character for the terminal', async () => {
    const r = await tally('roster', 'list');
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- what a terminal would run or break a row on
    expect(r.out).not.toMatch(/[\x00-\x08\x0b-\x1f\u202A-\u202E]/);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(2 + (await db.prisma.member.count({ where: { active: true } })));
    expect(lines.find((l) => l.startsWith('U00001001'))).toMatch(/^U00001001 +Line Feed +presales/);
  });
});
