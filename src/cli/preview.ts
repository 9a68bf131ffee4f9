// What a dry run prints (`metrics import --dry-run`, `roster import --dry-run`): how the file was
// read, what it would change, its problems by line and column; and how an import lists them all.
import type { TallyError } from '../errors.js';
import type { CsvFile } from '../import/csv.js';
import { cliRefusal, plural } from './text.js';

/** A service's preview of a file: what both kinds have in common. */
interface Preview {
  file: string;
  sheet?: string;
  problems: TallyError[];
  problemCount: number;
}

/** A problem as --json prints it. */
function problemJson(e: TallyError) {
  return { code: e.code, message: problemMessage(e), params: e.params };
}

/** A problem's line, naming its file, row and column (as an import refuses it). */
export const problemMessage = (e: TallyError): string => cliRefusal(e) ?? e.message;

/** The preview as --json prints it: the service's, with the file's columns, what it ignored, and `written: false`. */
export function previewJson<P extends Preview>(p: P, file: CsvFile) {
  return {
    ...p,
    columns: columnsOf(file),
    ignored: file.ignored,
    problems: p.problems.map(problemJson),
    written: false,
  };
}

const columnsOf = (file: CsvFile) => Object.entries(file.columns).map(([column, header]) => ({ header, column }));

/** The problems block: how many, then each on its own line. */
export function problemsText(p: Preview): string[] {
  if (!p.problemCount) return ['No problems.'];
  const shown = p.problems.length;
  return [
    `${plural(p.problemCount, 'problem')}${p.problemCount > shown ? ` (the first ${shown})` : ''}:`,
    ...p.problems.map((e) => `  ${problemMessage(e)}`),
  ];
}

/** The dry run's text: how the file was read, `body` (what it would change, its first rows), its problems. */
export function previewText(p: Preview, file: CsvFile, body: string[]): string {
  const at = p.sheet === undefined ? p.file : `${p.file}, sheet ${p.sheet}`;
  return [
    `${at}: read as`,
    ...columnsOf(file).map((c) => `  ${c.header} → ${c.column}`),
    ...(file.ignored.length ? [`  ignored: ${file.ignored.join(', ')}`] : []),
    ...body,
    ...problemsText(p),
    'Dry run: nothing was written.',
  ].join('\n');
}
