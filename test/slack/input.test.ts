// Input Slack delivers that Tally used to take wrongly, and appeals under pressure, end to end:
// signed requests into the real Bolt receiver, the real WebClient talking to the fake Slack.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';
import { setPolicy } from '../../src/service/policy.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { SlackHarness, textOf, type Call } from '../support/slack.js';

const LEAD = 'U0LEAD001';
const SUPER = 'U0SUPER01';
const AGENT = 'U00001008';
const OTHER = 'U00001002';
const NOW = '2026-11-05T10:00:00+08:00';

let db: Database;
let slack: SlackHarness;
const harnesses: SlackHarness[] = [];

async function demo(): Promise<Database> {
  const d = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, d);
  return d;
}

async function harness(at = NOW, on = db): Promise<SlackHarness> {
  const h = await new SlackHarness(tallyOn(on, at)).start();
  harnesses.push(h);
  return h;
}

beforeAll(async () => {
  db = await demo();
  slack = await harness();
});
afterAll(async () => {
  for (const h of harnesses) await h.stop();
  await db.close();
});
afterEach(() => {
  for (const h of harnesses) expect(h.fake.problems).toEqual([]);
});

const counts = async () => ({
  penalties: await db.prisma.penalty.count(),
  appeals: await db.prisma.appeal.count(),
  audit: await db.prisma.auditLog.count(),
});
const mark = () => slack.fake.calls.length;
const after = (at: number, match: (c: Call) => boolean) => slack.fake.calls.slice(at).filter(match);
const dmsTo = (user: string, at: number) =>
  after(at, (c) => c.method === 'chat.postMessage' && c.body.channel === user);
const APOLOGY = /抱歉，系统出了点问题/;

/** A refusal: one ephemeral line, nothing written, nobody messaged. */
async function refused(user: string, command: string, text: string, h = slack): Promise<string> {
  const before = await counts();
  const at = h.fake.calls.length;
  const r = await h.command(user, command, text);
  expect(r.status).toBe(200);
  expect(r.reply.body.response_type).toBe('ephemeral');
  expect(r.reply.body.blocks).toHaveLength(1);
  expect(await counts()).toEqual(before);
  expect(h.fake.calls.slice(at).filter((c) => c.method === 'chat.postMessage' || c.method === 'views.open')).toEqual(
    [],
  );
  return textOf(r.reply.body.blocks);
}

