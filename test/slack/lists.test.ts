// Lists longer than a Slack surface, end to end through signed requests and the fake Slack (which
// checks every message and view against Block Kit's limits): a rule catalog past one select menu and
// one message, a reason too long for a modal's metadata, and more appeals than App Home shows at once.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StaticSelect, View } from '@slack/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { DEFAULT_POLICY } from '../../src/core/policy.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { setPolicy } from '../../src/service/policy.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { buttonsOf, ofType, SlackHarness, textOf, type Call } from '../support/slack.js';

const LEAD = 'U0LEAD001';
const SUPER = 'U0SUPER01';
const AGENT = 'U00001008';
const NOW = '2026-11-05T10:00:00+08:00';

/** `n` more active rules, codes extra_00000 … (sorted after the default rules' codes). */
function extraRules(n: number): Record<string, unknown> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `extra_${String(i).padStart(5, '0')}`,
      { label: { zh: `附加规则${i}`, en: `Extra rule ${i}` }, aliases: [], amountFen: 1000 + i, points: 1 },
    ]),
  );
}

async function demoTeam(): Promise<Database> {
  const db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  return db;
}

const after = (slack: SlackHarness, at: number) => (c: Call) => slack.fake.calls.indexOf(c) >= at;

/** Sends a slash command that may open a modal; returns the views.open call. */
async function openPicker(slack: SlackHarness, text: string): Promise<Call> {
  const at = slack.fake.calls.length;
  const id = `pick${at}`;
  const body = new URLSearchParams({
    command: '/penalty',
    text,
    user_id: LEAD,
    response_url: slack.fake.responseUrl(id),
    trigger_id: `trigger-${id}`,
    team_id: 'T1',
    api_app_id: 'A1',
  }).toString();
  expect((await slack.send(body)).status).toBe(200);
  const [open] = await slack.fake.waitFor((c) => c.method === 'views.open' && after(slack, at)(c));
  return open!;
}

function submitPick(
  slack: SlackHarness,
  user: string,
  privateMetadata: string,
  rule: string | null,
  amount: string | null,
  viewId = 'V1',
) {
  return slack.interact({
    type: 'view_submission',
    team: { id: 'T1' },
    user: { id: user },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: 't',
    view: {
      id: viewId,
      type: 'modal',
      callback_id: 'penalty_pick',
      private_metadata: privateMetadata,
      state: {
        values: {
          pick_rule: { value: { type: 'static_select', selected_option: rule ? { value: rule } : null } },
          pick_amount: { value: { type: 'plain_text_input', value: amount } },
        },
      },
    },
  });
}

/** A picker view's rule menu. */
function pickSelect(view: View): StaticSelect {
  const element = view.blocks.filter(ofType('input')).find((b) => b.block_id === 'pick_rule')?.element;
  if (element?.type !== 'static_select') throw new Error(`the rule picker is ${element?.type}, not a static_select`);
  return element;
}

/** Every rule code a picker view offers, from its options or option groups. */
function offered(view: View): Array<string | undefined> {
  const select = pickSelect(view);
  return (select.options ?? select.option_groups!.flatMap((g) => g.options)).map((o) => o.value);
}

/** The rule codes on one page of `/penalty rules`. */
const codesOn = (reply: Call) => [...textOf(reply.body.blocks).matchAll(/（([a-z][a-z0-9_]*)）/g)].map((m) => m[1]!);

