// People over time on a real database: a day is scored with the assignment in force that day, a month
// with the one in force on its first day (rank, awards, payroll, a member's own score, the frozen
// close and a re-close after a reopen); changes that cannot be made are refused with nothing written;
// a month someone was away all through has no payroll row for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, lastDay, type Month } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { isTallyError } from '../../src/errors.js';
import {
  assignmentHistory,
  correctHireDate,
  setAssignment,
  syncCurrentAssignments,
} from '../../src/service/assignments.js';
import { closeMonth, reopenMonth, TERMINAL } from '../../src/service/months.js';
import { findMember, setActive } from '../../src/service/roster.js';
import { memberScore, monthResults, payroll, scorePeriod } from '../../src/service/scores.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const ids: Record<string, number> = {};
const NOW = '2026-11-05T10:00:00+08:00';
const t = () => tallyOn(db, NOW);

/** A day of metrics that fits either track: conversion and cases both tell the agents apart. */
async function days(m: Month, perf: Record<string, number>) {
  const data = [];
  for (let d = `${m}-01`; d <= lastDay(m); d = addDays(d, 1))
    for (const [who, p] of Object.entries(perf))
      data.push({
        memberId: ids[who]!,
        day: fromDay(d),
        inquiries: 100,
        paidCustomers: p,
        receptions: 100,
        gmvFen: BigInt(p * 10_000),
        refundCustomers: 0,
        cases: 100,
        resolved: 50 + p,
        serviceScore: 90,
      });
  await db.prisma.dailyMetric.createMany({ data });
}

