// Reads a CSV file a team lead exported from Excel or a shop back-end: UTF-8 (with or without BOM)
// or GB18030, English or Chinese headers. Every error names the file, line and column.
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { decodeText, delimiterOf, serialDay, type Table } from './table.js';
import { readDay } from '../core/date-input.js';
import { own, ownRecord } from '../core/keys.js';
import type { Day } from '../core/dates.js';
import { TallyError, type CsvCell, type ErrorCode, type ErrorParams } from '../errors.js';

export interface CsvRow {
  /** line number in the file (or row of the sheet), for messages */
  line: number;
  cells: Record<string, string>;
}

/** The refusals about one cell of a file. */
export type CellCode = { [K in ErrorCode]: ErrorParams[K] extends CsvCell ? K : never }[ErrorCode];

export class CsvFile {
  constructor(
    readonly name: string,
    readonly rows: CsvRow[],
    /** each column's header as the file wrote it (`日期` or `date`), by canonical name */
    readonly columns: Readonly<Record<string, string>> = {},
    /** a workbook's sheet */
    readonly sheet?: string,
    /** headers read as no column (the team's mapping ignores them) */
    readonly ignored: readonly string[] = [],
  ) {}

  /** A refusal naming the file, the line and the column as the file wrote it. */
  error<K extends CellCode>(
    line: number,
    column: string,
    code: K,
    params: Omit<ErrorParams[K], keyof CsvCell>,
  ): TallyError<K> {
    return new TallyError(code, { ...params, ...this.cell(line, column) } as ErrorParams[K]);
  }

  /** Where a cell is: the file, the line and the column as the file wrote it. */
  cell(line: number, column: string): CsvCell {
    return {
      file: this.name,
      line,
      column: own(this.columns, column) ?? column,
      ...(this.sheet === undefined ? {} : { sheet: this.sheet }),
    };
  }
}

export { decodeText };

const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** How a team reads its platform's headers (policy `import`): header as written → column, and the rest. */
export interface ColumnMapping {
  columns: Readonly<Record<string, string>>;
  otherColumns: 'refuse' | 'ignore';
}

/** Which column each header is (null: ignored), and each column's header as written. */
export interface Header {
  canonical: Array<string | null>;
  asWritten: Record<string, string>;
  ignored: string[];
}

/**
 * Reads a header naming columns in `columns` (canonical name → accepted spellings). Unknown columns
 * are refused (a typo would otherwise silently lose data) unless the mapping ignores them; each of
 * `required` must be present (a list: one of them).
 */
export function readHeader(
  where: { file: string; sheet?: string },
  written: string[],
  columns: Record<string, string[]>,
  required: Array<string | string[]>,
  mapping?: ColumnMapping,
): Header {
  const at = where.sheet === undefined ? { file: where.file } : where;
  const lookup = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(columns))
    for (const s of [canonical, ...spellings]) lookup.set(normaliseHeader(s), canonical);
  // a team's own mapping wins over Tally's spellings
  for (const [h, c] of Object.entries(mapping?.columns ?? {})) lookup.set(normaliseHeader(h), c);
  const canonical = written.map((h, i) => {
    const c = lookup.get(normaliseHeader(h));
    if (c === 'ignore') return null;
    if (!c) {
      if (mapping?.otherColumns === 'ignore') return null;
      throw new TallyError('csv_unknown_column', {
        ...at,
        line: 1,
        position: i + 1,
        header: h,
        expected: Object.keys(columns).join(','),
      });
    }
    return c;
  });
  const asWritten = ownRecord<string>([]);
  canonical.forEach((h, i) => {
    if (h === null) return;
    if (Object.hasOwn(asWritten, h))
      throw new TallyError('csv_repeated_column', { ...at, line: 1, column: written[i]! });
    asWritten[h] = written[i]!;
  });
  const missing = required.filter((c) => (Array.isArray(c) ? c : [c]).every((x) => !Object.hasOwn(asWritten, x)));
  if (missing.length) {
    // a file with Chinese headers is told the Chinese names of what it lacks
    const chinese = written.some((h) => /\P{ASCII}/u.test(h));
    const say = (c: string) => (chinese ? (own(columns, c)?.find((s) => /\P{ASCII}/u.test(s)) ?? c) : c);
    const named = missing.map((c) => (Array.isArray(c) ? c.map(say).join(' or ') : say(c)));
    throw new TallyError('csv_missing_column', { ...at, line: 1, columns: named.join(', ') });
  }
  return { canonical, asWritten, ignored: written.filter((_, i) => canonical[i] === null) };
}

