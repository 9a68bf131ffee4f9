// Reading a file is bounded: a workbook's zip is checked from its directory before anything is
// unpacked (a bomb costs nothing), what unpacks is counted as it comes (a directory may lie), rows,
// cells, columns and CSV lines have limits, and in a thread of its own (a file dropped into Slack)
// a file that outgrows the thread's heap is one refusal. Each refusal is a TallyError naming the file.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { TallyError, type ErrorParams } from '../../src/errors.js';
import {
  bytesSource,
  CLI_LIMITS,
  openTable,
  type ByteRange,
  type FileLimits,
  type FileSource,
  type TableOptions,
} from '../../src/import/table.js';
import { UPLOAD_LIMITS } from '../../src/service/uploads.js';
import { inlineWorkbook, manyStrings, xlsxBomb, zip, workbookParts } from '../support/zip.js';

const MB = 1024 * 1024;

/** A file's bytes as a source that notes every range read from it. */
function watched(name: string, bytes: Uint8Array): FileSource & { ranges: Array<ByteRange | 'all'> } {
  const inner = bytesSource(name, bytes);
  const ranges: Array<ByteRange | 'all'> = [];
  return {
    ...inner,
    ranges,
    open(range) {
      ranges.push(range ?? 'all');
      return inner.open(range);
    },
  };
}

/** Reads the whole table: its header and rows, or the refusal. */
async function read(source: FileSource, opts: TableOptions = {}): Promise<{ header: string[]; rows: string[][] }> {
  const t = await openTable(source, opts);
  const rows: string[][] = [];
  for await (const r of t.rows) rows.push(r.cells);
  return { header: t.header, rows };
}

async function refusal(p: Promise<unknown>): Promise<TallyError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TallyError);
  return e as TallyError;
}

const tooBig = (e: TallyError) => ({ code: e.code, ...(e.params as ErrorParams['file_too_big']) });

async function metricsBook(rows: unknown[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Daily');
  for (const r of rows) sheet.addRow(r);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('a zip bomb', () => {
  it('is refused from its directory: the part that would unpack to 300 MB is never read', async () => {
    const bomb = await xlsxBomb(300);
    expect(bomb.length).toBeLessThan(2 * MB);
    const source = watched('bomb.xlsx', bomb);
    const heap = process.memoryUsage().heapUsed;
    const e = await refusal(read(source, { limits: UPLOAD_LIMITS }));
    expect(tooBig(e)).toEqual({ code: 'file_too_big', file: 'bomb.xlsx', limit: 'unpacked', max: 200 });
    // the sniff looked at its first bytes; then only its end (the directory) was read
    expect(source.ranges[0]).toBe('all');
    for (const r of source.ranges.slice(1)) expect(r !== 'all' && r.start).toBeGreaterThan(bomb.length - 70_000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * MB);
    // the CLI allows more in all (a million-row workbook unpacks to some 330 MB), not in the part it holds whole
    expect(tooBig(await refusal(read(bytesSource('bomb.xlsx', bomb))))).toEqual({
      code: 'file_too_big',
      file: 'bomb.xlsx',
      limit: 'part',
      max: 100,
      part: 'xl/sharedStrings.xml',
    });
  });

  it('declaring gigabytes is refused as that, by the CLI too', async () => {
    const bomb = await xlsxBomb(1, { declaredMb: 3000 });
    expect(tooBig(await refusal(read(bytesSource('big.xlsx', bomb))))).toMatchObject({
      limit: 'unpacked',
      max: CLI_LIMITS.unpackedBytes / MB,
    });
  });

  it('packed tighter than any spreadsheet is refused though small', async () => {
    const bomb = await xlsxBomb(5);
    expect(tooBig(await refusal(read(bytesSource('tight.xlsx', bomb), { limits: UPLOAD_LIMITS })))).toEqual({
      code: 'file_too_big',
      file: 'tight.xlsx',
      limit: 'ratio',
      max: 100,
      part: 'xl/sharedStrings.xml',
    });
  });

  it('whose directory understates its part is stopped as it unpacks, at the size declared', async () => {
    const liar = await xlsxBomb(300, { declaredMb: 1 });
    const heap = process.memoryUsage().heapUsed;
    const e = await refusal(read(bytesSource('liar.xlsx', liar), { limits: UPLOAD_LIMITS }));
    expect(e.code).toBe('xlsx_invalid');
    expect(e.params).toEqual({
      file: 'liar.xlsx',
      problem: 'xl/sharedStrings.xml unpacks to more than its directory says',
    });
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * MB);
  });

  it('with more parts than any workbook is refused from its directory', async () => {
    const parts = Array.from({ length: 10_001 }, (_, i) => ({ name: `x/${i}.xml`, pieces: () => [Buffer.from('x')] }));
    const e = await refusal(read(bytesSource('parts.xlsx', await zip(parts))));
    expect(tooBig(e)).toEqual({ code: 'file_too_big', file: 'parts.xlsx', limit: 'parts', max: 10_000 });
  });

  it('cut short (a download that stopped) is said to be damaged, not read', async () => {
    const book = await metricsBook([['date', 'slack_id']]);
    const e = await refusal(read(bytesSource('cut.xlsx', book.subarray(0, book.length - 30))));
    expect(e.params).toEqual({ file: 'cut.xlsx', problem: 'the end of the file is missing' });
  });

  it('with a part whose bytes were changed is said to be damaged', async () => {
    const book = Buffer.from(
      await inlineWorkbook([
        ['date', 'slack_id'],
        ['2026-11-04', 'U1'],
      ]),
    );
    // the sheet is stored last before the directory: flip a byte of its packed data
    const cd = book.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), book.length - 22);
    const sheetCd = book.indexOf('xl/worksheets/sheet1.xml', cd);
    const local = book.readUInt32LE(sheetCd - 46 + 42);
    const data = local + 30 + book.readUInt16LE(local + 26);
    book[data + 5] = book[data + 5]! ^ 0xff;
    const e = await refusal(read(bytesSource('flip.xlsx', book)));
    expect(e.code).toBe('xlsx_invalid');
  });
});

