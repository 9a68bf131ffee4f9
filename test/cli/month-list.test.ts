// `month list`: each month that holds data or was ever closed, newest first, with its state, when it
// closed and by whom, whether its results were posted, and when an open month closes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { freezeFinishedMonths } from '../../src/jobs/freeze.js';
import { setPolicy } from '../../src/service/policy.js';
import {
  cliOn,
  type CliResult,
  type JobRunJson,
  type MonthCloseJson,
  type MonthListJson,
  type MonthStateJson,
} from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const ADMIN = 'U0ADMIN01';
let db: Database;
const dir = mkdtempSync(join(tmpdir(), 'tally-month-list-'));

/** `tally ...` at a moment of the team's calendar (Asia/Shanghai) */
const at =
  (now: string) =>
  (...argv: string[]): Promise<CliResult> =>
    cliOn(db, { TALLY_NOW: now })(...argv);
const tally = at('2026-11-05T10:00:00+08:00');

const months = async (run = tally) => {
  const r = await run('month', 'list', '--json');
  expect(r.code, r.err).toBe(0);
  return r.json<MonthListJson>().months;
};
const month = async (m: string, run = tally) => (await months(run)).find((x) => x.month === m);

const never = { closedAt: null, closedBy: null, reopenedAt: null, reopenedBy: null, reopenWhy: null };

beforeAll(async () => {
  db = await freshDatabase();
  expect((await tally('demo')).code).toBe(0);
  const roster = join(dir, 'admin.csv');
  writeFileSync(
    roster,
    'slack_id,name,track,level,hired_on,role\nU0ADMIN01,钱管理,presales,supervisor,2020-01-01,admin\n',
  );
  expect((await tally('roster', 'import', roster)).code).toBe(0);
});
afterAll(() => db.close());

