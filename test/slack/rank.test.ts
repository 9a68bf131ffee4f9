// Issue 18, item 4: only someone of higher standing acts on a penalty (agent < lead < supervisor <
// admin). A lead penalising another lead is refused in one line and nothing is written; a supervisor
// may; and a supervisor's appeal goes to the admins only: the supervisor gets no Accept / Reject for
// it, nor does another supervisor. End to end: signed requests into the real Bolt receiver.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { waitingAppeals } from '../../src/service/appeals.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { buttonsOf, SlackHarness, textOf, type Call } from '../support/slack.js';

const ADMIN = 'U0ADMIN01';
const SUPER = 'U0SUPER01';
const SUPER2 = 'U0SUPER02';
const LEAD = 'U0LEAD001';
const LEAD2 = 'U0LEAD002';
const AGENT = 'U00001001';

let db: Database;
let slack: SlackHarness;
const dir = mkdtempSync(join(tmpdir(), 'tally-rank-'));

beforeAll(async () => {
  db = await freshDatabase();
  const path = join(dir, 'team.csv');
  writeFileSync(
    path,
    [
      'slack_id,name,track,level,hired_on,role',
      `${ADMIN},孙管理,presales,supervisor,2020-01-01,admin`,
      `${SUPER},周主管,presales,supervisor,2021-03-01,supervisor`,
      `${SUPER2},吴主管,aftersales,supervisor,2021-06-01,supervisor`,
      `${LEAD},郑组长,presales,lead,2022-05-16,lead`,
      `${LEAD2},冯组长,aftersales,lead,2022-08-01,lead`,
      `${AGENT},李超,presales,regular,2025-05-20,agent`,
      '',
    ].join('\n'),
  );
  const r = await cliOn(db)('roster', 'import', path);
  expect(r.code, r.err).toBe(0);
  slack = await new SlackHarness(tallyOn(db)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});
afterEach(() => {
  expect(slack.fake.problems).toEqual([]);
});

const mark = () => slack.fake.calls.length;
const since = (at: number, match: (c: Call) => boolean) => slack.fake.calls.slice(at).filter(match);
const dmsSince = (at: number) =>
  since(at, (c) => c.method === 'chat.postMessage' && String(c.body.channel).startsWith('U'));
const written = async () => ({
  penalties: await db.prisma.penalty.count(),
  appeals: await db.prisma.appeal.count(),
  audit: await db.prisma.auditLog.count(),
  drafts: await db.prisma.penaltyDraft.count(),
});

/** A /penalty refused: one ephemeral line, nothing written, no DM and no modal. */
async function refused(user: string, text: string): Promise<string> {
  const before = await written();
  const at = mark();
  const r = await slack.command(user, '/penalty', text);
  expect(r.status).toBe(200);
  expect(r.reply.body.response_type).toBe('ephemeral');
  expect(await written()).toEqual(before);
  expect(since(at, (c) => c.method === 'chat.postMessage' || c.method === 'views.open')).toEqual([]);
  return textOf(r.reply.body.blocks);
}

async function penalty(by: string, who: string): Promise<number> {
  const r = await slack.command(by, '/penalty', `<@${who}|x> buck_passing`);
  expect(r.status).toBe(200);
  const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { member: true } });
  expect(p.member.slackId).toBe(who);
  return p.id;
}

