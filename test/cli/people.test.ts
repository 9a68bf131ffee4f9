// Issue 10's "Done when": a 13-month team (2026-01 to 2027-01) run the way a team lead runs it, through
// the CLI, with TALLY_NOW moving month by month: each month's metrics imported and the month closed
// early the next month; a trainee confirmed after probation, a regular promoted in the July review
// (paid as senior from August, not in July), another declined, a mid-month track change (September
// ranked and paid in the old track, October in the new), a member away all May (no May row, paid in
// June), a roster row that would turn one person into another (refused), and reopened months closed
// again with the same figures (January's trainee, May's absence, June's penalties, July's regular,
// September's pre-sales month).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, type Month } from '../../src/core/dates.js';
import type { Database } from '../../src/db/open.js';
import {
  cliOn,
  type CliResult,
  type PayrollJson,
  type PayrollRowJson,
  type RankJson,
  type RosterImportJson,
  type ScoreJson,
} from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-people-'));
let db: Database;

/** `tally ...` as run on a day of the team's calendar (10:00 in Shanghai) */
const on =
  (day: string) =>
  (...argv: string[]): Promise<CliResult> =>
    cliOn(db, { TALLY_NOW: `${day}T10:00:00+08:00` })(...argv);

/** a command that must succeed: exit 0, nothing on stderr */
async function ok(day: string, ...argv: string[]): Promise<CliResult> {
  const r = await on(day)(...argv);
  expect(r.err, argv.join(' ')).toBe('');
  expect(r.code, argv.join(' ')).toBe(0);
  return r;
}

