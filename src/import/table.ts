// A file as people have it (CSV in UTF-8, GB18030 or UTF-16, or an Excel workbook) read as a header
// and a stream of rows of text, so that a million-row file never sits in memory whole. What the
// bytes are is decided from the bytes, not the file's name.
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
// exceljs is loaded when a workbook is read: a CSV import does without its 15 MB
import type ExcelJS from 'exceljs';
import { TallyError } from '../errors.js';
import { openTableInThread, type ThreadLimits } from './table-thread.js';
import { checkParts, storedZip, zipDirectory } from './zip.js';

/** Bytes `start` to `end` (not included) of a file. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where a file's bytes come from; `open` may be called again (a transaction retried reads it anew). */
export interface FileSource {
  name: string;
  /** the whole file, or a range of it (a workbook's directory is at its end) */
  open(range?: ByteRange): AsyncIterable<Uint8Array>;
  /** bytes in all */
  size: number;
}

export function bytesSource(name: string, bytes: Uint8Array): FileSource {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name,
    size: bytes.length,
    open: (range) => Readable.from([range ? all.subarray(range.start, range.end) : all], { objectMode: false }),
  };
}

/**
 * How much work reading one file may take: a zip bomb or a file of a billion empty cells is refused
 * (file_too_big) before it costs the process its memory. The CLI's limits allow a million-row
 * metrics file (a workbook of one unpacks to some 330 MB); a file dropped into Slack has its own.
 */
export interface FileLimits {
  /** what the parts of a workbook Tally reads unpack to, together */
  unpackedBytes: number;
  /** a part read whole into memory: the shared strings, the styles */
  wholePartBytes: number;
  /** rows read, a workbook's empty ones and those of sheets skipped included */
  rows: number;
  /** cells read: each row's width, summed */
  cells: number;
}

export const CLI_LIMITS: FileLimits = {
  unpackedBytes: 1024 * 1024 * 1024,
  wholePartBytes: 100 * 1024 * 1024,
  rows: 2_000_000,
  cells: 40_000_000,
};

/** Excel's own widest sheet; no export is wider */
export const MAX_COLUMNS = 16_384;
/** a CSV line (or quoted record) longer than this is no table's row */
export const MAX_LINE_CHARS = 1 << 20;

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
  /** stops reading: for a table whose rows are not read to the end (its header was refused) */
  close(): void;
}

export interface TableOptions {
  /** a workbook's sheet by name (default: the first) */
  sheet?: string;
  /** told how many bytes of the file have been read so far */
  onBytes?: (read: number) => void;
  /** default: CLI_LIMITS */
  limits?: FileLimits;
  /** read in a thread of its own, with a memory limit (a file dropped into Slack): see table-thread.ts */
  thread?: ThreadLimits;
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
  if (opts.thread)
    return openTableInThread(source, {
      limits: opts.limits ?? CLI_LIMITS,
      thread: opts.thread,
      ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }),
    });
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
  const limits = opts.limits ?? CLI_LIMITS;
  if (kind.kind === 'xlsx') {
    // a workbook is read from its directory at the end, part by part
    await chunks.return();
    return openSheet(countedSource(source, opts.onBytes), opts.sheet, limits);
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield first;
    if (done) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  }
  if (opts.sheet !== undefined) throw new TallyError('file_not_workbook', { file: source.name, sheet: opts.sheet });
  return openCsv(source.name, all(), kind.encoding, limits);
}

/** The source, telling `onBytes` how many bytes have been read from it in all. */
function countedSource(source: FileSource, onBytes?: (n: number) => void): FileSource {
  if (!onBytes) return source;
  let read = 0;
  return {
    ...source,
    async *open(range) {
      for await (const c of source.open(range)) {
        read += c.length;
        onBytes(read);
        yield c;
      }
    },
  };
}

/** Counts the rows and cells read, and refuses the file past its limits. */
class RowBudget {
  private rows = 0;
  private cells = 0;
  constructor(
    private readonly file: string,
    private readonly limits: FileLimits,
  ) {}

