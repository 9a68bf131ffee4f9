// /myscore after a track change, end to end through the real Bolt receiver: a closed month and a day
// before the change read in the track they were scored in (it used to answer with the apology).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { SlackHarness, textOf } from '../support/slack.js';

const AGENT = 'U00001008';
let db: Database;
let slack: SlackHarness;

const cli = (...argv: string[]) =>
  runCli(argv, { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } }, db);

beforeAll(async () => {
  db = await freshDatabase();
  expect(await cli('demo')).toBe(0);
  expect(await cli('month', 'close', '2026-10')).toBe(0);
  // the agent moves from pre-sales to after-sales on the 1st of November
  expect(await cli('roster', 'set', AGENT, '--track', 'aftersales', '--from', '2026-11-01', '--by', 'U0LEAD001')).toBe(
    0,
  );
  slack = await new SlackHarness(tallyOn(db)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});

describe('/myscore after a track change', () => {
  it('shows a closed month before the change in the track it was frozen with', async () => {
    const text = textOf((await slack.command(AGENT, '/myscore', '2026-10')).reply.body.blocks);
    expect(text).toMatch(/绩效，2026-10/);
    expect(text).toMatch(/售前排名 \*\d+\* \/ \d+/);
    expect(text).toMatch(/询单转化率 · /);
    expect(text).not.toMatch(/抱歉/);
  });

  it('shows a day before the change in the old track too', async () => {
    const text = textOf((await slack.command(AGENT, '/myscore', '2026-10-15')).reply.body.blocks);
    expect(text).toMatch(/售前排名 \*\d+\* \/ \d+/);
    expect(text).not.toMatch(/抱歉/);
  });
});
