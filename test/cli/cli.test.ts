// The admin CLI end to end on a fresh database: the examples go in, rankings and payroll come out.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import {
  cliOn,
  type CliResult,
  type MetricsImportJson,
  type PayrollJson,
  type PenaltyAddJson,
  type PenaltyListJson,
  type PolicyShowJson,
  type RankJson,
  type RosterImportJson,
  type RosterListJson,
  type ScoreJson,
} from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;
const LEAD = 'U0LEAD001';
const AGENT = 'U00001008';

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  expect((await tally('metrics', 'import', 'examples/metrics.csv')).code).toBe(0);
});
afterAll(() => db.close());

async function counts() {
  return {
    members: await db.prisma.member.count(),
    metrics: await db.prisma.dailyMetric.count(),
    penalties: await db.prisma.penalty.count(),
    revoked: await db.prisma.penalty.count({ where: { status: 'revoked' } }),
    policies: await db.prisma.policyVersion.count(),
  };
}

describe('import', () => {
  it('imports the example roster and metrics', async () => {
    expect(await counts()).toMatchObject({ members: 15, metrics: 695 });
  });

  it('re-importing the roster updates and never deletes', async () => {
    const r = await tally(
      'roster',
      'import',
      file('one.csv', 'slack_id,name,track,level,hired_on,role\nU00001001,李超,presales,senior,2025-05-20,agent\n'),
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.json<RosterImportJson>()).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect((await counts()).members).toBe(15);
    const list = (await tally('roster', 'list', '--json')).json<RosterListJson>().members;
    expect(list.find((m) => m.slackId === 'U00001001')!.level).toBe('senior');
  });

  it('keeps a lead a lead when a roster file has no role column', async () => {
    const r = await tally(
      'roster',
      'import',
      file('norole.csv', 'slack_id,name,track,level,hired_on\nU0LEAD001,郑组长,presales,lead,2022-05-16\n'),
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { slackId: 'U0LEAD001' } })).role).toBe('lead');
  });

  it('names the column as the file wrote it when a row is refused after parsing', async () => {
    const r = await tally('metrics', 'import', file('zh-ghost.csv', '日期,客服ID,接待人数\n2026-10-30,U404,5\n'));
    expect(r.err).toBe(
      'error: zh-ghost.csv line 2, column 客服ID: U404 is not on the roster (import the roster first)',
    );
  });

  it('refuses metrics dated before the agent was hired', async () => {
    const r = await tally('metrics', 'import', file('early.csv', 'date,slack_id,receptions\n2026-08-01,U00001007,5\n'));
    expect(r.err).toBe('error: early.csv line 2, column date: 2026-08-01 is before U00001007 was hired (2026-08-10)');
  });

  it('accepts Chinese headers and values, and re-importing a member-day replaces it', async () => {
    const header = '日期,客服ID,询单人数,成交人数,接待人数,销售额,退款人数,处理数,解决数,服务得分,平均响应时间\n';
    const r = await tally(
      'metrics',
      'import',
      file('zh.csv', `${header}2026-10-31,U00001001,10,4,12,1234.56,,,,95,30\n`),
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.json<MetricsImportJson>()).toMatchObject({ rows: 1, members: 1, from: '2026-10-31' });
    const where = { member: { slackId: 'U00001001' }, day: new Date('2026-10-31T00:00:00Z') };
    expect(await db.prisma.dailyMetric.findFirstOrThrow({ where })).toMatchObject({
      inquiries: 10,
      paidCustomers: 4,
      receptions: 12,
      gmvFen: 123456n,
      refundCustomers: null,
      serviceScore: 95,
    });
    const rows = (await counts()).metrics;
    const path = file('zh2.csv', `${header}2026-10-31,U00001001,20,5,,99.9,,,,,\n`);
    expect((await tally('metrics', 'import', path)).out).toBe(
      `Imported ${path}: 1 row for 1 member, 2026-10-31 to 2026-10-31.`,
    );
    expect((await counts()).metrics).toBe(rows);
    expect(await db.prisma.dailyMetric.findFirstOrThrow({ where })).toMatchObject({
      inquiries: 20,
      paidCustomers: 5,
      receptions: null,
      gmvFen: 9990n,
      serviceScore: null,
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown slack id', '2026-10-01,U404,1,1,1,1,,,,90,10', /line 2, column slack_id: U404 is not on the roster/],
    [
      'a date that does not exist',
      '2026-02-30,U00001001,1,1,1,1,,,,90,10',
      /line 2, column date: "2026-02-30" is not a date that exists/,
    ],
    [
      'a negative count',
      '2026-10-01,U00001001,-1,0,1,1,,,,90,10',
      /line 2, column inquiries: "-1" is not a whole number/,
    ],
    ['a non-numeric count', '2026-10-01,U00001001,ten,0,1,1,,,,90,10', /column inquiries: "ten" is not a whole number/],
    [
      'gmv with 3 decimals',
      '2026-10-01,U00001001,5,1,1,12.345,,,,90,10',
      /column gmv: "12.345" has more than 2 decimals/,
    ],
    [
      'service score over 100',
      '2026-10-01,U00001001,5,1,1,12,,,,100.5,10',
      /column service_score: 100.5 is outside 0–100/,
    ],
    [
      'paid customers over inquiries',
      '2026-10-01,U00001001,5,6,1,12,,,,90,10',
      /column paid_customers: 6 paid customers is more than 5 inquiries/,
    ],
    ['resolved over cases', '2026-10-01,U00001003,,,1,,,3,4,90,10', /column resolved: 4 resolved is more than 3 cases/],
    ['a future day', '2026-11-06,U00001001,5,1,1,12,,,,90,10', /column date: 2026-11-06 is in the future/],
  ];
  for (const [what, line, message] of bad) {
    it(`refuses ${what} with one line naming file, line and column, and writes nothing`, async () => {
      const before = await counts();
      const good = '2026-10-02,U00001001,5,1,1,12,,,,90,10';
      const r = await tally(
        'metrics',
        'import',
        file(
          'bad.csv',
          `date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec\n${good}\n${line.replace('line 2', 'line 3')}\n`,
        ),
      );
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^error: bad\.csv line 3/);
      expect(r.err).toMatch(new RegExp(message.source.replace('line 2', 'line 3')));
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses an unknown column and a roster row with a bad track', async () => {
    const r1 = await tally('metrics', 'import', file('col.csv', 'date,slack_id,gmvv\n2026-10-01,U00001001,1\n'));
    expect(r1.err).toMatch(/col\.csv line 1, column 3: unknown column "gmvv"/);
    const r2 = await tally(
      'roster',
      'import',
      file('r.csv', 'slack_id,name,track,level,hired_on,role\nU9,X,warehouse,regular,2026-01-01,agent\n'),
    );
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/r\.csv line 2, column track: "warehouse" is not a track/);
    expect((await counts()).members).toBe(15);
  });
});