/** a command that must be refused: exit 1, one line */
async function refused(day: string, ...argv: string[]): Promise<string> {
  const r = await on(day)(...argv);
  expect(r.code, argv.join(' ')).toBe(1);
  expect(r.err).toMatch(/^error: /);
  expect(r.err).not.toContain('\n');
  expect(r.out).toBe('');
  return r.err;
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// --- the team ---------------------------------------------------------------------------------------

const LEAD = 'U0LEAD001';
const LEAD2 = 'U0LEAD002';
/** a trainee on probation (one month), confirmed as regular */
const TRAINEE = 'U00002001';
/** a strong regular, promoted to senior in the July review */
const STAR = 'U00002002';
/** another strong regular, declined in July */
const STEADY = 'U00002003';
/** a pre-sales regular who moves to after-sales on 2026-09-15 */
const MOVER = 'U00002004';
/** deactivated 2026-04-10, away all May, back on 2026-06-02 */
const AWAY = 'U00002005';
/** the person a roster file tries to turn into someone else */
const KEEPER = 'U00002006';

const ROSTER = `slack_id,name,track,level,hired_on,role
U0SUPER01,周主管,presales,supervisor,2021-03-01,supervisor
${LEAD},郑组长,presales,lead,2022-05-16,lead
${LEAD2},冯组长,aftersales,lead,2022-08-01,lead
${TRAINEE},吴新,presales,trainee,2025-12-15,agent
${STAR},高升,presales,regular,2025-06-02,agent
${STEADY},林稳,presales,regular,2025-03-10,agent
${MOVER},赵转,presales,regular,2025-08-01,agent
${AWAY},钱归,presales,regular,2025-04-01,agent
${KEEPER},孙固,presales,regular,2024-11-11,agent
U00002007,周后,aftersales,regular,2025-02-01,agent
U00002008,郑后,aftersales,regular,2025-09-01,agent
`;

interface Profile {
  /** service score around which the days move */
  service: number;
  /** pre-sales: paying customers per inquiry, and yuan per paying customer */
  conversion?: number;
  orderValue?: number;
  /** after-sales: share of cases resolved */
  resolution?: number;
  receptions: number;
}

const strong: Profile = { service: 96, conversion: 0.5, orderValue: 160, receptions: 80 };
const weak: Profile = { service: 62, conversion: 0.22, orderValue: 90, receptions: 45 };
const weakAfter: Profile = { service: 60, resolution: 0.6, receptions: 50 };

const PROFILES: Record<string, Profile> = {
  [TRAINEE]: weak,
  [STAR]: strong,
  [STEADY]: { ...strong, service: 94 },
  [MOVER]: weak,
  [AWAY]: weak,
  [KEEPER]: weak,
  U00002007: weakAfter,
  U00002008: { ...weakAfter, service: 64 },
};

/** the day MOVER's after-sales days begin */
const MOVE_DAY = '2026-09-15';

/** Who works on a day, and in which track's columns (AWAY is off the team from 2026-04-10 to 2026-06-01). */
function worksOn(slackId: string, day: string): 'presales' | 'aftersales' | null {
  if (slackId === AWAY && day >= '2026-04-10' && day < '2026-06-02') return null;
  if (slackId === MOVER) return day >= MOVE_DAY ? 'aftersales' : 'presales';
  return PROFILES[slackId]!.resolution === undefined ? 'presales' : 'aftersales';
}

/** a small deterministic wobble in [-1, 1] for a member and a day */
function wobble(slackId: string, day: string, salt: number): number {
  let h = salt * 2654435761;
  for (const c of `${slackId}${day}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return ((h % 2001) - 1000) / 1000;
}

function daysOf(month: Month): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** One month's daily metrics for everyone at work, as the platform's CSV export. */
function metricsCsv(month: Month): string {
  const lines = ['date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score'];
  for (const day of daysOf(month)) {
    for (const [slackId, p] of Object.entries(PROFILES)) {
      const track = worksOn(slackId, day);
      if (!track) continue;
      const service = (p.service + 3 * wobble(slackId, day, 1)).toFixed(1);
      const receptions = Math.round(p.receptions * (1 + 0.1 * wobble(slackId, day, 2)));
      if (track === 'presales') {
        const inquiries = Math.round(p.receptions * 0.8 * (1 + 0.1 * wobble(slackId, day, 3)));
        const paid = Math.round(inquiries * p.conversion! * (1 + 0.1 * wobble(slackId, day, 4)));
        const gmv = (paid * p.orderValue! * (1 + 0.1 * wobble(slackId, day, 5))).toFixed(2);
        const refunds = wobble(slackId, day, 6) > 0.6 ? 1 : 0;
        lines.push(`${day},${slackId},${inquiries},${paid},${receptions},${gmv},${refunds},,,${service}`);
      } else {
        // MOVER's after-sales days resolve like the weaker after-sales agents
        const resolution = p.resolution ?? weakAfter.resolution!;
        const cases = Math.round(receptions * 0.4);
        const resolved = Math.round(cases * resolution * (1 + 0.05 * wobble(slackId, day, 7)));
        lines.push(`${day},${slackId},,,${receptions},,,${cases},${Math.min(resolved, cases)},${service}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

const FIRST: Month = '2026-01';
const LAST: Month = '2027-01';
/** the 2nd of the month after: the lead imports the month's metrics and closes it */
const dayAfter = (month: Month) => `${addMonths(month, 1)}-02`;

/** Imports a finished month's metrics and closes it; returns its payroll as frozen. */
async function importAndClose(month: Month, beforeClose?: () => Promise<void>): Promise<PayrollJson> {
  const day = dayAfter(month);
  const imported = await ok(day, 'metrics', 'import', file(`metrics-${month}.csv`, metricsCsv(month)), '--json');
  expect(imported.json<{ rows: number }>().rows).toBeGreaterThan(0);
  await beforeClose?.();
  await ok(day, 'month', 'close', month, '--by', LEAD);
  const r = await ok(day, 'payroll', '--month', month, '--json');
  frozen.set(month, r.raw);
  const p = r.json<PayrollJson>();
  expect(p.closed).toBe(true);
  return p;
}

async function payrollOf(day: string, month: Month): Promise<PayrollJson> {
  return (await ok(day, 'payroll', '--month', month, '--json')).json<PayrollJson>();
}

function rowOf(p: PayrollJson, slackId: string): PayrollRowJson | undefined {
  return p.rows.find((r) => r.slackId === slackId);
}

/** each closed month's `payroll --json`, byte for byte, as its first close froze it */
const frozen = new Map<Month, string>();
const payrolls = new Map<Month, PayrollJson>();

interface CandidatesJson {
  month: string;
  candidates: Array<{
    slackId: string;
    name: string;
    from: string;
    to: string;
    monthsAtLevel: number;
    averageScore: number;
    monthsScored: number;
  }>;
}

interface DecisionJson {
  slackId: string;
  kind: string;
  decision: string;
  from: string;
  to: string;
  effectiveFrom: string | null;
  why: string | null;
  by: string;
}

beforeAll(async () => {
  db = await freshDatabase();
  const r = await ok('2026-01-02', 'roster', 'import', file('team.csv', ROSTER), '--json');
  expect(r.json<RosterImportJson>()).toMatchObject({ added: 11, updated: 0 });
});
afterAll(() => db.close());

describe('a 13-month team, month by month', () => {
  it('January: a trainee is confirmed once probation is over, and paid as a trainee until the 1st of next month', async () => {
    // probation (one month from 2025-12-15) is not over on the 10th
    expect(await refused('2026-01-10', 'promotions', 'approve', TRAINEE, '--by', LEAD)).toMatch(/2026-01-15/);
    const d = await ok('2026-01-20', 'promotions', 'approve', TRAINEE, '--by', LEAD, '--json');
    expect(d.json<DecisionJson>()).toMatchObject({
      slackId: TRAINEE,
      kind: 'probation',
      decision: 'approved',
      from: 'trainee',
      to: 'regular',
      effectiveFrom: '2026-02-01',
      by: LEAD,
    });
    const january = await importAndClose(FIRST);
    payrolls.set(FIRST, january);
    expect(rowOf(january, TRAINEE)).toMatchObject({
      level: 'trainee',
      baseFen: 180_000,
      performanceFen: 0,
      commissionFen: 0,
    });
    const february = await importAndClose('2026-02');
    payrolls.set('2026-02', february);
    expect(rowOf(february, TRAINEE)).toMatchObject({ level: 'regular', baseFen: 250_000 });
    expect(rowOf(february, TRAINEE)!.performanceFen).toBeGreaterThan(0);
  });

  it('March to June: a member deactivated in April and back in June has no row for May, and is paid for June', async () => {
    payrolls.set('2026-03', await importAndClose('2026-03'));
    const off = await ok('2026-04-10', 'roster', 'deactivate', AWAY, '--by', LEAD, '--json');
    expect(off.json<{ active: boolean }>().active).toBe(false);
    const april = await importAndClose('2026-04');
    payrolls.set('2026-04', april);
    expect(rowOf(april, AWAY)).toMatchObject({ baseFen: 250_000 });
    // back on 2026-06-02, before May is closed (the case: reactivation forgot the time away)
    const back = await ok('2026-06-02', 'roster', 'activate', AWAY, '--by', LEAD, '--json');
    expect(back.json<{ active: boolean }>().active).toBe(true);
    expect(rowOf(await payrollOf('2026-06-02', '2026-05'), AWAY)).toBeUndefined();
    // a platform export with rows for them in May would rank them in a month they are not paid for
    const withAway = file(
      'may-export.csv',
      `date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score\n2026-05-10,${KEEPER},40,10,50,900,0,,,70\n2026-05-10,${AWAY},60,40,90,8000,0,,,99\n`,
    );
    expect(await refused('2026-06-02', 'metrics', 'import', withAway)).toBe(
      `error: may-export.csv line 3, column date: ${AWAY} was off the team all of 2026-05 (deactivated on 2026-04-10): a month away has no rows`,
    );
    expect((await ok('2026-06-02', 'rank', '--month', '2026-05', '--json')).json<RankJson>().rows).toEqual([]);
    const may = await importAndClose('2026-05');
    payrolls.set('2026-05', may);
    expect(rowOf(may, AWAY)).toBeUndefined();
    expect(may.rows.map((r) => r.slackId)).toContain(KEEPER);
    // June: two named complaints against STEADY, the reason the July review declines them
    for (const day of ['2026-06-12', '2026-06-24'])
      await ok(day, 'penalty', 'add', STEADY, 'named_complaint', 'customer named them in a review', '--by', LEAD);
    const june = await importAndClose('2026-06');
    payrolls.set('2026-06', june);
    expect(rowOf(june, STEADY)).toMatchObject({ penaltyFen: 10_000 });
    expect(rowOf(june, AWAY)).toMatchObject({ baseFen: 250_000, mealFen: 30_000 });
    expect(rowOf(june, AWAY)!.score).not.toBeNull();
  });

  it('July review: one regular promoted (senior from August 1st, not in July), another declined', async () => {
    const list = (await ok('2026-07-02', 'promotions', '--month', '2026-07', '--json')).json<CandidatesJson>();
    expect(list.month).toBe('2026-07');
    expect(list.candidates.map((c) => c.slackId).sort()).toEqual([STAR, STEADY]);
    for (const c of list.candidates) {
      expect(c).toMatchObject({ from: 'regular', to: 'senior', monthsScored: 6 });
      expect(c.averageScore).toBeGreaterThanOrEqual(80);
      expect(c.monthsAtLevel).toBeGreaterThanOrEqual(3);
    }
    // the trainee confirmed from February has 5 months as regular but not the record; MOVER neither
    const approved = await ok('2026-07-02', 'promotions', 'approve', STAR, '--by', LEAD, '--json');
    expect(approved.json<DecisionJson>()).toMatchObject({
      kind: 'promotion',
      decision: 'approved',
      from: 'regular',
      to: 'senior',
      effectiveFrom: '2026-08-01',
    });
    const declined = await ok(
      '2026-07-02',
      'promotions',
      'decline',
      STEADY,
      '--by',
      LEAD,
      '--why',
      'two named complaints in June',
      '--json',
    );
    expect(declined.json<DecisionJson>()).toMatchObject({
      kind: 'promotion',
      decision: 'declined',
      from: 'regular',
      to: 'senior',
      effectiveFrom: null,
      why: 'two named complaints in June',
    });
    // both are told in Slack (queued for the sender): the declined one with the reason
    const told = await db.prisma.outbox.findMany({
      where: { key: { startsWith: 'promotion-decision:' }, channel: { in: [STAR, STEADY] } },
      orderBy: { id: 'asc' },
    });
    expect(told.map((m) => m.channel)).toEqual([STAR, STEADY]);
    expect(JSON.stringify(told[1]!.payload)).toContain('two named complaints in June');
    // decided once: a second approval of the declined one is refused
    expect(await refused('2026-07-03', 'promotions', 'approve', STEADY, '--by', LEAD2)).toMatch(/declined/);
    const history = (await ok('2026-07-03', 'roster', 'history', STAR, '--json')).json<{
      assignments: Array<{ from: string; level: string; by: string }>;
    }>();
    expect(history.assignments.map((a) => [a.from, a.level, a.by])).toEqual([
      ['2025-06-02', 'regular', 'hire'],
      ['2026-08-01', 'senior', LEAD],
    ]);

    const july = await importAndClose('2026-07');
    payrolls.set('2026-07', july);
    expect(rowOf(july, STAR)).toMatchObject({ level: 'regular', baseFen: 250_000 });
    const august = await importAndClose('2026-08');
    payrolls.set('2026-08', august);
    expect(rowOf(august, STAR)).toMatchObject({ level: 'senior', baseFen: 300_000 });
    expect(rowOf(august, STEADY)).toMatchObject({ level: 'regular', baseFen: 250_000 });
  });

  it('September: a move to after-sales on the 15th leaves September in pre-sales, October in after-sales', async () => {
    await ok('2026-09-10', 'roster', 'set', MOVER, '--track', 'aftersales', '--from', MOVE_DAY, '--by', LEAD2);
    const september = await importAndClose('2026-09', async () => {
      const rank = (await ok('2026-10-02', 'rank', '--month', '2026-09', '--json')).json<RankJson>();
      expect(rank.rows.find((r) => r.slackId === MOVER)).toMatchObject({ track: 'presales' });
      expect(rank.rows.filter((r) => r.slackId === MOVER)).toHaveLength(1);
      // a day after the move is ranked in the new track
      const day = (await ok('2026-10-02', 'rank', '--day', '2026-09-20', '--json')).json<RankJson>();
      expect(day.rows.find((r) => r.slackId === MOVER)).toMatchObject({ track: 'aftersales' });
    });
    payrolls.set('2026-09', september);
    // the closed month read for the person after the move: their pre-sales month, no stack trace
    const score = (await ok('2026-10-02', 'score', MOVER, '--month', '2026-09', '--json')).json<ScoreJson>();
    expect(score).toMatchObject({ track: 'presales', score: rowOf(september, MOVER)!.score });
    expect(score.kpis.map((k) => k.key)).toContain('conversion');
    expect((await ok('2026-10-02', 'score', MOVER, '--day', '2026-09-14', '--json')).json<ScoreJson>().track).toBe(
      'presales',
    );
    expect((await ok('2026-10-02', 'score', MOVER, '--day', MOVE_DAY, '--json')).json<ScoreJson>().track).toBe(
      'aftersales',
    );
    expect(rowOf(september, MOVER)).toMatchObject({ track: 'presales' });
    expect(rowOf(september, MOVER)!.score).not.toBeNull();
    expect(rowOf(september, MOVER)!.commissionFen).toBeGreaterThan(0);
    const october = await importAndClose('2026-10');
    payrolls.set('2026-10', october);
    expect(rowOf(october, MOVER)).toMatchObject({ track: 'aftersales', commissionFen: 0 });
    const rank = (await ok('2026-11-02', 'rank', '--month', '2026-10', '--json')).json<RankJson>();
    expect(rank.rows.filter((r) => r.slackId === MOVER).map((r) => r.track)).toEqual(['aftersales']);
    // September, read again after October: still pre-sales
    const again = (await ok('2026-11-02', 'rank', '--month', '2026-09', '--json')).json<RankJson>();
    expect(again.rows.filter((r) => r.slackId === MOVER).map((r) => r.track)).toEqual(['presales']);
  });

  it('November: a roster row that would make one person another is refused in one line, nothing written', async () => {
    payrolls.set('2026-11', await importAndClose('2026-11'));
    const day = '2026-12-03';
    const roster = (await ok(day, 'roster', 'list', '--all', '--json')).raw;
    const history = (await ok(day, 'roster', 'history', KEEPER, '--json')).raw;
    const other = file(
      'new-hire.csv',
      `slack_id,name,track,level,hired_on,role\n${KEEPER},王五,aftersales,senior,2026-12-01,agent\nU00002099,另一个,presales,trainee,2026-12-01,agent\n`,
    );
    expect(await refused(day, 'roster', 'import', other)).toMatch(
      new RegExp(`^error: new-hire\\.csv line 2, column hired_on: ${KEEPER} \\(孙固\\) was hired on 2024-11-11`),
    );
    expect((await ok(day, 'roster', 'list', '--all', '--json')).raw).toBe(roster);
    expect((await ok(day, 'roster', 'history', KEEPER, '--json')).raw).toBe(history);
    expect((await ok(day, 'payroll', '--month', '2026-10', '--json')).raw).toBe(frozen.get('2026-10'));
  });

  it('December and January: the declined one is a candidate again, the promoted one not yet', async () => {
    payrolls.set('2026-12', await importAndClose('2026-12'));
    const list = (await ok('2027-01-02', 'promotions', '--month', '2027-01', '--json')).json<CandidatesJson>();
    const ids = list.candidates.map((c) => c.slackId);
    expect(ids).toContain(STEADY);
    expect(ids).not.toContain(STAR); // five months as senior of the six a lead needs
    payrolls.set(LAST, await importAndClose(LAST));
    expect(payrolls.size).toBe(13);
  });

  it('reopened months close again with the same figures, whatever changed since', async () => {
    const day = '2027-02-03';
    const july = (await ok(day, 'promotions', '--month', '2026-07', '--json')).raw;
    // STEADY leaves the team after the second review: the past reviews still list them, and the
    // months they worked are paid as before
    await ok(day, 'roster', 'deactivate', STEADY, '--by', LEAD);
    expect((await ok(day, 'promotions', '--month', '2026-07', '--json')).raw).toBe(july);
    const january = (await ok(day, 'promotions', '--month', '2027-01', '--json')).json<CandidatesJson>();
    expect(january.candidates.map((c) => c.slackId)).toContain(STEADY);
    // only an admin reopens a month: one joins (hired after these months, so on none of their payrolls)
    const admin = file(
      'admin.csv',
      'slack_id,name,track,level,hired_on,role\nU0ADMIN01,孙管理,presales,supervisor,2027-02-01,admin\n',
    );
    await ok(day, 'roster', 'import', admin);
    for (const month of ['2026-01', '2026-05', '2026-06', '2026-07', '2026-09'] as const) {
      const reopened = await ok(
        day,
        'month',
        'reopen',
        month,
        '--why',
        'audit asked for a recount',
        '--by',
        'U0ADMIN01',
        '--json',
      );
      expect(reopened.json()).toEqual({ month, closed: false });
      const open = await payrollOf(day, month);
      expect(open.closed).toBe(false);
      expect(open.rows).toEqual(payrolls.get(month)!.rows);
      await ok(day, 'month', 'close', month, '--by', LEAD);
      expect((await ok(day, 'payroll', '--month', month, '--json')).raw, month).toBe(frozen.get(month));
    }
  });
});
