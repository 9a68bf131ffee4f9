// A penalty changes one member's month, and the cached month is updated for that member alone
// (src/service/scores.ts, updatePeriod). Whatever sequence of penalties, revocations and metric
// writes comes in, the updated results must equal the month scored afresh from its rows.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { forgetResults } from '../../src/service/cache.js';
import { closeMonth, reopenMonth, TERMINAL } from '../../src/service/months.js';
import type { Tally } from '../../src/service/context.js';
import { recordPenalty, revokePenalty } from '../../src/service/penalties.js';
import { memberScore, monthResults, payroll } from '../../src/service/scores.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const NOW = '2026-11-05T10:00:00+08:00';
const LEAD = 'U0LEAD001';
const MONTH = '2026-10';
const RULES = ['buck_passing', 'personal_chat', 'named_complaint', 'store_deduction'];

let db: Database;
let t: Tally;
let agents: Array<{ id: number; slackId: string }>;

beforeAll(async () => {
  db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  t = tallyOn(db, NOW);
  agents = await db.prisma.member.findMany({ where: { role: 'agent' }, select: { id: true, slackId: true } });
});
afterAll(() => db.close());

/** What a lead and an agent see of the month: payroll (score, rank, award, pay) and one member's day. */
async function seen(tally: Tally, slackId: string) {
  const month = await payroll(tally, MONTH);
  const results = await monthResults(tally, MONTH);
  const day = await memberScore(tally, slackId, { kind: 'day', day: '2026-10-15' });
  const mine = await memberScore(tally, slackId, { kind: 'month', month: MONTH });
  return {
    payroll: month.rows.map((r) => ({
      who: r.member.slackId,
      score: r.standing?.score.scoreHundredths ?? null,
      rank: r.standing?.score.rank ?? null,
      award: r.standing?.award ?? null,
      payslip: r.payslip,
      penalties: r.penalties,
    })),
    ranked: Object.fromEntries(Object.entries(results.tracks).map(([k, v]) => [k, v.map((s) => s.member.slackId)])),
    day: { standing: day.standing?.score ?? null, penalties: day.penalties, ranked: day.ranked },
    mine: { standing: mine.standing?.score ?? null, payslip: mine.payslip },
  };
}

/** The same questions with every cached result dropped first: scored afresh from the rows. */
async function fresh(slackId: string) {
  forgetResults(t);
  return seen(t, slackId);
}

type Step =
  | { kind: 'penalty'; agent: number; rule: number; day: number }
  | { kind: 'revoke'; pick: number }
  | { kind: 'metrics'; agent: number; day: number; paid: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('penalty' as const),
      agent: fc.nat(),
      rule: fc.nat(),
      day: fc.integer({ min: 1, max: 31 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('revoke' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('metrics' as const),
      agent: fc.nat(),
      day: fc.integer({ min: 1, max: 31 }),
      paid: fc.integer({ min: 0, max: 40 }),
    }),
  },
);

async function apply(s: Step): Promise<void> {
  const day = (n: number) => `${MONTH}-${String(n).padStart(2, '0')}`;
  if (s.kind === 'penalty') {
    const agent = agents[s.agent % agents.length]!;
    await recordPenalty(t, { slackId: agent.slackId, by: LEAD, text: RULES[s.rule % RULES.length]!, on: day(s.day) });
  } else if (s.kind === 'revoke') {
    const active = await db.prisma.penalty.findMany({ where: { status: 'active' }, orderBy: { id: 'asc' } });
    if (active.length) await revokePenalty(t, { id: active[s.pick % active.length]!.id, by: LEAD, why: 'a mistake' });
  } else {
    const agent = agents[s.agent % agents.length]!;
    const key = { memberId_day: { memberId: agent.id, day: fromDay(day(s.day)) } };
    await db.prisma.dailyMetric.upsert({
      where: key,
      update: { paidCustomers: s.paid },
      create: { memberId: agent.id, day: fromDay(day(s.day)), inquiries: 50, paidCustomers: s.paid, receptions: 50 },
    });
  }
}

describe('a cached month updated for the members a write names', () => {
  it('equals the month scored afresh after any sequence of penalties, revocations and metric writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), fc.nat(), async (steps, who) => {
        const slackId = agents[who % agents.length]!.slackId;
        await seen(t, slackId); // cached before the writes
        for (const s of steps) {
          await apply(s);
          const updated = await seen(t, slackId);
          expect(updated).toEqual(await fresh(slackId));
        }
      }),
      { numRuns: 8 },
    );
  });

  it('reads only the penalised member again, not the whole roster', async () => {
    const agent = agents[3]!;
    await monthResults(t, MONTH);
    await recordPenalty(t, { slackId: agent.slackId, by: LEAD, text: 'buck_passing', on: '2026-10-20' });
    const reads: string[] = [];
    const counting: Tally = {
      clock: t.clock,
      db: t.db.$extends({
        query: {
          $allModels: {
            $allOperations: ({ model, operation, args, query }) => (reads.push(`${model}.${operation}`), query(args)),
          },
        },
      }) as unknown as Tally['db'],
    };
    // the extended client shares the cache only through its own entry: warm it, then write, then read
    await monthResults(counting, MONTH);
    reads.length = 0;
    await recordPenalty(t, { slackId: agent.slackId, by: LEAD, text: 'personal_chat', on: '2026-10-21' });
    const after = await monthResults(counting, MONTH);
    expect(reads).not.toContain('Member.findMany');
    expect(reads.filter((r) => r === 'Penalty.findMany')).toHaveLength(1);
    expect(after.penalties.get(agent.id)?.active.map((p) => p.ruleCode)).toContain('personal_chat');
  });

  it("forgets a month's logged changes when it closes; reopened, a cache from before the close scores it afresh", async () => {
    const agent = agents[5]!;
    const changes = async () =>
      Number(
        (
          await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
            'SELECT COUNT(*)::bigint AS n FROM month_change WHERE month = $1',
            MONTH,
          )
        )[0]!.n,
      );
    await recordPenalty(t, { slackId: agent.slackId, by: LEAD, text: 'buck_passing', on: '2026-10-22' });
    await seen(t, agent.slackId); // cached while open
    expect(await changes()).toBeGreaterThan(0);
    await closeMonth(t, { month: MONTH, by: TERMINAL });
    expect(await changes()).toBe(0);
    // the demo team has no admin: one joins to reopen the month (only an admin may)
    await db.prisma.member.create({
      data: {
        slackId: 'U0ADMIN01',
        name: '孙管理',
        track: 'presales',
        level: 'supervisor',
        role: 'admin',
        hiredOn: fromDay('2020-01-01'),
      },
    });
    await reopenMonth(t, { month: MONTH, by: 'U0ADMIN01', why: 'a late penalty' });
    await recordPenalty(t, { slackId: agent.slackId, by: LEAD, text: 'personal_chat', on: '2026-10-23' });
    expect(await changes()).toBe(1);
    // the score cache is from before the close: the changes in between are gone, so it is not updated
    // from them but scored again, and equals the month scored afresh
    const updated = await seen(t, agent.slackId);
    expect(updated.mine.standing).not.toBeNull();
    expect(updated).toEqual(await fresh(agent.slackId));
  });
});