/** A row's cells by canonical column: Tally's own column names, never a header as the file wrote it. */
export function rowCells(header: Header, record: string[]): Record<string, string> {
  const cells: Record<string, string> = {};
  header.canonical.forEach((h, i) => {
    if (h !== null) cells[h] = record[i] ?? '';
  });
  return cells;
}

/** Parses a whole small CSV held in memory (the demo, tests); big files go through openTable. */
export function readCsv(
  path: string,
  bytes: Uint8Array,
  columns: Record<string, string[]>,
  required: Array<string | string[]>,
  mapping?: ColumnMapping,
): CsvFile {
  const name = basename(path);
  const text = decodeText(bytes, name);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: delimiterOf(text.slice(0, text.indexOf('\n') >>> 0)),
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      relax_column_count: false,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    // csv-parse's own words say what is wrong with the quoting or the columns
    throw new TallyError('csv_invalid', {
      file: name,
      ...(err.lines === undefined ? {} : { line: err.lines }),
      problem: err.message.replace(/^Invalid Record Length: /, ''),
    });
  }
  if (records.length === 0) throw new TallyError('csv_empty', { file: name });
  const header = readHeader({ file: name }, records[0]!.record, columns, required, mapping);
  const rows = records.slice(1).map(({ record, info }) => ({ line: info.lines, cells: rowCells(header, record) }));
  if (rows.length === 0) throw new TallyError('csv_no_rows', { file: name });
  return new CsvFile(name, rows, header.asWritten, undefined, header.ignored);
}

/** A file opened for reading row by row: its header read, its rows still to come. */
export interface ColumnsFile {
  file: CsvFile;
  rows: AsyncIterable<CsvRow>;
}

export function readColumns(
  table: Table,
  columns: Record<string, string[]>,
  required: Array<string | string[]>,
  mapping?: ColumnMapping,
): ColumnsFile {
  let header: Header;
  try {
    header = readHeader({ file: table.file, sheet: table.sheet }, table.header, columns, required, mapping);
  } catch (e) {
    table.close();
    throw e;
  }
  const file = new CsvFile(table.file, [], header.asWritten, table.sheet, header.ignored);
  return {
    file,
    rows: {
      async *[Symbol.asyncIterator]() {
        let any = false;
        for await (const r of table.rows) {
          any = true;
          yield { line: r.line, cells: rowCells(header, r.cells) };
        }
        if (!any)
          throw new TallyError('csv_no_rows', { file: table.file, ...(table.sheet ? { sheet: table.sheet } : {}) });
      },
    },
  };
}

/** A date cell, read as the Slack commands read dates: 2026-11-05, 2026-11-5, 2026/11/5; 10/05/2026 is refused as ambiguous. */
export function dayCell(file: CsvFile, line: number, column: string, cell: string): Day {
  const text = cell.trim();
  // Excel's day number, from a cell not formatted as a date (46331 is 2026-11-05)
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const day = serialDay(Number(text));
    if (day) return day;
  }
  // 20261105, as some platforms' reports write the day; a time of midnight after a date is no time
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const d = readDay(compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : text.replace(/[ T]00:00(:00)?$/, ''));
  if (d.kind === 'day') return d.day;
  if (d.kind === 'ambiguous') throw file.error(line, column, 'csv_ambiguous_date', { value: text });
  throw file.error(line, column, 'csv_bad_date', { value: cell });
}
