import { describe, expect, it } from 'vitest';
import { divideHalfUp, formatFen, mulDivHalfUp, parseYuan, percentOf } from '../../src/core/money.js';

describe('money: seed worked examples', () => {
  it('80.00 points × ¥400 performance base → ¥320 (32000 fen)', () => {
    // 8000 hundredths × 40000 fen / 10000 = 32000 fen
    expect(mulDivHalfUp(8000, 40_000, 10_000)).toBe(32_000);
  });

  it('2% commission of ¥350 → ¥7', () => {
    // 35000 fen × 200 bp / 10000 = 700 fen
    expect(percentOf(35_000, 200)).toBe(700);
  });
});

describe('money: half-up rounding at .5 fen', () => {
  it('rounds exactly half a fen up', () => {
    // 25 × 200 / 10000 = 0.5 → 1 ; 75 × 200 / 10000 = 1.5 → 2
    expect(percentOf(25, 200)).toBe(1);
    expect(percentOf(75, 200)).toBe(2);
    // 35025 × 2% = 700.5 → 701
    expect(percentOf(35_025, 200)).toBe(701);
  });

  it('rounds below half down', () => {
    // 24 × 2% = 0.48 → 0 ; 35024 × 2% = 700.48 → 700 ; 74 × 2% = 1.48 → 1
    expect(percentOf(24, 200)).toBe(0);
    expect(percentOf(35_024, 200)).toBe(700);
    expect(percentOf(74, 200)).toBe(1);
  });

  it('rounds just above half up, and 0 stays 0', () => {
    // 26 × 2% = 0.52 → 1
    expect(percentOf(26, 200)).toBe(1);
    expect(percentOf(0, 200)).toBe(0);
    expect(percentOf(12_345, 0)).toBe(0);
  });

  it('divideHalfUp: 1/2 → 1, 3/2 → 2, 5/4 → 1, 7/4 → 2, 10/5 → 2', () => {
    expect(divideHalfUp(1, 2)).toBe(1);
    expect(divideHalfUp(3, 2)).toBe(2);
    expect(divideHalfUp(5, 4)).toBe(1); // 1.25
    expect(divideHalfUp(7, 4)).toBe(2); // 1.75
    expect(divideHalfUp(10, 5)).toBe(2);
    expect(divideHalfUp(0, 7)).toBe(0);
  });

  it('stays exact when a × b leaves the safe-integer range', () => {
    // (2^53 - 1) × 3 / 3 = 2^53 - 1 exactly (a float product would lose the last digit)
    expect(mulDivHalfUp(Number.MAX_SAFE_INTEGER, 3, 3)).toBe(Number.MAX_SAFE_INTEGER);
    // 9,007,199,254,740,991 × 200 / 10000 = 180,143,985,094,819.82 → 180,143,985,094,820
    expect(percentOf(Number.MAX_SAFE_INTEGER, 200)).toBe(180_143_985_094_820);
  });

  it('refuses negative, fractional or zero-divisor inputs instead of guessing', () => {
    expect(() => mulDivHalfUp(-1, 200, 10_000)).toThrow(RangeError);
    expect(() => mulDivHalfUp(1.5, 200, 10_000)).toThrow(RangeError);
    expect(() => mulDivHalfUp(1, 200, 0)).toThrow(RangeError);
    expect(() => divideHalfUp(1, 0)).toThrow(RangeError);
    expect(() => divideHalfUp(-3, 2)).toThrow(RangeError);
  });
});

describe('parseYuan', () => {
  it.each([
    ['35.5', 3550],
    ['35.50', 3550],
    ['35', 3500],
    ['0', 0],
    ['0.01', 1],
    ['¥1,234.50', 123_450],
    ['￥1,234.50', 123_450],
    ['80元', 8000],
    ['  20  ', 2000],
    ['100 RMB', 10_000],
    ['7cny', 700],
  ])('%j → %d fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(['12.345', '-1', '-0.5', 'abc', '', '¥', '1.', '.5', '1e3', '12.3.4', 'NaN', '35,5', '1,2,3', '12,34.00'])(
    '%j → null',
    (text) => {
      expect(parseYuan(text)).toBeNull();
    },
  );

  it('never goes through floating point (0.1 + 0.2 style amounts are exact)', () => {
    // 0.29 × 100 = 28.999999999999996 in floats; exact parsing gives 29
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('1.15')).toBe(115);
    expect(parseYuan('4.35')).toBe(435);
  });
});

describe('formatFen', () => {
  it.each([
    [123_450, '¥1,234.50'],
    [0, '¥0.00'],
    [1, '¥0.01'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [32_000, '¥320.00'],
    [100_000_000, '¥1,000,000.00'],
    [317_705, '¥3,177.05'],
    [-1200, '-¥12.00'],
  ])('%d fen → %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('round-trips with parseYuan', () => {
    for (const fen of [0, 1, 10, 99, 3550, 123_450, 987_654_321]) expect(parseYuan(formatFen(fen))).toBe(fen);
  });
});