describe('rank, score and payroll', () => {
  it('ranks a month per track with the stable JSON shape', async () => {
    const r = await tally('rank', '--month', '2026-10', '--json');
    const body = r.json<RankJson>();
    expect(body.period).toBe('2026-10');
    expect(Object.keys(body.rows[0]!)).toEqual(['slackId', 'name', 'track', 'score', 'rank']);
    const pre = body.rows.filter((x) => x.track === 'presales');
    expect(pre.length).toBe(8);
    expect(body.rows.filter((x) => x.track === 'aftersales').length).toBe(4);
    expect(pre[0]!.rank).toBe(1);
    for (let i = 1; i < pre.length; i++) expect(pre[i]!.score).toBeLessThanOrEqual(pre[i - 1]!.score);
    const human = await tally('rank', '--month', '2026-10', '--track', 'aftersales');
    expect(human.out).toMatch(/Ranking 2026-10, after-sales/);
    expect(human.out).not.toMatch(/pre-sales/);
  });

  it("ranks a day from that day's rows only", async () => {
    const day = (await tally('rank', '--day', '2026-10-15', '--json')).json<RankJson>();
    const month = (await tally('rank', '--month', '2026-10', '--json')).json<RankJson>();
    expect(day.period).toBe('2026-10-15');
    expect(day.rows.map((r) => r.score)).not.toEqual(month.rows.map((r) => r.score));
  });

  it('explains one score KPI by KPI, and its points add up to the score', async () => {
    const s = (await tally('score', AGENT, '--month', '2026-10', '--json')).json<ScoreJson>();
    const payslip = s.payslip!;
    expect(s.kpis.map((k) => k.key)).toEqual([
      'service',
      'conversion',
      'order_value',
      'receptions',
      'refund_rate',
      'response_time',
    ]);
    const sum = s.kpis.reduce((a, k) => a + k.points, 0) - s.penaltyPoints;
    expect(Math.abs(sum - s.score!)).toBeLessThan(0.006);
    expect(s.rank).toBeGreaterThanOrEqual(1);
    expect(payslip.totalFen).toBe(
      payslip.baseFen +
        payslip.performanceFen +
        payslip.commissionFen +
        payslip.awardFen +
        payslip.mealFen -
        payslip.penaltyFen,
    );
    expect(payslip.performanceFen).toBe(Math.floor((Math.round(s.score! * 100) * 40_000 + 5_000) / 10_000));
  });

  it('pays everyone on the roster with the stable JSON shape, and the CSV says the same', async () => {
    const p = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    expect(p.month).toBe('2026-10');
    expect(p.rows).toHaveLength(15);
    expect(Object.keys(p.rows[0]!).slice(0, 12)).toEqual([
      'slackId',
      'name',
      'baseFen',
      'performanceFen',
      'commissionFen',
      'awardFen',
      'mealFen',
      'penaltyFen',
      'totalFen',
      'commissionForfeited',
      'dismissalFlag',
      'rotationFlag',
    ]);
    for (const r of p.rows) {
      for (const k of [
        'baseFen',
        'performanceFen',
        'commissionFen',
        'awardFen',
        'mealFen',
        'penaltyFen',
        'totalFen',
      ] as const)
        expect(Number.isSafeInteger(r[k])).toBe(true);
    }
    const trainee = p.rows.find((r) => r.slackId === 'U00001004');
    expect(trainee).toMatchObject({
      baseFen: 180_000,
      performanceFen: 0,
      commissionFen: 0,
      awardFen: 0,
      mealFen: 30_000,
    });
    const lead = p.rows.find((r) => r.slackId === 'U0LEAD001');
    expect(lead).toMatchObject({ baseFen: 350_000, performanceFen: 0, totalFen: 380_000, score: null });
    // award rank 1 in each track gets an award; the recent hire (hired 2026-08-10) gets none
    expect(p.rows.find((r) => r.slackId === 'U00001007')!.awardFen).toBe(0);
    expect(p.rows.filter((r) => r.awardRank === 1).every((r) => r.awardFen >= 10_000)).toBe(true);
    // the file itself is tested in test/export/payroll-file.test.ts
    const csv = (await tally('payroll', '--month', '2026-10', '--csv')).raw.split('\r\n');
    expect(csv[0]).toBe(
      '\uFEFF客服ID,姓名,岗位,级别,得分,排名,底薪,绩效,提成,排名奖,餐补,罚款,合计,提成取消,标记开除,调仓库学习',
    );
    const first = csv[1]!.split(',');
    const row0 = p.rows[0]!;
    expect(first[0]).toBe(row0.slackId);
    expect(first[12]).toBe((row0.totalFen / 100).toFixed(2));
    const yesNo = (b: boolean) => (b ? '是' : '否');
    expect(first.slice(13)).toEqual([
      yesNo(row0.commissionForfeited),
      yesNo(row0.dismissalFlag),
      yesNo(row0.rotationFlag),
    ]);
    const human = (await tally('payroll', '--month', '2026-10')).out;
    expect(human).toMatch(/¥3,800\.00/);
    expect(human).toMatch(/15 people, ¥[\d,]+\.\d\d in all/);
  });

  it('refuses a malformed period', async () => {
    expect((await tally('rank', '--month', '2026-13')).err).toBe('error: "2026-13" is not a month (YYYY-MM)');
    expect((await tally('rank', '--day', '2026-02-30')).err).toBe(
      'error: "2026-02-30" is not a date that exists (YYYY-MM-DD)',
    );
    expect((await tally('score', 'U00001001')).err).toMatch(/say which period/);
    expect((await tally('rank', '--month', '2026-10', '--track', 'warehouse')).err).toMatch(/--track "warehouse"/);
    expect((await tally('score', 'U404', '--month', '2026-10')).err).toBe('error: U404 is not on the roster');
  });
});

