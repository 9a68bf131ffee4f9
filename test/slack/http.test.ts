// Tally's Slack app end to end without Slack: signed requests into the real Bolt HTTP receiver, the
// real WebClient talking to a fake Web API. The team's language is the default, zh-CN.
import type { PlainTextElement } from '@slack/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { buttonsOf, ofType, sign, SlackHarness, textOf } from '../support/slack.js';

const LEAD = 'U0LEAD001';
const SUPER = 'U0SUPER01';
const AGENT = 'U00001008';
const OTHER = 'U00001002';

let db: Database;
let slack: SlackHarness;

beforeAll(async () => {
  db = await freshDatabase();
  await runCli(
    ['demo'],
    { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } },
    db,
  );
  slack = await new SlackHarness(tallyOn(db)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});
afterEach(() => {
  // every message and view Tally sent in the test stayed within Slack's limits
  expect(slack.fake.problems).toEqual([]);
});

const counts = async () => ({
  penalties: await db.prisma.penalty.count(),
  revoked: await db.prisma.penalty.count({ where: { status: 'revoked' } }),
  appeals: await db.prisma.appeal.count(),
});
const dmsTo = (user: string, after: number) =>
  slack.fake.calls.slice(after).filter((c) => c.method === 'chat.postMessage' && c.body.channel === user);
const mark = () => slack.fake.calls.length;

