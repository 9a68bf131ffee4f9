// Every CSV file Tally writes for people to open goes through here: UTF-8 with a BOM and CRLF (so
// Chinese Excel shows the names), and no text cell that a spreadsheet would run as a formula.
import { stringify } from 'csv-stringify/sync';
import { shownText } from '../core/text.js';

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A number Tally computed (an amount, a score): written as it is, so it stays a number in Excel. */
export class Figure {
  constructor(readonly text: string) {
    if (!NUMBER.test(text)) throw new RangeError(`a figure must be a plain number, got "${text}"`);
  }
}

export type Cell = string | Figure | null;

// OWASP's list for CSV injection: these make Excel, LibreOffice or Sheets read a cell as a formula
// (a carriage return is shown as a line feed, so that is guarded in its place)
const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * Text from outside (a name, a reason) as shown (no control characters, which some readers choke on,
 * nor bidi marks), with a leading ' when a spreadsheet would take it for a formula.
 */
export function safeText(text: string): string {
  // shown first: a bidi mark in front of "=" must not hide the formula from the guard
  const shown = shownText(text);
  return FORMULA_START.test(shown) ? `'${shown}` : shown;
}

/**
 * The whole file: BOM, header, rows, each line ending in CRLF. A cell holding a line break of its own
 * (a bare LF or CR too, which csv-stringify leaves unquoted next to a CRLF record end) is quoted.
 */
export function csvFile(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cell = (c: Cell) => (c === null ? '' : c instanceof Figure ? c.text : safeText(c));
  return `\uFEFF${stringify([header.map(safeText), ...rows.map((r) => r.map(cell))], {
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
  })}`;
}