describe('penalties', () => {
  it("records a rule penalty with its id, and the 4th buck passing forfeits the month's commission", async () => {
    const before = (await tally('payroll', '--month', '2026-10', '--json'))
      .json<PayrollJson>()
      .rows.find((r) => r.slackId === AGENT)!;
    expect(before.commissionFen).toBeGreaterThan(0);
    const ids: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = await tally(
        'penalty',
        'add',
        AGENT,
        'buck_passing',
        'ignored',
        'a',
        'customer',
        '--on',
        `2026-10-0${i}`,
        '--by',
        LEAD,
        '--json',
      );
      expect(r.code, r.err).toBe(0);
      const p = r.json<PenaltyAddJson>();
      expect(p).toMatchObject({
        slackId: AGENT,
        ruleCode: 'buck_passing',
        amountFen: 5000,
        points: 2,
        reason: 'ignored a customer',
        monthCount: i,
        status: 'active',
        recordedBy: LEAD,
      });
      expect(p.triggered).toEqual(i === 4 ? [{ fromCount: 4, action: 'forfeit_commission' }] : []);
      ids.push(p.id);
    }
    const human = await tally('penalty', 'add', AGENT, '踢皮球', '--on', '2026-10-05', '--by', LEAD);
    expect(human.out).toMatch(
      /^Penalty #\d+ recorded: .*buck_passing \(踢皮球\), 5th this month, ¥50\.00, 2 points, on 2026-10-05\.$/,
    );
    const after = (await tally('payroll', '--month', '2026-10', '--json'))
      .json<PayrollJson>()
      .rows.find((r) => r.slackId === AGENT);
    expect(after).toMatchObject({ commissionFen: 0, commissionForfeited: true, penaltyFen: 25_000 });
    const score = (await tally('score', AGENT, '--month', '2026-10', '--json')).json<ScoreJson>();
    expect(score.penaltyPoints).toBe(10);
    // a day's score counts that day's points, and shows the month's forfeiture
    const day = (await tally('score', AGENT, '--day', '2026-10-04', '--json')).json<ScoreJson>();
    expect(day.penaltyPoints).toBe(2);
    expect(day.penalties).toMatchObject({ count: 1, commissionForfeited: true });

    // revoking two brings it back under the threshold: commission restored, money and points returned
    for (const id of ids.slice(0, 2))
      expect(
        (await tally('penalty', 'revoke', String(id), '--by', 'U0SUPER01', '--why', 'served by a colleague')).code,
      ).toBe(0);
    const restored = (await tally('payroll', '--month', '2026-10', '--json'))
      .json<PayrollJson>()
      .rows.find((r) => r.slackId === AGENT);
    expect(restored).toMatchObject({
      commissionFen: before.commissionFen,
      commissionForfeited: false,
      penaltyFen: 15_000,
    });
    expect(await db.prisma.penalty.count({ where: { member: { slackId: AGENT } } })).toBe(5);
  });

  it("adds the lead's loss to order_change_missed and takes a free reason with an amount", async () => {
    const r = (
      await tally(
        'penalty',
        'add',
        'U00001001',
        'order_change_missed',
        '--loss',
        '35.5',
        '--on',
        '2026-10-09',
        '--by',
        LEAD,
        '--json',
      )
    ).json<PenaltyAddJson>();
    expect(r).toMatchObject({ amountFen: 5550, lossFen: 3550, points: 1 });
    const f = (
      await tally(
        'penalty',
        'add',
        'U00001001',
        'broke',
        'the',
        'headset',
        '--amount',
        '80',
        '--on',
        '2026-10-10',
        '--by',
        LEAD,
        '--json',
      )
    ).json<PenaltyAddJson>();
    expect(f).toMatchObject({ ruleCode: null, reason: 'broke the headset', amountFen: 8000, points: 0, triggered: [] });
    const list = (
      await tally('penalty', 'list', '--member', 'U00001001', '--month', '2026-10', '--json')
    ).json<PenaltyListJson>().penalties;
    expect(list.map((p) => p.amountFen)).toEqual([5550, 8000]);
  });

  it('store deductions: the 3rd in a month flags dismissal', async () => {
    let last: PenaltyAddJson | undefined;
    for (let i = 1; i <= 3; i++)
      last = (
        await tally('penalty', 'add', 'U00001010', 'store_deduction', '--on', `2026-10-1${i}`, '--by', LEAD, '--json')
      ).json<PenaltyAddJson>();
    expect(last!.triggered).toEqual([{ fromCount: 3, action: 'dismissal' }]);
    const row = (await tally('payroll', '--month', '2026-10', '--json'))
      .json<PayrollJson>()
      .rows.find((r) => r.slackId === 'U00001010');
    expect(row).toMatchObject({ dismissalFlag: true, commissionForfeited: true, penaltyFen: 150_000 });
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['an unknown rule code', [AGENT, 'buck_pasing', '--by', LEAD], /unknown rule "buck_pasing"/],
    ['a free reason without amount', [AGENT, 'was', 'rude', '--by', LEAD], /is not a rule, so it needs an amount/],
    ['a negative amount', [AGENT, 'was', 'rude', '--amount', '-5', '--by', LEAD], /--amount "-5"/],
    ['a non-numeric amount', [AGENT, 'was', 'rude', '--amount', '5x', '--by', LEAD], /--amount "5x"/],
    ['an absurd amount', [AGENT, 'was', 'rude', '--amount', '100000.01', '--by', LEAD], /over the ¥100,000.00 limit/],
    [
      'a reason over 500 characters',
      [AGENT, 'x'.repeat(501), '--amount', '5', '--by', LEAD],
      /501 characters; at most 500/,
    ],
    [
      'a future date',
      [AGENT, 'buck_passing', '--on', '2026-11-06', '--by', LEAD],
      /2026-11-06 is in the future \(today is 2026-11-05\)/,
    ],
    [
      'a date that does not exist',
      [AGENT, 'buck_passing', '--on', '2026-02-30', '--by', LEAD],
      /--on "2026-02-30": not a date that exists/,
    ],
    [
      'an agent recording it',
      [AGENT, 'buck_passing', '--by', 'U00001001'],
      /is an agent; only a lead, supervisor or admin may record penalties/,
    ],
    ['a lead penalising themselves', [LEAD, 'buck_passing', '--by', LEAD], /nobody may penalise themselves/],
    ['a member not on the roster', ['U404', 'buck_passing', '--by', LEAD], /U404 is not on the roster/],
    [
      'a changed amount on a rule',
      [AGENT, 'buck_passing', '--amount', '500', '--by', LEAD],
      /costs ¥50.00 by the rulebook/,
    ],
    [
      'an order change without the loss',
      [AGENT, 'order_change_missed', '--by', LEAD],
      /adds the customer's loss to ¥20.00: give the loss/,
    ],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what} in one line and writes nothing`, async () => {
      const before = await counts();
      const r = await tally('penalty', 'add', ...args);
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses to revoke twice, or a penalty that does not exist', async () => {
    const id = (
      await tally('penalty', 'add', 'U00001002', 'personal_chat', '--on', '2026-10-20', '--by', LEAD, '--json')
    ).json<PenaltyAddJson>().id;
    expect((await tally('penalty', 'revoke', String(id), '--by', LEAD, '--why', 'wrong person')).code).toBe(0);
    const before = await counts();
    const again = await tally('penalty', 'revoke', String(id), '--by', 'U0SUPER01', '--why', 'again');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(
      new RegExp(`penalty #${id} was already revoked by 郑组长 on \\d{4}-\\d\\d-\\d\\d: wrong person`),
    );
    expect((await tally('penalty', 'revoke', '99999', '--by', LEAD, '--why', 'x')).err).toBe(
      'error: there is no penalty #99999',
    );
    expect((await tally('penalty', 'revoke', '99999999999', '--by', LEAD, '--why', 'x')).err).toBe(
      'error: there is no penalty #99999999999',
    );
    expect(await counts()).toEqual(before);
    const shown = (await tally('penalty', 'list', '--member', 'U00001002', '--json'))
      .json<PenaltyListJson>()
      .penalties.find((p) => p.id === id);
    expect(shown).toMatchObject({ status: 'revoked', revokedBy: LEAD, revokeReason: 'wrong person' });
  });

  it('keeps an audit trail of what was done and by whom', async () => {
    const actions = await db.prisma.auditLog.findMany({
      where: { action: { in: ['penalty.record', 'penalty.revoke'] } },
    });
    expect(actions.filter((a) => a.action === 'penalty.revoke').map((a) => a.actor)).toContain('U0SUPER01');
    expect(actions.filter((a) => a.action === 'penalty.record').length).toBe(await db.prisma.penalty.count());
  });
});

