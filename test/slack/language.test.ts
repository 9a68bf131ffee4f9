// One voice per team, end to end: a zh-CN team and an en team each run the same session (records,
// lists, scores, boards, the rule picker, an appeal round trip, App Home and a run of refusals)
// through signed requests into the real Bolt receiver; every reply, DM, modal, home tab and modal
// error Tally produced is read. The zh-CN team sees no English word and the en team no Chinese,
// apart from what is not Tally's to translate: people's names, ids, rule codes and rule aliases.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { policyOn } from '../../src/core/policy.js';
import type { Database } from '../../src/db/open.js';
import { loadPolicyVersions } from '../../src/service/context.js';
import { closeMonth } from '../../src/service/months.js';
import { setPolicy } from '../../src/service/policy.js';
import { runLine } from '../../src/slack/console.js';
import type { Locale } from '../../src/slack/text/index.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { SlackHarness, type Call } from '../support/slack.js';

const LEAD = 'U0LEAD001';
const SUPER = 'U0SUPER01';
const AGENT = 'U00001008';
const OTHER = 'U00001002';
const NOW = '2026-11-05T10:00:00+08:00';

/** What the people of each team type: notes, reasons and comments in their own language. */
/** Words the refusals echo back as they were typed (a misspelt rule, a wrong id). */
const ECHOED = ['buck_pasing', 'abc'];

const TYPED = {
  'zh-CN': {
    note: '十点半不理客户',
    loss: '损失',
    free: '摔坏耳机',
    why: '记错人了',
    comment: '客户找错人了',
    decision: '查过聊天记录',
  },
  en: {
    note: 'ignored a customer',
    loss: 'loss',
    free: 'broke the headset',
    why: 'wrong agent',
    comment: 'the customer named the wrong agent',
    decision: 'checked the chat log',
  },
} as const;

interface Session {
  db: Database;
  slack: SlackHarness;
  /** what came back in HTTP answers (modal errors), beside what went to the fake Slack */
  answers: unknown[];
  /** what the console and `tally say` printed */
  printed: string[];
}

async function team(locale: Locale): Promise<Session> {
  const db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  const t = tallyOn(db, NOW);
  if (locale === 'en') await setPolicy(t, { locale: 'en' }, { from: '2026-09-01', by: 'cli', backdate: true });
  await closeMonth(t, { month: '2026-09', by: 'scheduler' }); // as the bot's monthly run records it (App Home names the closer)
  return { db, slack: await new SlackHarness(t).start(), answers: [], printed: [] };
}

const sessions = new Map<Locale, Session>();

beforeAll(async () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    const s = await team(locale);
    sessions.set(locale, s);
    await play(s, locale);
  }
}, 600_000);
afterAll(async () => {
  for (const s of sessions.values()) {
    await s.slack.stop();
    await s.db.close();
  }
});

/** Every string a person could read in what Tally sent: message text, block and view texts, modal errors. */
function visible(value: unknown, out: string[] = [], key = ''): string[] {
  if (typeof value === 'string') {
    if (['text', 'errors', 'alt_text'].includes(key)) out.push(value);
  } else if (Array.isArray(value)) for (const v of value) visible(v, out, key);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) visible(v, out, key === 'errors' ? 'errors' : k);
  return out;
}

const SHOWN = new Set(['chat.postMessage', 'response_url', 'views.open', 'views.publish', 'views.update']);

