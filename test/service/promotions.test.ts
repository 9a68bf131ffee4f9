// The promotion review end to end on the services and the CLI: a team with half a year of months,
// its January 2027 candidates, approvals (paid at the new level from the next month's 1st, not before),
// a decline, refusals that write nothing, and a trainee confirmed after probation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import type { Level, Role } from '../../src/core/policy.js';
import { assignmentHistory } from '../../src/service/assignments.js';
import { closeMonth } from '../../src/service/months.js';
import { recordPenalty } from '../../src/service/penalties.js';
import {
  approvePromotion,
  declinePromotion,
  personRecord,
  probationsDue,
  promotionCandidates,
} from '../../src/service/promotions.js';
import { payroll } from '../../src/service/scores.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const JAN = '2027-01-01T10:00:00+08:00';
const SCORED = ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];

async function member(
  slackId: string,
  name: string,
  hiredOn: string,
  levels: Array<[string, Level]>,
  role: Role = 'agent',
): Promise<number> {
  // the member's first assignment (from hired_on) is written by the database; later ones are history
  const m = await db.prisma.member.create({
    data: { slackId, name, track: 'presales', level: levels[0]![1], role, hiredOn: fromDay(hiredOn) },
  });
  for (const [from, level] of levels.slice(1))
    await db.prisma.memberAssignment.create({
      data: { memberId: m.id, effectiveFrom: fromDay(from), track: 'presales', level, role, setBy: 'test' },
    });
  await db.prisma.member.update({ where: { id: m.id }, data: { level: levels.at(-1)![1] } });
  return m.id;
}

/** one day of metrics in each month: all alike but the service score, so the score is 65 + 0.35 × service */
async function months(id: number, service: number, list = SCORED): Promise<void> {
  for (const month of list)
    await db.prisma.dailyMetric.create({
      data: {
        memberId: id,
        day: fromDay(`${month}-10`),
        inquiries: 100,
        paidCustomers: 20,
        receptions: 100,
        gmvFen: 1_000_000n,
        refundCustomers: 2,
        serviceScore: service,
      },
    });
}

beforeAll(async () => {
  db = await freshDatabase();
  await member('UL', 'Lena Lead', '2025-01-01', [['2025-01-01', 'lead']], 'lead');
  // regular since April: 100 points every month
  await months(
    await member('UA', 'Amy', '2026-03-01', [
      ['2026-03-01', 'trainee'],
      ['2026-04-01', 'regular'],
    ]),
    100,
  );
  // as good, regular for a year: declined
  await months(await member('UD', 'Dan', '2025-06-01', [['2025-06-01', 'regular']]), 100);
  // as good again: approved by two deciders at once
  await months(await member('UF', 'Fay', '2025-06-01', [['2025-06-01', 'regular']]), 100);
  // regular for long, 72 points a month: below 80
  await months(await member('UB', 'Bob', '2025-06-01', [['2025-06-01', 'regular']]), 20);
  // regular only since November: 2 months at level on January 1st
  await months(
    await member('UC', 'Cat', '2026-10-01', [
      ['2026-10-01', 'trainee'],
      ['2026-11-01', 'regular'],
    ]),
    100,
    ['2026-10', '2026-11', '2026-12'],
  );
  // as good as Amy but flagged for dismissal in September
  await months(await member('UE', 'Eve', '2025-06-01', [['2025-06-01', 'regular']]), 100);
  const t = tallyOn(db, JAN);
  for (const on of ['2026-09-03', '2026-09-04', '2026-09-05'])
    await recordPenalty(t, { slackId: 'UE', by: 'UL', text: 'store_deduction', on });
  // a trainee hired mid-November: probation ends December 15th
  await member('UT', 'Tia', '2026-11-15', [['2026-11-15', 'trainee']]);
  // November is closed: its scores are read from the snapshots
  await closeMonth(t, { month: '2026-11', by: 'UL' });
});
afterAll(() => db.close());

