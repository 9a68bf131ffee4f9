// TALLY_NOW fixes the business clock: only an instant written as ISO 8601 with its offset (or Z) is
// taken; anything else (a date the server would read in its own zone) is refused in one line, by the
// CLI and by the bot alike.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { clockFromEnv } from '../src/clock.js';
import { cliRefusal } from '../src/cli/text.js';
import { readEnv } from '../src/config.js';
import { freshDatabaseUrl } from './support/db.js';

const run = promisify(execFile);

/** The one line an operator reads for a TALLY_NOW, or null when it is taken. */
function refusal(value: string): string | null {
  try {
    readEnv({ TALLY_NOW: value });
    return null;
  } catch (e) {
    return cliRefusal(e);
  }
}

const BAD = [
  // contains a "z" (the old check took any z for Zulu), read in the server's zone
  'Nov 30 2026 23:00:00 (Shanghai zone)',
  'tomorrow',
  'Mon, 30 Nov 2026 15:00:00 GMT',
  // no offset: the server's zone again
  '2026-11-30T23:00:00',
  '2026-11-30',
  // not ISO 8601's own forms
  '2026-11-30 23:00:00+08:00',
  '2026-11-30T23:00:00+0800',
  '2026-11-30t15:00:00z',
  '2026/11/30T23:00:00+08:00',
  '2026-11-30T23:00:00+08:00 (Shanghai)',
  // no such moment: Date.parse would read February 30th as March 2nd
  '2026-02-30T10:00:00Z',
  '2026-11-30T24:00:00Z',
  '2026-11-30T23:60:00+08:00',
  '2026-11-30T23:00:00+25:00',
];

const GOOD: Array<[string, string]> = [
  ['2026-11-30T23:00:00+08:00', '2026-11-30T15:00:00.000Z'],
  ['2026-11-30T15:00:00Z', '2026-11-30T15:00:00.000Z'],
  ['2026-11-30T15:00:00.250Z', '2026-11-30T15:00:00.250Z'],
  ['2026-11-30T23:00:00.5+08:00', '2026-11-30T15:00:00.500Z'],
  // minutes are precision enough (ISO 8601's hh:mm)
  ['2026-11-30T23:00+08:00', '2026-11-30T15:00:00.000Z'],
  ['2026-11-30T10:00:00-05:00', '2026-11-30T15:00:00.000Z'],
  ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
];

describe('TALLY_NOW', () => {
  it.each(BAD)('refuses %j in one line', (value) => {
    const line = refusal(value);
    expect(line).toBe(
      `TALLY_NOW: ${JSON.stringify(value)} is not ISO 8601 with an offset or Z: write it like 2026-11-30T23:00:00+08:00 or 2026-11-30T15:00:00Z`,
    );
  });

  it.each(GOOD)('takes %j as the moment %s', (value, iso) => {
    expect(refusal(value)).toBeNull();
    expect(
      clockFromEnv(readEnv({ TALLY_NOW: value }).TALLY_NOW)
        .now()
        .toISOString(),
    ).toBe(iso);
  });

  it('is refused with one line and exit 1 by the tally command and by the bot, before anything opens', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: await freshDatabaseUrl(),
      TALLY_NOW: 'Nov 30 2026 23:00:00 (Shanghai zone)',
    };
    const line = `error: TALLY_NOW: "Nov 30 2026 23:00:00 (Shanghai zone)" is not ISO 8601 with an offset or Z: write it like 2026-11-30T23:00:00+08:00 or 2026-11-30T15:00:00Z\n`;
    const cli = await run('node', ['bin/tally.mjs', 'rank', '--month', '2026-10'], { env }).catch((e) => e);
    expect({ code: cli.code, stderr: cli.stderr, stdout: cli.stdout }).toEqual({ code: 1, stderr: line, stdout: '' });
    // the bot in HTTP mode: refused at start, never listening
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...env, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret-secret', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    bot.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise((resolve) => bot.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 1, stderr: line });
  });
});
