import { describe, expect, it } from 'vitest';
import {
  activeOn,
  assignmentForMonth,
  assignmentOn,
  awayAllMonth,
  awaySince,
  type Assignment,
} from '../../src/core/assignments.js';

const history: Assignment[] = [
  { from: '2026-06-20', track: 'aftersales', level: 'regular', role: 'agent' },
  { from: '2025-06-15', track: 'presales', level: 'trainee', role: 'agent' },
  { from: '2025-07-01', track: 'presales', level: 'regular', role: 'agent' },
];

describe('assignmentOn / assignmentForMonth', () => {
  it('gives the row in force that day, whatever order the rows come in', () => {
    expect(assignmentOn(history, '2025-06-30')?.level).toBe('trainee');
    expect(assignmentOn(history, '2025-07-01')?.level).toBe('regular');
    expect(assignmentOn(history, '2026-06-19')?.track).toBe('presales');
    expect(assignmentOn(history, '2026-06-20')?.track).toBe('aftersales');
  });

  it('reads a month on its first day: a change on the 20th counts from the next month', () => {
    expect(assignmentForMonth(history, '2026-06')?.track).toBe('presales');
    expect(assignmentForMonth(history, '2026-07')?.track).toBe('aftersales');
  });

  it('uses the first row before it began (a month someone was hired in) and nothing without rows', () => {
    expect(assignmentForMonth(history, '2025-06')?.level).toBe('trainee');
    expect(assignmentOn([], '2025-06-01')).toBeUndefined();
  });
});

describe('activeOn / awayAllMonth', () => {
  const away = [
    { day: '2026-09-10', active: false },
    { day: '2026-11-02', active: true },
  ];
  it('is inactive from the day of a deactivation until the day of the reactivation', () => {
    expect(activeOn(away, '2025-01-01', '2026-09-09')).toBe(true);
    expect(activeOn(away, '2025-01-01', '2026-09-10')).toBe(false);
    expect(activeOn(away, '2025-01-01', '2026-11-01')).toBe(false);
    expect(activeOn(away, '2025-01-01', '2026-11-02')).toBe(true);
    expect(activeOn([], '2025-01-01', '2024-12-31')).toBe(false);
  });

  it('counts a month away only when every day of it was', () => {
    expect(awayAllMonth(away, '2025-01-01', '2026-09')).toBe(false);
    expect(awayAllMonth(away, '2025-01-01', '2026-10')).toBe(true);
    expect(awayAllMonth(away, '2025-01-01', '2026-11')).toBe(false);
    // deactivated on the 1st: that was still a day on the team
    expect(awayAllMonth([{ day: '2026-11-01', active: false }], '2025-01-01', '2026-11')).toBe(false);
    expect(awayAllMonth([{ day: '2026-11-01', active: false }], '2025-01-01', '2026-12')).toBe(true);
    // hired after the month, or on its last day
    expect(awayAllMonth([], '2026-12-01', '2026-11')).toBe(true);
    expect(awayAllMonth([], '2026-11-30', '2026-11')).toBe(false);
  });

  it('dates a month away from the deactivation that began it', () => {
    expect(awaySince(away, '2025-01-01', '2026-10')).toBe('2026-09-10');
    expect(awaySince(away, '2025-01-01', '2026-09')).toBeNull();
    expect(awaySince(away, '2025-01-01', '2026-11')).toBeNull();
    const twice = [...away, { day: '2027-01-20', active: false }];
    expect(awaySince(twice, '2025-01-01', '2027-02')).toBe('2027-01-20');
    // not hired yet is not away
    expect(awaySince([], '2026-12-01', '2026-11')).toBeNull();
  });

  it('takes the later of two entries on one day', () => {
    const sameDay = [
      { day: '2026-10-05', active: false },
      { day: '2026-10-05', active: true },
    ];
    expect(activeOn(sameDay, '2025-01-01', '2026-10-05')).toBe(true);
  });
});
