// Issue 19, item 4: names, not ids. Wherever the CLI and `say` take a Slack id (--by, --as, a member
// argument), a name on the roster that only one person has works too, in any case; an id on the
// roster wins over a name; a name several people have is refused with each of them, and one nobody
// has with the names close to it, nothing written. `say` exits 1 when the command it ran was refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { runConsole } from '../../src/slack/console.js';
import {
  cliOn,
  type CliResult,
  type MemberJson,
  type PenaltyAddJson,
  type PenaltyListJson,
  type RosterSetJson,
  type SayJson,
  type ScoreJson,
} from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const ADMIN = 'U0ADMIN01'; // 孙管理
const LEAD = 'U0LEAD001'; // 郑组长
const AMY = 'U0LEAD003'; // Amy Chen
const AGENT = 'U00001001'; // 李超
const AGENT2 = 'U00001002'; // 张强
const WANG1 = 'U00002001'; // 王芳
const WANG2 = 'U00002002'; // 王芳 too
const ODD = 'UX0000001'; // named "U00001001", as if someone typed an id for a name

let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;
const dir = mkdtempSync(join(tmpdir(), 'tally-named-'));

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  const roster = join(dir, 'team.csv');
  writeFileSync(
    roster,
    [
      'slack_id,name,track,level,hired_on,role',
      `${ADMIN},孙管理,presales,supervisor,2020-01-01,admin`,
      `${LEAD},郑组长,presales,lead,2022-05-16,lead`,
      `${AMY},Amy Chen,aftersales,lead,2022-08-01,lead`,
      `${AGENT},李超,presales,regular,2025-05-20,agent`,
      `${AGENT2},张强,presales,regular,2025-10-07,agent`,
      `${WANG1},王芳,presales,regular,2025-01-02,agent`,
      `${WANG2},王芳,aftersales,regular,2025-03-04,agent`,
      `${ODD},U00001001,aftersales,regular,2025-03-04,agent`,
      '',
    ].join('\n'),
  );
  expect((await tally('roster', 'import', roster)).code).toBe(0);
});
afterAll(() => db.close());

const written = async () => ({
  penalties: await db.prisma.penalty.count(),
  assignments: await db.prisma.memberAssignment.count(),
  audit: await db.prisma.auditLog.count(),
});

/** Runs a command that must be refused with exactly `line` on stderr (exit 1), writing nothing. */
async function refused(line: string, ...argv: string[]): Promise<void> {
  const before = await written();
  const r = await tally(...argv);
  expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 1, err: `error: ${line}`, out: '' });
  expect(await written()).toEqual(before);
}

describe('a name on the roster', () => {
  it('names the member and the decider of penalty add, and the member of penalty list', async () => {
    const r = await tally('penalty', 'add', '李超', 'buck_passing', '--by', '郑组长', '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.json<PenaltyAddJson>()).toMatchObject({ slackId: AGENT, name: '李超', recordedBy: LEAD });
    const list = (await tally('penalty', 'list', '--member', '李超', '--json')).json<PenaltyListJson>();
    expect(list.penalties.map((p) => [p.slackId, p.recordedBy])).toEqual([[AGENT, LEAD]]);
    // and the revoke's decider
    const revoked = await tally('penalty', 'revoke', String(list.penalties[0]!.id), '--by', '郑组长', '--why', 'test');
    expect(revoked.code, revoked.err).toBe(0);
  });

  it('names the member of score and roster set, and the decider of roster set, in any case', async () => {
    const score = await tally('score', '张强', '--month', '2026-10', '--json');
    expect(score.code, score.err).toBe(0);
    expect(score.json<ScoreJson>()).toMatchObject({ slackId: AGENT2, name: '张强' });
    // a latin name in another case: Amy Chen, typed as the terminal's user would
    const set = await tally('roster', 'set', '王芳', '--level', 'senior', '--from', '2026-11-20', '--by', 'amy chen');
    // 王芳 is two people: refused before anything is asked of Amy
    expect({ code: set.code, err: set.err }).toEqual({
      code: 1,
      err: `error: 2 people on the roster are called 王芳: 王芳 (${WANG1}), 王芳 (${WANG2}); name one by their Slack id`,
    });
    const moved = await tally(
      'roster',
      'set',
      '张强',
      '--track',
      'aftersales',
      '--from',
      '2026-11-20',
      '--by',
      'AMY CHEN',
      '--json',
    );
    // Amy is an after-sales lead; 张强 is pre-sales: she may still move an agent below her
    expect(moved.code, moved.err).toBe(0);
    expect(moved.json<RosterSetJson>()).toMatchObject({ slackId: AGENT2, track: 'aftersales', by: AMY });
    const history = await tally('roster', 'history', '张强', '--json');
    expect(history.json<{ slackId: string }>().slackId).toBe(AGENT2);
  });

  it('names the admin of month reopen, the operator staying `cli` where --by may be left out', async () => {
    const closed = await tally('month', 'close', '2026-10', '--by', 'cli');
    expect(closed.code, closed.err).toBe(0);
    expect((await db.prisma.monthClose.findFirstOrThrow({ where: { month: '2026-10' } })).closedBy).toBe('cli');
    const reopened = await tally('month', 'reopen', '2026-10', '--why', 'a late file', '--by', '孙管理');
    expect(reopened.code, reopened.err).toBe(0);
    expect((await db.prisma.monthClose.findFirstOrThrow({ where: { month: '2026-10' } })).reopenedBy).toBe(ADMIN);
    const off = await tally('roster', 'deactivate', '张强', '--json');
    expect(off.code, off.err).toBe(0);
    expect(off.json<MemberJson>()).toMatchObject({ slackId: AGENT2, active: false });
    expect((await tally('roster', 'activate', '张强', '--by', '郑组长')).code).toBe(0);
  });

  it('loses to an id on the roster: ids work exactly as before', async () => {
    // UX0000001 is called "U00001001", but U00001001 is 李超's id
    const score = await tally('score', AGENT, '--month', '2026-10', '--json');
    expect(score.json<ScoreJson>()).toMatchObject({ slackId: AGENT, name: '李超' });
    const odd = await tally('score', ODD, '--month', '2026-10', '--json');
    expect(odd.json<ScoreJson>()).toMatchObject({ slackId: ODD, name: 'U00001001' });
    // an id not on the roster is refused as it always was
    await refused('U404 is not on the roster', 'penalty', 'add', 'U404', 'buck_passing', '--by', LEAD);
    await refused('cli is not on the roster', 'penalty', 'add', AGENT, 'buck_passing', '--by', 'cli');
  });
});

describe('a name several people have', () => {
  it('is refused with each of them and their ids, nothing written', async () => {
    await refused(
      `2 people on the roster are called 王芳: 王芳 (${WANG1}), 王芳 (${WANG2}); name one by their Slack id`,
      'penalty',
      'add',
      '王芳',
      'buck_passing',
      '--by',
      '郑组长',
    );
    // named by id, either one is meant
    const r = await tally('penalty', 'add', WANG2, 'buck_passing', '--by', '郑组长', '--json');
    expect(r.json<PenaltyAddJson>()).toMatchObject({ slackId: WANG2, name: '王芳' });
  });

  it('given to --as or --by, the refusal names the option', async () => {
    const r = await tally('say', '--as', '王芳', '/myscore');
    expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: '' });
    expect(r.err).toBe(
      `error: --as "王芳": 2 people on the roster are called that: 王芳 (${WANG1}), 王芳 (${WANG2}); name one by their Slack id`,
    );
  });
});

