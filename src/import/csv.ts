// Reads a CSV file a team lead exported from Excel or a shop back-end: UTF-8 (with or without BOM)
// or GB18030, English or Chinese headers. Every error names the file, line and column.
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readDay } from '../core/date-input.js';
import type { Day } from '../core/dates.js';
import { TallyError, type CsvCell, type ErrorCode, type ErrorParams } from '../errors.js';

export interface CsvRow {
  /** line number in the file, for messages */
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
  ) {}

  /** A refusal naming the file, the line and the column as the file wrote it. */
  error<K extends CellCode>(
    line: number,
    column: string,
    code: K,
    params: Omit<ErrorParams[K], keyof CsvCell>,
  ): TallyError<K> {
    const cell: CsvCell = { file: this.name, line, column: this.columns[column] ?? column };
    return new TallyError(code, { ...params, ...cell } as ErrorParams[K]);
  }
}

export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Chinese Excel saves "CSV" in the system code page
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * Parses a CSV whose header names columns in `columns` (canonical name → accepted spellings).
 * Unknown columns are refused (a typo would otherwise silently lose data); required ones must be present.
 */
export function readCsv(
  path: string,
  bytes: Uint8Array,
  columns: Record<string, string[]>,
  required: string[],
): CsvFile {
  const name = basename(path);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(decodeText(bytes), {
      bom: true,
      info: true,
      skip_empty_lines: true,
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
  const lookup = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(columns))
    for (const s of [canonical, ...spellings]) lookup.set(normaliseHeader(s), canonical);
  const written = records[0]!.record;
  const header = written.map((h, i) => {
    const canonical = lookup.get(normaliseHeader(h));
    if (!canonical) {
      throw new TallyError('csv_unknown_column', {
        file: name,
        line: 1,
        position: i + 1,
        header: h,
        expected: Object.keys(columns).join(','),
      });
    }
    return canonical;
  });
  const asWritten: Record<string, string> = {};
  header.forEach((h, i) => {
    if (Object.hasOwn(asWritten, h))
      throw new TallyError('csv_repeated_column', { file: name, line: 1, column: written[i]! });
    asWritten[h] = written[i]!;
  });
  const missing = required.filter((c) => !Object.hasOwn(asWritten, c));
  if (missing.length) {
    // a file with Chinese headers is told the Chinese names of what it lacks
    const chinese = written.some((h) => /\P{ASCII}/u.test(h));
    const named = missing.map((c) => (chinese ? (columns[c]?.find((s) => /\P{ASCII}/u.test(s)) ?? c) : c));
    throw new TallyError('csv_missing_column', { file: name, line: 1, columns: named.join(', ') });
  }
  const rows = records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])),
  }));
  return new CsvFile(name, rows, asWritten);
}

/**
 * Each row through `read`; with `problems`, a row that is refused is noted there and left out, so a
 * preview can show every problem at once (up to `max`), while an import stops at the first.
 */
export function eachRow<T>(rows: CsvRow[], read: (row: CsvRow) => T, problems?: TallyError[], max = 10): T[] {
  if (!problems) return rows.map(read);
  const out: T[] = [];
  for (const row of rows) {
    try {
      out.push(read(row));
    } catch (e) {
      if (!(e instanceof TallyError)) throw e;
      if (problems.length < max) problems.push(e);
    }
  }
  return out;
}

/** A date cell, read as the Slack commands read dates: 2026-11-05, 2026-11-5, 2026/11/5; 10/05/2026 is refused as ambiguous. */
export function dayCell(file: CsvFile, line: number, column: string, cell: string): Day {
  const text = cell.trim();
  const d = readDay(text);
  if (d.kind === 'day') return d.day;
  if (d.kind === 'ambiguous') throw file.error(line, column, 'csv_ambiguous_date', { value: text });
  throw file.error(line, column, 'csv_bad_date', { value: cell });
}
