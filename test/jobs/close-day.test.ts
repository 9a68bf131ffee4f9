// Issue 19, point 1: a month closes on the policy's close day (schedule.closeOnDay, default the 3rd)
// at schedule.monthlyAt, not on the 1st before its last day's report is in. The 1st posts provisional
// standings; a late import on the 2nd is accepted; the 3rd closes it and publishes the final results,
// and the leads are told whose data for the month's last days is missing. The demo team, with a
// clock the test moves, through the bot's scheduler and the CLI as an operator types it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnownBlock } from '@slack/types';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { daysBetween, type Day } from '../../src/core/dates.js';
import type { Database } from '../../src/db/open.js';
import { jobsClient } from '../../src/jobs/client.js';
import { freezeFinishedMonths } from '../../src/jobs/freeze.js';
import { drainOutbox } from '../../src/jobs/outbox.js';
import { startScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import type { Tally } from '../../src/service/context.js';
import { setPolicy } from '../../src/service/policy.js';
import { cliOn, type JobRunJson, type JobsListJson, type MonthListJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';
import { FakeSlack, textOf, type Call } from '../support/slack.js';

const CHANNEL = 'C0TEAM01';
const STAFF = ['U0LEAD001', 'U0LEAD002', 'U0SUPER01'];
const LATE = 'U00001008'; // 吴晨: the one whose report for the 30th never comes
const HOUR = 3_600_000;
type Queued = { text: string; blocks: KnownBlock[] };
const log = pino({ level: 'silent' });
const fake = new FakeSlack();
const dir = mkdtempSync(join(tmpdir(), 'tally-close-day-'));
let db: Database;
let scheduler: Scheduler | null = null;

class MovableClock implements Clock {
  constructor(private at: Date) {}
  now = () => new Date(this.at.getTime());
  set(iso: string) {
    this.at = new Date(iso);
  }
}
const clock = new MovableClock(new Date('2026-11-30T22:00:00+08:00'));
const t = (): Tally => ({ db: db.prisma, clock, realClock: clock });
/** `tally ...` at the moment the test's clock says */
const tally = (...argv: string[]) => cliOn(db, { TALLY_NOW: clock.now().toISOString() })(...argv);
const start = () =>
  startScheduler(
    { tally: t(), log, client: jobsClient('xoxb-test', `${fake.url}/api/`) },
    { ticking: false, sendEveryMs: HOUR, catchUpEveryMs: HOUR },
  );
/** Sends what is queued to the fake Slack; returns what arrived. */
async function delivered(): Promise<Call[]> {
  const at = fake.calls.length;
  await drainOutbox(t(), jobsClient('xoxb-test', `${fake.url}/api/`), { log, paceMs: 0 });
  return fake.calls.slice(at);
}
const messages = (calls: Call[]) => calls.filter((c) => c.method === 'chat.postMessage');
const uploads = (calls: Call[]) => calls.filter((c) => c.method === 'files.completeUploadExternal');
/** The runs of the month jobs (the evening posts go on as ever) */
const runs = () =>
  db.prisma.jobRun.findMany({
    where: { job: { not: 'daily' } },
    select: { job: true, period: true, late: true, status: true },
    orderBy: { id: 'asc' },
  });
const closed = async (month: string) => (await db.prisma.monthClose.findUnique({ where: { month } })) !== null;

/** A metrics file for these days and agents, as the platform's report would give it. */
async function metricsFile(name: string, days: Day[], except: string[] = []): Promise<string> {
  const agents = await db.prisma.member.findMany({ where: { role: 'agent' }, orderBy: { slackId: 'asc' } });
  const lines = [
    'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec',
  ];
  for (const day of days)
    for (const a of agents) {
      if (except.includes(a.slackId)) continue;
      lines.push(
        a.track === 'presales'
          ? `${day},${a.slackId},50,${15 + (a.id % 7)},60,2000.00,0,,,85,40`
          : `${day},${a.slackId},,,80,,,30,${20 + (a.id % 9)},90,45`,
      );
    }
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  db = await freshDatabase();
  await fake.start();
  // the demo team, with data up to yesterday (the 29th): the 30th's report comes tomorrow morning
  expect((await tally('demo')).code).toBe(0);
  await setPolicy(t(), { schedule: { channel: CHANNEL } }, { from: '2026-09-01', by: 'cli', backdate: true });
  // the bot has run all along: October closed on 3 November (the catch-up does it here)
  await (await start()).stop();
  await delivered();
  scheduler = await start();
});
afterAll(async () => {
  await scheduler?.stop();
  await fake.stop();
  await db.close();
});

describe('a month that ends while the bot runs', () => {
  it('on the 1st at 09:00 posts provisional standings, no payslips, and tells the leads whose data is missing', async () => {
    expect(await closed('2026-10')).toBe(true);
    const before = (await runs()).length;
    clock.set('2026-12-01T08:59:00+08:00');
    await scheduler!.tick();
    expect((await runs()).length).toBe(before);
    clock.set('2026-12-01T09:00:00+08:00');
    await scheduler!.tick();
    expect((await runs()).slice(before)).toEqual([
      { job: 'provisional', period: '2026-11', late: false, status: 'done' },
    ]);
    // November is still open: nothing frozen, the late report can come in
    expect(await closed('2026-11')).toBe(false);

    const calls = await delivered();
    const post = messages(calls).filter((c) => c.body.channel === CHANNEL);
    expect(post).toHaveLength(1);
    expect(post[0]!.body.text).toBe('2026-11 暂定排名（未结算）');
    const board = textOf(post[0]!.body.blocks);
    expect(board).toContain(
      '暂定结果：最终排名、排名奖和工资条将于 12月3日 09:00 公布。在此之前导入的数据和记录的处罚都会计入。',
    );
    expect(board).toMatch(/\*2026-11 排行榜，售前\*\n1\. \S+ · \*\d+\.\d\d\*/);
    // no awards, no chart, no payslips, no payroll file
    expect(board).not.toMatch(/¥/);
    expect(uploads(calls)).toEqual([]);
    const dms = messages(calls).filter((c) => c.body.channel !== CHANNEL);
    expect(dms.map((c) => c.body.channel).sort()).toEqual(STAFF);
    // every agent's 30th is missing: the report for it arrives this morning
    const missing = textOf(dms[0]!.body.blocks);
    expect(missing).toMatch(/^:hourglass: 2026-11 月末（2026-11-28 至 2026-11-30）还缺以下客服的数据：\n/);
    expect(missing).toContain(`• <@${LATE}>：2026-11-30\n`);
    expect(missing.match(/^• /gm)).toHaveLength(12);
    expect(missing).toContain(
      '2026-11 将于 12月3日 09:00 结算，在此之前导入的数据都会计入（`tally metrics import <文件>`，或把文件发给我）。',
    );
  });

  it('accepts the late report on the 2nd, and says when each open month closes', async () => {
    clock.set('2026-12-02T10:15:00+08:00');
    const file = await metricsFile('2026-11-30.csv', ['2026-11-30'], [LATE]);
    const imported = await tally('metrics', 'import', file);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toMatch(/2026-11-30/);
    // the local console, which runs no scheduler, leaves November open too
    expect(await freezeFinishedMonths(t(), { by: 'console' })).toEqual([]);
    expect(await closed('2026-11')).toBe(false);

    const list = await tally('jobs', 'list');
    expect(list.out).toContain(
      [
        'When the open months close:',
        '  2026-11: provisional standings 2026-12-01 09:00, closes 2026-12-03 09:00',
        '  2026-12: provisional standings 2027-01-01 09:00, closes 2027-01-03 09:00',
      ].join('\n'),
    );
    expect((await tally('jobs', 'list', '--json')).json<JobsListJson>().closing).toEqual([
      {
        month: '2026-11',
        provisionalAt: '2026-12-01T09:00:00+08:00',
        closesAt: '2026-12-03T09:00:00+08:00',
        due: false,
      },
      {
        month: '2026-12',
        provisionalAt: '2027-01-01T09:00:00+08:00',
        closesAt: '2027-01-03T09:00:00+08:00',
        due: false,
      },
    ]);
    expect((await tally('month', 'list', '--json')).json<MonthListJson>().months[0]).toMatchObject({
      month: '2026-11',
      state: 'open',
      closesOn: '2026-12-03',
    });
    // by hand: the provisional standings went out once already
    expect((await tally('jobs', 'run', 'provisional')).out).toBe(
      'provisional 2026-11: skipped, it has run already, or is running in another process.',
    );
  });

  it('closes the month on the 3rd at 09:00: final results, awards, payslips, the payroll file, and who is still missing', async () => {
    const before = (await runs()).length;
    clock.set('2026-12-03T08:59:00+08:00');
    await scheduler!.tick();
    expect(await closed('2026-11')).toBe(false);
    clock.set('2026-12-03T09:00:00+08:00');
    await scheduler!.tick();
    expect((await runs()).slice(before)).toEqual([{ job: 'monthly', period: '2026-11', late: false, status: 'done' }]);
    expect(await db.prisma.monthClose.findUnique({ where: { month: '2026-11' } })).toMatchObject({
      closedBy: 'scheduler',
      closedAt: new Date('2026-12-03T09:00:00+08:00'),
    });

    const calls = await delivered();
    const post = messages(calls).find((c) => c.body.channel === CHANNEL && c.body.text === '2026-11 月度结果')!;
    expect(textOf(post.body.blocks)).toMatch(/<@U\w+>：(第 1 名|连续 \d+ 个月第一)，¥\d/);
    const dms = messages(calls).filter((c) => c.body.channel !== CHANNEL);
    const agents = (await db.prisma.member.findMany({ where: { role: 'agent', active: true } })).map((m) => m.slackId);
    for (const a of agents)
      expect(textOf(dms.find((c) => c.body.channel === a)?.body.blocks)).toContain('你的 2026-11 工资条');
    // each lead, supervisor and admin: the payroll report and file, and who is still missing
    for (const s of STAFF) {
      const mine = dms.filter((c) => c.body.channel === s).map((c) => textOf(c.body.blocks));
      expect(mine.some((m) => m.includes('2026-11 工资表'))).toBe(true);
      expect(mine.filter((m) => m.startsWith(':warning: 2026-11 已结算'))).toEqual([
        [
          ':warning: 2026-11 已结算，以下客服缺少月末（2026-11-28 至 2026-11-30）的数据：',
          `• <@${LATE}>：2026-11-30`,
          '他们的结果按已导入的数据计算。如需补录，请管理员重新打开该月（`tally month reopen 2026-11 --why <原因>`），导入文件后再结算。',
        ].join('\n'),
      ]);
    }
    expect(uploads(calls).length).toBeGreaterThanOrEqual(2 + STAFF.length); // a chart per track, and the payroll file

    // closed now: the missing report is refused until an admin reopens the month
    clock.set('2026-12-03T10:00:00+08:00');
    const late = await tally('metrics', 'import', await metricsFile('late.csv', ['2026-11-30']));
    expect(late.code).toBe(1);
    expect(late.err).toMatch(/2026-11/);
    const list = (await tally('jobs', 'list')).out;
    expect(list).toMatch(/monthly\s+2026-11\s+done/);
    expect(list).not.toMatch(/ {2}2026-11: /);
    expect(list).toContain('  2026-12: provisional standings 2027-01-01 09:00, closes 2027-01-03 09:00');
  });
});

describe('a bot that was down across the close day', () => {
  it('closes the month once when it starts, marked late, and posts no provisional standings after it', async () => {
    // December's reports, but for one agent's last day; the team reads English now
    await setPolicy(t(), { locale: 'en' }, { from: '2026-12-03', by: 'cli', backdate: true });
    clock.set('2026-12-31T22:00:00+08:00');
    const december = daysBetween('2026-12-01', '2026-12-31');
    expect((await tally('metrics', 'import', await metricsFile('december.csv', december.slice(0, -1)))).code).toBe(0);
    const last = await metricsFile('december-31.csv', [december.at(-1)!], ['U00001001']);
    expect((await tally('metrics', 'import', last)).code).toBe(0);
    await delivered();
    // down from the 31st until the 5th: the 1st and the close day (the 3rd) both passed
    await scheduler!.stop();
    scheduler = null;
    const before = (await runs()).length;
    const at = fake.calls.length;
    clock.set('2027-01-05T10:00:00+08:00');
    scheduler = await start();
    // what it caught up on is sent as it starts: stopped, it finishes sending; the rest is sent here
    await scheduler.stop();
    scheduler = null;
    expect((await runs()).slice(before)).toEqual([{ job: 'monthly', period: '2026-12', late: true, status: 'done' }]);
    expect(await closed('2026-12')).toBe(true);
    await delivered();
    const calls = fake.calls.slice(at);
    const channel = messages(calls).filter((c) => c.body.channel === CHANNEL);
    expect(channel.map((c) => c.body.text)).toEqual(['Results for 2026-12']);
    const missing = messages(calls)
      .filter((c) => c.body.channel === 'U0LEAD001')
      .map((c) => textOf(c.body.blocks))
      .filter((m) => m.startsWith(':warning:'));
    expect(missing).toEqual([
      [
        ":warning: 2026-12 is closed without data for the month's last days (2026-12-29 to 2026-12-31) from:",
        '• <@U00001001>: 2026-12-31',
        'Their results count what was imported. To add it, an admin reopens the month (`tally month reopen 2026-12 --why <reason>`), the file is imported, and the month is closed again.',
      ].join('\n'),
    ]);
    // the provisional standings of a month whose close is due are not posted, by hand either
    const run = await tally('jobs', 'run', 'provisional', '--period', '2026-12', '--json');
    expect(run.json<JobRunJson>()).toMatchObject({
      status: 'skipped',
      reason: 'the month is closed already: its results are final',
    });
  });
});

describe('the close day in the policy', () => {
  it('is a day of the month from 1 to 28, 3 unless set, also for a version stored before it existed', async () => {
    clock.set('2027-01-05T10:00:00+08:00');
    const policy = (doc: unknown) => {
      const file = join(dir, 'policy.json');
      writeFileSync(file, JSON.stringify(doc));
      return tally('policy', 'set', file, '--from', '2027-02-01');
    };
    for (const [value, problem] of [
      [29, 'a day of the month from 1 to 28: every month has it'],
      [0, 'a day of the month from 1 to 28'],
      [2.5, 'a day of the month from 1 to 28'],
      ['3', 'Invalid input: expected number, received string'],
    ] as const) {
      const r = await policy({ schedule: { closeOnDay: value } });
      expect({ code: r.code, err: r.err }).toEqual({ code: 1, err: `error: policy: schedule.closeOnDay: ${problem}` });
    }
    // a version stored before the setting existed closes on the 3rd, as the default says
    const stored = await db.prisma.policyVersion.findFirstOrThrow({ orderBy: { effectiveFrom: 'desc' } });
    const { closeOnDay, ...schedule } = (stored.policy as { schedule: { closeOnDay: number } }).schedule;
    expect(closeOnDay).toBe(3);
    await db.prisma.policyVersion.update({
      where: { id: stored.id },
      data: { policy: { ...(stored.policy as object), schedule } },
    });
    const shown = await tally('policy', 'show', '--json');
    expect(shown.json<{ schedule: { closeOnDay: number } }>().schedule.closeOnDay).toBe(3);
    expect((await tally('jobs', 'list')).out).toContain(
      '  2027-01: provisional standings 2027-02-01 09:00, closes 2027-02-03 09:00',
    );
    // from February on, months close on the 5th (the policy in force on the day says)
    expect((await policy({ schedule: { closeOnDay: 5 } })).code).toBe(0);
    clock.set('2027-02-01T10:00:00+08:00');
    expect((await tally('jobs', 'list')).out).toContain(
      '  2027-02: provisional standings 2027-03-01 09:00, closes 2027-03-05 09:00',
    );
    // and the 1st says so, in the team's language (English since December)
    const run = await tally('jobs', 'run', 'provisional', '--json');
    expect(run.json<JobRunJson>()).toMatchObject({ job: 'provisional', period: '2027-01', status: 'done' });
    // the JSON column holds the message as it was queued
    const queued = async (key: string) =>
      (await db.prisma.outbox.findUniqueOrThrow({ where: { key } })).payload as unknown as Queued;
    const post = await queued('provisional:2027-01:post');
    expect(post.text).toBe('Provisional standings for 2027-01 (not final)');
    expect(textOf(post.blocks)).toContain(
      ':hourglass_flowing_sand: Provisional: final results on 5 Feb at 09:00, with the awards and payslips. Data imported and penalties recorded before then still count.',
    );
    // nobody has sent January's last days yet
    const missing = textOf((await queued('provisional:2027-01:missing:U0LEAD001')).blocks);
    expect(missing).toMatch(
      /^:hourglass: 2027-01: no data yet for the month's last days \(2027-01-29 to 2027-01-31\) from:\n/,
    );
    expect(missing).toContain(`• <@${LATE}>: 2027-01-29, 2027-01-30, 2027-01-31\n`);
    expect(missing).toMatch(
      /\n2027-01 closes on 5 Feb at 09:00: what is imported before then counts \(`tally metrics import <file>`, or send me the file\)\.$/,
    );
  });
});
