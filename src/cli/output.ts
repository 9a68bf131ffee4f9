// How every command prints: its stable JSON shape with --json, an aligned table or a few lines for
// people otherwise, and a file (--csv) byte for byte.
import { shownText } from '../core/text.js';
import type { CliIo } from './program.js';

export { table } from '../present.js';

/** Prints a command's result: `value` as JSON with --json, else the text `human()` makes. */
export type Print = (json: boolean | undefined, value: unknown, human: () => string) => void;

export function printer(io: CliIo): Print {
  // a name or a reason read from a file may hold a terminal's escape sequences: not for the terminal to run
  return (json, value, human) => (json ? printJson(io, value) : io.out(shownText(human())));
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** A file written to stdout as it is (`payroll --csv > payroll.csv`): no newline added, CRLF kept. */
export function writeFile(io: CliIo, file: string): void {
  if (io.write) io.write(file);
  else io.out(file.replace(/\r\n$/, ''));
}
