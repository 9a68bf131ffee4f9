// A usage mistake (a command written wrong) exits 2 with the usage hint; a value that is wrong exits 1
// with one line; neither opens the database.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';

async function tally(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
    // a database that cannot open: none of these commands may get as far as opening it
    env: { TALLY_NOW: '2026-11-05T10:00:00+08:00', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('usage mistakes exit 2', () => {
  const mistakes: Array<[string, string[], RegExp]> = [
    ['rank with two periods', ['rank', '--day', '2026-10-05', '--month', '2026-10'], /not both/],
    // (rank and payroll without one take the last finished month: test/cli/lists.test.ts)
    [
      'score without a period',
      ['score', 'U00001001'],
      /^error: say which period: --day YYYY-MM-DD or --month YYYY-MM$/m,
    ],
    ['score with two periods', ['score', 'U00001001', '--day', '2026-10-05', '--month', '2026-10'], /not both/],
    [
      'payroll as JSON and CSV at once',
      ['payroll', '--month', '2026-10', '--json', '--csv'],
      /--csv.*--json|--json.*--csv/,
    ],
    [
      'a job that does not exist',
      ['jobs', 'run', 'weekly'],
      /^error: "weekly" is not a job: daily, provisional or monthly$/m,
    ],
    ['an unknown command', ['rnak'], /unknown command 'rnak'/],
    ['a missing required option', ['penalty', 'add', 'U1', 'buck_passing'], /required option '--by <slack_id>'/],
  ];
  for (const [what, argv, message] of mistakes) {
    it(`${what}: exit 2, the mistake and the usage hint on stderr`, async () => {
      const r = await tally(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/\(run with --help for usage\)$/);
      expect(r.out).toBe('');
    });
  }
});

describe('bad values exit 1', () => {
  const refusals: Array<[string, string[], string]> = [
    ['a month that does not exist', ['rank', '--month', '2026-13'], 'error: "2026-13" is not a month (YYYY-MM)'],
    [
      'a day that does not exist',
      ['score', 'U1', '--day', '2026-02-30'],
      'error: "2026-02-30" is not a date that exists (YYYY-MM-DD)',
    ],
    [
      'a track that does not exist',
      ['rank', '--month', '2026-10', '--track', 'warehouse'],
      'error: --track "warehouse": use presales or aftersales',
    ],
    [
      'an amount that is not one',
      ['penalty', 'add', 'U1', 'x', '--by', 'U2', '--amount', '5.555'],
      'error: --amount "5.555": write an amount in yuan of 0 or more with at most 2 decimals, like 50 or 35.50',
    ],
  ];
  for (const [what, argv, line] of refusals) {
    it(`${what}: exit 1, one line`, async () => {
      const r = await tally(...argv);
      expect({ code: r.code, err: r.err }).toEqual({ code: 1, err: line });
    });
  }
});
