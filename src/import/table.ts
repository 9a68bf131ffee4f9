// A file as people have it (CSV in UTF-8, GB18030 or UTF-16, or an Excel workbook) read as a header
// and a stream of rows of text, so that a million-row file never sits in memory whole. What the
// bytes are is decided from the bytes, not the file's name.
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
// exceljs is loaded when a workbook is read: a CSV import does without its 15 MB
import type ExcelJS from 'exceljs';
import { TallyError } from '../errors.js';

/** Where a file's bytes come from; `open` may be called again (a transaction retried reads it anew). */
export interface FileSource {
  name: string;
  open(): AsyncIterable<Uint8Array>;
  /** bytes in all, when known (for the time left) */
  size?: number;
}

export function bytesSource(name: string, bytes: Uint8Array): FileSource {
  return { name, size: bytes.length, open: () => Readable.from([Buffer.from(bytes)], { objectMode: false }) };
}

export interface TableRow {
  /** the line (CSV) or row (sheet) number, for messages */
  line: number;
  cells: string[];
}

export interface Table {
  file: string;
  /** the sheet read, for a workbook: messages name it */
  sheet?: string;
  header: string[];
  rows: AsyncIterable<TableRow>;
}

export interface TableOptions {
  /** a workbook's sheet by name (default: the first) */
  sheet?: string;
  /** told how many bytes of the file have been read so far */
  onBytes?: (read: number) => void;
}

/** how much of a CSV is looked at to tell UTF-8 from GB18030 */
const SNIFF_BYTES = 1 << 20;

type Kind = { kind: 'xlsx' } | { kind: 'text'; encoding: 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be' };

/** Which kind of file these first bytes begin; a binary file is refused without showing its bytes. */
export function sniff(name: string, head: Uint8Array, complete: boolean): Kind {
  const starts = (...b: number[]) => b.every((x, i) => head[i] === x);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return { kind: 'xlsx' };
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) throw new TallyError('file_binary', { file: name, kind: 'old_excel' });
  if (starts(0xff, 0xfe)) return { kind: 'text', encoding: 'utf-16le' };
  if (starts(0xfe, 0xff)) return { kind: 'text', encoding: 'utf-16be' };
  if (starts(0xef, 0xbb, 0xbf)) return { kind: 'text', encoding: 'utf-8' };
  const probe = head.subarray(0, 8192);
  // text has no NUL and few control characters; UTF-16 without its BOM has a NUL in every other byte
  let control = 0;
  for (const b of probe) {
    if (b === 0) throw new TallyError('file_binary', { file: name, kind: 'binary' });
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  if (control > probe.length / 20) throw new TallyError('file_binary', { file: name, kind: 'binary' });
  return { kind: 'text', encoding: isUtf8(head, complete) ? 'utf-8' : 'gb18030' };
}

function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    // a sniff may end inside a character: stream mode keeps the incomplete tail instead of failing on it
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** Decodes a whole file's bytes as sniff() decides (small files read at once). */
export function decodeText(bytes: Uint8Array, name = 'file'): string {
  const kind = sniff(name, bytes, true);
  if (kind.kind === 'xlsx') throw new TallyError('file_binary', { file: name, kind: 'workbook' });
  return new TextDecoder(kind.encoding).decode(bytes);
}

/** The first line's separator: Excel's "Unicode text" separates with tabs. */
export function delimiterOf(firstLine: string): ',' | '\t' {
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

export async function openTable(source: FileSource, opts: TableOptions = {}): Promise<Table> {
  const chunks = counted(source.open(), opts.onBytes);
  // look at the beginning before deciding what the file is
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(Buffer.from(next.value));
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head);
  const kind = sniff(source.name, first, done);
  async function* all(): AsyncGenerator<Buffer> {
    yield first;
    if (done) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  }
  if (kind.kind === 'xlsx') return openSheet(source.name, all(), opts.sheet);
  if (opts.sheet !== undefined) throw new TallyError('file_not_workbook', { file: source.name, sheet: opts.sheet });
  return openCsv(source.name, all(), kind.encoding);
}

async function* counted(
  chunks: AsyncIterable<Uint8Array>,
  onBytes?: (n: number) => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  let read = 0;
  for await (const c of chunks) {
    read += c.length;
    onBytes?.(read);
    yield c;
  }
}

async function openCsv(
  file: string,
  bytes: AsyncIterable<Buffer>,
  encoding: 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be',
): Promise<Table> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let lines = 1;
  async function* text(): AsyncGenerator<string> {
    for await (const b of bytes) {
      let s: string;
      try {
        s = decoder.decode(b, { stream: true });
      } catch {
        // only the first megabyte was looked at: a later byte that is not UTF-8 is said, not guessed
        throw new TallyError('file_not_utf8', { file, line: lines });
      }
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
      yield s;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
  const strings = text();
  const firstText = await strings.next();
  if (firstText.done) throw new TallyError('csv_empty', { file });
  const start = firstText.value.replace(/^\uFEFF/, '');
  const parser = parse({
    delimiter: delimiterOf(start.slice(0, start.indexOf('\n') >>> 0)),
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
    relax_column_count: false,
  });
  async function* source(): AsyncGenerator<string> {
    yield start;
    yield* strings;
  }
  let failure: unknown;
  pipeline(Readable.from(source()), parser, (e) => {
    failure = e;
  });
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const next = async () => {
    try {
      return await records.next();
    } catch (e) {
      throw csvFailure(file, failure ?? e);
    }
  };
  const header = await next();
  if (header.done) throw new TallyError('csv_empty', { file });
  return {
    file,
    header: header.value.record,
    rows: {
      async *[Symbol.asyncIterator]() {
        try {
          for (let r = await next(); !r.done; r = await next())
            yield { line: r.value.info.lines, cells: r.value.record };
        } finally {
          // a refusal mid-file stops reading it: the file is closed, not left open
          parser.destroy();
        }
      },
    },
  };
}

function csvFailure(file: string, e: unknown): unknown {
  if (e instanceof TallyError) return e;
  const err = e as { lines?: number; message?: string; code?: string };
  if (typeof err.code !== 'string' || !err.code.startsWith('CSV_')) return e;
  // csv-parse's own words say what is wrong with the quoting or the columns
  return new TallyError('csv_invalid', {
    file,
    ...(err.lines === undefined ? {} : { line: err.lines }),
    problem: (err.message ?? '').replace(/^Invalid Record Length: /, ''),
  });
}

type WorksheetReader = AsyncIterable<ExcelJS.Row> & { name?: string };

async function openSheet(file: string, bytes: AsyncIterable<Buffer>, wanted: string | undefined): Promise<Table> {
  const input = Readable.from(bytes);
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]() as AsyncIterator<WorksheetReader>;
  const model = () =>
    ((reader as unknown as { model?: { sheets?: Array<{ name: string }> } }).model?.sheets ?? []).map((s) => s.name);
  const broken = (e: unknown) =>
    e instanceof TallyError ? e : new TallyError('xlsx_invalid', { file, problem: (e as Error).message ?? String(e) });
  let sheet: WorksheetReader | undefined;
  try {
    for (let s = await sheets.next(); !s.done; s = await sheets.next()) {
      const names = model();
      const name = s.value.name ?? '';
      if (wanted === undefined ? names.length === 0 || name === names[0] : name === wanted) {
        sheet = s.value;
        break;
      }
      // another sheet: skip its rows
      for await (const _row of s.value) void _row;
    }
  } catch (e) {
    throw broken(e);
  }
  if (!sheet) {
    if (wanted === undefined) throw new TallyError('csv_empty', { file });
    throw new TallyError('xlsx_no_sheet', { file, sheet: wanted, sheets: model().join(', ') });
  }
  const name = sheet.name ?? 'Sheet1';
  const rows = (sheet as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  const next = async () => {
    try {
      for (;;) {
        const r = await rows.next();
        if (r.done) return null;
        const cells = rowCells(r.value);
        // an empty row (Excel keeps formatted ones) is no row
        if (cells.some((c) => c !== '')) return { line: r.value.number, cells };
      }
    } catch (e) {
      throw broken(e);
    }
  };
  const header = await next();
  if (!header) throw new TallyError('csv_empty', { file, sheet: name });
  const width = header.cells.length;
  return {
    file,
    sheet: name,
    header: header.cells,
    rows: {
      async *[Symbol.asyncIterator]() {
        try {
          for (let r = await next(); r; r = await next()) {
            const beyond = r.cells.findIndex((c, i) => i >= width && c !== '');
            if (beyond >= 0) {
              throw new TallyError('csv_invalid', {
                file,
                sheet: name,
                line: r.line,
                problem: `a value in column ${columnLetter(beyond)}, beyond the header's ${width} columns`,
              });
            }
            yield {
              line: r.line,
              cells: r.cells.slice(0, width).concat(Array(Math.max(0, width - r.cells.length)).fill('')),
            };
          }
        } finally {
          input.destroy();
        }
      },
    },
  };
}

function rowCells(row: ExcelJS.Row): string[] {
  const out: string[] = [];
  // values are 1-based and sparse
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    while (out.length < col - 1) out.push('');
    out[col - 1] = cellText(cell.value, cell.numFmt);
  });
  return out;
}

