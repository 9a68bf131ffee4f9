// Runs `tally` commands in-process on one open database, capturing what a terminal would show.
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';

export type * from './cli-json.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
  /** stdout byte for byte, files included */
  raw: string;
  /** stdout as JSON: name its shape (`json<PayrollJson>()`, test/support/cli-json.ts) to read fields */
  json<T = unknown>(): T;
}

export function cliOn(db: Database, env: Record<string, string> = {}) {
  return async (...argv: string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    let raw = '';
    const io = {
      out: (s: string) => {
        out.push(s);
        raw += `${s}\n`;
      },
      write: (s: string) => {
        out.push(s);
        raw += s;
      },
      err: (s: string) => err.push(s),
      env: { TALLY_NOW: '2026-11-05T10:00:00+08:00', ...env },
    };
    const code = await runCli(argv, io, db);
    const text = out.join('\n');
    return { code, out: text, err: err.join('\n'), raw, json: <T>() => JSON.parse(text) as T };
  };
}
