// The real command a team lead types, as a separate process: `npm run -s tally -- ...`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../support/db.js';

const run = promisify(execFile);

describe('tally command', () => {
  it('imports the examples and prints the month ranking and payroll as JSON', async () => {
    const env = { ...process.env, DATABASE_URL: await freshDatabaseUrl(), TALLY_NOW: '2026-11-05T10:00:00+08:00' };
    const tally = (...args: string[]) => run('node', ['bin/tally.mjs', ...args], { env });
    await tally('roster', 'import', 'examples/roster.csv');
    const imported = await tally('metrics', 'import', 'examples/metrics.csv');
    expect(imported.stdout).toMatch(/Imported examples\/metrics\.csv: 695 rows for 12 members, 2026-09-01 to 2026-10-31\./);
    const rank = JSON.parse((await tally('rank', '--month', '2026-10', '--track', 'presales', '--json')).stdout);
    expect(rank.rows).toHaveLength(8);
    const pay = await run('npm', ['run', '-s', 'tally', '--', 'payroll', '--month', '2026-10', '--json'], { env });
    expect(JSON.parse(pay.stdout).rows).toHaveLength(15);
  });

  it('exits 1 with one line on stderr for bad input, 2 for a usage error', async () => {
    const env = { ...process.env, DATABASE_URL: await freshDatabaseUrl(), TALLY_NOW: '2026-11-05T10:00:00+08:00' };
    const bad = await run('node', ['bin/tally.mjs', 'rank', '--month', '2026-13'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: "2026-13" is not a month (YYYY-MM)\n');
    const usage = await run('node', ['bin/tally.mjs', 'penalty', 'add', 'U1'], { env }).catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--by <slack_id>' not specified/);
    const badNow = await run('node', ['bin/tally.mjs', 'rank', '--month', '2026-10'], { env: { ...env, TALLY_NOW: 'tomorrow' } }).catch((e) => e);
    expect(badNow.code).toBe(1);
    expect(badNow.stderr).toMatch(/^error: TALLY_NOW: TALLY_NOW must be ISO 8601/);
  });
});
