// App Home for staff shows each month's state, end to end: the app_home_opened event through the
// real receiver, the view as the fake Slack receives it (checked against Block Kit's limits).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { freezeFinishedMonths } from '../../src/jobs/freeze.js';
import { setPolicy } from '../../src/service/policy.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { SlackHarness, textOf } from '../support/slack.js';

const NOW = '2026-11-05T10:00:00+08:00';
const LEAD = 'U0LEAD001';
const AGENT = 'U00001008';
const ADMIN = 'U0ADMIN01';

let db: Database;
let slack: SlackHarness;

/** The home tab `who` gets when they open it. */
async function home(who: string): Promise<string> {
  const at = slack.fake.calls.length;
  await slack.event({ type: 'app_home_opened', user: who, tab: 'home', channel: 'D1' });
  const [pub] = await slack.fake.waitFor(
    (c) => c.method === 'views.publish' && slack.fake.calls.indexOf(c) >= at && c.body.user_id === who,
  );
  return textOf(pub!.body.view!.blocks);
}

beforeAll(async () => {
  db = await freshDatabase();
  const tally = cliOn(db, { TALLY_NOW: NOW });
  expect((await tally('demo')).code).toBe(0);
  const roster = join(mkdtempSync(join(tmpdir(), 'tally-home-')), 'admin.csv');
  writeFileSync(
    roster,
    `slack_id,name,track,level,hired_on,role\n${ADMIN},钱管理,presales,supervisor,2020-01-01,admin\n`,
  );
  expect((await tally('roster', 'import', roster)).code).toBe(0);
  // September frozen by the bot's catch-up, October closed and posted by its monthly run, then reopened
  expect(await freezeFinishedMonths(tallyOn(db, NOW), { by: 'scheduler', keepLatest: true })).toEqual(['2026-09']);
  expect((await tally('jobs', 'run', 'monthly', '--period', '2026-10')).code).toBe(0);
  expect((await tally('month', 'reopen', '2026-10', '--why', 'late refund', '--by', ADMIN)).code).toBe(0);
  expect((await tally('penalty', 'add', AGENT, 'buck_passing', '--on', '2026-11-03', '--by', LEAD)).code).toBe(0);
  slack = await new SlackHarness(tallyOn(db, NOW)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});
afterEach(() => expect(slack.fake.problems).toEqual([]));

describe('App Home', () => {
  it("shows a lead each month's state: when it closes, who closed or reopened it and when, whether it was posted", async () => {
    const text = await home(LEAD);
    expect(text).toContain(
      [
        '月份结算',
        '*2026-11* · 未结算 · 2026-12-03 09:00 结算',
        '*2026-10* · 已重新打开 2026-11-05 10:00（<@U0ADMIN01>）· 结果已发布',
        '*2026-09* · 已结算 2026-11-05 10:00（定时任务）· 结果未发布',
      ].join('\n'),
    );
  });

  it('shows an agent no months', async () => {
    expect(await home(AGENT)).not.toContain('月份结算');
  });

  it("speaks the team's language", async () => {
    await setPolicy(tallyOn(db, NOW), { locale: 'en' }, { from: '2026-11-01', by: 'cli', backdate: true });
    expect(await home(LEAD)).toContain(
      [
        'Months',
        '*2026-11* · open · closes 2026-12-03 09:00',
        '*2026-10* · reopened 2026-11-05 10:00 by <@U0ADMIN01> · posted',
        '*2026-09* · closed 2026-11-05 10:00 by schedule · not posted',
      ].join('\n'),
    );
  });
});