async function play(s: Session, locale: Locale): Promise<void> {
  const w = TYPED[locale];
  const h = s.slack;
  const calls = () => h.fake.calls.length;
  const dmTo = (user: string, at: number) =>
    h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === user && h.fake.calls.indexOf(c) >= at);
  const lastPenalty = async () => (await s.db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
  const interact = async (payload: Record<string, unknown>) => {
    const r = await h.interact({ team: { id: 'T1' }, api_app_id: 'A1', token: 'legacy', ...payload });
    if (r.text) s.answers.push(JSON.parse(r.text));
    return r;
  };
  const click = (user: string, actionId: string, value: string) =>
    interact({
      type: 'block_actions',
      user: { id: user },
      trigger_id: `trigger-${actionId}-${value}-${calls()}`,
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
    });
  const submit = (user: string, callbackId: string, meta: string, values: Record<string, unknown>) =>
    interact({
      type: 'view_submission',
      user: { id: user },
      view: { id: `V${calls()}`, type: 'modal', callback_id: callbackId, private_metadata: meta, state: { values } },
    });
  const comment = (value: string) => ({ appeal_comment: { value: { type: 'plain_text_input', value } } });

  // records: a rule with a note, up to the 4th (commission forfeited), a loss, a big one, a free reason
  for (const day of ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']) {
    const at = calls();
    await h.command(LEAD, '/penalty', `<@${AGENT}|x> buck_passing ${w.note} ${day}`);
    await dmTo(AGENT, at);
  }
  let at = calls();
  await h.command(LEAD, '/penalty', `<@${OTHER}|x> order_change_missed ${w.note} ${w.loss} ¥35.50`);
  await dmTo(OTHER, at);
  at = calls();
  await h.command(LEAD, '/penalty', `<@${OTHER}|x> store_deduction ${w.note}`);
  await dmTo(SUPER, at);
  at = calls();
  await h.command(LEAD, '/penalty', `<@${OTHER}|x> ${w.free} ¥80`);
  await dmTo(OTHER, at);
  const free = await lastPenalty();
  at = calls();
  await h.command(SUPER, '/penalty', `revoke ${free} ${w.why}`);
  await dmTo(OTHER, at);

  // lists, rules, help, scores and boards
  for (const [user, command, text] of [
    [LEAD, '/penalty', 'list'],
    [AGENT, '/penalty', 'list'],
    [LEAD, '/penalty', `list <@${OTHER}|x> 2026-11`],
    [AGENT, '/penalty', 'rules'],
    [AGENT, '/penalty', 'help'],
    [AGENT, '/penalty', ''],
    [AGENT, '/myscore', ''],
    [AGENT, '/myscore', '2026-10'],
    [AGENT, '/myscore', 'today'],
    [LEAD, '/myscore', `<@${OTHER}|x> 2026-10`],
    [AGENT, '/leaderboard', ''],
    [AGENT, '/leaderboard', '2026-10 presales'],
    [AGENT, '/leaderboard', 'today'],
  ] as const)
    await h.command(user, command, text);

  // refusals: each one line in the team's language
  for (const [user, text] of [
    [LEAD, `<@${AGENT}|x> buck_passing ${w.note} 2026-09-20`], // a closed month
    [LEAD, `<@U999999|ghost> buck_passing`], // not on the roster
    ['U777777', `<@${AGENT}|x> buck_passing`], // the caller is not on the roster
    [OTHER, `<@${AGENT}|x> buck_passing`], // an agent penalising
    [LEAD, `<@${LEAD}|me> buck_passing`], // oneself
    [LEAD, `<@${AGENT}|x> buck_pasing`],
    [LEAD, `<@${AGENT}|x> ${w.free} ¥5x`],
    [LEAD, `<@${AGENT}|x> ${w.free} ¥0`],
    [LEAD, `<@${AGENT}|x> ${w.free} ¥100001`],
    [LEAD, `<@${AGENT}|x> ${w.free} ¥50 ¥60`],
    [LEAD, `<@${AGENT}|x> ${w.free} ¥50 ${w.loss} ¥5`],
    [LEAD, `<@${AGENT}|x> buck_passing ¥80`],
    [LEAD, `<@${AGENT}|x> buck_passing ${w.loss} ¥5`],
    [LEAD, `<@${AGENT}|x> order_change_missed`],
    [LEAD, `<@${AGENT}|x> buck_passing 2026-11-06`],
    [LEAD, `<@${AGENT}|x> buck_passing 2026-02-30`],
    [LEAD, `<@${AGENT}|x> buck_passing 10/05/2026`],
    [LEAD, `<@${AGENT}|x> buck_passing 2026-11-01 2026-11-02`],
    [LEAD, 'buck_passing'],
    [LEAD, `<@${AGENT}|a> <@${OTHER}|b> buck_passing`],
    [LEAD, '<#C123|general> buck_passing'],
    [LEAD, '<!here> buck_passing'],
    [LEAD, 'revoke 99999 x'],
    [LEAD, 'revoke abc x'],
    [LEAD, `revoke ${free}`],
    [SUPER, `revoke ${free} ${w.why}`], // already revoked
    [LEAD, 'rules 9'],
  ] as const)
    await h.command(user, '/penalty', text);
  for (const [user, command, text] of [
    [AGENT, '/myscore', `<@${OTHER}|x>`],
    [AGENT, '/myscore', '2027-01'],
    [AGENT, '/myscore', '2026-11-30'],
    ['U777777', '/myscore', ''],
    [AGENT, '/leaderboard', '2026-13'],
  ] as const)
    await h.command(user, command, text);

  // the rule picker for a free reason without an amount: refused empty and with a bad amount, then recorded
  at = calls();
  // it answers with a modal, not a reply
  await h.startCommand(LEAD, '/penalty', `<@${AGENT}|x> ${w.free}`).ack;
  const [picker] = await h.fake.waitFor((c) => c.method === 'views.open' && h.fake.calls.indexOf(c) >= at);
  const meta = picker!.body.view!.private_metadata as string;
  const amount = (value: string | null) => ({
    pick_rule: { value: { type: 'static_select', selected_option: null } },
    pick_amount: { value: { type: 'plain_text_input', value } },
  });
  await submit(LEAD, 'penalty_pick', meta, amount(null));
  await submit(LEAD, 'penalty_pick', meta, amount('¥x'));
  at = calls();
  await submit(LEAD, 'penalty_pick', meta, amount('30'));
  await dmTo(AGENT, at);

  // an appeal round trip, with the refusals on its way
  const appealed = await lastPenalty();
  at = calls();
  await click(AGENT, 'appeal_open', String(appealed));
  const [modal] = await h.fake.waitFor((c) => c.method === 'views.open' && h.fake.calls.indexOf(c) >= at);
  const appealMeta = modal!.body.view!.private_metadata as string;
  await submit(AGENT, 'appeal_submit', appealMeta, comment(' '));
  at = calls();
  await submit(AGENT, 'appeal_submit', appealMeta, comment(w.comment));
  const [ask] = await dmTo(LEAD, at);
  await dmTo(AGENT, at);
  await submit(AGENT, 'appeal_submit', appealMeta, comment(w.comment)); // already appealed
  const appealId = String((await s.db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: appealed } })).id);
  at = calls();
  await click(AGENT, 'appeal_accept', appealId); // an agent cannot decide
  await dmTo(AGENT, at);
  at = calls();
  await h.event({ type: 'app_home_opened', user: LEAD, tab: 'home', channel: 'D1' });
  await h.fake.waitFor((c) => c.method === 'views.publish' && h.fake.calls.indexOf(c) >= at);
  expect(ask!.body.blocks).toBeDefined();
  at = calls();
  await click(LEAD, 'appeal_accept', appealId);
  const [decide] = await h.fake.waitFor((c) => c.method === 'views.open' && h.fake.calls.indexOf(c) >= at);
  const decideMeta = decide!.body.view!.private_metadata as string;
  await submit(LEAD, 'appeal_decide', decideMeta, comment(' '));
  at = calls();
  await submit(LEAD, 'appeal_decide', decideMeta, comment(w.decision));
  await dmTo(AGENT, at);
  await dmTo(LEAD, at);
  await submit(SUPER, 'appeal_decide', decideMeta, comment(w.decision)); // already decided
  at = calls();
  await h.event({ type: 'app_home_opened', user: AGENT, tab: 'home', channel: 'D2' });
  await h.fake.waitFor((c) => c.method === 'views.publish' && h.fake.calls.indexOf(c) >= at);

  // the console and `tally say` print the same replies, and name tracks and roles in the team's language
  const deps = { tally: tallyOn(s.db, NOW), log: pino({ level: 'silent' }) };
  for (const [as, line] of [
    [LEAD, '/who'],
    [LEAD, `/penalty @${AGENT} ${w.free}`],
    [LEAD, `/penalty @${AGENT} buck_passing ${w.note} 2026-09-20`],
    [AGENT, '/myscore 2026-10'],
  ] as const)
    s.printed.push((await runLine(deps, as, line)).text);
}

