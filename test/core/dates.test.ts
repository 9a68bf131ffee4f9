import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addMonthsToDay,
  daysBetween,
  firstDay,
  isDay,
  isMonth,
  lastDay,
  monthOf,
  periodEnd,
  periodLabel,
  periodStart,
} from '../../src/core/dates.js';

describe('isDay / isMonth', () => {
  it('rejects days that do not exist', () => {
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-02-29')).toBe(false); // 2026 is not a leap year
    expect(isDay('2100-02-29')).toBe(false); // century, not divisible by 400
    expect(isDay('2026-04-31')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-00-10')).toBe(false);
    expect(isDay('2026-01-00')).toBe(false);
  });

  it('accepts real days, leap days included', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2000-02-29')).toBe(true);
    expect(isDay('2026-12-31')).toBe(true);
    expect(isDay('2026-01-01')).toBe(true);
  });

  it('rejects other spellings', () => {
    expect(isDay('2026-1-05')).toBe(false);
    expect(isDay('2026/01/05')).toBe(false);
    expect(isDay('2026-01-05T00:00')).toBe(false);
    expect(isDay('')).toBe(false);
  });

  it('months', () => {
    expect(isMonth('2026-11')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-00')).toBe(false);
    expect(isMonth('2026-1')).toBe(false);
    expect(isMonth('2026-11-01')).toBe(false);
  });
});

describe('month arithmetic', () => {
  it('addMonths crosses year ends both ways', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -15)).toBe('2024-12');
    expect(addMonths('2026-05', 0)).toBe('2026-05');
    expect(addMonths('2026-05', 24)).toBe('2028-05');
  });

  it('addMonthsToDay clamps to the end of a shorter month', () => {
    expect(addMonthsToDay('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDay('2028-01-31', 1)).toBe('2028-02-29'); // leap year
    expect(addMonthsToDay('2026-08-31', 3)).toBe('2026-11-30');
    expect(addMonthsToDay('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonthsToDay('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('addMonthsToDay keeps the day when it exists', () => {
    expect(addMonthsToDay('2026-08-01', 3)).toBe('2026-11-01');
    expect(addMonthsToDay('2026-10-15', 3)).toBe('2027-01-15');
  });

  it('first and last day of months', () => {
    expect(firstDay('2026-11')).toBe('2026-11-01');
    expect(lastDay('2026-11')).toBe('2026-11-30');
    expect(lastDay('2026-02')).toBe('2026-02-28');
    expect(lastDay('2028-02')).toBe('2028-02-29');
    expect(lastDay('2026-12')).toBe('2026-12-31');
    expect(monthOf('2026-11-05')).toBe('2026-11');
  });
});

describe('days', () => {
  it('addDays crosses month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('daysBetween is inclusive', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-11-05', '2026-11-05')).toEqual(['2026-11-05']);
    expect(daysBetween('2026-11-06', '2026-11-05')).toEqual([]);
    expect(daysBetween('2026-11-01', '2026-11-30')).toHaveLength(30);
  });

  it('periods: a day is its own start and end, a month spans its calendar days', () => {
    expect(periodStart({ kind: 'day', day: '2026-11-05' })).toBe('2026-11-05');
    expect(periodEnd({ kind: 'day', day: '2026-11-05' })).toBe('2026-11-05');
    expect(periodStart({ kind: 'month', month: '2026-02' })).toBe('2026-02-01');
    expect(periodEnd({ kind: 'month', month: '2026-02' })).toBe('2026-02-28');
    expect(periodLabel({ kind: 'month', month: '2026-02' })).toBe('2026-02');
    expect(periodLabel({ kind: 'day', day: '2026-11-05' })).toBe('2026-11-05');
  });
});
