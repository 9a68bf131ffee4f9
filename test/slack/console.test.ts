// The local console says what Slack would say: typed on its stdin, answered on its stdout, on the
// demo team its first run loads. `tally say` runs the same lines one at a time.
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { setPolicy } from '../../src/service/policy.js';
import { runConsole, runLine } from '../../src/slack/console.js';
import type { SlackDeps } from '../../src/slack/context.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const NOW = '2026-11-20T10:00:00+08:00';
const LEAD = 'U0LEAD001';
const AGENT = 'U00001008'; // 吴晨
const TRAINEE = 'U00001004'; // 陈明

let db: Database;
let deps: SlackDeps;
/** what the console printed at its first start */
let firstRun = '';

/** Types the lines into a console session (as the first lead unless `/as` says otherwise); returns all it printed. */
async function typed(...lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString('utf8')));
  input.end(`${lines.join('\n')}\n/quit\n`);
  await runConsole(deps, { input, output, interactive: false });
  return out;
}

/** What one command line prints, as `tally say --as <who>` prints it. */
const say = async (who: string, line: string) => (await runLine(deps, who, line)).text;

const lastPenaltyId = async () => (await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;

beforeAll(async () => {
  db = await freshDatabase();
  deps = { tally: tallyOn(db, NOW), log: pino({ level: 'silent' }) };
  // the first run loads the demo team
  firstRun = await typed('/leaderboard');
  expect(firstRun).toMatch(/2026-09-01/);
});
afterAll(() => db.close());

describe('finished months', () => {
  it('are frozen at start, as the monthly job would: a penalty dated in one is refused', async () => {
    const closes = await db.prisma.monthClose.findMany({ orderBy: { month: 'asc' } });
    expect(closes.map((c) => [c.month, c.closedBy])).toEqual([
      ['2026-09', 'console'],
      ['2026-10', 'console'],
    ]);
    // and says so, one line a month, before the prompt; a second start has nothing left to freeze
    expect(firstRun).toMatch(
      /已结算 2026-09（该月已结束，此前从未结算）：结果按现在的数据固定。\n已结算 2026-10（该月已结束，此前从未结算）：结果按现在的数据固定。\nTally 本地控制台/,
    );
    expect(await typed('/who')).not.toMatch(/已结算 20/);
    expect(await say(LEAD, `/penalty <@${AGENT}> buck_passing 2026-10-15`)).toMatch(/2026-10 已结算/);
    expect(await db.prisma.penalty.count({ where: { occurredOn: fromDay('2026-10-15') } })).toBe(0);
  });
});

describe('the demo team', () => {
  it('is the team `tally demo` loads, with the same metrics, and has this month on the leaderboard', async () => {
    const other = await freshDatabase();
    try {
      expect((await cliOn(other, { TALLY_NOW: NOW })('demo')).code).toBe(0);
      const roster = (d: Database) =>
        d.prisma.member.findMany({
          orderBy: { slackId: 'asc' },
          select: { slackId: true, name: true, track: true, level: true, role: true, hiredOn: true },
        });
      expect(await roster(db)).toEqual(await roster(other));
      // `tally demo` loads examples/: September and October; the console goes on to yesterday
      const metrics = (d: Database) =>
        d.prisma.dailyMetric.findMany({
          where: { day: { lte: fromDay('2026-10-31') } },
          orderBy: [{ day: 'asc' }, { member: { slackId: 'asc' } }],
          omit: { memberId: true, importBatchId: true, updatedAt: true },
          include: { member: { select: { slackId: true } } },
        });
      const [here, there] = [await metrics(db), await metrics(other)];
      expect(here.length).toBeGreaterThan(600);
      expect(here).toEqual(there);
    } finally {
      await other.close();
    }
    const out = await say(LEAD, '/leaderboard presales');
    expect(out).toMatch(/== 2026-11 排行榜，售前 ==\n🥇 .+ · [\d.]+\n/);
    expect(out).not.toMatch(/还没有数据/);
  });
});

describe('/appeal in the console', () => {
  it('prints each refusal: no argument, a wrong id, no comment, a second appeal', async () => {
    await say(LEAD, `/penalty @${AGENT} personal_chat 2026-11-18`);
    const id = await lastPenaltyId();
    const out = await typed(
      `/as ${AGENT}`,
      '/appeal',
      '/appeal 99999 not me',
      `/appeal ${id}`,
      `/appeal ${id} I was answering a customer`,
      `/appeal ${id} once more`,
    );
    // each line's answer, in the order they were typed
    const answers = [
      '/appeal <处罚编号> <说明>',
      '没有编号为 #99999 的处罚',
      '请填写说明',
      `你对处罚 #${id} 的申诉已提交`,
      `你已经对处罚 #${id} 提出过申诉`,
    ].map((a) => out.indexOf(a));
    expect(answers.every((at) => at >= 0)).toBe(true);
    expect([...answers].sort((a, b) => a - b)).toEqual(answers);
    expect(await db.prisma.appeal.count({ where: { penaltyId: id } })).toBe(1);
  });
});

describe('a name that is not on the roster', () => {
  it('is refused as not on the roster, in the console and in say', async () => {
    const before = await db.prisma.penalty.count();
    const out = await typed('/penalty @王五 buck_passing');
    expect(out).toMatch(/花名册上没有叫 王五 的人/);
    expect(out).not.toMatch(/请@一位客服/);
    expect(await say(LEAD, '/penalty @王五 buck_passing')).toMatch(/花名册上没有叫 王五 的人/);
    expect(await db.prisma.penalty.count()).toBe(before);
  });
});

describe('the rule picker in the console', () => {
  it('offers every rule as a numbered list for a reason without an amount: pick by number', async () => {
    const out = await typed(`/penalty @${AGENT} 上班时间玩手机`, '2');
    expect(out).toMatch(/\n1\. .+（\w+） ¥[\d.,]+\n2\. /);
    const second = /\n2\. .+?（(\w+)） ¥/.exec(out)!;
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(p.ruleCode).toBe(second[1]);
    expect(p.reason).toBe('上班时间玩手机');
    expect(out).toMatch(new RegExp(`已记录处罚 \\*?#${p.id}`));
  });

  it('or takes an amount for a free reason, and says the reason back', async () => {
    const out = await typed(`/penalty @${AGENT} 摔坏耳机`, '¥30');
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(p).toMatchObject({ ruleCode: null, reason: '摔坏耳机', amountFen: 3000 });
    expect(out).toMatch(/已记录处罚 #\d+：@吴晨，自由原因「摔坏耳机」，¥30\.00，不扣分/);
  });

  it('shows the same list in say, and how to answer it there', async () => {
    const out = await say(LEAD, `/penalty @${AGENT} 摔坏耳机`);
    expect(out).toMatch(/1\. .+ ¥[\d.,]+\n/);
    expect(out).toMatch(/规则代码|金额/);
  });
});

describe('appeals are decided by the penalty id', () => {
  it('/accept <penalty id> decides the appeal of that penalty, whatever the appeal id', async () => {
    // two penalties, the second one appealed: its appeal id is not its penalty id
    await say(LEAD, `/penalty @${AGENT} buck_passing 2026-11-17`);
    await say(LEAD, `/penalty @${AGENT} named_complaint 2026-11-17`);
    const id = await lastPenaltyId();
    const filed = await say(AGENT, `/appeal ${id} the customer meant someone else`);
    expect(filed).toMatch(new RegExp(`\\[(通过（撤销处罚）|.*): \\w+ ${id}\\]`));
    const appeal = await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: id } });
    expect(appeal.id).not.toBe(id);
    const out = await say(LEAD, `/accept ${id} agreed`);
    expect(out).toMatch(new RegExp(`处罚 #${id} 的申诉已通过`));
    expect(out).not.toMatch(/申诉 #\d/);
    expect((await db.prisma.penalty.findUniqueOrThrow({ where: { id } })).status).toBe('revoked');
  });
});

