// Issue 19, item 7: lists as a lead reads them. `penalty list` shows each penalty's appeal on the
// penalty's row (named by its id, as /accept 12 names it), rejected ones included, and so does Slack's /penalty list; `roster list` and
// the console's `/who` are sorted by track, then role from the top, then name; `rank` and `payroll`
// without a period show the last finished month in the team's time zone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import {
  cliOn,
  type CliResult,
  type PayrollJson,
  type PenaltyAddJson,
  type PenaltyListJson,
  type RankJson,
  type RosterListJson,
} from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const ADMIN = 'U0ADMIN01';
const SUPER = 'U0SUPER01';
const LEAD = 'U0LEAD001';
const LEAD2 = 'U0LEAD002';
const AGENT = 'U00001001'; // 李超
const AGENT2 = 'U00001002'; // 张强
const AGENT3 = 'U00001004'; // 陈明
const AFTER1 = 'U00001003'; // 刘军 (liu)
const AFTER2 = 'U00001006'; // 黄晨 (huang): before 刘军

let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;
const dir = mkdtempSync(join(tmpdir(), 'tally-lists-'));

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  const roster = join(dir, 'team.csv');
  // in no order: the file's order is not the list's
  writeFileSync(
    roster,
    [
      'slack_id,name,track,level,hired_on,role',
      `${AFTER2},黄晨,aftersales,regular,2025-02-20,agent`,
      `${AGENT2},张强,presales,regular,2025-10-07,agent`,
      `${LEAD2},冯组长,aftersales,lead,2022-08-01,lead`,
      `${AGENT},李超,presales,regular,2025-05-20,agent`,
      `${LEAD},郑组长,presales,lead,2022-05-16,lead`,
      `${AFTER1},刘军,aftersales,regular,2024-03-02,agent`,
      `${ADMIN},孙管理,presales,supervisor,2020-01-01,admin`,
      `${AGENT3},陈明,presales,trainee,2026-05-31,agent`,
      `${SUPER},周主管,presales,supervisor,2021-03-01,supervisor`,
      '',
    ].join('\n'),
  );
  expect((await tally('roster', 'import', roster)).code).toBe(0);
});
afterAll(() => db.close());

describe('penalty list', () => {
  it("shows each penalty's appeal on its row: waiting, accepted, rejected, closed by a revoke, or none", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await tally('penalty', 'add', AGENT, 'buck_passing', '--by', LEAD, '--json');
      expect(r.code, r.err).toBe(0);
      ids.push(r.json<PenaltyAddJson>().id);
    }
    const [accepted, rejected, waiting, closed, none] = ids as [number, number, number, number, number];
    for (const id of [accepted, rejected, waiting, closed])
      expect((await tally('say', '--as', AGENT, `/appeal ${id} the customer was someone else's`)).code).toBe(0);
    expect((await tally('say', '--as', LEAD, `/accept ${accepted} agreed`)).code).toBe(0);
    expect((await tally('say', '--as', LEAD, `/reject ${rejected} the log shows it`)).code).toBe(0);
    expect((await tally('penalty', 'revoke', String(closed), '--by', LEAD, '--why', 'recorded twice')).code).toBe(0);

    const list = await tally('penalty', 'list', '--json');
    const appeal = (id: number) => list.json<PenaltyListJson>().penalties.find((p) => p.id === id)!.appeal;
    expect(appeal(accepted)).toMatchObject({ status: 'accepted', decidedBy: LEAD, decision: 'agreed' });
    expect(appeal(rejected)).toMatchObject({
      status: 'rejected',
      decidedBy: LEAD,
      decidedByName: '郑组长',
      decision: 'the log shows it',
    });
    expect(appeal(waiting)).toMatchObject({ status: 'pending', decidedBy: null, decidedAt: null });
    expect(appeal(closed)).toMatchObject({ status: 'closed' });
    expect(appeal(none)).toBeNull();

    const text = (await tally('penalty', 'list')).out.split('\n');
    expect(text[0]).toMatch(/^ID +Date +Member +Rule +Amount +Points +Status +Appeal +Reason$/);
    const row = (id: number) => text.find((l) => l.startsWith(`#${id} `))!;
    // the appeal is on its penalty's row, named by the penalty's id as /accept and /reject name it
    expect(row(accepted)).toMatch(/revoked: .* +accepted by 郑组长 \(U0LEAD001\): agreed/);
    expect(row(rejected)).toMatch(/ active +rejected by 郑组长 \(U0LEAD001\): the log shows it +/);
    expect(row(waiting)).toMatch(/ active +waiting +/);
    expect(row(closed)).toMatch(/revoked: recorded twice +closed \(revoked\) +/);
    expect(row(none)).toMatch(/ active +踢皮球$/);

    // Slack's /penalty list says it too, in the team's language
    const slack = (await tally('say', '--as', LEAD, '/penalty list @李超')).out.split('\n');
    const line = (id: number) => slack.find((l) => l.startsWith(`#${id} `))!;
    expect(line(accepted)).toMatch(/扣 2 分 已撤销 \(申诉已通过\)$/);
    expect(line(rejected)).toMatch(/扣 2 分 \(申诉已驳回\)$/);
    expect(line(waiting)).toMatch(/\(申诉待处理\)/);
    expect(line(closed)).toMatch(/扣 2 分 已撤销 \(申诉已关闭\)$/);
    expect(line(none)).not.toMatch(/申诉/);
  });
});