  row(width: number, sheet?: string): void {
    const at = sheet === undefined ? { file: this.file } : { file: this.file, sheet };
    if (width > MAX_COLUMNS) throw new TallyError('file_too_big', { ...at, limit: 'columns', max: MAX_COLUMNS });
    if (++this.rows > this.limits.rows)
      throw new TallyError('file_too_big', { ...at, limit: 'rows', max: this.limits.rows });
    this.cells += width;
    if (this.cells > this.limits.cells)
      throw new TallyError('file_too_big', { ...at, limit: 'cells', max: this.limits.cells });
  }
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
  limits: FileLimits,
): Promise<Table> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  const budget = new RowBudget(file, limits);
  let lines = 1;
  /** characters since the last line break: a line of a million commas is as many empty cells */
  let run = 0;
  async function* text(): AsyncGenerator<string> {
    for await (const b of bytes) {
      let s: string;
      try {
        s = decoder.decode(b, { stream: true });
      } catch {
        // only the first megabyte was looked at: a later byte that is not UTF-8 is said, not guessed
        throw new TallyError('file_not_utf8', { file, line: lines });
      }
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 10 || c === 13) {
          if (c === 10) lines++;
          run = 0;
        } else if (++run > MAX_LINE_CHARS)
          throw new TallyError('file_too_big', { file, line: lines, limit: 'line', max: MAX_LINE_CHARS });
      }
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
    // a quoted cell may hold line breaks: a record is bounded too
    max_record_size: MAX_LINE_CHARS,
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
  budget.row(header.value.record.length);
  return {
    file,
    header: header.value.record,
    close: () => parser.destroy(),
    rows: {
      async *[Symbol.asyncIterator]() {
        try {
          for (let r = await next(); !r.done; r = await next()) {
            budget.row(r.value.record.length);
            yield { line: r.value.info.lines, cells: r.value.record };
          }
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
  if (err.code === 'CSV_MAX_RECORD_SIZE')
    return new TallyError('file_too_big', {
      file,
      ...(err.lines === undefined ? {} : { line: err.lines }),
      limit: 'line',
      max: MAX_LINE_CHARS,
    });
  // csv-parse's own words say what is wrong with the quoting or the columns
  return new TallyError('csv_invalid', {
    file,
    ...(err.lines === undefined ? {} : { line: err.lines }),
    problem: (err.message ?? '').replace(/^Invalid Record Length: /, ''),
  });
}

type WorksheetReader = AsyncIterable<ExcelJS.Row> & { name?: string };

/** The parts of a workbook exceljs reads whole, in the order it needs them (a sheet read before them is spooled to disk). */
const WHOLE_PARTS = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
const SHEET_PART = /^xl\/worksheets\/sheet\d+\.xml$/;

async function openSheet(source: FileSource, wanted: string | undefined, limits: FileLimits): Promise<Table> {
  const file = source.name;
  const directory = await zipDirectory(source);
  // only what the reader uses is unpacked (not the pictures, not the printer settings), the parts it holds whole first
  const whole = WHOLE_PARTS.flatMap((n) => directory.filter((p) => p.name === n));
  const parts = [...whole, ...directory.filter((p) => SHEET_PART.test(p.name))];
  checkParts(file, parts, limits, (n) => WHOLE_PARTS.includes(n));
  const zip = storedZip(source, parts);
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(zip, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  // a workbook without shared strings (or relations) would have exceljs spool each sheet to a temporary file first
  Object.assign(reader, { sharedStrings: [], workbookRels: [] });
  const budget = new RowBudget(file, limits);
  const sheets = reader[Symbol.asyncIterator]() as AsyncIterator<WorksheetReader>;
  const model = () =>
    ((reader as unknown as { model?: { sheets?: Array<{ name: string }> } }).model?.sheets ?? []).map((s) => s.name);
  // a refusal while unpacking ends the zip early: the reader then fails on its own terms, and the refusal is said
  const broken = (e: unknown) => {
    const cause = zip.failure ?? e;
    if (cause instanceof TallyError) return cause;
    return new TallyError('xlsx_invalid', { file, problem: (cause as Error).message ?? String(cause) });
  };
  // exceljs, cut off mid-part, would wait for the rest of it: every wait on it ends with the refusal
  const guard = <T>(p: Promise<T>) => Promise.race([p, zip.failed]);
  let sheet: WorksheetReader | undefined;
  try {
    for (let s = await guard(sheets.next()); !s.done; s = await guard(sheets.next())) {
      const names = model();
      const name = s.value.name ?? '';
      if (wanted === undefined ? names.length === 0 || name === names[0] : name === wanted) {
        sheet = s.value;
        break;
      }
      // another sheet: skip its rows (counted: they are read all the same)
      const skipped = s.value[Symbol.asyncIterator]();
      for (let r = await guard(skipped.next()); !r.done; r = await guard(skipped.next()))
        budget.row(r.value.cellCount, name);
    }
    if (zip.failure) throw zip.failure;
  } catch (e) {
    zip.destroy();
    throw broken(e);
  }
  if (!sheet) {
    zip.destroy();
    if (wanted === undefined) throw new TallyError('csv_empty', { file });
    throw new TallyError('xlsx_no_sheet', { file, sheet: wanted, sheets: model().join(', ') });
  }
  const name = sheet.name ?? 'Sheet1';
  const rows = (sheet as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  const next = async () => {
    try {
      for (;;) {
        const r = await guard(rows.next());
        if (zip.failure) throw zip.failure;
        if (r.done) return null;
        budget.row(r.value.cellCount, name);
        const cells = rowCells(r.value);
        // an empty row (Excel keeps formatted ones) is no row
        if (cells.some((c) => c !== '')) return { line: r.value.number, cells };
      }
    } catch (e) {
      zip.destroy();
      throw broken(e);
    }
  };
  const header = await next();
  if (!header) {
    zip.destroy();
    throw new TallyError('csv_empty', { file, sheet: name });
  }
  const width = header.cells.length;
  return {
    file,
    sheet: name,
    header: header.cells,
    close: () => zip.destroy(),
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
          zip.destroy();
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
