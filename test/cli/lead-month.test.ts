// The README's "A lead's month", run as written: every command of its `sh` blocks goes through the CLI
// on a fresh database, with the environment the walk-through exports, and every line its `text`
// blocks show must be in what the commands of the block before printed. So the walk-through cannot
// drift from what Tally does.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type MonthListJson, type PayrollJson, type PenaltyListJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { blocksUnder } from '../support/markdown.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = blocksUnder(README, "A lead's month");

/** A command line's words as a shell reads them: quotes group words, an unquoted # starts a comment. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    if (m[3]?.startsWith('#')) break;
    out.push(m[1] ?? m[2] ?? m[3]!);
  }
  return out;
}

interface Step {
  commands: string[][];
  shows: string[];
}

/** The walk-through's environment (`export NAME=value`) and its steps: a block of commands, then what they print. */
function walkThrough(): { env: Record<string, string>; steps: Step[] } {
  const env: Record<string, string> = {};
  const steps: Step[] = [];
  for (const block of blocks) {
    if (block.lang === 'sh') {
      const commands: string[][] = [];
      for (const line of block.lines) {
        const w = words(line);
        if (w.length === 0 || w[0] === 'alias') continue;
        if (w[0] === 'export') {
          const [name, value] = w[1]!.split(/=(.*)/s) as [string, string];
          env[name] = value;
          continue;
        }
        // anything else would be a command nobody checks
        expect(w[0], `a walk-through line runs tally: ${line}`).toBe('tally');
        commands.push(w.slice(1));
      }
      if (commands.length) steps.push({ commands, shows: [] });
    } else if (block.lang === 'text') {
      expect(steps.length, 'a text block follows the commands it shows').toBeGreaterThan(0);
      steps.at(-1)!.shows.push(...block.lines.filter((l) => l.trim() !== ''));
    }
  }
  return { env, steps };
}

const { env, steps } = walkThrough();
const dir = mkdtempSync(join(tmpdir(), 'tally-lead-month-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

beforeAll(async () => {
  db = await freshDatabase();
  // the walk-through's own database is this test's fresh one; the rest of its environment as exported
  const { DATABASE_URL: _ours, ...rest } = env;
  tally = cliOn(db, rest);
});
afterAll(() => db.close());

describe("the README's walk-through, a lead's month", () => {
  it('sets the day it happens on and a database of its own', () => {
    expect(env.TALLY_NOW).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(env.DATABASE_URL).toBeDefined();
    expect(steps.length).toBeGreaterThanOrEqual(7);
  });

  it('runs every command as written and prints what it shows', async () => {
    for (const step of steps) {
      let printed = '';
      for (const argv of step.commands) {
        // a file the walk-through writes goes to a directory of the test's own, named as written in what it prints
        const written = argv.map((a, i) => (argv[i - 1] === '--xlsx' ? join(dir, a) : a));
        const r = await tally(...written);
        expect(r.code, `tally ${argv.join(' ')}\n${r.err}`).toBe(0);
        printed += `${r.out.split(dir + '/').join('')}\n`;
      }
      const lines = printed.split('\n').map((l) => l.trimEnd());
      for (const shown of step.shows) {
        expect(
          lines.some((l) => l.includes(shown.trimEnd())),
          `"${shown}" in the output of ${step.commands.map((c) => c[0]).join(', ')}:\n${printed}`,
        ).toBe(true);
      }
    }
  });

  it('leaves the month closed, the penalty standing after its rejected appeal, and the payroll in fen', async () => {
    const months = (await tally('month', 'list', '--json')).json<MonthListJson>();
    expect(months.months.find((m) => m.month === '2026-10')?.state).toBe('closed');
    const penalties = (await tally('penalty', 'list', '--month', '2026-10', '--json')).json<PenaltyListJson>();
    expect(penalties.penalties.map((p) => [p.id, p.status])).toEqual([[1, 'active']]);
    const pay = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    expect(pay.rows).toHaveLength(15);
    const wu = pay.rows.find((r) => r.slackId === 'U00001008')!;
    expect(wu).toMatchObject({ penaltyFen: 5000, awardFen: 20000, streak: 2, rank: 1 });
    expect(wu.totalFen).toBe(
      wu.baseFen + wu.performanceFen + wu.commissionFen + wu.awardFen + wu.mealFen - wu.penaltyFen,
    );
    expect(pay.rows.reduce((s, r) => s + r.totalFen, 0)).toBe(6_143_976);
    expect(existsSync(join(dir, 'payroll-2026-10.xlsx'))).toBe(true);
  });
});