describe('requests Slack did not sign', () => {
  it('refuses a forged signature and a stale timestamp, and runs nothing', async () => {
    const before = mark();
    const body = new URLSearchParams({
      command: '/penalty',
      text: `<@${AGENT}|x> buck_passing`,
      user_id: LEAD,
      response_url: slack.fake.responseUrl('forged'),
      trigger_id: 't',
    }).toString();
    const forged = await slack.send(
      body,
      'application/x-www-form-urlencoded',
      sign(body, undefined, 'not-the-secret-at-all'),
    );
    expect(forged.status).toBe(401);
    const stale = await slack.send(
      body,
      'application/x-www-form-urlencoded',
      sign(body, Math.floor(Date.now() / 1000) - 6 * 60),
    );
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    // (Bolt's own auth.test at start-up may land in this window; nothing else may)
    expect(slack.fake.calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect((await counts()).penalties).toBe(0);
  });
});

describe('/penalty', () => {
  it('records a rule penalty: the lead sees the id, the agent gets a DM with an Appeal button', async () => {
    const before = mark();
    const r = await slack.command(LEAD, '/penalty', `<@${AGENT}|吴晨> buck_passing ignored a customer at 10:32`);
    expect(r.status).toBe(200);
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(p).toMatchObject({ ruleCode: 'buck_passing', amountFen: 5000, reason: 'ignored a customer at 10:32' });
    expect(r.reply.body.response_type).toBe('ephemeral');
    expect(textOf(r.reply.body.blocks)).toMatch(
      new RegExp(`已记录处罚 \\*#${p.id}\\*.*踢皮球（buck_passing）.*¥50\\.00`),
    );
    const [dm] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= before,
    );
    const button = buttonsOf(dm!.body.blocks)[0];
    expect(button).toMatchObject({ action_id: 'appeal_open', value: String(p.id) });
    expect(textOf(dm!.body.blocks)).toContain('ignored a customer at 10:32');
  });

  it('says which occurrence it is and what it triggered: the 4th buck passing forfeits the commission', async () => {
    for (const d of ['2026-11-01', '2026-11-02']) await slack.command(LEAD, '/penalty', `<@${AGENT}|x> 踢皮球 ${d}`);
    const r = await slack.command(LEAD, '/penalty', `<@${AGENT}|x> buck passing 2026-11-03`);
    const text = textOf(r.reply.body.blocks);
    expect(text).toContain('2026年11月第 4 次踢皮球（buck_passing）');
    expect(text).toMatch(/提成全部扣除/);
  });

  it('adds the loss to an order change, takes a free reason with an amount, and alerts supervisors at ¥500', async () => {
    const loss = await slack.command(LEAD, '/penalty', `<@${OTHER}|x> order_change_missed 地址没改 loss ¥35.50`);
    expect(textOf(loss.reply.body.blocks)).toContain('¥55.50');
    const before = mark();
    const big = await slack.command(LEAD, '/penalty', `<@${OTHER}|x> store_deduction 差评导致扣分`);
    expect(textOf(big.reply.body.blocks)).toContain('¥500.00');
    const [alert] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === SUPER && slack.fake.calls.indexOf(c) >= before,
    );
    expect(textOf(alert!.body.blocks)).toMatch(/store_deduction.*¥500\.00/);
    const free = await slack.command(LEAD, '/penalty', `<@${OTHER}|x> broke the headset ¥80`);
    expect(textOf(free.reply.body.blocks)).toMatch(/自由原因.*¥80\.00/);
  });

  it('shows SQL and Slack markup in a reason verbatim, escaped, and stores it as typed', async () => {
    const reason = "'; DROP TABLE penalty; -- <!channel> <@U0SUPER01> *bold*";
    const before = mark();
    const r = await slack.command(
      LEAD,
      '/penalty',
      `<@${OTHER}|x> buck_passing ${reason.replace('<@U0SUPER01>', '&lt;@U0SUPER01&gt;').replace('<!channel>', '&lt;!channel&gt;')}`,
    );
    expect(r.status).toBe(200);
    const stored = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(stored.reason).toBe(reason);
    const [dm] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === OTHER && slack.fake.calls.indexOf(c) >= before,
    );
    const quoted = dm!.body
      .blocks!.filter(ofType('context'))
      .map((b) => b.elements[0])
      .find((e): e is PlainTextElement => e?.type === 'plain_text');
    expect(quoted!.text).toBe(stored.reason);
    expect(dm!.body.text).not.toMatch(/<!channel>|<@U0SUPER01>/);
    expect(await db.prisma.penalty.count()).toBeGreaterThan(0);
  });

  it('records a reason holding U+0000 or a bidi mark without them (PostgreSQL stores no U+0000)', async () => {
    const before = mark();
    const r = await slack.command(LEAD, '/penalty', `<@${OTHER}|x> broke\u0000 the \u202Eheadset ¥80`);
    expect(textOf(r.reply.body.blocks)).toContain('自由原因「broke the headset」');
    expect((await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).reason).toBe('broke the headset');
    const [dm] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === OTHER && slack.fake.calls.indexOf(c) >= before,
    );
    expect(JSON.stringify(dm!.body)).not.toMatch(/\\u0000|\\u202e|\u202E/i);
  });

  const refusals: Array<[string, string, string, RegExp]> = [
    ['a missing mention', LEAD, 'buck_passing', /请@一位客服/],
    ['several mentions', LEAD, `<@${AGENT}|a> <@${OTHER}|b> buck_passing`, /一次只能处罚一个人/],
    ['a channel', LEAD, '<#C123|general> buck_passing', /这是频道/],
    ['a user not on the roster', LEAD, '<@U999999|ghost> buck_passing', /<@U999999> 不在花名册上/],
    ['a caller not on the roster', 'U777777', `<@${AGENT}|a> buck_passing`, /<@U777777> 不在花名册上/],
    ['an agent penalising', OTHER, `<@${AGENT}|a> buck_passing`, /只有组长、主管或管理员/],
    ['penalising oneself', LEAD, `<@${LEAD}|me> buck_passing`, /不能处罚自己/],
    ['an unknown rule', LEAD, `<@${AGENT}|a> buck_pasing`, /没有这条规则："buck_pasing"/],
    ['an amount with letters', LEAD, `<@${AGENT}|a> rude ¥5x`, /金额写法不对/],
    ['a zero amount', LEAD, `<@${AGENT}|a> rude ¥0`, /金额写法不对/],
    ['an amount over ¥100,000', LEAD, `<@${AGENT}|a> rude ¥100001`, /超过单笔上限 ¥100,000\.00/],
    ['a 4,000-character reason', LEAD, `<@${AGENT}|a> ${'很'.repeat(4000)} ¥5`, /原因有 4000 个字，最多 500 个/],
    ['a date in the future', LEAD, `<@${AGENT}|a> buck_passing 2026-11-06`, /2026-11-06 是未来的日期/],
    ['a malformed date', LEAD, `<@${AGENT}|a> buck_passing 2026-02-30`, /"2026-02-30" 不是有效日期/],
    ['revoking a missing id', LEAD, 'revoke 99999 wrong', /没有编号为 #99999 的处罚/],
    ['revoking nothing', LEAD, 'revoke abc wrong', /没有编号为 #abc 的处罚/],
  ];
  for (const [what, user, text, message] of refusals) {
    it(`refuses ${what} in one ephemeral line and writes nothing`, async () => {
      const before = await counts();
      const calls = mark();
      const r = await slack.command(user, '/penalty', text);
      expect(r.reply.body.response_type).toBe('ephemeral');
      expect(r.reply.body.blocks).toHaveLength(1);
      expect(textOf(r.reply.body.blocks)).toMatch(message);
      expect(await counts()).toEqual(before);
      expect(slack.fake.calls.slice(calls).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    });
  }

  it('revokes with a reason, tells the agent, and refuses a second revoke', async () => {
    const p = await db.prisma.penalty.findFirstOrThrow({
      where: { member: { slackId: OTHER }, status: 'active' },
      orderBy: { id: 'asc' },
    });
    const before = mark();
    const r = await slack.command(SUPER, '/penalty', `revoke ${p.id} customer was served by 王`);
    expect(textOf(r.reply.body.blocks)).toContain(`处罚 #${p.id}`);
    expect((await db.prisma.penalty.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('revoked');
    expect(dmsTo(OTHER, before).length).toBe(1);
    const again = await slack.command(SUPER, '/penalty', `revoke ${p.id} again`);
    expect(textOf(again.reply.body.blocks)).toContain(`处罚 #${p.id} 已被撤销`);
  });

  it('lists, shows the rules and help', async () => {
    const list = await slack.command(LEAD, '/penalty', `list <@${AGENT}|x> 2026-11`);
    expect(textOf(list.reply.body.blocks)).toMatch(/#\d+ 2026-11-0\d 踢皮球/);
    const mine = await slack.command(AGENT, '/penalty', 'list');
    expect(textOf(mine.reply.body.blocks)).toContain(`<@${AGENT}>`);
    const theirs = await slack.command(AGENT, '/penalty', `list <@${OTHER}|x>`);
    expect(textOf(theirs.reply.body.blocks)).toMatch(/只有组长、主管或管理员/);
    const rules = await slack.command(AGENT, '/penalty', 'rules');
    expect(textOf(rules.reply.body.blocks)).toMatch(/踢皮球（buck_passing）.*¥50\.00/);
    expect(textOf((await slack.command(AGENT, '/penalty', 'help')).reply.body.blocks)).toContain('/penalty 撤销');
  });

  it('opens a rule picker instead of guessing when the reason has no amount, and records the chosen rule', async () => {
    const before = mark();
    const body = new URLSearchParams({
      command: '/penalty',
      text: `<@${AGENT}|x> 客户等了十分钟`,
      user_id: LEAD,
      response_url: slack.fake.responseUrl('pick'),
      trigger_id: 'trigger-pick',
      team_id: 'T1',
      api_app_id: 'A1',
    }).toString();
    expect((await slack.send(body)).status).toBe(200);
    const [open] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= before);
    expect(open!.body.trigger_id).toBe('trigger-pick');
    const view = open!.body.view!;
    expect(view.callback_id).toBe('penalty_pick');
    const penalties = await db.prisma.penalty.count();
    const submit = await slack.interact({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: LEAD },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 't2',
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'penalty_pick',
        private_metadata: view.private_metadata,
        state: {
          values: {
            pick_rule: { value: { type: 'static_select', selected_option: { value: 'personal_chat' } } },
            pick_amount: { value: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });
    expect(submit.status).toBe(200);
    await slack.fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === AGENT &&
        slack.fake.calls.indexOf(c) > slack.fake.calls.indexOf(open!),
    );
    expect(await db.prisma.penalty.count()).toBe(penalties + 1);
    expect((await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).ruleCode).toBe('personal_chat');
  });
});

describe('/myscore and /leaderboard', () => {
  it('shows the caller their own month with the KPI breakdown and projected pay', async () => {
    const r = await slack.command(AGENT, '/myscore', '2026-10');
    const text = textOf(r.reply.body.blocks);
    expect(text).toMatch(/绩效，2026-10/);
    expect(text).toMatch(/售前排名 \*\d+\* \/ 8/);
    expect(text).toMatch(/询单转化率 · [\d.]+% · [\d.]+% · \*[\d.]+\*\/30/);
    expect(text).toMatch(/合计\n\*¥[\d,]+\.\d\d\*/);
  });

  it('lets a lead see anyone, and an agent only themselves', async () => {
    expect(textOf((await slack.command(LEAD, '/myscore', `<@${OTHER}|x> 2026-10`)).reply.body.blocks)).toContain(
      `<@${OTHER}> 的绩效`,
    );
    const refused = await slack.command(AGENT, '/myscore', `<@${OTHER}|x> 2026-10`);
    expect(textOf(refused.reply.body.blocks)).toMatch(/只有组长、主管或管理员/);
    expect(textOf((await slack.command('U777777', '/myscore', '')).reply.body.blocks)).toMatch(/不在花名册上/);
  });

  it('shows ranks and scores, never money or penalties', async () => {
    const r = await slack.command(AGENT, '/leaderboard', '2026-10 aftersales');
    const text = textOf(r.reply.body.blocks);
    expect(text).toMatch(/2026-10 排行榜，售后/);
    expect(text).toMatch(/🥇 .+ · \*[\d.]+\*/);
    expect(text).not.toMatch(/¥/);
  });
});

describe('appeals', () => {
  it('goes round: Appeal → comment → the lead accepts → the penalty is revoked and both are told', async () => {
    const rec = await slack.command(LEAD, '/penalty', `<@${OTHER}|x> named_complaint 差评`);
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(rec.status).toBe(200);
    let at = mark();
    const click = await slack.interact({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: OTHER },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 'trigger-appeal',
      actions: [{ type: 'button', action_id: 'appeal_open', block_id: 'appeal', value: String(p.id), action_ts: '1' }],
    });
    expect(click.status).toBe(200);
    const [modal] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= at);
    expect(modal!.body.view!.callback_id).toBe('appeal_submit');

    // an empty comment is refused inside the modal
    const empty = await slack.submitText(OTHER, {
      callbackId: 'appeal_submit',
      privateMetadata: modal!.body.view!.private_metadata,
      block: 'appeal_comment',
      value: '  ',
    });
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: 'errors',
      errors: { appeal_comment: expect.stringMatching(/请填写说明/) },
    });
    expect((await counts()).appeals).toBe(0);

    at = mark();
    const sent = await slack.interact({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: OTHER },
      api_app_id: 'A1',
      token: 'legacy',
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'appeal_submit',
        private_metadata: modal!.body.view!.private_metadata,
        state: {
          values: {
            appeal_comment: { value: { type: 'plain_text_input', value: 'the customer named the wrong agent' } },
          },
        },
      },
    });
    expect(sent.status).toBe(200);
    const [ask] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === LEAD && slack.fake.calls.indexOf(c) >= at,
    );
    await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === SUPER && slack.fake.calls.indexOf(c) >= at,
    );
    const accept = buttonsOf(ask!.body.blocks).find((e) => e.action_id === 'appeal_accept_penalty')!;
    expect(textOf(ask!.body.blocks)).toContain('the customer named the wrong agent');
    // the buttons name the penalty, as every message does, not the appeal's own id
    const appeal = await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: p.id } });
    expect(appeal.id).not.toBe(p.id);
    expect(accept.value).toBe(String(p.id));

    at = mark();
    await slack.interact({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: LEAD },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 'trigger-decide',
      actions: [
        { type: 'button', action_id: 'appeal_accept_penalty', block_id: 'a', value: accept.value, action_ts: '2' },
      ],
    });
    const [decide] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= at);
    at = mark();
    await slack.submitText(LEAD, {
      callbackId: 'appeal_decide',
      privateMetadata: decide!.body.view!.private_metadata,
      block: 'appeal_comment',
      value: 'checked the chat log',
    });
    const [outcome] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === OTHER && slack.fake.calls.indexOf(c) >= at,
    );
    expect(textOf(outcome!.body.blocks)).toMatch(/申诉已被 <@U0LEAD001> 通过，处罚已撤销[\s\S]*checked the chat log/);
    const [receipt] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === LEAD && slack.fake.calls.indexOf(c) >= at,
    );
    expect(receipt!.body.text).toBe(`处罚 #${p.id} 的申诉已通过，处罚已撤销。`);
    expect((await db.prisma.penalty.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('revoked');
    const trail = await db.prisma.auditLog.findMany({
      where: { action: { startsWith: 'appeal.' } },
      orderBy: { id: 'asc' },
    });
    expect(trail.map((a) => [a.action, a.actor])).toEqual([
      ['appeal.file', OTHER],
      ['appeal.accept', LEAD],
    ]);

    // the supervisor's buttons are now stale: a second decision is refused in the modal
    const late = await slack.submitText(SUPER, {
      callbackId: 'appeal_decide',
      privateMetadata: decide!.body.view!.private_metadata,
      block: 'appeal_comment',
      value: 'no',
    });
    expect(JSON.parse(late.text).errors.appeal_comment).toMatch(/已经处理过了/);
  });
});

