// Monthly pay (seeds 000, 001, 003): every term in fen, rounded half-up on its own.
import { mulDivHalfUp, percentOf } from './money.js';
import type { Level, Policy } from './policy.js';

export interface PayInput {
  level: Level;
  /** the month score in hundredths, or null when the member has no metrics in the month */
  scoreHundredths: number | null;
  gmvFen: number;
  awardFen: number;
  penaltyFen: number;
  commissionForfeited: boolean;
}

export interface Payslip {
  baseFen: number;
  performanceFen: number;
  commissionFen: number;
  awardFen: number;
  mealFen: number;
  penaltyFen: number;
  totalFen: number;
  /** what the terms add up to before the floor at 0 (negative when penalties exceed pay) */
  uncappedFen: number;
}

export function payslip(policy: Policy, input: PayInput): Payslip {
  const pay = policy.pay;
  const trainee = input.level === 'trainee';
  const baseFen = pay.baseFen[input.level];
  // score in hundredths × base / 10,000: 80.00 points × ¥400 → ¥320
  const performanceFen =
    trainee || input.scoreHundredths === null ? 0 : mulDivHalfUp(input.scoreHundredths, pay.performanceBaseFen, 10_000);
  const commissionFen = trainee || input.commissionForfeited ? 0 : percentOf(input.gmvFen, pay.commissionBasisPoints);
  const awardFen = trainee ? 0 : input.awardFen;
  const mealFen = pay.mealAllowanceFen;
  const penaltyFen = input.penaltyFen;
  // every term is a safe integer; their sum stays exact only while it is one too (policy bounds keep it so)
  const earnedFen = baseFen + performanceFen + commissionFen + awardFen + mealFen;
  if (!Number.isSafeInteger(earnedFen) || !Number.isSafeInteger(penaltyFen)) {
    throw new RangeError(`a payslip of ${earnedFen} fen less ${penaltyFen} fen is beyond exact arithmetic`);
  }
  const uncappedFen = earnedFen - penaltyFen;
  return {
    baseFen,
    performanceFen,
    commissionFen,
    awardFen,
    mealFen,
    penaltyFen,
    totalFen: Math.max(0, uncappedFen),
    uncappedFen,
  };
}
