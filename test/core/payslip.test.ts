import { describe, expect, it } from 'vitest';
import { payslip, type PayInput } from '../../src/core/payslip.js';
import { DEFAULT_POLICY, overridePolicy } from '../../src/core/policy.js';

const base: PayInput = {
  level: 'regular',
  scoreHundredths: 8000,
  gmvFen: 35_000,
  awardFen: 10_000,
  penaltyFen: 5_000,
  commissionForfeited: false,
};

describe('payslip', () => {
  it('full example: regular, 80.00 points, gmv ¥350, rank-1 award, one ¥50 penalty', () => {
    // base ¥2,500 + performance 80.00/100 × ¥400 = ¥320 + commission 2% × ¥350 = ¥7 + award ¥100 + meal ¥300 − ¥50
    // = 250000 + 32000 + 700 + 10000 + 30000 − 5000 = 317700 fen (¥3,177.00)
    expect(payslip(DEFAULT_POLICY, base)).toEqual({
      baseFen: 250_000,
      performanceFen: 32_000,
      commissionFen: 700,
      awardFen: 10_000,
      mealFen: 30_000,
      penaltyFen: 5_000,
      totalFen: 317_700,
      uncappedFen: 317_700,
    });
  });

  it('base pay follows the level', () => {
    const fen = (level: PayInput['level']) => payslip(DEFAULT_POLICY, { ...base, level }).baseFen;
    expect([fen('trainee'), fen('regular'), fen('senior'), fen('lead'), fen('supervisor')]).toEqual([
      180_000, 250_000, 300_000, 350_000, 400_000,
    ]);
  });

  it('senior: 93.45 points, gmv ¥12,345.67, streak award ¥300, no penalties', () => {
    // performance 9345 × 40000 / 10000 = 37380 ; commission 1234567 × 200 / 10000 = 24691.34 → 24691
    // 300000 + 37380 + 24691 + 30000 + 30000 − 0 = 422071
    const p = payslip(DEFAULT_POLICY, {
      level: 'senior',
      scoreHundredths: 9345,
      gmvFen: 1_234_567,
      awardFen: 30_000,
      penaltyFen: 0,
      commissionForfeited: false,
    });
    expect(p.performanceFen).toBe(37_380);
    expect(p.commissionFen).toBe(24_691);
    expect(p.totalFen).toBe(422_071);
  });

  it('each term rounds half-up to the fen on its own', () => {
    // commission 35025 × 2% = 700.5 → 701
    expect(payslip(DEFAULT_POLICY, { ...base, gmvFen: 35_025 }).commissionFen).toBe(701);
    // performance base ¥50: 3 hundredths × 5000 / 10000 = 1.5 → 2 ; 1 hundredth → 0.5 → 1
    const policy = overridePolicy(DEFAULT_POLICY, { pay: { performanceBaseFen: 5000 } });
    expect(payslip(policy, { ...base, scoreHundredths: 3 }).performanceFen).toBe(2);
    expect(payslip(policy, { ...base, scoreHundredths: 1 }).performanceFen).toBe(1);
    // 8001 × 12345 / 10000 = 9877.2345 → 9877
    const odd = overridePolicy(DEFAULT_POLICY, { pay: { performanceBaseFen: 12_345 } });
    expect(payslip(odd, { ...base, scoreHundredths: 8001 }).performanceFen).toBe(9_877);
  });

  it('a trainee gets base + meal − penalties only', () => {
    // 180000 + 30000 − 5000 = 205000 ; no performance, commission or award even with a score, gmv and award
    expect(payslip(DEFAULT_POLICY, { ...base, level: 'trainee' })).toEqual({
      baseFen: 180_000,
      performanceFen: 0,
      commissionFen: 0,
      awardFen: 0,
      mealFen: 30_000,
      penaltyFen: 5_000,
      totalFen: 205_000,
      uncappedFen: 205_000,
    });
  });

  it('a forfeited commission is 0; everything else stays', () => {
    // 250000 + 32000 + 0 + 10000 + 30000 − 5000 = 317000
    const p = payslip(DEFAULT_POLICY, { ...base, gmvFen: 1_000_000, commissionForfeited: true });
    expect(p.commissionFen).toBe(0);
    expect(p.performanceFen).toBe(32_000);
    expect(p.totalFen).toBe(317_000);
  });

  it('pay never goes below 0, and the payslip still shows the real terms', () => {
    // 250000 + 32000 + 700 + 10000 + 30000 − 1000000 = −677300 → 0
    const p = payslip(DEFAULT_POLICY, { ...base, penaltyFen: 1_000_000 });
    expect(p.totalFen).toBe(0);
    expect(p.uncappedFen).toBe(-677_300);
    expect(p.penaltyFen).toBe(1_000_000);
  });

  it('penalties exactly equal to pay give 0', () => {
    // trainee 180000 + 30000 = 210000
    expect(payslip(DEFAULT_POLICY, { ...base, level: 'trainee', penaltyFen: 210_000 }).totalFen).toBe(0);
  });

  it('no metrics this month (score null): base + meal − penalties', () => {
    // 250000 + 30000 − 5000 = 275000
    const p = payslip(DEFAULT_POLICY, {
      level: 'regular',
      scoreHundredths: null,
      gmvFen: 0,
      awardFen: 0,
      penaltyFen: 5_000,
      commissionForfeited: false,
    });
    expect(p).toMatchObject({
      baseFen: 250_000,
      performanceFen: 0,
      commissionFen: 0,
      awardFen: 0,
      mealFen: 30_000,
      totalFen: 275_000,
    });
  });

  it('a score of 0 earns no performance pay but commission still counts', () => {
    const p = payslip(DEFAULT_POLICY, { ...base, scoreHundredths: 0, awardFen: 0, penaltyFen: 0 });
    // 250000 + 0 + 700 + 0 + 30000 = 280700
    expect(p.performanceFen).toBe(0);
    expect(p.totalFen).toBe(280_700);
  });

  it('follows the policy: meal ¥350, commission 3%', () => {
    const policy = overridePolicy(DEFAULT_POLICY, { pay: { mealAllowanceFen: 35_000, commissionBasisPoints: 300 } });
    const p = payslip(policy, base);
    // commission 35000 × 3% = 1050 ; 250000 + 32000 + 1050 + 10000 + 35000 − 5000 = 323050
    expect(p.mealFen).toBe(35_000);
    expect(p.commissionFen).toBe(1_050);
    expect(p.totalFen).toBe(323_050);
  });

  it('a payslip beyond exact arithmetic is refused, not rounded to a wrong number', () => {
    const all = overridePolicy(DEFAULT_POLICY, { pay: { commissionBasisPoints: 10_000 } });
    // commission of all of a gmv just under 2^53, plus base and meal, passes 2^53
    expect(() => payslip(all, { ...base, gmvFen: Number.MAX_SAFE_INTEGER - 100 })).toThrow(RangeError);
    expect(
      payslip(all, {
        ...base,
        gmvFen: Number.MAX_SAFE_INTEGER - 400_000,
        awardFen: 0,
        penaltyFen: 0,
        scoreHundredths: null,
      }).totalFen,
    ).toBe(Number.MAX_SAFE_INTEGER - 400_000 + 280_000);
  });
});