describe('the January 2027 review', () => {
  it('lists who meets every rule, with months at level, the average and the scored months', async () => {
    const list = await promotionCandidates(tallyOn(db, JAN), '2027-01');
    expect(list.candidates.map((c) => c.member.slackId).sort()).toEqual(['UA', 'UD', 'UF']);
    const amy = list.candidates.find((c) => c.member.slackId === 'UA')!;
    expect(amy.evaluation).toMatchObject({ from: 'regular', to: 'senior', monthsAtLevel: 9 });
    expect(amy.evaluation.record).toMatchObject({ monthsScored: 6, averageHundredths: 10000 });
    expect(amy.records.map((r) => r.month)).toEqual(SCORED);
  });

  it('`tally promotions --month` prints the contract JSON, in any month', async () => {
    const cli = cliOn(db, { TALLY_NOW: JAN });
    const r = await cli('promotions', '--month', '2027-01', '--json');
    expect(r.code).toBe(0);
    const out = r.json<{ month: string; candidates: Array<Record<string, unknown>> }>();
    expect(out.month).toBe('2027-01');
    expect(out.candidates.find((c) => c.slackId === 'UA')).toEqual({
      slackId: 'UA',
      name: 'Amy',
      from: 'regular',
      to: 'senior',
      monthsAtLevel: 9,
      averageScore: 100,
      monthsScored: 6,
    });
    // March is no review month; Cat has had her 3 months as regular by then, on her 3 finished scored months
    const march = (await cli('promotions', '--month', '2027-03', '--json')).json<{
      candidates: Array<{ slackId: string; monthsScored: number; monthsAtLevel: number }>;
    }>();
    expect(march.candidates.find((c) => c.slackId === 'UC')).toMatchObject({ monthsScored: 3, monthsAtLevel: 4 });
  });

  it('refuses, writing nothing: a non-staff decider, a non-candidate (with why), a --from in a closed month', async () => {
    const cli = cliOn(db, { TALLY_NOW: JAN });
    const before = await db.prisma.memberAssignment.count();
    const asAgent = await cli('promotions', 'approve', 'UA', '--by', 'UB');
    expect(asAgent).toMatchObject({
      code: 1,
      err: 'error: Bob (UB) is an agent; only a lead, supervisor or admin may decide promotions',
    });
    const low = await cli('promotions', 'approve', 'UB', '--by', 'UL');
    expect(low.code).toBe(1);
    expect(low.err).toMatch(/UB \(Bob\) is not a promotion candidate in 2027-01: the average score is below/);
    const early = await cli('promotions', 'approve', 'UC', '--by', 'UL');
    expect(early.err).toMatch(/the time as regular is met only on 2027-02-01/);
    const flagged = await cli('promotions', 'approve', 'UE', '--by', 'UL');
    expect(flagged.err).toMatch(/flagged for dismissal/);
    const lead = await cli('promotions', 'decline', 'UL', '--by', 'UL', '--why', 'x');
    expect(lead.err).toBe('error: nobody decides their own promotion');
    const closed = await cli('promotions', 'approve', 'UA', '--by', 'UL', '--from', '2026-11-15');
    expect(closed).toMatchObject({ code: 1 });
    expect(closed.err).toMatch(/2026-11 is closed/);
    const bad = await cli('promotions', 'approve', 'UA', '--by', 'UL', '--from', '2027-02-30');
    expect(bad.code).toBe(1);
    expect(await db.prisma.memberAssignment.count()).toBe(before);
    expect(await db.prisma.promotionDecision.count()).toBe(0);
  });

  it('an approval takes effect on the 1st of next month: paid as senior in February, not in January', async () => {
    const cli = cliOn(db, { TALLY_NOW: JAN });
    const r = await cli('promotions', 'approve', 'UA', '--by', 'UL', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      slackId: 'UA',
      decision: 'approved',
      from: 'regular',
      to: 'senior',
      effectiveFrom: '2027-02-01',
      by: 'UL',
    });
    const t = tallyOn(db, JAN);
    const history = await assignmentHistory(t, 'UA');
    expect(history.assignments.map((a) => [a.from, a.level])).toEqual([
      ['2026-03-01', 'trainee'],
      ['2026-04-01', 'regular'],
      ['2027-02-01', 'senior'],
    ]);
    const base = async (month: string) =>
      (await payroll(t, month)).rows.find((x) => x.member.slackId === 'UA')!.payslip.baseFen;
    expect(await base('2027-01')).toBe(250_000);
    expect(await base('2027-02')).toBe(300_000);
    // audited, and the agent is told through the outbox
    expect(await db.prisma.auditLog.count({ where: { action: 'promotion.approve', subject: 'UA' } })).toBe(1);
    const dm = await db.prisma.outbox.findFirstOrThrow({ where: { channel: 'UA' } });
    expect(JSON.stringify(dm.payload)).toMatch(/资深/);
  });

  it('a second decision on the same person changes nothing and says who decided', async () => {
    const t = tallyOn(db, JAN);
    await expect(approvePromotion(t, 'UA', 'UL')).rejects.toMatchObject({
      code: 'promotion_decided',
      params: { slackId: 'UA', decision: 'approved', by: 'UL' },
    });
    await expect(declinePromotion(t, 'UA', 'UL', 'no')).rejects.toMatchObject({ code: 'promotion_decided' });
    expect(await db.prisma.promotionDecision.count()).toBe(1);
  });

  it('two deciders at once: exactly one approval is taken, the other is told who decided', async () => {
    await db.prisma.member.create({
      data: {
        slackId: 'US',
        name: 'Sue',
        track: 'presales',
        level: 'supervisor',
        role: 'supervisor',
        hiredOn: fromDay('2024-01-01'),
      },
    });
    const t = tallyOn(db, JAN);
    const both = await Promise.allSettled([approvePromotion(t, 'UF', 'UL'), approvePromotion(t, 'UF', 'US')]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refused] = both.filter((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'promotion_decided' });
    expect(await db.prisma.memberAssignment.count({ where: { member: { slackId: 'UF' } } })).toBe(2);
    expect(await db.prisma.promotionDecision.count({ where: { decision: 'approved' } })).toBe(2);
  });

  it('a decline needs a reason, is kept and audited, and shows on the list', async () => {
    const cli = cliOn(db, { TALLY_NOW: JAN });
    const empty = await cli('promotions', 'decline', 'UD', '--by', 'UL', '--why', '  ');
    expect(empty).toMatchObject({ code: 1, err: 'error: say why the promotion is declined (--why ...)' });
    const r = await cli(
      'promotions',
      'decline',
      'UD',
      '--by',
      'UL',
      '--why',
      'needs more after-sales practice',
      '--json',
    );
    expect(r.json()).toMatchObject({ slackId: 'UD', decision: 'declined', why: 'needs more after-sales practice' });
    const history = await assignmentHistory(tallyOn(db, JAN), 'UD');
    expect(history.assignments.map((a) => a.level)).toEqual(['regular']);
    const list = await cli('promotions', '--month', '2027-01');
    expect(list.out).toMatch(/UD .*declined by UL/);
    expect(await db.prisma.auditLog.count({ where: { action: 'promotion.decline', subject: 'UD' } })).toBe(1);
  });
});

