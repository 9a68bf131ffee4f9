// A policy that cannot be paid is refused by `policy set` (one line naming the field, exit 1,
// nothing written); the largest allowed money settings close a month exactly on either database.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFen } from '../../src/core/money.js';
import { DEFAULT_POLICY, MAX_SETTING_FEN } from '../../src/core/policy.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type PayrollJson, type PenaltyAddJson, type PolicyShowJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-policy-'));
function file(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const LEAD = 'U0LEAD001';
const TWO_TO_THE_31 = 2n ** 31n;

async function written(db: Database) {
  return { policies: await db.prisma.policyVersion.count(), audit: await db.prisma.auditLog.count() };
}

describe('policy set refuses a policy that cannot be paid', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  });
  afterAll(() => db.close());

  const refusals: Array<[string, unknown, RegExp]> = [
    [
      'a performance base of ¥1,000,000,000,000',
      { pay: { performanceBaseFen: 100_000_000_000_000 } },
      /^error: policy: pay\.performanceBaseFen: at most 100000000 fen \(¥1,000,000\)$/,
    ],
    ['a negative meal allowance', { pay: { mealAllowanceFen: -1 } }, /^error: policy: pay\.mealAllowanceFen: /],
    [
      'presales weights adding up to 5,000',
      {
        kpis: {
          presales: {
            service: { weight: 1000 },
            conversion: { weight: 1000 },
            order_value: { weight: 1000 },
            receptions: { weight: 1000 },
            refund_rate: { weight: 1000 },
          },
        },
      },
      /^error: policy: kpis\.presales: the presales KPI weights add up to 5000; they must add up to 100 \(weight-0 KPIs included\)$/,
    ],
    [
      'aftersales weights adding up to 70',
      { kpis: { aftersales: { resolution: { weight: 10 } } } },
      /^error: policy: kpis\.aftersales: the aftersales KPI weights add up to 70;/,
    ],
    [
      'two streak tiers for 3 months',
      {
        awards: {
          streakFen: [
            { minMonths: 3, fen: 30_000 },
            { minMonths: 2, fen: 20_000 },
            { minMonths: 3, fen: 40_000 },
          ],
        },
      },
      /^error: policy: awards\.streakFen\.2\.minMonths: two streak tiers for 3 months/,
    ],
    [
      "an alias that is another rule's code",
      {
        penalties: {
          rules: {
            steals_fraud: { label: { zh: '偷单', en: 'Stolen orders' }, aliases: ['fraud'], amountFen: 0, points: 20 },
          },
        },
      },
      /^error: policy: penalties\.rules\.steals_fraud\.aliases\.0: "fraud" is also the code of rule fraud; a lead typing it would mean either$/,
    ],
    [
      'a whitespace-only alias',
      { penalties: { rules: { personal_chat: { aliases: ['私聊', ' '] } } } },
      /^error: policy: penalties\.rules\.personal_chat\.aliases\.1: " " is only spaces or separators/,
    ],
    [
      'an alias that is a /penalty subcommand word',
      { penalties: { rules: { personal_chat: { aliases: ['私聊', '列表'] } } } },
      /^error: policy: penalties\.rules\.personal_chat\.aliases\.1: "列表" is a \/penalty subcommand word/,
    ],
  ];
  for (const [what, doc, message] of refusals) {
    it(`refuses ${what} in one line naming the field, and writes nothing`, async () => {
      const before = await written(db);
      const r = await tally('policy', 'set', file('bad.json', doc), '--from', '2026-12-01');
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(await written(db)).toEqual(before);
    });
  }

  it('reads at most 1 MB of a policy file: a bigger one, or an endless one, is refused in one line', async () => {
    const before = await written(db);
    // valid JSON, 2 MB of it: a retired rule's note padded
    const big = file('big.json', {
      penalties: { rules: { OLD: { retired: true, note: 'x'.repeat(2 * 1024 * 1024) } } },
    });
    for (const path of [big, '/dev/zero']) {
      const r = await tally('policy', 'set', path, '--from', '2026-12-01', '--by', LEAD);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`error: ${path} is larger than 1024 KB: not a file this command reads`);
    }
    expect(await written(db)).toEqual(before);
  });

  it('sorts streak tiers given in any order, so the right tier pays', async () => {
    const tiers = [
      { minMonths: 6, fen: 60_000 },
      { minMonths: 2, fen: 20_000 },
      { minMonths: 13, fen: 150_000 },
      { minMonths: 3, fen: 30_000 },
    ];
    const r = await tally(
      'policy',
      'set',
      file('tiers.json', { awards: { streakFen: tiers } }),
      '--from',
      '2026-12-01',
    );
    expect(r.code, r.err).toBe(0);
    const shown = (await tally('policy', 'show', '--on', '2026-12-01', '--json')).json<PolicyShowJson>();
    expect(shown.awards.streakFen.map((t: { minMonths: number }) => t.minMonths)).toEqual([2, 3, 6, 13]);
  });

  it('records a penalty typed as "late" under the rule whose alias is the full-width ｌａｔｅ', async () => {
    const late = { label: { zh: '迟到', en: 'Late login' }, aliases: ['ｌａｔｅ', '迟到'], amountFen: 1000, points: 1 };
    const set = await tally(
      'policy',
      'set',
      file('late.json', { penalties: { rules: { late_login: late } } }),
      '--from',
      '2026-11-05',
    );
    expect(set.code, set.err).toBe(0);
    const r = await tally('penalty', 'add', 'U00001001', 'late', '20', 'minutes', '--by', LEAD, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.json<PenaltyAddJson>()).toMatchObject({
      ruleCode: 'late_login',
      reason: '20 minutes',
      amountFen: 1000,
      points: 1,
    });
    // and typed full-width and in capitals
    expect(
      (await tally('penalty', 'add', 'U00001002', 'ＬＡＴＥ', '--by', LEAD, '--json')).json<PenaltyAddJson>(),
    ).toMatchObject({
      ruleCode: 'late_login',
    });
  });
});

