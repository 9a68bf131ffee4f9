// Runs `tally` commands in-process on one open database, capturing what a terminal would show.
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
  json<T = any>(): T;
}

export function cliOn(db: Database, env: Record<string, string> = {}) {
  return async (...argv: string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: { TALLY_NOW: '2026-11-05T10:00:00+08:00', ...env } }, db);
    const text = out.join('\n');
    return { code, out: text, err: err.join('\n'), json: () => JSON.parse(text) };
  };
}