describe('probation', () => {
  it('a trainee is due for confirmation from the day their probation ends, not before', async () => {
    const t = tallyOn(db, '2026-12-20T10:00:00+08:00');
    expect((await probationsDue(t, '2026-12-14')).map((d) => d.member.slackId)).toEqual([]);
    expect(await probationsDue(t, '2026-12-15')).toMatchObject([
      { member: { slackId: 'UT' }, since: '2026-11-15', ends: '2026-12-15' },
    ]);
  });

  it('confirming before the end is refused; after it, the trainee is regular from the 1st of next month', async () => {
    await expect(approvePromotion(tallyOn(db, '2026-12-10T10:00:00+08:00'), 'UT', 'UL')).rejects.toMatchObject({
      code: 'probation_not_over',
      params: { ends: '2026-12-15' },
    });
    const t = tallyOn(db, '2026-12-20T10:00:00+08:00');
    const d = await approvePromotion(t, 'UT', 'UL');
    expect(d).toMatchObject({ kind: 'probation', from: 'trainee', to: 'regular', effectiveFrom: '2027-01-01' });
    expect((await assignmentHistory(t, 'UT')).assignments.map((a) => [a.from, a.level])).toEqual([
      ['2026-11-15', 'trainee'],
      ['2027-01-01', 'regular'],
    ]);
    // decided: no longer due
    expect(await probationsDue(t, '2026-12-31')).toEqual([]);
  });

  it('a declined confirmation stands for its month and may be taken again the month after', async () => {
    await member('UT2', 'Tom', '2026-11-01', [['2026-11-01', 'trainee']]);
    const dec = tallyOn(db, '2026-12-05T10:00:00+08:00');
    await declinePromotion(dec, 'UT2', 'UL', 'still slow to reply');
    expect(await probationsDue(dec, '2026-12-31')).toEqual([]);
    await expect(approvePromotion(dec, 'UT2', 'UL')).rejects.toMatchObject({
      code: 'promotion_decided',
      params: { decision: 'declined' },
    });
    const d = await approvePromotion(tallyOn(db, JAN), 'UT2', 'UL');
    expect(d).toMatchObject({ kind: 'probation', month: '2027-01', effectiveFrom: '2027-02-01' });
  });
});

describe("one person's record", () => {
  it('level, time at level, the next level with what it needs, and the last 6 months', async () => {
    const r = await personRecord(tallyOn(db, '2026-12-20T10:00:00+08:00'), 'UC');
    expect(r.progress).toMatchObject({
      kind: 'path',
      level: 'regular',
      since: '2026-11-01',
      to: 'senior',
      review: '2027-01',
      time: { met: false, months: 1, needed: 3, metOn: '2027-02-01' },
    });
    expect(r.trend.map((m) => [m.month, m.scoreHundredths])).toEqual([
      ['2026-06', null],
      ['2026-07', null],
      ['2026-08', null],
      ['2026-09', null],
      ['2026-10', 10000],
      ['2026-11', 10000],
    ]);
  });
});