// track (pre-sales, then after-sales), role from the top (admin, supervisor, lead, agent), name (pinyin)
const ORDER = [ADMIN, SUPER, LEAD, AGENT3, AGENT, AGENT2, LEAD2, AFTER2, AFTER1];

describe('roster list and /who', () => {
  it('roster list is sorted by track, role from the top, then name', async () => {
    const json = (await tally('roster', 'list', '--json')).json<RosterListJson>();
    expect(json.members.map((m) => m.slackId)).toEqual(ORDER);
    const text = (await tally('roster', 'list')).out.split('\n').slice(2);
    expect(text.map((l) => l.split(' ')[0])).toEqual(ORDER);
  });

  it("the console's /who lists them in the same order, deactivated members in their place", async () => {
    expect((await tally('roster', 'deactivate', AGENT2)).code).toBe(0);
    const who = await tally('say', '--as', LEAD, '/who');
    expect(who.code, who.err).toBe(0);
    expect(who.out.split('\n').map((l) => l.split(' ')[0])).toEqual(ORDER);
    expect(who.out.split('\n')[5]).toMatch(/^U00001002 {2}张强 {2}售前 {2}客服 \(/);
    // roster list leaves them out, --all puts them back in their place
    expect((await tally('roster', 'list', '--json')).json<RosterListJson>().members.map((m) => m.slackId)).toEqual(
      ORDER.filter((id) => id !== AGENT2),
    );
    const all = (await tally('roster', 'list', '--all', '--json')).json<RosterListJson>();
    expect(all.members.map((m) => m.slackId)).toEqual(ORDER);
    expect((await tally('roster', 'activate', AGENT2)).code).toBe(0);
  });
});

describe('rank and payroll without a period', () => {
  // 00:30 on the 1st in Shanghai is still the 30th in UTC: the team's calendar decides
  const firstOfDecember = () => cliOn(db, { TALLY_NOW: '2026-12-01T00:30:00+08:00' });
  const lastOfNovember = () => cliOn(db, { TALLY_NOW: '2026-11-30T23:30:00+08:00' });

  it('show the last finished month in the team time zone', async () => {
    expect((await firstOfDecember()('rank', '--json')).json<RankJson>().period).toBe('2026-11');
    expect((await firstOfDecember()('payroll', '--json')).json<PayrollJson>().month).toBe('2026-11');
    expect((await lastOfNovember()('rank', '--json')).json<RankJson>().period).toBe('2026-10');
    expect((await lastOfNovember()('payroll', '--json')).json<PayrollJson>().month).toBe('2026-10');
    expect((await firstOfDecember()('rank')).out).toMatch(/^Ranking 2026-11, pre-sales 售前$/m);
    expect((await firstOfDecember()('payroll')).out).toMatch(/^Payroll 2026-11$/m);
  });

  it('and an explicit period still wins', async () => {
    expect((await firstOfDecember()('rank', '--month', '2026-09', '--json')).json<RankJson>().period).toBe('2026-09');
    expect((await firstOfDecember()('rank', '--day', '2026-11-30', '--json')).json<RankJson>().period).toBe(
      '2026-11-30',
    );
    expect((await firstOfDecember()('payroll', '--month', '2026-09', '--json')).json<PayrollJson>().month).toBe(
      '2026-09',
    );
  });
});
