// The team always has someone who can decide (issue 10): the last lead, supervisor or admin cannot be
// deactivated or demoted; an appeal whose lead left goes to the other leads; and when a team has
// nobody who decides (a database from before the guard), the agent is told so instead of "you will
// hear back", `jobs list` shows the appeal, and the month's run is incomplete until the payroll file
// has someone to go to. End to end: signed requests into the real Bolt receiver, the CLI in-process.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { waitingAppeals } from '../../src/service/appeals.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { buttonsOf, SlackHarness, textOf } from '../support/slack.js';

const AGENT = 'U0AGENT01';
const LEAD1 = 'U0LEAD001';
const LEAD2 = 'U0LEAD002';

let db: Database;
let slack: SlackHarness;
let tally: ReturnType<typeof cliOn>;
const dir = mkdtempSync(join(tmpdir(), 'tally-deciders-'));

function rosterFile(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, ['slack_id,name,track,level,hired_on,role', ...rows, ''].join('\n'));
  return path;
}

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  const r = await tally(
    'roster',
    'import',
    rosterFile('team.csv', [
      `${AGENT},李超,presales,regular,2025-05-20,agent`,
      `${LEAD1},郑组长,presales,lead,2022-05-16,lead`,
      `${LEAD2},冯组长,presales,lead,2022-08-01,lead`,
    ]),
  );
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
const dmsSince = (at: number) =>
  slack.fake.calls.slice(at).filter((c) => c.method === 'chat.postMessage' && String(c.body.channel).startsWith('U'));

