// Small builders shared by the core tests (no logic under test lives here).
import type { PenaltyRecord } from '../../src/core/penalties.js';
import type { MetricRow } from '../../src/core/score.js';

/** A metrics row with every cell empty (null) except those given. */
export function row(cells: Partial<MetricRow> = {}): MetricRow {
  return {
    inquiries: null,
    paidCustomers: null,
    receptions: null,
    gmvFen: null,
    refundCustomers: null,
    cases: null,
    resolved: null,
    serviceScore: null,
    avgResponseSec: null,
    ...cells,
  };
}

let nextPenaltyId = 1;

/** An active penalty of a rule, priced like the default policy unless told otherwise. */
export function penalty(ruleCode: string | null, extra: Partial<PenaltyRecord> = {}): PenaltyRecord {
  return {
    id: nextPenaltyId++,
    memberId: 1,
    ruleCode,
    amountFen: 5000,
    points: 2,
    occurredOn: '2026-11-10',
    status: 'active',
    ...extra,
  };
}