describe('words a Chinese lead would write', () => {
  it("counts the month's occurrences in Chinese word order and does not repeat the rule as a note", async () => {
    const out = await say(LEAD, `/penalty @${AGENT} buck_passing 2026-11-19`);
    expect(out).toMatch(/2026年11月第 \d+ 次踢皮球/);
    expect(out).not.toMatch(/月踢皮球/);
    const dm = out.slice(out.indexOf('[DM to @吴晨]'));
    expect(dm.match(/踢皮球/g)).toHaveLength(1);
  });

  it('lists penalties without "-0" and shows a free reason by its reason', async () => {
    const out = await say(LEAD, `/penalty list @${AGENT}`);
    expect(out).not.toMatch(/-0\b/);
    expect(out).toMatch(/自由原因「摔坏耳机」 ¥30\.00/);
    expect(out).toMatch(/扣 2 分/);
  });

  it('says a zero-weight KPI is not scored, and why a trainee has no performance pay', async () => {
    const mine = await say(AGENT, '/myscore 2026-10');
    expect(mine).not.toMatch(/\/0\b/);
    expect(mine).toMatch(/平均响应时间 · [\d.]+s · [\d.]+s · 不计分/);
    expect(mine).not.toMatch(/见习/);
    const trainee = await say(TRAINEE, '/myscore 2026-10');
    expect(trainee).toMatch(/绩效: ¥0\.00/);
    expect(trainee).toMatch(/见习期没有绩效工资、提成和排名奖/);
  });
});