const click = (user: string, actionId: string, value: string, h = slack) =>
  h.interact({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: user },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-${actionId}-${value}`,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
  });
const submit = (user: string, callbackId: string, privateMetadata: string, comment: string, viewId = 'V1') =>
  slack.submitText(user, {
    callbackId: callbackId,
    privateMetadata: privateMetadata,
    block: 'appeal_comment',
    value: comment,
    id: viewId,
  });

describe('/penalty text', () => {
  it('refuses a 40,000-character text in one line before parsing it', async () => {
    const text = await refused(LEAD, '/penalty', '<@U1|'.repeat(8000));
    expect(text).toBe(':no_entry_sign: 命令有 40000 个字，最多 5000 个，请缩短原因。');
  });

  it("records 2026/11/3, 2026/11/5 and 2026-11-4 as the penalty's date, not as its note", async () => {
    for (const [written, day] of [
      ['2026/11/3', '2026-11-03'],
      ['2026/11/5', '2026-11-05'],
      ['2026-11-4', '2026-11-04'],
    ] as const) {
      const r = await slack.command(LEAD, '/penalty', `<@${AGENT}|x> buck_passing ${written}`);
      const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
      expect(p.occurredOn.toISOString().slice(0, 10)).toBe(day);
      expect(p.reason).not.toContain(written);
      expect(textOf(r.reply.body.blocks)).toContain(`日期 ${day}`);
    }
  });

  it('refuses a day-first or month-first date as ambiguous', async () => {
    expect(await refused(LEAD, '/penalty', `<@${AGENT}|x> buck_passing 10/05/2026`)).toBe(
      ':no_entry_sign: "10/05/2026" 看不出哪个是日、哪个是月，请把年份写在前面，例如 2026-11-05。',
    );
  });

  it('refuses two amounts in one line instead of keeping the second in the reason', async () => {
    expect(await refused(LEAD, '/penalty', `<@${AGENT}|x> broke the headset ¥50 ¥60`)).toBe(
      ':no_entry_sign: 只能写一个金额："¥50" 和 "¥60" 是两个。',
    );
  });
});

describe('/myscore and /leaderboard periods', () => {
  it('refuses a month or a day after the current one', async () => {
    expect(await refused(AGENT, '/myscore', '2099-01')).toBe(':no_entry_sign: 2099-01 还没开始（本月是 2026-11）。');
    expect(await refused(AGENT, '/myscore', '2026-12')).toMatch(/2026-12 还没开始/);
    expect(await refused(AGENT, '/myscore', '2026-11-06')).toMatch(/2026-11-06 是未来的日期/);
    expect(await refused(AGENT, '/leaderboard', '2026-12 presales')).toMatch(/2026-12 还没开始/);
    expect(await refused(AGENT, '/leaderboard', '2099/1')).toMatch(/2099-01 还没开始/);
    expect(textOf((await slack.command(AGENT, '/myscore', '2026-11')).reply.body.blocks)).toMatch(/绩效，2026-11/);
  });

  it("takes the current month in the team's time zone, not the server's", async () => {
    // 2026-11-30 16:30 UTC is already 1 December in Shanghai
    const december = await harness('2026-11-30T16:30:00Z');
    expect(textOf((await december.command(AGENT, '/myscore', '2026-12')).reply.body.blocks)).toMatch(/绩效，2026-12/);
    expect(textOf((await december.command(AGENT, '/leaderboard', '2026-12')).reply.body.blocks)).toMatch(
      /2026-12 排行榜/,
    );
    expect(await refused(AGENT, '/myscore', '2026-12-02', december)).toMatch(/是未来的日期（今天是 2026-12-01）/);
    // an hour earlier it is still 30 November there
    const november = await harness('2026-11-30T15:30:00Z');
    expect(await refused(AGENT, '/myscore', '2026-12', november)).toMatch(/2026-12 还没开始（本月是 2026-11）/);
  });
});

describe('appeals', () => {
  async function penaltyFor(agent: string, rule = 'personal_chat'): Promise<number> {
    await slack.command(LEAD, '/penalty', `<@${agent}|x> ${rule} 2026-11-04`);
    return (await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
  }

  /** Files an appeal and waits for its DMs, so they are not mistaken for later ones. */
  async function fileAppealFor(agent: string, penaltyId: number): Promise<void> {
    const at = mark();
    await submit(agent, 'appeal_submit', JSON.stringify({ penaltyId }), 'not me');
    await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === agent && slack.fake.calls.indexOf(c) >= at,
    );
    await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === SUPER && slack.fake.calls.indexOf(c) >= at,
    );
  }

  it('six appeal modals submitted at once: one appeal, five "already appealed" lines, no apology', async () => {
    // six Appeal clicks open six modals (six view ids); the same body sent twice is a replay (requests.test.ts)
    const id = await penaltyFor(AGENT);
    const at = mark();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        submit(AGENT, 'appeal_submit', JSON.stringify({ penaltyId: id }), 'I was serving a customer', `V${i + 1}`),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const errors = responses.filter((r) => r.text).map((r) => JSON.parse(r.text).errors.appeal_comment);
    expect(errors).toEqual(Array(5).fill(`:no_entry_sign: 你已经对处罚 #${id} 提出过申诉。`));
    expect(await db.prisma.appeal.count({ where: { penaltyId: id } })).toBe(1);
    await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === SUPER && slack.fake.calls.indexOf(c) >= at,
    );
    const toAgent = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= at,
    );
    expect(toAgent.map((c) => c.body.text)).toEqual([`你对处罚 #${id} 的申诉已提交，结果会在这里通知你。`]);
    expect(after(at, (c) => APOLOGY.test(c.body.text ?? ''))).toEqual([]);
    // pressing Appeal again is refused before a modal opens
    const again = mark();
    await click(AGENT, 'appeal_open', String(id));
    const [line] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= again,
    );
    expect(line!.body.text).toBe(`:no_entry_sign: 你已经对处罚 #${id} 提出过申诉。`);
    expect(after(again, (c) => c.method === 'views.open')).toEqual([]);
  });

  it('revoking a penalty closes its waiting appeal and tells the agent once; deciding it is then refused with who revoked it', async () => {
    const id = await penaltyFor(OTHER);
    await fileAppealFor(OTHER, id);
    const appeal = await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: id } });
    let at = mark();
    await slack.command(LEAD, '/penalty', `revoke ${id} wrong agent`);
    const [dm] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === OTHER && slack.fake.calls.indexOf(c) >= at,
    );
    expect(dm!.body.text).toBe(`<@${LEAD}> 撤销了你的处罚 #${id}：wrong agent\n你对它的申诉随之关闭，无需再处理。`);

    // the supervisor still has Accept in their DM: pressing it opens nothing
    at = mark();
    await click(SUPER, 'appeal_accept_penalty', String(id));
    const [line] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === SUPER && slack.fake.calls.indexOf(c) >= at,
    );
    expect(line!.body.text).toBe(`:no_entry_sign: 处罚 #${id} 已被 <@${LEAD}> 撤销，它的申诉已关闭。`);
    // a decision modal opened before the revoke is refused on submit
    const late = await submit(SUPER, 'appeal_decide', JSON.stringify({ penaltyId: id, accept: true }), 'agreed');
    expect(JSON.parse(late.text).errors.appeal_comment).toBe(
      `:no_entry_sign: 处罚 #${id} 已被 <@${LEAD}> 撤销，它的申诉已关闭。`,
    );
    expect(after(at, (c) => c.method === 'views.open')).toEqual([]);
    expect(dmsTo(OTHER, at)).toEqual([]);
    expect(
      await db.prisma.auditLog.count({
        where: { action: 'penalty.revoke', detail: { path: ['penaltyId'], equals: id } },
      }),
    ).toBe(1);
    expect((await db.prisma.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).status).toBe('closed');
  });

  it('an Accept click crafted by an agent opens no modal: one line says who may decide', async () => {
    const id = await penaltyFor(OTHER, 'named_complaint');
    await fileAppealFor(OTHER, id);
    const appeal = await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: id } });
    const at = mark();
    expect((await click(AGENT, 'appeal_accept_penalty', String(id))).status).toBe(200);
    const [line] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= at,
    );
    expect(line!.body.text).toBe(':no_entry_sign: 只有组长、主管或管理员可以处理申诉。');
    expect(after(at, (c) => c.method === 'views.open')).toEqual([]);
    expect((await db.prisma.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).status).toBe('pending');
  });

  it('an Accept button or decision form sent before appeals were named by their penalty still decides the right one', async () => {
    await penaltyFor(AGENT, 'buck_passing');
    const id = await penaltyFor(OTHER, 'buck_passing');
    await fileAppealFor(OTHER, id);
    const appeal = await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: id } });
    expect(appeal.id).not.toBe(id);
    const at = mark();
    // the old buttons carried the appeal's own id
    await click(SUPER, 'appeal_accept', String(appeal.id));
    const [open] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= at);
    expect(JSON.parse(open!.body.view!.private_metadata!)).toEqual({ penaltyId: id, accept: true });
    const old = await submit(SUPER, 'appeal_decide', JSON.stringify({ appealId: appeal.id, accept: false }), 'no');
    expect(old.text).toBe('');
    expect((await db.prisma.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).status).toBe('rejected');
  });

  it('acks a modal with damaged private_metadata and refuses it in one line; a damaged button value opens nothing', async () => {
    const before = await counts();
    for (const meta of ['not json{', 'null', '[1]', '{"penaltyId":"1 OR 1=1"}']) {
      const r = await submit(AGENT, 'appeal_submit', meta, 'not me');
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text)).toEqual({
        response_action: 'errors',
        errors: { appeal_comment: ':no_entry_sign: 这个按钮或表单已失效，请从消息里重新打开。' },
      });
    }
    const decide = await submit(SUPER, 'appeal_decide', '{', 'agreed');
    expect(JSON.parse(decide.text).errors.appeal_comment).toMatch(/这个按钮或表单已失效/);
    const at = mark();
    expect((await click(AGENT, 'appeal_open', 'abc')).status).toBe(200);
    const [line] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= at,
    );
    expect(line!.body.text).toBe(':no_entry_sign: 这个按钮或表单已失效，请从消息里重新打开。');
    expect(after(at, (c) => c.method === 'views.open')).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});