async function penaltyBy(lead: string): Promise<number> {
  const r = await slack.command(lead, '/penalty', `<@${AGENT}|x> buck_passing`);
  expect(r.status).toBe(200);
  return (await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
}

/**
 * The agent presses Appeal on the penalty's DM and sends the modal with a comment; returns where its
 * DMs begin. The agent's receipt is sent last, so once it is here every DM the appeal caused is.
 */
async function appeal(penaltyId: number, comment: string) {
  let at = mark();
  await slack.interact({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: AGENT },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-appeal-${penaltyId}`,
    actions: [
      { type: 'button', action_id: 'appeal_open', block_id: 'appeal', value: String(penaltyId), action_ts: '1' },
    ],
  });
  const [modal] = await slack.fake.waitFor((c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= at);
  at = mark();
  const sent = await slack.submitText(AGENT, {
    callbackId: 'appeal_submit',
    privateMetadata: modal!.body.view!.private_metadata,
    block: 'appeal_comment',
    value: comment,
  });
  expect(sent.status).toBe(200);
  await slack.fake.waitFor(
    (c) => c.method === 'chat.postMessage' && c.body.channel === AGENT && slack.fake.calls.indexOf(c) >= at,
  );
  return at;
}

describe('the last one who can decide', () => {
  it('deactivating the other lead is fine; deactivating or demoting the last one is refused in one line, nothing written', async () => {
    // LEAD1 records a penalty, then leaves: LEAD2 remains
    const p = await penaltyBy(LEAD1);
    // a lead does not deactivate a peer: the operator at the terminal does it (no --by)
    const off = await tally('roster', 'deactivate', LEAD1);
    expect(off.code, off.err).toBe(0);

    const last = await tally('roster', 'deactivate', LEAD2);
    expect(last.code).toBe(1);
    expect(last.err).toBe(
      "error: 冯组长 (U0LEAD002) is the team's last active lead, supervisor or admin: deactivating them would leave nobody to decide appeals or receive the payroll file; make someone else a lead first (nothing was changed)",
    );
    // a roster file that makes the last lead an agent is refused too, naming them
    const demote = await tally(
      'roster',
      'import',
      rosterFile('demote.csv', [`${LEAD2},冯组长,presales,senior,2022-08-01,agent`]),
    );
    expect(demote.code).toBe(1);
    expect(demote.err).toMatch(
      /冯组长 \(U0LEAD002\) is the team's last active lead, supervisor or admin: demoting them/,
    );
    const lead2 = await db.prisma.member.findUniqueOrThrow({ where: { slackId: LEAD2 } });
    expect(lead2).toMatchObject({ active: true, role: 'lead', level: 'lead' });
    expect(await db.prisma.auditLog.count({ where: { action: 'roster.deactivate', subject: LEAD2 } })).toBe(0);

    // the same file that also names a new lead is fine: someone still decides
    const handover = await tally(
      'roster',
      'import',
      rosterFile('handover.csv', [
        `${LEAD2},冯组长,presales,senior,2022-08-01,agent`,
        `U0LEAD003,卫组长,presales,lead,2023-01-01,lead`,
      ]),
    );
    expect(handover.code, handover.err).toBe(0);
    // back as before for what follows
    const back = await tally(
      'roster',
      'import',
      rosterFile('back.csv', [`${LEAD2},冯组长,presales,lead,2022-08-01,lead`]),
    );
    expect(back.code, back.err).toBe(0);
    expect((await tally('roster', 'deactivate', 'U0LEAD003')).code).toBe(0);

    // the appeal of LEAD1's penalty goes to LEAD2, who is the only one left to decide it
    const at = await appeal(p, '那位顾客不是我接待的');
    const dms = dmsSince(at);
    expect(dms.map((c) => c.body.channel).sort()).toEqual([AGENT, LEAD2]);
    expect(textOf(dms.find((c) => c.body.channel === AGENT)!.body.blocks)).toMatch(/申诉已提交，结果会在这里通知你/);
    const ask = dms.find((c) => c.body.channel === LEAD2)!;
    expect(buttonsOf(ask.body.blocks).map((b) => b.action_id)).toEqual([
      'appeal_accept_penalty',
      'appeal_reject_penalty',
    ]);

    // it waits among LEAD2's appeals (App Home), though LEAD1 recorded it
    const waiting = await waitingAppeals(tallyOn(db), LEAD2, 1, 8);
    expect(waiting.appeals.map((a) => a.penalty.id)).toEqual([p]);

    // and LEAD2 may decide it: the Accept button opens the decision modal
    const before = mark();
    await slack.interact({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: LEAD2 },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 'trigger-decide',
      actions: [
        { type: 'button', action_id: 'appeal_accept_penalty', block_id: 'a', value: String(p), action_ts: '2' },
      ],
    });
    const [opened] = await slack.fake.waitFor(
      (c) => c.method === 'views.open' && slack.fake.calls.indexOf(c) >= before,
    );
    expect(opened!.body.view!.callback_id).toBe('appeal_decide');
    const decided = await slack.submitText(LEAD2, {
      callbackId: 'appeal_decide',
      privateMetadata: opened!.body.view!.private_metadata,
      block: 'appeal_comment',
      value: '查过聊天记录',
    });
    expect(decided.status).toBe(200);
    expect(await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: p } })).toMatchObject({ status: 'accepted' });
  });
});

describe('a team with nobody who decides (made before the guard)', () => {
  it('tells the agent nobody can decide the appeal, tells no one else, and lists it in jobs list', async () => {
    const p = await penaltyBy(LEAD2);
    // what an older Tally let happen: the only lead deactivated
    await db.prisma.member.update({ where: { slackId: LEAD2 }, data: { active: false, deactivatedAt: new Date() } });

    const at = await appeal(p, '我当时在处理另一位顾客');
    const dms = dmsSince(at);
    expect(dms.map((c) => c.body.channel)).toEqual([AGENT]);
    const said = textOf(dms[0]!.body.blocks);
    expect(said).toMatch(/申诉已记录，但现在没有人能处理：团队里没有职位在你之上的在职组长、主管或管理员/);
    expect(said).not.toMatch(/结果会在这里通知你/);
    expect(await db.prisma.appeal.findUniqueOrThrow({ where: { penaltyId: p } })).toMatchObject({ status: 'pending' });

    const list = await tally('jobs', 'list', '--json');
    expect(list.json<{ appealsNobodyCanDecide: unknown[] }>().appealsNobodyCanDecide).toEqual([
      { penaltyId: p, by: AGENT, name: '李超', filedAt: expect.any(String) },
    ]);
    const text = await tally('jobs', 'list');
    expect(text.out).toMatch(
      /Appeals nobody can decide \(the team has no active lead, supervisor or admin, or none above the one appealing/,
    );
    expect(text.out).toContain(`penalty #${p}: 李超 (${AGENT})`);
  });

  it('leaves the month run incomplete while the payroll file has nobody to go to, and finishes it once someone does', async () => {
    const run = await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--json');
    expect(run.code, run.err).toBe(0);
    expect(run.json()).toMatchObject({ status: 'incomplete', undelivered: ['payroll_file'], period: '2026-10' });
    const said = await tally('jobs', 'list');
    expect(said.out).toMatch(/monthly\s+2026-10\s+incomplete/);
    expect(said.out).toContain(
      '2026-10: the payroll file went to nobody: the team has no active lead, supervisor or admin.',
    );
    const listed = await tally('jobs', 'list', '--json');
    expect(listed.json<{ runs: Array<{ status: string; undelivered: string[] }> }>().runs[0]).toMatchObject({
      status: 'incomplete',
      undelivered: ['payroll_file'],
    });
    const payslips = await db.prisma.outbox.count({ where: { key: { startsWith: 'monthly:2026-10:payslip:' } } });
    expect(payslips).toBe(1);

    // by hand the text says so too
    const again = await tally('jobs', 'run', 'monthly', '--period', '2026-10');
    expect(again.out).toMatch(
      /^monthly 2026-10: incomplete, 0 messages queued \(no team channel set.*\)\.\n2026-10: the payroll file went to nobody/,
    );

    // a lead again: the appeal has a decider, the next run sends the file to them, payslips are not sent twice
    expect((await tally('roster', 'activate', LEAD2, '--by', 'cli')).code).toBe(0);
    expect(
      (await tally('jobs', 'list', '--json')).json<{ appealsNobodyCanDecide: unknown[] }>().appealsNobodyCanDecide,
    ).toEqual([]);
    const done = await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--json');
    // the payroll report and its file, and (issue 19) who had no data for the month's last days
    expect(done.json()).toMatchObject({ status: 'done', enqueued: 3 });
    expect(await db.prisma.outbox.count({ where: { key: `monthly:2026-10:missing:${LEAD2}`, channel: LEAD2 } })).toBe(
      1,
    );
    expect(done.json()).not.toHaveProperty('undelivered');
    const files = await db.prisma.outbox.findMany({ where: { key: { startsWith: 'monthly:2026-10:csv:' } } });
    expect(files.map((f) => f.channel)).toEqual([LEAD2]);
    expect(await db.prisma.outbox.count({ where: { key: { startsWith: 'monthly:2026-10:payslip:' } } })).toBe(payslips);
    expect((await tally('jobs', 'run', 'monthly', '--period', '2026-10', '--json')).json()).toMatchObject({
      status: 'skipped',
    });
  });

  it('a month whose run was left incomplete, reopened and closed again, owes a correction (its results were posted)', async () => {
    await db.prisma.member.update({ where: { slackId: LEAD2 }, data: { active: false } });
    const run = await tally('jobs', 'run', 'monthly', '--period', '2026-09', '--json');
    expect(run.json()).toMatchObject({ status: 'incomplete', undelivered: ['payroll_file'] });
    const admin = await tally(
      'roster',
      'import',
      rosterFile('admin.csv', ['U0ADMIN01,钱管理,presales,supervisor,2021-01-01,admin']),
    );
    expect(admin.code, admin.err).toBe(0);
    expect((await tally('month', 'reopen', '2026-09', '--why', '补录数据', '--by', 'U0ADMIN01')).code).toBe(0);
    const closed = await tally('month', 'close', '2026-09', '--by', 'U0ADMIN01', '--json');
    expect(closed.json()).toMatchObject({ month: '2026-09', closed: true, correction: '2026-09#2' });
    expect(closed.json()).not.toHaveProperty('undelivered');
  });
});