describe('workbooks as people have them still read', () => {
  it('one exceljs wrote (its sheet before its shared strings) reads the same rows', async () => {
    const book = await metricsBook([
      ['date', 'slack_id', 'inquiries'],
      [new Date(Date.UTC(2026, 10, 4)), 'U00001008', 40],
      [new Date(Date.UTC(2026, 10, 5)), 'U00001002', 12],
    ]);
    expect(await read(bytesSource('ok.xlsx', book), { limits: UPLOAD_LIMITS })).toEqual({
      header: ['date', 'slack_id', 'inquiries'],
      rows: [
        ['2026-11-04', 'U00001008', '40'],
        ['2026-11-05', 'U00001002', '12'],
      ],
    });
  });

  it('one with its text inline and no shared strings at all', async () => {
    const book = await inlineWorkbook([
      ['date', 'slack_id'],
      ['2026-11-04', 'U1'],
    ]);
    expect(await read(bytesSource('inline.xlsx', book))).toEqual({
      header: ['date', 'slack_id'],
      rows: [['2026-11-04', 'U1']],
    });
  });

  it('one whose directory is zip64 (sizes and offsets in its extra fields)', async () => {
    const book = await zip(
      workbookParts({
        name: 'xl/sharedStrings.xml',
        pieces: () => [Buffer.from('<sst><si><t>date</t></si><si><t>slack_id</t></si></sst>')],
      }),
      { zip64: true },
    );
    expect(await read(bytesSource('z64.xlsx', book))).toMatchObject({ header: ['date', 'slack_id'] });
    // and a zip64 bomb is refused from it as any other
    const bomb = await xlsxBomb(1, { declaredMb: 3000, zip64: true });
    expect(tooBig(await refusal(read(bytesSource('z64bomb.xlsx', bomb))))).toMatchObject({ limit: 'unpacked' });
  });

  it('one zipped with parts stored, not deflated', async () => {
    const parts = workbookParts({
      name: 'xl/sharedStrings.xml',
      stored: true,
      pieces: () => [Buffer.from('<sst><si><t>date</t></si><si><t>slack_id</t></si></sst>')],
    }).map((p) => ({ ...p, stored: true }));
    expect(await read(bytesSource('stored.xlsx', await zip(parts)))).toMatchObject({ header: ['date', 'slack_id'] });
  });
});

