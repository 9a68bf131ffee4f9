// Promotions in Slack end to end: the monthly run on January 1st sends the leads the review with each
// candidate's 6 months and Approve / Decline; the daily run asks them to confirm a trainee whose
// probation ended; clicks arrive as signed requests at the real Bolt receiver; /myscore and App Home
// show the level, the next level and the trend.
import type { KnownBlock } from '@slack/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Level, Role } from '../../src/core/policy.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { runJob } from '../../src/jobs/run.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { buttonsOf, SlackHarness, textOf } from '../support/slack.js';

const JAN = '2027-01-01T10:00:00+08:00';
let db: Database;
let slack: SlackHarness;
let n = 0;

async function member(slackId: string, name: string, hiredOn: string, level: Level, role: Role = 'agent') {
  const m = await db.prisma.member.create({
    data: { slackId, name, track: 'presales', level, role, hiredOn: fromDay(hiredOn) },
  });
  return m.id;
}

async function months(id: number, service: number) {
  for (const month of ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'])
    await db.prisma.dailyMetric.create({
      data: {
        memberId: id,
        day: fromDay(`${month}-10`),
        inquiries: 100,
        paidCustomers: 20,
        receptions: 100,
        gmvFen: 1_000_000n,
        refundCustomers: 2,
        serviceScore: service,
      },
    });
}

beforeAll(async () => {
  db = await freshDatabase();
  await member('U0LEAD001', 'Lena', '2025-01-01', 'lead', 'lead');
  await months(await member('U0AMY0001', 'Amy', '2025-06-01', 'regular'), 100);
  await months(await member('U0DAN0001', 'Dan', '2025-06-01', 'regular'), 100);
  await months(await member('U0BOB0001', 'Bob', '2025-06-01', 'regular'), 20);
  await member('U0TIA0001', 'Tia', '2026-11-15', 'trainee');
  slack = await new SlackHarness(tallyOn(db, JAN)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});
afterEach(() => expect(slack.fake.problems).toEqual([]));

const mark = () => slack.fake.calls.length;
const dmsTo = (user: string, after: number) =>
  slack.fake.calls.slice(after).filter((c) => c.method === 'chat.postMessage' && c.body.channel === user);
const queued = async (channel: string, key: string) => {
  const row = await db.prisma.outbox.findFirstOrThrow({ where: { channel, key: { contains: key } } });
  return row.payload as unknown as { text: string; blocks: KnownBlock[] };
};
const click = (user: string, actionId: string, value: string, message?: { text: string; blocks: KnownBlock[] }) =>
  slack.interact({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: user },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-${++n}`,
    ...(message ? { container: { type: 'message', channel_id: 'D0LEAD', message_ts: '1.2' }, message } : {}),
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: String(n) }],
  });
const submitDecline = (user: string, metadata: string, why: string) =>
  slack.submitText(user, {
    callbackId: 'promotion_decline_submit',
    privateMetadata: metadata,
    block: 'promotion_why',
    value: why,
  });

describe('the review on January 1st', () => {
  let review: { text: string; blocks: KnownBlock[] };

  it("sends each lead the candidates with their 6 months and Approve / Decline, in the team's language", async () => {
    const t = tallyOn(db, JAN);
    const r = await runJob(t, 'monthly', '2026-12', { owner: 'test' });
    expect(r.status).toBe('done');
    review = await queued('U0LEAD001', ':review:2027-01:');
    const text = textOf(review.blocks);
    expect(text).toMatch(/2027年1月晋升评审/);
    expect(text).toMatch(/<@U0AMY0001> 正式 → \*资深\* · 任正式 19 个月 · 6 个月平均 \*100\* 分/);
    expect(text).toMatch(/7月 100 第1\/3 · 8月 100 第1\/3/);
    expect(text).not.toMatch(/U0BOB0001/);
    expect(buttonsOf(review.blocks).map((b) => b.text.text)).toEqual(['批准', '不批准', '批准', '不批准']);
  });

  it('an agent pressing Approve is refused, and nothing is written', async () => {
    const approve = buttonsOf(review.blocks).find((b) => b.action_id === 'promotion_approve')!;
    const at = mark();
    await click('U0BOB0001', 'promotion_approve', approve.value!);
    const [refusal] = await slack.fake
      .waitFor(() => dmsTo('U0BOB0001', at).length > 0)
      .then(() => dmsTo('U0BOB0001', at));
    expect(textOf(refusal!.body.blocks)).toMatch(/只有组长、主管或管理员可以审批晋升/);
    expect(await db.prisma.promotionDecision.count()).toBe(0);
  });

  it("a lead's Approve tells the agent, gives the lead a receipt and takes the buttons off that candidate", async () => {
    const approve = buttonsOf(review.blocks).find(
      (b) => b.action_id === 'promotion_approve' && b.value!.includes('U0AMY0001'),
    )!;
    const at = mark();
    await click('U0LEAD001', 'promotion_approve', approve.value!, review);
    await slack.fake.waitFor(() => dmsTo('U0LEAD001', at).length > 0);
    const [told] = dmsTo('U0AMY0001', at);
    expect(textOf(told!.body.blocks)).toMatch(/<@U0LEAD001> 批准你晋升为\*资深\*，2027-02-01 起生效/);
    expect(textOf(dmsTo('U0LEAD001', at)[0]!.body.blocks)).toMatch(/已完成：<@U0AMY0001> 2027-02-01 起为资深/);
    const [update] = slack.fake.calls.slice(at).filter((c) => c.method === 'chat.update');
    expect(textOf(update!.body.blocks)).toMatch(/<@U0LEAD001> 已批准，2027-02-01 起生效/);
    // Dan's buttons are still there
    expect(buttonsOf(update!.body.blocks).map((b) => b.value)).toEqual([
      expect.stringContaining('U0DAN0001'),
      expect.stringContaining('U0DAN0001'),
    ]);
    expect(await db.prisma.auditLog.count({ where: { action: 'promotion.approve' } })).toBe(1);
  });

  it('a second click does nothing: the agent hears nothing more, the clicker is told who decided', async () => {
    const approve = buttonsOf(review.blocks).find(
      (b) => b.action_id === 'promotion_approve' && b.value!.includes('U0AMY0001'),
    )!;
    const at = mark();
    await click('U0LEAD001', 'promotion_approve', approve.value!);
    await slack.fake.waitFor(() => dmsTo('U0LEAD001', at).length > 0);
    expect(textOf(dmsTo('U0LEAD001', at)[0]!.body.blocks)).toMatch(/已由 <@U0LEAD001> 批准，本次操作未做任何更改/);
    expect(dmsTo('U0AMY0001', at)).toEqual([]);
    expect(await db.prisma.promotionDecision.count()).toBe(1);
  });

  it('Decline asks for a reason in a modal; the agent reads it', async () => {
    const decline = buttonsOf(review.blocks).find(
      (b) => b.action_id === 'promotion_decline' && b.value!.includes('U0DAN0001'),
    )!;
    let at = mark();
    await click('U0LEAD001', 'promotion_decline', decline.value!);
    const [modal] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= at);
    const metadata = modal!.body.view!.private_metadata!;
    const empty = await submitDecline('U0LEAD001', metadata, ' ');
    expect(JSON.parse(empty.text)).toMatchObject({
      response_action: 'errors',
      errors: { promotion_why: expect.stringMatching(/请写明不批准的原因/) },
    });
    at = mark();
    await submitDecline('U0LEAD001', metadata, '售后经验还不够');
    await slack.fake.waitFor(() => dmsTo('U0DAN0001', at).length > 0);
    expect(textOf(dmsTo('U0DAN0001', at)[0]!.body.blocks)).toMatch(
      /你这次晋升资深未获批准（<@U0LEAD001>）[\s\S]*售后经验还不够/,
    );
    const d = await db.prisma.promotionDecision.findFirstOrThrow({ where: { decision: 'declined' } });
    expect(d).toMatchObject({ month: '2027-01', why: '售后经验还不够', decidedBy: 'U0LEAD001' });
  });
});

describe('probation', () => {
  it('the daily run asks the leads to confirm a trainee whose probation ended; Confirm makes them regular from the 1st', async () => {
    const t = tallyOn(db, JAN);
    await runJob(t, 'daily', '2026-12-31', { owner: 'test', force: true });
    const prompt = await queued('U0LEAD001', 'probation:U0TIA0001:2026-12-15');
    expect(textOf(prompt.blocks)).toMatch(/<@U0TIA0001> 的试用期已于 2026-12-15 结束（2026-11-15 起为见习）/);
    const confirm = buttonsOf(prompt.blocks).find((b) => b.action_id === 'probation_confirm')!;
    const at = mark();
    await click('U0LEAD001', 'probation_confirm', confirm.value!, prompt);
    await slack.fake.waitFor(() => dmsTo('U0TIA0001', at).length > 0);
    expect(textOf(dmsTo('U0TIA0001', at)[0]!.body.blocks)).toMatch(/<@U0LEAD001> 确认你 2027-02-01 起转为\*正式\*客服/);
    // asked once: the next daily run does not ask again
    await runJob(t, 'daily', '2027-01-01', { owner: 'test', force: true });
    expect(await db.prisma.outbox.count({ where: { key: { startsWith: 'probation:U0TIA0001' } } })).toBe(1);
  });
});

describe('/myscore and App Home', () => {
  it('/myscore shows the level, what the next level needs and the last 6 months as a trend', async () => {
    const { reply } = await slack.command('U0BOB0001', '/myscore', '');
    const text = textOf(reply.body.blocks);
    expect(text).toMatch(/\*级别\*：正式，19 个月（2025-06-01 起）/);
    expect(text).toMatch(/\*下一级\*：资深：任正式满 3 个月 ✓，平均分 72 < 80 ✗，1月评审/);
    expect(text).toMatch(/\*近 6 个月\* `▄▄▄▄▄▄`/);
    expect(text).toMatch(/12月 72 第3\/3/);
  });

  it('App Home shows the same', async () => {
    const at = mark();
    await slack.event({ type: 'app_home_opened', user: 'U0AMY0001', tab: 'home', channel: 'D1' });
    const [pub] = await slack.fake.waitFor((c) => c.method === 'views.publish' && slack.fake.calls.indexOf(c) >= at);
    expect(textOf(pub!.body.view!.blocks)).toMatch(/\*级别\*：正式[\s\S]*\*近 6 个月\* `▄▄▄▄▄▄`/);
  });
});
