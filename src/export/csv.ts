// Every CSV file Tally writes for people to open goes through here: UTF-8 with a BOM and CRLF (so
// Chinese Excel shows the names), and no text cell that a spreadsheet would run as a formula.
import { stringify } from 'csv-stringify/sync';

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A number Tally computed (an amount, a score): written as it is, so it stays a number in Excel. */
export class Figure {
  constructor(readonly text: string) {
    if (!NUMBER.test(text)) throw new RangeError(`a figure must be a plain number, got "${text}"`);
  }
}

export type Cell = string | Figure | null;

// OWASP's list for CSV injection: these make Excel, LibreOffice or Sheets read a cell as a formula
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text from outside (a name, a reason) with a leading ' when a spreadsheet would take it for a formula. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
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