describe('rows, cells, columns and lines', () => {
  const small: FileLimits = { ...UPLOAD_LIMITS, rows: 3, cells: 100 };

  it('a file past the rows it may have is refused naming the file (and the sheet)', async () => {
    const csv = ['date,slack_id', ...Array.from({ length: 5 }, (_, i) => `2026-11-0${i + 1},U1`)].join('\n');
    expect(tooBig(await refusal(read(bytesSource('rows.csv', Buffer.from(csv)), { limits: small })))).toEqual({
      code: 'file_too_big',
      file: 'rows.csv',
      limit: 'rows',
      max: 3,
    });
    const book = await metricsBook(csv.split('\n').map((l) => l.split(',')));
    expect(tooBig(await refusal(read(bytesSource('rows.xlsx', book), { limits: small })))).toEqual({
      code: 'file_too_big',
      file: 'rows.xlsx',
      sheet: 'Daily',
      limit: 'rows',
      max: 3,
    });
  });

  it('cells are counted by each row width', async () => {
    const wide = Array.from({ length: 60 }, (_, i) => `c${i}`).join(',');
    expect(
      tooBig(await refusal(read(bytesSource('cells.csv', Buffer.from(`${wide}\n${wide}\n`)), { limits: small }))),
    ).toMatchObject({ limit: 'cells', max: 100 });
  });

  it('more columns than Excel has is refused at the header', async () => {
    const header = Array.from({ length: 16_385 }, (_, i) => `c${i}`).join(',');
    expect(tooBig(await refusal(read(bytesSource('wide.csv', Buffer.from(`${header}\n`)))))).toMatchObject({
      limit: 'columns',
      max: 16_384,
    });
  });

  it('a line of a million and more characters (or commas) is refused, and so is a quoted cell that long', async () => {
    const commas = `date,slack_id\n2026-11-04,U1\n${','.repeat(1_100_000)}\n`;
    expect(tooBig(await refusal(read(bytesSource('commas.csv', Buffer.from(commas)))))).toEqual({
      code: 'file_too_big',
      file: 'commas.csv',
      line: 3,
      limit: 'line',
      max: 1_048_576,
    });
    // short lines, one record: a quoted cell with a line break every 80 characters
    const cell = `${'x'.repeat(80)}\n`.repeat(14_000);
    const quoted = `date,slack_id\n2026-11-04,"${cell}"\n`;
    expect(tooBig(await refusal(read(bytesSource('quoted.csv', Buffer.from(quoted)))))).toMatchObject({
      file: 'quoted.csv',
      limit: 'line',
    });
  });
});

describe('in a thread of its own', () => {
  const thread = { memoryMb: 64, threads: 2 };

  it('reads the same table, and refuses the same way', async () => {
    const csv = Buffer.from('date,slack_id\n2026-11-04,U1\n2026-11-05,U2\n');
    expect(await read(bytesSource('t.csv', csv), { thread })).toEqual(await read(bytesSource('t.csv', csv)));
    const bomb = await xlsxBomb(300);
    expect(tooBig(await refusal(read(bytesSource('bomb.xlsx', bomb), { limits: UPLOAD_LIMITS, thread })))).toEqual({
      code: 'file_too_big',
      file: 'bomb.xlsx',
      limit: 'unpacked',
      max: 200,
    });
    // past the first batch: rows come in batches as they are asked for
    const many = ['date,slack_id', ...Array.from({ length: 2_500 }, (_, i) => `2026-11-04,U${i}`)].join('\n');
    const got = await read(bytesSource('many.csv', Buffer.from(many)), { thread });
    expect(got.rows).toHaveLength(2_500);
    expect(got.rows[2_499]).toEqual(['2026-11-04', 'U2499']);
  });

  it('a file that outgrows the thread heap is one refusal; the next file reads', async () => {
    // 600,000 short strings: within every limit, but each one an object the reader keeps
    const book = await manyStrings(600_000);
    const e = await refusal(read(bytesSource('strings.xlsx', book), { thread: { memoryMb: 16, threads: 1 } }));
    expect(tooBig(e)).toEqual({ code: 'file_too_big', file: 'strings.xlsx', limit: 'memory', max: 16 });
    expect(await read(bytesSource('next.csv', Buffer.from('date,slack_id\n2026-11-04,U1\n')), { thread })).toEqual({
      header: ['date', 'slack_id'],
      rows: [['2026-11-04', 'U1']],
    });
  });

  it('files beyond the threads allowed are refused as busy, not queued; a closed one frees its thread', async () => {
    const csv = () => bytesSource('a.csv', Buffer.from('date,slack_id\n2026-11-04,U1\n'));
    const one = await openTable(csv(), { thread });
    const two = await openTable(csv(), { thread });
    const e = await refusal(openTable(csv(), { thread }));
    expect(e.code).toBe('files_busy');
    expect(e.params).toEqual({ file: 'a.csv', max: 2 });
    one.close();
    two.close();
    expect((await read(csv(), { thread })).rows).toEqual([['2026-11-04', 'U1']]);
  });
});