describe('an English team', () => {
  // last in this file: the team's language changes for the tests after it
  it('gets the same answers in English, with no Chinese but the names', async () => {
    await setPolicy(deps.tally, { locale: 'en' }, { from: '2026-11-01', by: 'cli', backdate: true });
    const recorded = await say(LEAD, `/penalty @${AGENT} buck_passing 2026-11-19`);
    expect(recorded).toMatch(/\d+(st|nd|rd|th) Buck passing \(buck_passing\) in 2026-11\./);
    const free = await typed(`/penalty @${AGENT} broke the headset`, '¥30');
    expect(free).toMatch(/Answer with the number of the rule/);
    expect(free).toMatch(/free reason "broke the headset", ¥30\.00, no points/);
    const rules = await say(LEAD, '/penalty rules');
    expect(rules).toMatch(/from the 4th on: the month's commission is forfeited/);
    const list = await say(LEAD, `/penalty list @${AGENT}`);
    expect(list).toMatch(/-2 points/);
    const score = await say(TRAINEE, '/myscore 2026-10');
    expect(score).toMatch(/not scored/);
    expect(score).toMatch(/Trainees get no performance pay/);
    const usage = await typed(`/as ${AGENT}`, '/appeal');
    expect(usage).toMatch(/Write it as \/appeal <penalty id> <comment>/);
    const names = /[周郑冯吴张李刘陈杨黄赵孙徐马][\u4e00-\u9fff]{1,2}/g;
    // the rules' aliases are words people may type, in either language
    const aliases = /^ {3}.*$/gm;
    // (the list holds the Chinese reasons the leads typed earlier in this file: their words, shown as typed)
    for (const out of [recorded, free, rules, score, usage])
      expect(out.replace(names, '').replace(aliases, '')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('a name an older database holds', () => {
  it('reaches the terminal without its escape sequences, bidi marks or line breaks', async () => {
    const before = await db.prisma.member.findUniqueOrThrow({ where: { slackId: AGENT } });
    await db.prisma.member.update({ where: { slackId: AGENT }, data: { name: 'Wu\x1b[2J\u202EChen\nX' } });
    try {
      const out = await typed('/who', '/leaderboard', `/as ${AGENT}`);
      // eslint-disable-next-line no-control-regex -- what a terminal would run, or turn around
      expect(out).not.toMatch(/[\x1b\u202E]/);
      expect(out).toMatch(new RegExp(`${AGENT}  Wu\\[2JChen X  `));
    } finally {
      await db.prisma.member.update({ where: { slackId: AGENT }, data: { name: before.name } });
    }
  });
});