describe('month list', () => {
  it('lists the months that hold data, newest first; an open month says the day it closes', async () => {
    // a penalty this month: November holds data too
    expect(
      (await tally('penalty', 'add', 'U00001008', 'buck_passing', '--on', '2026-11-03', '--by', 'U0LEAD001')).code,
    ).toBe(0);
    expect(await months()).toEqual<MonthStateJson[]>([
      { month: '2026-11', state: 'open', ...never, posted: false, closesOn: '2026-12-03' },
      { month: '2026-10', state: 'open', ...never, posted: false, closesOn: '2026-11-03' },
      { month: '2026-09', state: 'open', ...never, posted: false, closesOn: '2026-10-03' },
    ]);
    const text = await tally('month', 'list');
    expect(text.out).toMatch(/^月份 +状态 +时间 +操作人 +已发布 +结算时间\n/);
    expect(text.out).toMatch(/\n2026-11 +未结算 +否 +2026-12-03 09:00\n/);
    // the bot was not running on the 3rd: October is due
    expect(text.out).toMatch(/\n2026-10 +未结算 +否 +已到期（2026-11-03 09:00）\n/);
  });

  it('says who closed a month and when, in the team time zone; posted once a monthly run published it', async () => {
    expect((await tally('month', 'close', '2026-09', '--by', ADMIN)).code).toBe(0);
    expect(await month('2026-09')).toEqual<MonthStateJson>({
      month: '2026-09',
      state: 'closed',
      ...never,
      closedAt: '2026-11-05T10:00:00+08:00',
      closedBy: ADMIN,
      posted: false,
      closesOn: null,
    });
    const run = await at('2026-11-06T09:30:00+08:00')('jobs', 'run', 'monthly', '--period', '2026-10', '--json');
    expect(run.json<JobRunJson>()).toMatchObject({ period: '2026-10', status: 'done', correction: false });
    expect(await month('2026-10')).toEqual<MonthStateJson>({
      month: '2026-10',
      state: 'closed',
      ...never,
      closedAt: '2026-11-06T09:30:00+08:00',
      closedBy: 'cli',
      posted: true,
      closesOn: null,
    });
    const text = (await tally('month', 'list')).out;
    expect(text).toMatch(/\n2026-10 +已结算 +2026-11-06 09:30 +命令行 +是\n/);
    expect(text).toMatch(/\n2026-09 +已结算 +2026-11-05 10:00 +钱管理（U0ADMIN01） +否$/);
  });

  it('shows a reopened month with who reopened it and why; `jobs run monthly` closes it again and posts a correction', async () => {
    const reopen = await at('2026-11-07T11:00:00+08:00')(
      'month',
      'reopen',
      '2026-10',
      '--why',
      'late refund from Tmall',
      '--by',
      ADMIN,
    );
    expect(reopen.code, reopen.err).toBe(0);
    expect(await month('2026-10')).toEqual<MonthStateJson>({
      month: '2026-10',
      state: 'reopened',
      closedAt: '2026-11-06T09:30:00+08:00',
      closedBy: 'cli',
      reopenedAt: '2026-11-07T11:00:00+08:00',
      reopenedBy: ADMIN,
      reopenWhy: 'late refund from Tmall',
      posted: true,
      closesOn: null,
    });
    const text = (await tally('month', 'list')).out;
    expect(text).toMatch(/\n2026-10 +已重新打开 +2026-11-07 11:00 +钱管理（U0ADMIN01） +是\n/);
    expect(text).toMatch(/2026-10 已重新打开：late refund from Tmall。改完后重新结算：tally month close 2026-10/);

    const run = await at('2026-11-08T10:00:00+08:00')('jobs', 'run', 'monthly', '--period', '2026-10', '--json');
    expect(run.code, run.err).toBe(0);
    expect(run.json<JobRunJson>()).toMatchObject({ period: '2026-10#2', status: 'done', correction: true });
    expect(await month('2026-10')).toMatchObject({
      state: 'closed',
      closedAt: '2026-11-08T10:00:00+08:00',
      closedBy: 'cli',
      posted: true,
      reopenedAt: null,
    });
  });

  it('publishes a reopened month that was never posted as its results, not as a correction', async () => {
    await tally('month', 'reopen', '2026-09', '--why', 'a missed penalty', '--by', ADMIN);
    const run = await tally('jobs', 'run', 'monthly', '--period', '2026-09', '--json');
    expect(run.json<JobRunJson>()).toMatchObject({ status: 'done', correction: false });
    expect(await month('2026-09')).toMatchObject({ state: 'closed', posted: true });
    // and once published, a second run publishes nothing more
    expect((await tally('jobs', 'run', 'monthly', '--period', '2026-09', '--json')).json<JobRunJson>().status).toBe(
      'skipped',
    );
    // reopened and closed again by hand, it is now a correction of what was posted
    await tally('month', 'reopen', '2026-09', '--why', 'one more', '--by', ADMIN);
    const closed = await tally('month', 'close', '2026-09', '--by', ADMIN, '--json');
    expect(closed.json<MonthCloseJson>()).toMatchObject({ month: '2026-09', correction: '2026-09#3' });
  });

  it('names the schedule as the closer of a month the bot froze', async () => {
    expect(
      (await tally('penalty', 'add', 'U00001008', 'buck_passing', '--on', '2026-08-20', '--by', 'U0LEAD001')).code,
    ).toBe(0);
    // what the bot's catch-up does with an older month no run closed
    expect(await freezeFinishedMonths(tallyOn(db), { by: 'scheduler', keepLatest: true })).toEqual(['2026-08']);
    expect(await month('2026-08')).toMatchObject({ state: 'closed', closedBy: 'schedule', posted: false });
    expect((await months()).map((m) => m.month)).toEqual(['2026-11', '2026-10', '2026-09', '2026-08']);
  });

  it("speaks the team's language", async () => {
    await setPolicy(tallyOn(db), { locale: 'en' }, { from: '2026-08-01', by: 'cli', backdate: true });
    const text = (await tally('month', 'list')).out;
    expect(text).toMatch(/^Month +State +When +By +Posted +Closes\n/);
    expect(text).toMatch(/\n2026-11 +open +no +2026-12-03 09:00\n/);
    expect(text).toMatch(/\n2026-10 +closed +2026-11-08 10:00 +terminal +yes\n/);
    expect(text).toMatch(/\n2026-08 +closed +2026-11-05 10:00 +schedule +no\n?/);
    // only the names are Chinese
    expect(text.replace(/钱管理/g, '')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
