// Issue 18, item 5: `@吴晨` typed as text (not picked from Slack's list, so no <@U…|name> entity) used
// to be ignored over HTTP: /myscore @吴晨 showed the caller's own score. Now a plain @name is read the
// same way whichever way the line comes (HTTP, Socket Mode, the console, `tally say`): a unique roster
// name or a Slack id names that person; a name nobody has, or several have, is refused in one line;
// and words a command does not take are refused rather than ignored.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Database } from '../../src/db/open.js';
import { runLine } from '../../src/slack/console.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { SlackHarness, textOf } from '../support/slack.js';

const NOW = '2026-11-05T10:00:00+08:00';
const SUPER = 'U0SUPER01';
const LEAD = 'U0LEAD001';
const WU = 'U00001008'; // 吴晨
const LI = 'U00001001'; // 李超

let db: Database;
let slack: SlackHarness;

beforeAll(async () => {
  db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  slack = await new SlackHarness(tallyOn(db, NOW)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});
afterEach(() => {
  expect(slack.fake.problems).toEqual([]);
});

/** The ephemeral reply over HTTP (signed request into the real Bolt receiver), as text. */
async function overHttp(user: string, command: string, text: string): Promise<string> {
  const r = await slack.command(user, command, text);
  expect(r.status).toBe(200);
  return textOf(r.reply.body.blocks);
}

/** What the console (and `tally say`) prints for the same line. */
async function inConsole(user: string, line: string): Promise<string> {
  return (await runLine({ tally: tallyOn(db, NOW), log: pino({ level: 'silent' }) }, user, line)).text;
}

/** A refusal as the console prints it: Slack's :no_entry_sign: drawn as the emoji. */
const printed = (reply: string) => reply.replace(/^:no_entry_sign: /, '🚫 ');

describe('/myscore @吴晨 typed as text', () => {
  it("shows 吴晨's score to a supervisor over HTTP, as a Slack mention of them does, and as the console does", async () => {
    const typed = await overHttp(SUPER, '/myscore', '@吴晨');
    const mentioned = await overHttp(SUPER, '/myscore', `<@${WU}|吴晨>`);
    expect(typed).toBe(mentioned);
    expect(typed).toContain(`<@${WU}>`);
    expect(typed).not.toBe(await overHttp(SUPER, '/myscore', ''));
    expect(await inConsole(SUPER, '/myscore @吴晨')).toBe(await inConsole(SUPER, `/myscore <@${WU}|吴晨>`));
    // a Slack id written as text names them too
    expect(await overHttp(SUPER, '/myscore', `@${WU.toLowerCase()}`)).toBe(mentioned);
  });

  it("is refused to an agent as someone else's score, everywhere alike", async () => {
    const zh = ':no_entry_sign: 只有组长、主管或管理员可以查看别人的绩效。';
    expect(await overHttp(LI, '/myscore', '@吴晨')).toBe(zh);
    expect(await inConsole(LI, '/myscore @吴晨')).toBe(printed(zh));
  });

  it('a name nobody on the roster has is refused in one line over HTTP and in the console', async () => {
    const said = ':no_entry_sign: 花名册上没有叫 无名氏 的人：请在输入 @ 时从弹出的名单里选人。';
    expect(await overHttp(SUPER, '/myscore', '@无名氏')).toBe(said);
    expect(await inConsole(SUPER, '/myscore @无名氏')).toBe(printed(said));
    expect(await overHttp(LEAD, '/penalty', '@无名氏 buck_passing')).toBe(said);
    expect(await overHttp(LEAD, '/penalty', 'list @无名氏')).toBe(said);
  });

  it('a name without the @ is not taken as nothing: words a command does not take are refused', async () => {
    expect(await overHttp(SUPER, '/myscore', '吴晨')).toBe(
      ':no_entry_sign: 看不懂"吴晨"。用法：/myscore [今天|本月|2026-11|2026-11-05] [@某人]',
    );
    expect(await overHttp(SUPER, '/penalty', 'list 吴晨')).toBe(
      ':no_entry_sign: 看不懂"吴晨"。用法：/penalty 列表 [@某人] [2026-11]',
    );
    expect(await overHttp(SUPER, '/leaderboard', 'presale')).toBe(
      ':no_entry_sign: 看不懂"presale"。用法：/leaderboard [今天|本月|2026-11] [售前|售后]',
    );
    // the leaderboard is whole tracks: a person there would be ignored, so it is refused
    const board = ':no_entry_sign: 排行榜按岗位列出全体；看某个人的绩效请用 /myscore @某人。';
    expect(await overHttp(SUPER, '/leaderboard', '@吴晨')).toBe(board);
    expect(await overHttp(SUPER, '/leaderboard', `<@${WU}|吴晨> 售前`)).toBe(board);
    expect(await inConsole(SUPER, '/leaderboard @吴晨')).toBe(printed(board));
  });
});

describe('other commands that take a person', () => {
  it('/penalty @吴晨 over HTTP records it for 吴晨, as the console does', async () => {
    const before = await db.prisma.penalty.count();
    await overHttp(LEAD, '/penalty', '@吴晨 buck_passing 没回复顾客');
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { member: true } });
    expect(await db.prisma.penalty.count()).toBe(before + 1);
    expect(p.member.slackId).toBe(WU);
    await inConsole(LEAD, '/penalty @吴晨 personal_chat');
    const q = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { member: true } });
    expect([q.member.slackId, q.ruleCode]).toEqual([WU, 'personal_chat']);
    // /penalty list @吴晨 is theirs only
    const list = await overHttp(LEAD, '/penalty', 'list @吴晨');
    expect(list).toBe(await overHttp(LEAD, '/penalty', `list <@${WU}|吴晨>`));
    expect(list).toContain(`<@${WU}>`);
    expect(list).not.toContain('<@U00001001>');
  });

  it('a name several people have is refused, naming how many; an active one wins over a deactivated namesake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-mentions-'));
    const path = join(dir, 'more.csv');
    writeFileSync(
      path,
      [
        'slack_id,name,track,level,hired_on,role',
        'U00009001,王芳,presales,regular,2025-01-01,agent',
        'U00009002,王芳,aftersales,regular,2025-02-01,agent',
        'U00009003,吴晨,aftersales,regular,2025-03-01,agent',
        '',
      ].join('\n'),
    );
    const tally = cliOn(db);
    expect((await tally('roster', 'import', path)).code).toBe(0);
    expect(await overHttp(SUPER, '/myscore', '@王芳')).toBe(
      ':no_entry_sign: 花名册上有 2 个人叫 王芳：请在输入 @ 时从弹出的名单里选出你要的那位。',
    );
    expect(await overHttp(SUPER, '/myscore', '@吴晨')).toMatch(/花名册上有 2 个人叫 吴晨/);
    expect((await tally('roster', 'deactivate', 'U00009003')).code).toBe(0);
    expect(await overHttp(SUPER, '/myscore', '@吴晨')).toBe(await overHttp(SUPER, '/myscore', `<@${WU}|吴晨>`));
  });
});

describe('someone who has left', () => {
  it("a deactivated lead sees no one else's score or penalties, by mention or by name", async () => {
    expect((await cliOn(db)('roster', 'deactivate', 'U0LEAD002')).code).toBe(0);
    const said = ':no_entry_sign: <@U0LEAD002> 已停用。';
    expect(await overHttp('U0LEAD002', '/myscore', '@吴晨')).toBe(said);
    expect(await overHttp('U0LEAD002', '/myscore', `<@${WU}|吴晨>`)).toBe(said);
    expect(await overHttp('U0LEAD002', '/penalty', 'list @吴晨')).toBe(
      ':no_entry_sign: 只有组长、主管或管理员可以查看别人的处罚。',
    );
  });
});
