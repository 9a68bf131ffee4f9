// Reads a CSV file a team lead exported from Excel or a shop back-end: UTF-8 (with or without BOM)
// or GB18030, English or Chinese headers. Every error names the file, line and column.
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readDay } from '../core/date-input.js';
import type { Day } from '../core/dates.js';
import { TallyError } from '../errors.js';

export interface CsvRow {
  /** line number in the file, for messages */
  line: number;
  cells: Record<string, string>;
}

export class CsvFile {
  constructor(
    readonly name: string,
    readonly rows: CsvRow[],
  ) {}

  error(line: number, column: string | null, message: string): TallyError {
    const where = column ? `${this.name} line ${line}, column ${column}` : `${this.name} line ${line}`;
    return new TallyError('bad_csv', `${where}: ${message}`, { file: this.name, line, column: column ?? '' });
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
    throw new TallyError(
      'bad_csv',
      `${name} line ${err.lines ?? '?'}: not valid CSV (${err.message.replace(/^Invalid Record Length: /, '')})`,
      { file: name },
    );
  }
  if (records.length === 0)
    throw new TallyError('bad_csv', `${name}: the file is empty; the first line must name the columns`, { file: name });
  const lookup = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(columns))
    for (const s of [canonical, ...spellings]) lookup.set(normaliseHeader(s), canonical);
  const header = records[0]!.record.map((h, i) => {
    const canonical = lookup.get(normaliseHeader(h));
    if (!canonical) {
      throw new TallyError(
        'bad_csv',
        `${name} line 1, column ${i + 1}: unknown column "${h}"; expected ${Object.keys(columns).join(',')}`,
        { file: name, line: 1 },
      );
    }
    return canonical;
  });
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h))
      throw new TallyError('bad_csv', `${name} line 1: column ${h} appears twice`, { file: name, line: 1 });
    seen.add(h);
  }
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length)
    throw new TallyError('bad_csv', `${name} line 1: missing column ${missing.join(', ')}`, { file: name, line: 1 });
  const rows = records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])),
  }));
  return new CsvFile(name, rows);
}

/** A date cell, read as the Slack commands read dates: 2026-11-05, 2026-11-5, 2026/11/5; 10/05/2026 is refused as ambiguous. */
export function dayCell(file: CsvFile, line: number, column: string, cell: string): Day {
  const text = cell.trim();
  const d = readDay(text);
  if (d.kind === 'day') return d.day;
  if (d.kind === 'ambiguous')
    throw file.error(line, column, `"${text}" could be day-first or month-first; write the year first (YYYY-MM-DD)`);
  throw file.error(line, column, `"${cell}" is not a date that exists (YYYY-MM-DD)`);
}