/** A cell as text, the way a person reads it: dates as YYYY-MM-DD, numbers as Excel shows them. */
export function cellText(v: ExcelJS.CellValue | undefined, numFmt?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return isPercentFormat(numFmt) ? percentText(v) : numberText(v);
  if (v instanceof Date) return dateText(v);
  if ('richText' in v)
    return v.richText
      .map((t) => t.text)
      .join('')
      .trim();
  if ('error' in v) return String(v.error);
  if ('formula' in v || 'sharedFormula' in v) {
    const result = (v as { result?: unknown }).result;
    if (typeof result === 'number' && isDateFormat(numFmt)) return serialDay(result) ?? numberText(result);
    return cellText(result as ExcelJS.CellValue, numFmt);
  }
  if ('text' in v) return cellText((v as { text: ExcelJS.CellValue }).text, numFmt);
  return '';
}

const isPercentFormat = (f?: string) => !!f && /%/.test(f.replace(/"[^"]*"/g, ''));
const isDateFormat = (f?: string) =>
  !!f && /[ymd]/i.test(f.replace(/"[^"]*"|\[[^\]]*\]/g, '')) && !/^general$/i.test(f);

/** A number as Excel shows it: at most 15 significant digits, so 0.1 + 0.2 reads 0.3. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const s = String(Number(n.toPrecision(15)));
  return s;
}

/** 0.125 shown as 12.5%: the decimal point moved two places, exactly. */
function percentText(n: number): string {
  const s = numberText(n);
  if (/e/i.test(s)) return `${s}%`;
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  const digits = `${int}${frac.padEnd(2, '0')}`;
  const point = int!.length + 2;
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${rest ? `.${rest}` : ''}%`;
}

function dateText(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
}

/** Excel's day number (46331 is 2026-11-05), for the years a team's data can be in. */
export function serialDay(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 36_526 || serial >= 73_051) return null; // 2000-01-01 .. 2099-12-31
  // day 25569 is 1970-01-01; Excel's phantom 1900-02-29 lies before this range
  return dateText(new Date((Math.floor(serial) - 25_569) * 86_400_000));
}

function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