/** What Tally said in a session, with what is not Tally's to translate taken out. */
async function saidBy(s: Session): Promise<string[]> {
  const policy = policyOn(await loadPolicyVersions(tallyOn(s.db, NOW)), '2026-11-05');
  const names = (await s.db.prisma.member.findMany()).map((m) => m.name);
  const rules = Object.entries(policy.penalties.rules);
  const sent = s.slack.fake.calls.filter((c: Call) => SHOWN.has(c.method)).flatMap((c) => visible(c.body));
  const texts = [...sent, ...s.answers.flatMap((a) => visible(a)), ...s.printed];
  expect(texts.length).toBeGreaterThan(80);
  return texts.map((text) => {
    let t = text
      .replace(/<@[UW][A-Z0-9]+(\|[^>]*)?>/g, ' ')
      .replace(/\b[UW][A-Z0-9]{4,}\b/g, ' ')
      .replace(/:[a-z_]+:/g, ' ')
      .replace(/\/(penalty|myscore|leaderboard)\b/g, ' ')
      .replace(/\bTally\b/g, ' ');
    // the rules list shows each rule's aliases as the rulebook spells them
    for (const [, r] of rules) t = t.split(`_${r.aliases.join(', ')}_`).join(' ');
    for (const name of [...names, ...rules.map(([code]) => code), ...ECHOED].sort((a, b) => b.length - a.length))
      t = t.split(name).join(' ');
    return t;
  });
}

describe('one language per team, in everything the tests make Tally say', () => {
  it('a zh-CN team reads no English word', async () => {
    const said = await saidBy(sessions.get('zh-CN')!);
    expect(said.filter((t) => /[A-Za-z]{2,}/.test(t))).toEqual([]);
    expect(said.join('\n')).toMatch(/已结算，不能记录日期为 2026-09-20 的处罚/);
    expect(said.join('\n')).toMatch(/售前 {2}组长/);
  });

  it('an en team reads no Chinese', async () => {
    const said = await saidBy(sessions.get('en')!);
    expect(said.filter((t) => /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(t))).toEqual([]);
    expect(said.join('\n')).toMatch(/2026-09 is closed, so you cannot record a penalty dated 2026-09-20/);
    expect(said.join('\n')).toMatch(/pre-sales {2}lead/);
  });

  it('no Slack refusal names a CLI flag or a tally command', async () => {
    for (const s of sessions.values()) {
      const said = (await saidBy(s)).join('\n');
      expect(said).not.toMatch(/(^|\s)--[a-z]/m);
      expect(said).not.toMatch(/\btally (month|penalty|roster|metrics|policy)\b/);
    }
  });
});