describe('a name nobody has', () => {
  it('suggests the close names: a typo, the same surname, a part of a name', async () => {
    await refused(
      `--by "郑祖长": nobody on the roster is called that; did you mean 郑组长 (${LEAD})?`,
      'penalty',
      'add',
      '李超',
      'buck_passing',
      '--by',
      '郑祖长',
    );
    await refused(
      `nobody on the roster is called 李朝; did you mean 李超 (${AGENT})?`,
      'penalty',
      'add',
      '李朝',
      'buck_passing',
      '--by',
      '郑组长',
    );
    await refused(
      `nobody on the roster is called amy; did you mean Amy Chen (${AMY})?`,
      'score',
      'amy',
      '--month',
      '2026-10',
    );
    await refused(
      `--by "王": nobody on the roster is called that; did you mean 王芳 (${WANG1}) or 王芳 (${WANG2})?`,
      'roster',
      'set',
      '李超',
      '--level',
      'senior',
      '--from',
      '2026-11-20',
      '--by',
      '王',
    );
  });

  it('suggests nothing when nothing is close', async () => {
    await refused('nobody on the roster is called 无名氏', 'score', '无名氏', '--month', '2026-10');
  });
});

describe('tally say', () => {
  it('takes a name for --as and prints what Slack would say, exit 0', async () => {
    const r = await tally('say', '--as', '郑组长', '/penalty @李超 buck_passing');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/已记录处罚 #\d+：@李超/);
  });

  it('exits 1 when the command was refused, printing the refusal as before', async () => {
    const before = await written();
    const r = await tally('say', '--as', '李超', '/penalty @张强 buck_passing');
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({
      code: 1,
      out: '🚫 只有组长、主管或管理员可以记录处罚。',
      err: '',
    });
    // the JSON of the refusal is printed too
    const json = await tally('say', '--as', '李超', '/penalty @张强 buck_passing', '--json');
    expect(json.code).toBe(1);
    expect(json.json<SayJson>().reply?.text).toBe(':no_entry_sign: 只有组长、主管或管理员可以记录处罚。');
    expect(await written()).toEqual(before);
    // a plain @name nobody has, inside the line: refused by the handler, exit 1
    expect((await tally('say', '--as', LEAD, '/penalty @无名氏 buck_passing')).code).toBe(1);
  });

  it('exits 2 for a line that is no command, 0 for /help', async () => {
    const wrong = await tally('say', '--as', LEAD, '/nonsense');
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/\/as <姓名\|Slack ID>/);
    expect((await tally('say', '--as', LEAD, '/help')).code).toBe(0);
  });
});

describe("the console's /as", () => {
  /** Types the lines into a console session; returns all it printed. */
  async function typed(...lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString('utf8')));
    input.end(`${lines.join('\n')}\n/quit\n`);
    await runConsole(
      { tally: tallyOn(db, '2026-11-20T10:00:00+08:00'), log: pino({ level: 'silent' }) },
      { input, output, interactive: false },
    );
    return out;
  }

  it('reads a name as the CLI does: any case, the candidates when several or none have it', async () => {
    const out = await typed('/as amy chen', '/as 王芳', '/as 郑祖长');
    expect(out).toContain(`你现在是 Amy Chen（${AMY}），组长。`);
    expect(out).toContain(`花名册上有 2 个人叫"王芳"：王芳（${WANG1}）、王芳（${WANG2}）。`);
    expect(out).toContain(`花名册上没有"郑祖长"，你要找的是不是 郑组长（${LEAD}）？`);
  });
});