describe('an English-speaking team', () => {
  let en: Database;
  let h: SlackHarness;
  beforeAll(async () => {
    en = await demo();
    await setPolicy(tallyOn(en), { locale: 'en' }, { from: '2026-11-01', by: 'cli', backdate: true });
    h = await harness(NOW, en);
  });
  afterAll(() => en.close());

  it('shows what was typed in a refusal as text: no links, no @channel', async () => {
    const link = textOf(
      (await h.command(LEAD, '/penalty', `<@${AGENT}|x> rude ¥5&lt;http://evil.example|click&gt;`)).reply.body.blocks,
    );
    expect(link).toBe(
      ':no_entry_sign: "¥5&lt;http://evil.example|click&gt;" is not an amount: write it like ¥50 or ¥35.50.',
    );
    const channel = textOf(
      (await h.command(LEAD, '/penalty', `<@${AGENT}|x> rude ¥5 ¥&lt;!channel&gt;`)).reply.body.blocks,
    );
    expect(channel).toBe(':no_entry_sign: Give one amount: "¥5" and "¥&lt;!channel&gt;" are two.');
    expect(await en.prisma.penalty.count()).toBe(0);
  });

  it('says the new refusals in English', async () => {
    expect(textOf((await h.command(AGENT, '/myscore', '2099-01')).reply.body.blocks)).toBe(
      ':no_entry_sign: 2099-01 has not begun (this month is 2026-11).',
    );
    expect(textOf((await h.command(LEAD, '/penalty', `<@${AGENT}|x> buck_passing 10/05/2026`)).reply.body.blocks)).toBe(
      ':no_entry_sign: "10/05/2026" could be day-first or month-first: write the year first, like 2026-11-05.',
    );
    expect(textOf((await h.command(LEAD, '/penalty', 'x'.repeat(5001))).reply.body.blocks)).toBe(
      ':no_entry_sign: That command is 5001 characters long; at most 5000. Shorten the reason.',
    );
  });
});