describe('appeals, rejected', () => {
  it('keeps the penalty when a supervisor rejects, and tells the agent why', async () => {
    await slack.command(LEAD, '/penalty', `<@${AGENT}|x> personal_chat 2026-11-04`);
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const submit = (user: string, callback: string, meta: string, value: string) =>
      slack.interact({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: user },
        api_app_id: 'A1',
        token: 'legacy',
        view: {
          id: 'V9',
          type: 'modal',
          callback_id: callback,
          private_metadata: meta,
          state: { values: { appeal_comment: { value: { type: 'plain_text_input', value } } } },
        },
      });
    let at = mark();
    await submit(AGENT, 'appeal_submit', JSON.stringify({ penaltyId: p.id }), 'I was answering a customer');
    const [ask] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === SUPER && slack.fake.calls.indexOf(c) >= at,
    );
    const reject = buttonsOf(ask!.body.blocks).find((e) => e.action_id === 'appeal_reject_penalty')!;
    // an agent cannot decide appeals, even by forging the modal
    const forged = await submit(
      OTHER,
      'appeal_decide',
      JSON.stringify({ penaltyId: Number(reject.value), accept: true }),
      'sure',
    );
    expect(JSON.parse(forged.text).errors.appeal_comment).toMatch(/只有组长、主管或管理员/);
    at = mark();
    await submit(
      SUPER,
      'appeal_decide',
      JSON.stringify({ penaltyId: Number(reject.value), accept: false }),
      'the chat log shows a private chat',
    );
    const [outcome] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= at,
    );
    expect(textOf(outcome!.body.blocks)).toMatch(/申诉被 <@U0SUPER01> 驳回[\s\S]*the chat log shows a private chat/);
    expect((await db.prisma.penalty.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('active');
    expect((await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: p.id } })).status).toBe('rejected');
  });
});