/** The code a refusal carries, or 'no refusal'. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no refusal';
  } catch (e) {
    if (isTallyError(e)) return e.code;
    throw e;
  }
}

beforeAll(async () => {
  db = await freshDatabase();
  const people: Array<
    [
      string,
      'presales' | 'aftersales',
      'trainee' | 'regular' | 'lead' | 'supervisor',
      string,
      'agent' | 'lead' | 'admin',
    ]
  > = [
    ['UA', 'presales', 'regular', '2025-01-01', 'agent'],
    ['UB', 'presales', 'regular', '2025-01-01', 'agent'],
    ['UC', 'presales', 'regular', '2025-01-01', 'agent'],
    ['UX', 'aftersales', 'regular', '2025-01-01', 'agent'],
    ['UY', 'aftersales', 'regular', '2025-01-01', 'agent'],
    ['UD', 'presales', 'regular', '2025-01-01', 'agent'],
    ['UL', 'presales', 'lead', '2024-01-01', 'lead'],
    ['UT', 'aftersales', 'trainee', '2025-01-01', 'agent'],
    // reopens months and corrects hire dates (only an admin may)
    ['UAD', 'presales', 'supervisor', '2020-01-01', 'admin'],
  ];
  for (const [slackId, track, level, hired, role] of people) {
    ids[slackId] = (
      await db.prisma.member.create({
        data: { slackId, name: slackId, track, level, role, hiredOn: fromDay(hired) },
      })
    ).id;
  }
  await days('2026-09', { UA: 40, UB: 30, UC: 20, UX: 30, UY: 20, UD: 10 });
  await days('2026-10', { UA: 40, UB: 30, UC: 20, UX: 30, UY: 20, UT: 5 });
});
afterAll(() => db.close());

describe('active periods', () => {
  it('leaves a member away all month off that month payroll, even after they come back', async () => {
    await setActive(tallyOn(db, '2026-09-10T10:00:00+08:00'), 'UD', false, 'UL');
    await setActive(tallyOn(db, '2026-11-02T10:00:00+08:00'), 'UD', true, 'UL');
    const on = async (m: Month) => (await payroll(t(), m)).rows.some((r) => r.member.slackId === 'UD');
    expect(await on('2026-09')).toBe(true); // worked until the 10th
    expect(await on('2026-10')).toBe(false); // away every day: not the ¥2,800 of base and meal
    expect(await on('2026-11')).toBe(true);
    // a day's roster says who was on the team that day (the daily nudge for missing data reads it)
    const activeThatDay = async (day: string) =>
      (await scorePeriod(t(), { kind: 'day', day })).members.get(ids.UD!)!.active;
    expect(await activeThatDay('2026-09-09')).toBe(true);
    expect(await activeThatDay('2026-10-09')).toBe(false);
    expect(await activeThatDay('2026-11-03')).toBe(true);
    const entries = await db.prisma.memberActivity.findMany({ where: { memberId: ids.UD! }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.day.toISOString().slice(0, 10), e.active])).toEqual([
      ['2026-09-10', false],
      ['2026-11-02', true],
    ]);
  });
});

describe('assignment history', () => {
  it('starts every member with their values from the hire date', async () => {
    expect(await assignmentHistory(t(), 'UA')).toEqual({
      slackId: 'UA',
      name: 'UA',
      assignments: [{ from: '2025-01-01', track: 'presales', level: 'regular', role: 'agent', by: 'hire' }],
    });
  });

  it('ranks a mid-month track change in the old track for the month and the new one from its day', async () => {
    const a = await setAssignment(t(), { slackId: 'UA', track: 'aftersales', from: '2026-10-15', by: 'UL' });
    expect(a).toEqual({
      slackId: 'UA',
      name: 'UA',
      from: '2026-10-15',
      track: 'aftersales',
      level: 'regular',
      role: 'agent',
      by: 'UL',
    });
    const oct = await monthResults(t(), '2026-10');
    expect(oct.tracks.presales.map((s) => s.member.slackId)).toEqual(['UA', 'UB', 'UC']);
    expect(oct.tracks.aftersales.map((s) => s.member.slackId)).toEqual(['UX', 'UY', 'UT']);
    const before = await scorePeriod(t(), { kind: 'day', day: '2026-10-14' });
    expect(before.tracks.presales.map((s) => s.member.slackId)).toContain('UA');
    const after = await scorePeriod(t(), { kind: 'day', day: '2026-10-15' });
    expect(after.tracks.presales.map((s) => s.member.slackId)).not.toContain('UA');
    expect(after.tracks.aftersales.map((s) => s.member.slackId)).toEqual(['UA', 'UX', 'UY', 'UT']);
    // today the member row says aftersales (the cache of the assignment in force today)
    expect((await findMember(t(), 'UA')).track).toBe('aftersales');
    // their own October score is a presales one
    const mine = await memberScore(t(), 'UA', { kind: 'month', month: '2026-10' });
    expect(mine.member.track).toBe('presales');
    expect(mine.standing?.score.rank).toBe(1);
    expect(mine.ranked).toBe(3);
  });

  it('pays a promotion from the first month it is in force on the 1st, not before', async () => {
    await setAssignment(t(), { slackId: 'UB', level: 'senior', from: '2026-10-20', by: 'UL' });
    const base = async (m: Month) =>
      (await payroll(t(), m)).rows.find((r) => r.member.slackId === 'UB')!.payslip.baseFen;
    expect(await base('2026-10')).toBe(250_000);
    expect(await base('2026-11')).toBe(300_000);
    const history = await assignmentHistory(t(), 'UB');
    expect(history.assignments.map((a) => [a.from, a.level])).toEqual([
      ['2025-01-01', 'regular'],
      ['2026-10-20', 'senior'],
    ]);
  });

  it('keeps a trainee confirmed mid-month ineligible and paid as a trainee that month', async () => {
    await setAssignment(t(), { slackId: 'UT', level: 'regular', from: '2026-10-10', by: 'UL' });
    const oct = await monthResults(t(), '2026-10');
    expect(oct.byMember.get(ids.UT!)).toMatchObject({ eligible: false, member: { level: 'trainee' } });
    const row = (await payroll(t(), '2026-10')).rows.find((r) => r.member.slackId === 'UT')!;
    expect(row.payslip).toMatchObject({ baseFen: 180_000, performanceFen: 0, commissionFen: 0 });
    const nov = (await payroll(t(), '2026-11')).rows.find((r) => r.member.slackId === 'UT')!;
    expect(nov.payslip.baseFen).toBe(250_000);
  });

  it('refuses bad changes with one code each and writes nothing', async () => {
    const before = await db.prisma.memberAssignment.count();
    expect(await refusal(setAssignment(t(), { slackId: 'UC', level: 'senior', from: '2024-12-31', by: 'UL' }))).toBe(
      'before_hire',
    );
    expect(await refusal(setAssignment(t(), { slackId: 'UC', level: 'boss', from: '2026-11-01', by: 'UL' }))).toBe(
      'unknown_level',
    );
    expect(await refusal(setAssignment(t(), { slackId: 'UC', track: 'sales', from: '2026-11-01', by: 'UL' }))).toBe(
      'unknown_track',
    );
    expect(await refusal(setAssignment(t(), { slackId: 'UC', level: 'regular', from: '2026-11-01', by: 'UL' }))).toBe(
      'assignment_unchanged',
    );
    expect(await refusal(setAssignment(t(), { slackId: 'UC', from: '2026-11-01', by: 'UL' }))).toBe('assignment_empty');
    expect(await refusal(setAssignment(t(), { slackId: 'U404', level: 'senior', from: '2026-11-01', by: 'UL' }))).toBe(
      'not_on_roster',
    );
    expect(await db.prisma.memberAssignment.count()).toBe(before);
  });

  it('freezes a month with the assignments of its first day, refuses changes into it, and re-closes with the same figures', async () => {
    const first = await closeMonth(t(), { month: '2026-10', by: TERMINAL });
    const figures = (rows: typeof first) =>
      rows.map((r) => [
        r.member.slackId,
        r.member.track,
        r.member.level,
        r.standing?.score.rank ?? null,
        r.payslip.totalFen,
      ]);
    const frozen = figures(first);
    expect(frozen.find((r) => r[0] === 'UA')).toEqual(['UA', 'presales', 'regular', 1, expect.any(Number)]);
    const snapshot = await db.prisma.scoreSnapshot.findUnique({
      where: { period_memberId: { period: '2026-10', memberId: ids.UA! } },
    });
    expect(snapshot).toMatchObject({ track: 'presales', level: 'regular' });
    // away all October (deactivated in September, back in November): not frozen on its payroll
    expect(frozen.map((r) => r[0])).not.toContain('UD');
    // a change dated in the closed month, or an earlier one still in force in it, is refused
    const count = await db.prisma.memberAssignment.count();
    expect(await refusal(setAssignment(t(), { slackId: 'UC', level: 'senior', from: '2026-10-25', by: 'UL' }))).toBe(
      'month_closed',
    );
    expect(await refusal(setAssignment(t(), { slackId: 'UC', level: 'senior', from: '2026-09-25', by: 'UL' }))).toBe(
      'month_closed',
    );
    expect(await db.prisma.memberAssignment.count()).toBe(count);
    // a change from the month after is fine, and the closed month still reads as frozen
    await setAssignment(t(), { slackId: 'UC', track: 'aftersales', from: '2026-11-01', by: 'UL' });
    const mine = await memberScore(t(), 'UC', { kind: 'month', month: '2026-10' });
    expect(mine.member.track).toBe('presales');
    expect(mine.standing?.score.rank).toBe(3);
    // reopen and close again: the same figures as the first close
    await reopenMonth(t(), { month: '2026-10', by: 'UAD', why: 'check' });
    expect(figures((await payroll(t(), '2026-10')).rows)).toEqual(frozen);
    const again = await closeMonth(t(), { month: '2026-10', by: TERMINAL });
    expect(figures(again)).toEqual(frozen);
  });
});

describe('changes dated ahead', () => {
  it('keeps the member row as today until the day comes, then brings it up to date', async () => {
    await setAssignment(t(), { slackId: 'UY', level: 'senior', from: '2026-12-01', by: 'UL' });
    expect((await findMember(t(), 'UY')).level).toBe('regular');
    const later = tallyOn(db, '2026-12-01T09:00:00+08:00');
    expect(await syncCurrentAssignments(later)).toBe(1);
    expect((await findMember(later, 'UY')).level).toBe('senior');
    expect(await syncCurrentAssignments(later)).toBe(0);
  });
});

describe('hire date corrections', () => {
  it('moves the hire date and the first assignment, and refuses one touching a closed month or metrics', async () => {
    const m = await db.prisma.member.create({
      data: {
        slackId: 'UN',
        name: 'UN',
        track: 'presales',
        level: 'trainee',
        role: 'agent',
        hiredOn: fromDay('2026-11-03'),
      },
    });
    const fixed = await correctHireDate(t(), { slackId: 'UN', hiredOn: '2026-11-02', by: 'UAD' });
    expect(fixed.hiredOn).toBe('2026-11-02');
    expect((await assignmentHistory(t(), 'UN')).assignments[0]!.from).toBe('2026-11-02');
    // into October (closed): refused
    expect(await refusal(correctHireDate(t(), { slackId: 'UN', hiredOn: '2026-10-20', by: 'UAD' }))).toBe(
      'month_closed',
    );
    expect(await refusal(correctHireDate(t(), { slackId: 'UA', hiredOn: '2026-09-15', by: 'UAD' }))).toBe(
      'hire_date_after_metrics',
    );
    expect((await db.prisma.member.findUnique({ where: { id: m.id } }))!.hiredOn.toISOString().slice(0, 10)).toBe(
      '2026-11-02',
    );
  });
});