describe('the largest allowed money settings close a month exactly', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  const AGENTS = ['U00001001', 'U00001002', 'U00001008', 'U00001011'];
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
    // a shop selling ¥100,000,000 a day (the import's limit) through each of four agents, all October
    const lines = ['date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,service_score'];
    for (let d = 1; d <= 31; d++) {
      AGENTS.forEach((id, i) =>
        lines.push(
          `2026-10-${String(d).padStart(2, '0')},${id},${100 + i},${50 + i},${120 + i},100000000.00,0,${90 + i}`,
        ),
      );
    }
    expect((await tally('metrics', 'import', file('october.csv', lines.join('\n')))).code).toBe(0);
  });
  afterAll(() => db.close());

  it('every money setting at ¥1,000,000 and commission at 100%: the close succeeds and stores each exact total', async () => {
    const max = MAX_SETTING_FEN;
    const policy = {
      pay: {
        baseFen: { trainee: max, regular: max, senior: max, lead: max, supervisor: max },
        performanceBaseFen: max,
        commissionBasisPoints: 10_000,
        mealAllowanceFen: max,
      },
      awards: { rankFen: { '1': max, '2': max }, streakFen: [{ minMonths: 2, fen: max }] },
      penalties: { maxAmountFen: max, alertSupervisorsFromFen: max },
    };
    const set = await tally('policy', 'set', file('max.json', policy), '--from', '2026-10-01', '--backdate');
    expect(set.code, set.err).toBe(0);
    const fine = await tally(
      'penalty',
      'add',
      'U00001011',
      'broke',
      'the',
      'till',
      '--amount',
      '1000000',
      '--on',
      '2026-10-20',
      '--by',
      LEAD,
    );
    expect(fine.code, fine.err).toBe(0);

    const live = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    const close = await tally('month', 'close', '2026-10');
    expect(close.code, close.err).toBe(0);
    const snapshots = await db.prisma.scoreSnapshot.findMany({
      where: { period: '2026-10' },
      include: { member: true },
    });
    expect(snapshots).toHaveLength(live.rows.length);
    for (const row of live.rows) {
      const terms =
        BigInt(row.baseFen) +
        BigInt(row.performanceFen) +
        BigInt(row.commissionFen) +
        BigInt(row.awardFen) +
        BigInt(row.mealFen) -
        BigInt(row.penaltyFen);
      expect(BigInt(row.totalFen)).toBe(terms > 0n ? terms : 0n);
      const snap = snapshots.find((s) => s.member.slackId === row.slackId)!;
      expect(snap.totalFen).toBe(BigInt(row.totalFen));
    }
    // the agents' totals are past what a 32-bit column holds: ¥31,000,000 commission alone
    for (const id of AGENTS)
      expect(snapshots.find((s) => s.member.slackId === id)!.totalFen).toBeGreaterThan(TWO_TO_THE_31);
    const frozen = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>();
    expect(frozen).toEqual({ ...live, closed: true });
  });
});

describe("payroll's team total is exact past 2^53", () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    expect((await tally('demo')).code).toBe(0);
  });
  afterAll(() => db.close());

  it('sums the rows as integers, to the fen, with a version stored before money settings were bounded', async () => {
    // written straight to the table, as a version accepted before the bound existed would be
    const legacy = { ...DEFAULT_POLICY, pay: { ...DEFAULT_POLICY.pay, performanceBaseFen: 999_999_999_999_999 } };
    await db.prisma.policyVersion.create({
      data: { effectiveFrom: fromDay('2026-10-01'), policy: JSON.parse(JSON.stringify(legacy)), setBy: 'test' },
    });
    const rows = (await tally('payroll', '--month', '2026-10', '--json')).json<PayrollJson>().rows;
    const exact = rows.reduce((s, r) => s + BigInt(r.totalFen), 0n);
    expect(exact).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    // adding the rows as doubles, as payroll did, lands some fen away from the exact total
    expect(BigInt(rows.reduce((s, r) => s + r.totalFen, 0))).not.toBe(exact);
    const human = await tally('payroll', '--month', '2026-10');
    expect(human.out).toContain(`${rows.length} people, ${formatFen(exact)} in all.`);
    // the month closes with those totals too
    expect((await tally('month', 'close', '2026-10')).code).toBe(0);
    const stored = await db.prisma.scoreSnapshot.findMany({ where: { period: '2026-10' }, select: { totalFen: true } });
    expect(stored.reduce((s, r) => s + r.totalFen, 0n)).toBe(exact);
  });
});