describe('a catalog of 101 rules, and long reasons', () => {
  let db: Database;
  let slack: SlackHarness;
  beforeAll(async () => {
    db = await demoTeam();
    await setPolicy(
      tallyOn(db, NOW),
      { penalties: { rules: extraRules(95), maxReasonLength: 4000 } },
      { from: '2026-11-01', by: 'cli', backdate: true },
    );
    slack = await new SlackHarness(tallyOn(db, NOW)).start();
  });
  afterAll(async () => {
    await slack.stop();
    await db.close();
  });
  afterEach(() => expect(slack.fake.problems).toEqual([]));

  it('offers all 101 rules in a picker Slack accepts, and records the one picked', async () => {
    const open = await openPicker(slack, `<@${AGENT}|x> 客户等了十分钟`);
    const codes = offered(open.body.view!);
    expect(codes).toHaveLength(101);
    expect(new Set(codes)).toEqual(
      new Set([...Object.keys(DEFAULT_POLICY.penalties.rules), ...Object.keys(extraRules(95))]),
    );
    const at = slack.fake.calls.length;
    expect((await submitPick(slack, LEAD, open.body.view!.private_metadata!, 'extra_00094', null)).status).toBe(200);
    await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && after(slack, at)(c));
    expect(await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({
      ruleCode: 'extra_00094',
      reason: '客户等了十分钟',
      amountFen: 1094,
    });
  });

  it('pages /penalty rules, says how many pages there are, and every rule is on one of them', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 6; page++) {
      const r = await slack.command(AGENT, '/penalty', page === 1 ? 'rules' : `rules ${page}`);
      expect(textOf(r.reply.body.blocks)).toContain(`第 ${page} / 6 页（共 101 条规则）`);
      seen.push(...codesOn(r.reply));
    }
    expect(seen.sort()).toEqual(
      [...Object.keys(DEFAULT_POLICY.penalties.rules), ...Object.keys(extraRules(95))].sort(),
    );
    expect(textOf((await slack.command(AGENT, '/penalty', 'rules 7')).reply.body.blocks)).toMatch(
      /没有第 "7" 页，共 6 页/,
    );
  });

  it('refuses a 4,100-character free reason in one line before opening any modal', async () => {
    const at = slack.fake.calls.length;
    const r = await slack.command(LEAD, '/penalty', `<@${AGENT}|x> ${'等'.repeat(4100)}`);
    expect(textOf(r.reply.body.blocks)).toMatch(/原因有 4100 个字，最多 4000 个/);
    expect(slack.fake.calls.slice(at).filter((c) => c.method === 'views.open')).toEqual([]);
  });

  it('keeps a long reason out of the modal: the picker carries an id, and the penalty gets the whole reason', async () => {
    const reason = '客户说'.repeat(1200); // 3,600 characters: allowed by this team's policy, more than a modal can carry
    const open = await openPicker(slack, `<@${AGENT}|x> ${reason}`);
    expect(open.body.view!.private_metadata!.length).toBeLessThan(100);
    const penalties = await db.prisma.penalty.count();
    const at = slack.fake.calls.length;
    await submitPick(slack, LEAD, open.body.view!.private_metadata!, null, '20');
    await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && after(slack, at)(c));
    expect(await db.prisma.penalty.count()).toBe(penalties + 1);
    expect(await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({
      ruleCode: null,
      reason,
      amountFen: 2000,
    });
    // the same submission delivered again is a replay: acked with nothing; the draft sent from another view, or by someone else, records nothing
    expect((await submitPick(slack, LEAD, open.body.view!.private_metadata!, null, '20')).text).toBe('');
    expect(
      JSON.parse((await submitPick(slack, LEAD, open.body.view!.private_metadata!, null, '20', 'V2')).text).errors
        .pick_amount,
    ).toMatch(/已经记录过了/);
    const other = await openPicker(slack, `<@${AGENT}|x> 又一个原因`);
    expect(
      JSON.parse((await submitPick(slack, SUPER, other.body.view!.private_metadata!, null, '20')).text).errors
        .pick_amount,
    ).toMatch(/已失效/);
    expect(
      JSON.parse((await submitPick(slack, LEAD, '{"draft":"forged"}', null, '20')).text).errors.pick_amount,
    ).toMatch(/已失效/);
    expect(await db.prisma.penalty.count()).toBe(penalties + 1);
  });

  it('lets a lead fix a refused amount in the picker and submit it again', async () => {
    const open = await openPicker(slack, `<@${AGENT}|x> 耳机摔坏了`);
    expect(
      JSON.parse((await submitPick(slack, LEAD, open.body.view!.private_metadata!, null, '5x')).text).errors
        .pick_amount,
    ).toMatch(/金额写法不对/);
    const at = slack.fake.calls.length;
    await submitPick(slack, LEAD, open.body.view!.private_metadata!, null, '80');
    await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && after(slack, at)(c));
    expect(await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({
      reason: '耳机摔坏了',
      amountFen: 8000,
    });
  });

  it('refuses a policy of more than 500 active rules, naming the field; retired ones do not count', async () => {
    const tally = cliOn(db, { TALLY_NOW: NOW });
    const file = join(tmpdir(), `rules-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ penalties: { rules: extraRules(495) } }));
    const refused = await tally('policy', 'set', file, '--from', '2026-12-01');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/penalties\.rules: 501 active rules, at most 500/);
    writeFileSync(
      file,
      JSON.stringify({ penalties: { rules: { ...extraRules(495), buck_passing: { retired: true } } } }),
    );
    expect((await tally('policy', 'set', file, '--from', '2026-12-01')).code).toBe(0);
    rmSync(file);
  });
});

describe('a catalog of 10,000 rules stored before the limit', () => {
  let db: Database;
  let slack: SlackHarness;
  let documentReads = 0;
  const total = 10_006;
  beforeAll(async () => {
    db = await demoTeam();
    const policy = {
      ...DEFAULT_POLICY,
      penalties: { ...DEFAULT_POLICY.penalties, rules: { ...DEFAULT_POLICY.penalties.rules, ...extraRules(10_000) } },
    };
    await db.prisma.policyVersion.create({
      data: { effectiveFrom: fromDay('2026-01-01'), policy: policy as object, setBy: 'before the limit' },
    });
    // counts every read of policy documents (the per-request step that grows with the catalog)
    const versions = new Proxy(db.prisma.policyVersion, {
      get: (target, key) =>
        key === 'findMany'
          ? (...args: Parameters<typeof target.findMany>) => (documentReads++, target.findMany(...args))
          : Reflect.get(target, key),
    });
    const prisma = new Proxy(db.prisma, {
      get: (target, key) => (key === 'policyVersion' ? versions : Reflect.get(target, key)),
    }) as typeof db.prisma;
    slack = await new SlackHarness({ db: prisma, clock: tallyOn(db, NOW).clock }).start();
  });
  afterAll(async () => {
    await slack.stop();
    await db.close();
  });
  afterEach(() => expect(slack.fake.problems).toEqual([]));

  it("opens a picker within Slack's limits: 100 groups of 100, and says how to reach the rest", async () => {
    const open = await openPicker(slack, `<@${AGENT}|x> 客户等了十分钟`);
    const select = pickSelect(open.body.view!);
    expect(select.option_groups).toHaveLength(100);
    expect(offered(open.body.view!)).toHaveLength(10_000);
    expect(textOf(open.body.view!.blocks)).toContain(`列表只列出 ${total} 条规则中的 10000 条`);
  });

  it("pages /penalty rules within a message's limits", async () => {
    const pages = Math.ceil(total / 20);
    for (const page of [1, 2, 250, pages]) {
      const r = await slack.command(AGENT, '/penalty', `rules ${page}`);
      expect(r.reply.body.blocks!.length).toBeLessThanOrEqual(50);
      expect(textOf(r.reply.body.blocks)).toContain(`第 ${page} / ${pages} 页（共 ${total} 条规则）`);
      expect(codesOn(r.reply).length).toBe(page === pages ? total - (pages - 1) * 20 : 20);
    }
    expect(textOf((await slack.command(AGENT, '/penalty', `rules ${pages + 1}`)).reply.body.blocks)).toMatch(
      new RegExp(`共 ${pages} 页`),
    );
  });

  it('reads and validates the policy once per version, not once per command', async () => {
    await slack.command(AGENT, '/myscore', '');
    const reads = documentReads;
    expect(reads).toBeGreaterThan(0);
    for (const text of ['', '2026-10']) await slack.command(AGENT, '/myscore', text);
    await slack.command(LEAD, '/penalty', `<@${AGENT}|x> buck_passing 2026-11-02`);
    await slack.command(AGENT, '/penalty', 'rules 3');
    await slack.command(AGENT, '/leaderboard', '');
    expect(documentReads).toBe(reads);
    // a changed version is read again, once, and takes effect at once
    const row = await db.prisma.policyVersion.findFirstOrThrow();
    await db.prisma.policyVersion.update({
      where: { id: row.id },
      data: { policy: { ...(row.policy as object), locale: 'en' } },
    });
    expect(textOf((await slack.command(AGENT, '/penalty', 'rules')).reply.body.blocks)).toContain('Penalty rules');
    await slack.command(AGENT, '/myscore', '');
    expect(documentReads).toBe(reads + 1);
  });
});

describe('App Home with 120 appeals waiting', () => {
  let db: Database;
  let slack: SlackHarness;
  let appealed: number[];
  beforeAll(async () => {
    db = await demoTeam();
    const lead = await db.prisma.member.findUniqueOrThrow({ where: { slackId: LEAD } });
    const agents = await db.prisma.member.findMany({ where: { role: 'agent' }, orderBy: { id: 'asc' } });
    await db.prisma.penalty.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        memberId: agents[i % agents.length]!.id,
        ruleCode: 'buck_passing',
        reason: `case ${i}`,
        amountFen: 5000,
        lossFen: 0,
        points: 2,
        occurredOn: fromDay('2026-11-02'),
        recordedById: lead.id,
        recordedAt: new Date(NOW),
      })),
    });
    const penalties = await db.prisma.penalty.findMany({ orderBy: { id: 'asc' } });
    await db.prisma.appeal.createMany({
      data: penalties.map((p) => ({ penaltyId: p.id, memberId: p.memberId, comment: `not me ${p.id}` })),
    });
    appealed = (await db.prisma.appeal.findMany({ select: { penaltyId: true } })).map((a) => a.penaltyId);
    slack = await new SlackHarness(tallyOn(db, NOW)).start();
  });
  afterAll(async () => {
    await slack.stop();
    await db.close();
  });
  afterEach(() => expect(slack.fake.problems).toEqual([]));

  it('says how many wait, and pages through every one of them', async () => {
    let at = slack.fake.calls.length;
    await slack.event({ type: 'app_home_opened', user: LEAD, tab: 'home', channel: 'D1' });
    let [pub] = await slack.fake.waitFor((c) => c.method === 'views.publish' && after(slack, at)(c));
    expect(textOf(pub!.body.view!.blocks)).toContain('共 120 条待处理，当前显示第 1–8 条');
    const reached = new Set<number>();
    for (let page = 1; ; page++) {
      const buttons = buttonsOf(pub!.body.view!.blocks);
      for (const b of buttons) if (b.action_id === 'appeal_accept_penalty') reached.add(Number(b.value));
      const next = buttons.find((b) => b.action_id === 'home_appeals_next');
      if (!next) break;
      expect(page).toBeLessThan(20);
      at = slack.fake.calls.length;
      await slack.interact({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: LEAD },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: `t${page}`,
        view: { id: 'VHOME', type: 'home' },
        actions: [
          {
            type: 'button',
            action_id: next.action_id,
            block_id: 'home_appeals_pages',
            value: next.value,
            action_ts: '1',
          },
        ],
      });
      [pub] = await slack.fake.waitFor((c) => c.method === 'views.publish' && after(slack, at)(c));
      expect(textOf(pub!.body.view!.blocks)).toContain(
        `共 120 条待处理，当前显示第 ${page * 8 + 1}–${page * 8 + 8} 条`,
      );
    }
    expect([...reached].sort((a, b) => a - b)).toEqual(appealed.sort((a, b) => a - b));
    // and back: the last page offers the previous one
    const previous = buttonsOf(pub!.body.view!.blocks).find((b) => b.action_id === 'home_appeals_previous');
    expect(previous!.value).toBe('14');
  });
});