describe('roster deactivate', () => {
  it("deactivates without deleting; a deactivated member cannot be penalised and stays on that month's payroll", async () => {
    expect((await tally('roster', 'deactivate', 'U00001011')).out).toMatch(/deactivated/);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { slackId: 'U00001011' } })).active).toBe(false);
    expect((await tally('penalty', 'add', 'U00001011', 'buck_passing', '--by', LEAD)).err).toMatch(/no longer active/);
    expect((await tally('roster', 'deactivate', 'U00001011')).err).toMatch(/already deactivated/);
    // deactivated on 2026-11-05 (TALLY_NOW): still paid for October
    expect(
      (await tally('payroll', '--month', '2026-10', '--json'))
        .json<PayrollJson>()
        .rows.some((r) => r.slackId === 'U00001011'),
    ).toBe(true);
    const again = await tally('roster', 'import', 'examples/roster.csv', '--json');
    expect(again.json<RosterImportJson>().inactive).toEqual(['U00001011']);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { slackId: 'U00001011' } })).active).toBe(false);
  });
});

describe('demo', () => {
  it('refuses to load into a database that has a roster', async () => {
    expect((await tally('demo')).err).toBe(
      'error: the roster is not empty: the demo team only goes into a new database',
    );
  });
});

describe('policy', () => {
  it('shows the default policy and changes it from a date on, without rewriting the past', async () => {
    const shown = (await tally('policy', 'show', '--json')).json<PolicyShowJson>();
    expect(shown.penalties.rules.buck_passing!.amountFen).toBe(5000);
    const oct = (await tally('rank', '--month', '2026-10', '--json')).json<RankJson>();
    // weights move between KPIs and still add up to 100: 50 + 15 + 20 + 10 + 5
    const path = file(
      'policy.json',
      JSON.stringify({
        kpis: { presales: { service: { weight: 50 }, conversion: { weight: 15 } } },
        penalties: { rules: { buck_passing: { amountFen: 8000 } } },
      }),
    );
    const set = await tally('policy', 'set', path, '--from', '2026-12-01');
    expect(set.code, set.err).toBe(0);
    expect(
      (await tally('policy', 'show', '--on', '2026-11-30', '--json')).json<PolicyShowJson>().penalties.rules
        .buck_passing!.amountFen,
    ).toBe(5000);
    const dec = (await tally('policy', 'show', '--on', '2026-12-01', '--json')).json<PolicyShowJson>();
    expect(dec.penalties.rules.buck_passing!.amountFen).toBe(8000);
    expect(dec.kpis.presales.service!.weight).toBe(50);
    expect(dec.kpis.presales.conversion!.weight).toBe(15);
    expect(dec.kpis.presales.order_value!.weight).toBe(20);
    expect((await tally('rank', '--month', '2026-10', '--json')).json<RankJson>()).toEqual(oct);
  });

  it('names the bad field of a bad policy file and stores nothing', async () => {
    const before = await counts();
    const bad = await tally(
      'policy',
      'set',
      file('bad.json', JSON.stringify({ pay: { mealAllowanceFen: -1 } })),
      '--from',
      '2027-01-01',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: policy: pay\.mealAllowanceFen: /);
    const typo = await tally('policy', 'set', file('typo.json', JSON.stringify({ kpiz: {} })), '--from', '2027-01-01');
    expect(typo.err).toMatch(/kpiz/);
    const notJson = await tally('policy', 'set', file('x.json', '{ nope'), '--from', '2027-01-01');
    expect(notJson.err).toMatch(/x\.json:1:3: expected a key in double quotes, found 'nope'$/);
    const past = await tally('policy', 'set', file('ok.json', '{}'), '--from', '2026-10-01');
    expect(past.err).toMatch(/before today \(2026-11-05\).*--backdate/);
    expect(await counts()).toEqual(before);
  });
});