describe('App Home', () => {
  it("publishes a lead's home with their month, pending appeals and the team's boards", async () => {
    const at = mark();
    expect((await slack.event({ type: 'app_home_opened', user: LEAD, tab: 'home', channel: 'D1' })).status).toBe(200);
    const [pub] = await slack.fake.waitFor((c) => c.method === 'views.publish' && slack.fake.calls.indexOf(c) >= at);
    expect(pub!.body.user_id).toBe(LEAD);
    expect(textOf(pub!.body.view!.blocks)).toMatch(/待你处理的申诉[\s\S]*团队[\s\S]*排行榜/);
  });
});

describe('failures', () => {
  it('acks before any work is done, answers a failure inside a handler with a short apology and logs it with context', async () => {
    // the handler's first database read (the policy) waits for the test: Slack's ack must not (its limit is 3 s, whatever the load)
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing = () => gate.then(() => Promise.reject(new Error('connection reset')));
    const broken = new SlackHarness({
      db: new Proxy(db.prisma, {
        get: (target, key) => (key === '$queryRawUnsafe' ? failing : Reflect.get(target, key)),
      }) as typeof db.prisma,
      clock: tallyOn(db).clock,
    });
    await broken.start();
    try {
      const c = broken.startCommand(AGENT, '/myscore', '');
      expect((await c.ack).status).toBe(200);
      expect(broken.fake.calls.filter((x) => x.respondId === c.id)).toEqual([]);
      release();
      const reply = await c.reply;
      expect(textOf(reply.body.blocks)).toBe('抱歉，系统出了点问题，已记录日志，请稍后再试。');
      expect(JSON.stringify(reply.body)).not.toMatch(/connection reset|at .*\.ts/);
      expect(broken.logs.find((l) => l.msg === 'slack handler failed')).toMatchObject({
        command: '/myscore',
        user: AGENT,
        err: { message: 'connection reset' },
      });
    } finally {
      await broken.stop();
    }
  });
});