/** `who` presses Appeal on their penalty's DM and sends the modal; returns where the DMs it caused begin. */
async function appeal(who: string, penaltyId: number, comment: string): Promise<number> {
  let at = mark();
  await slack.interact({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: who },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-appeal-${penaltyId}`,
    actions: [
      { type: 'button', action_id: 'appeal_open', block_id: 'appeal', value: String(penaltyId), action_ts: '1' },
    ],
  });
  const [modal] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= at);
  at = mark();
  const sent = await slack.submitText(who, {
    callbackId: 'appeal_submit',
    privateMetadata: modal!.body.view!.private_metadata,
    block: 'appeal_comment',
    value: comment,
  });
  expect(sent.status).toBe(200);
  // the appellant's receipt is sent last: once it is here, every DM the appeal caused is
  await slack.fake.waitFor(
    (c) => c.method === 'chat.postMessage' && c.body.channel === who && slack.fake.calls.indexOf(c) >= at,
  );
  return at;
}

describe('who may penalise whom', () => {
  it('a lead penalising another lead is refused in one line naming who may, also before the rule picker', async () => {
    expect(await refused(LEAD, `<@${LEAD2}|冯组长> buck_passing`)).toBe(
      ':no_entry_sign: <@U0LEAD002> 是组长：只有主管或管理员可以处罚。',
    );
    // a free reason without an amount opens the picker: not for someone the lead may not penalise
    expect(await refused(LEAD, `<@${LEAD2}|冯组长> 开会迟到`)).toBe(
      ':no_entry_sign: <@U0LEAD002> 是组长：只有主管或管理员可以处罚。',
    );
    expect(await refused(LEAD, `<@${SUPER}|周主管> buck_passing`)).toBe(
      ':no_entry_sign: <@U0SUPER01> 是主管：只有管理员可以处罚。',
    );
    expect(await refused(SUPER, `<@${SUPER2}|吴主管> buck_passing`)).toBe(
      ':no_entry_sign: <@U0SUPER02> 是主管：只有管理员可以处罚。',
    );
    expect(await refused(SUPER, `<@${ADMIN}|孙管理> buck_passing`)).toBe(
      ':no_entry_sign: <@U0ADMIN01> 是管理员：谁都不能处罚。',
    );
  });

  it('a supervisor penalising a lead is accepted, and the lead gets the DM with Appeal', async () => {
    const at = mark();
    const id = await penalty(SUPER, LEAD2);
    const [dm] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === LEAD2 && slack.fake.calls.indexOf(c) >= at,
    );
    expect(buttonsOf(dm!.body.blocks).map((b) => b.action_id)).toEqual(['appeal_open']);
    // and a lead may not revoke it: they could not have recorded it
    const r = await slack.command(LEAD, '/penalty', `revoke ${id} 误会`);
    expect(textOf(r.reply.body.blocks)).toBe(':no_entry_sign: <@U0LEAD002> 是组长：只有主管或管理员可以撤销其处罚。');
    expect(await db.prisma.penalty.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'active' });
  });
});

describe("a supervisor's appeal", () => {
  it('goes to the admins only: the supervisor gets no Accept / Reject for it, nor does another supervisor', async () => {
    const id = await penalty(ADMIN, SUPER);
    const at = await appeal(SUPER, id, '那天我在培训');
    const dms = dmsSince(at);
    const asked = dms.filter((c) => buttonsOf(c.body.blocks).some((b) => b.action_id === 'appeal_accept_penalty'));
    expect(asked.map((c) => c.body.channel)).toEqual([ADMIN]);
    expect(dms.map((c) => c.body.channel).sort()).toEqual([ADMIN, SUPER].sort());
    expect(textOf(dms.find((c) => c.body.channel === SUPER)!.body.blocks)).toMatch(/申诉已提交，结果会在这里通知你/);

    // nor is it among their own or the other supervisor's waiting appeals (App Home)
    for (const who of [SUPER, SUPER2]) expect((await waitingAppeals(tallyOn(db), who, 1, 8)).total).toBe(0);
    expect((await waitingAppeals(tallyOn(db), ADMIN, 1, 8)).appeals.map((a) => a.penalty.id)).toEqual([id]);

    // an Accept pressed by either supervisor opens no decision form and decides nothing
    for (const [who, said] of [
      [SUPER, '不能处理自己的申诉。'],
      [SUPER2, '<@U0SUPER01> 是主管：只有管理员可以处理其申诉。'],
    ] as const) {
      const before = mark();
      const r = await slack.interact({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: who },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: `trigger-decide-${who}`,
        actions: [
          { type: 'button', action_id: 'appeal_accept_penalty', block_id: 'a', value: String(id), action_ts: '2' },
        ],
      });
      expect(r.status).toBe(200);
      const [told] = await slack.fake.waitFor(
        (c) => slack.fake.calls.indexOf(c) >= before && JSON.stringify(c.body).includes(said),
      );
      expect(told).toBeDefined();
      expect(since(before, (c) => c.method === 'views.open')).toEqual([]);
    }
    expect(await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: id } })).toMatchObject({
      status: 'pending',
    });
  });
});
