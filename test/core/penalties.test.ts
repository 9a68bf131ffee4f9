import { describe, expect, it } from 'vitest';
import { escalationsTriggeredAt, matchRule, priceRule, summarisePenalties } from '../../src/core/penalties.js';
import { DEFAULT_POLICY, overridePolicy, readStoredPolicy } from '../../src/core/policy.js';
import { penalty } from './helpers.js';

const rules = DEFAULT_POLICY.penalties.rules;
const rule = (code: string) => {
  const r = rules[code];
  if (!r) throw new Error(`no rule ${code}`);
  return r;
};

function expectRule(text: string, code: string, note = '') {
  const m = matchRule(DEFAULT_POLICY, text);
  expect(m).toMatchObject({ kind: 'rule', code, note });
}

describe('matchRule', () => {
  it('the rule code itself', () => {
    expectRule('buck_passing', 'buck_passing');
    expectRule('store_deduction', 'store_deduction');
    expectRule('order_change_missed', 'order_change_missed');
    expectRule('fraud', 'fraud');
    expectRule('  fraud  ', 'fraud');
  });

  it('the Chinese alias', () => {
    expectRule('踢皮球', 'buck_passing');
    expectRule('店铺扣分', 'store_deduction');
    expectRule('抢单', 'fraud');
    expectRule('未改单', 'order_change_missed');
  });

  it('the English name with spaces, hyphens or capitals', () => {
    expectRule('buck passing', 'buck_passing');
    expectRule('Buck Passing', 'buck_passing');
    expectRule('buck-passing', 'buck_passing');
    expectRule('BUCK_PASSING', 'buck_passing');
    expectRule('personal chat', 'personal_chat');
  });

  it('a code or alias followed by a note keeps the note as typed', () => {
    expectRule('buck_passing left a customer 10 min', 'buck_passing', 'left a customer 10 min');
    expectRule('buck passing  ignored the refund chat', 'buck_passing', 'ignored the refund chat');
    expectRule('踢皮球 客户等了十分钟', 'buck_passing', '客户等了十分钟');
    expectRule('踢皮球，客户等了十分钟', 'buck_passing', '客户等了十分钟');
    expectRule('buck_passing: late reply', 'buck_passing', 'late reply');
    expectRule('buck passing - customer left', 'buck_passing', 'customer left');
    expectRule('order_change_missed 地址没改', 'order_change_missed', '地址没改');
  });

  it('an alias counts only as a whole word: a free reason that starts with one is not that rule', () => {
    expect(matchRule(DEFAULT_POLICY, '聊天记录不全')).toEqual({ kind: 'free', reason: '聊天记录不全' });
    expect(matchRule(DEFAULT_POLICY, '投诉处理不当')).toEqual({ kind: 'free', reason: '投诉处理不当' });
    expect(matchRule(DEFAULT_POLICY, '踢皮球客户等了十分钟').kind).toBe('free');
  });

  it('the longest alias wins (未改单 over 改单 is the same rule; 指名投诉 over 投诉)', () => {
    expectRule('指名投诉 差评说回复慢', 'named_complaint', '差评说回复慢');
  });

  it('an unknown snake_case word is a mistyped code, not a free reason', () => {
    expect(matchRule(DEFAULT_POLICY, 'late_reply')).toEqual({ kind: 'unknown_code', text: 'late_reply' });
    expect(matchRule(DEFAULT_POLICY, 'buck_pasing')).toEqual({ kind: 'unknown_code', text: 'buck_pasing' });
  });

  it('free text is a free reason', () => {
    expect(matchRule(DEFAULT_POLICY, 'customer waited too long')).toEqual({
      kind: 'free',
      reason: 'customer waited too long',
    });
    expect(matchRule(DEFAULT_POLICY, '  迟到早退  ')).toEqual({ kind: 'free', reason: '迟到早退' });
  });

  it('a word that merely starts like a code is not that code', () => {
    // "fraudulent" must not match "fraud": aliases end on a word boundary for Latin text
    expect(matchRule(DEFAULT_POLICY, 'fraudulent refund')).toEqual({ kind: 'free', reason: 'fraudulent refund' });
  });

  it('a retired rule no longer matches', () => {
    const policy = overridePolicy(DEFAULT_POLICY, { penalties: { rules: { buck_passing: { retired: true } } } });
    expect(matchRule(policy, 'buck_passing').kind).toBe('unknown_code');
    expect(matchRule(policy, '踢皮球').kind).toBe('free');
  });

  it('two rules sharing an alias (a version stored before names had to be unique) are ambiguous, not silently picked', () => {
    const doc = JSON.parse(JSON.stringify(DEFAULT_POLICY));
    doc.penalties.rules.personal_chat.aliases = ['踢皮球'];
    const policy = readStoredPolicy(doc);
    const m = matchRule(policy, '踢皮球 note');
    expect(m.kind).toBe('ambiguous');
    if (m.kind === 'ambiguous') expect([...m.codes].sort()).toEqual(['buck_passing', 'personal_chat']);
  });

  it('names are compared after NFKC and case folding: a full-width alias matches what a lead types, and back', () => {
    const late = { label: { zh: '迟到', en: 'Late' }, aliases: ['ｌａｔｅ'], amountFen: 1000, points: 1 };
    const policy = overridePolicy(DEFAULT_POLICY, { penalties: { rules: { late_login: late } } });
    expect(matchRule(policy, 'late')).toMatchObject({ kind: 'rule', code: 'late_login', note: '' });
    expect(matchRule(policy, 'LATE 10 分钟')).toMatchObject({ kind: 'rule', code: 'late_login', note: '10 分钟' });
    expect(matchRule(policy, 'ｌａｔｅ　客户等了')).toMatchObject({
      kind: 'rule',
      code: 'late_login',
      note: '客户等了',
    });
    // a code typed full-width is the code
    expect(matchRule(DEFAULT_POLICY, 'ｂｕｃｋ＿ｐａｓｓｉｎｇ：回复慢')).toMatchObject({
      kind: 'rule',
      code: 'buck_passing',
      note: '回复慢',
    });
    expect(matchRule(policy, 'lateness').kind).toBe('free');
  });

  it('an empty alias (in a version stored before aliases were checked) matches nothing: a reason starting with a separator stays free', () => {
    const doc = JSON.parse(JSON.stringify(DEFAULT_POLICY));
    doc.penalties.rules.personal_chat.aliases = [' ', '--'];
    const policy = readStoredPolicy(doc);
    expect(matchRule(policy, '-- ignored customer')).toEqual({ kind: 'free', reason: '-- ignored customer' });
    expect(matchRule(policy, ': 客户等了')).toEqual({ kind: 'free', reason: ': 客户等了' });
    expect(matchRule(policy, 'personal chat').kind).toBe('rule');
  });

  it('returns the rule definition with the match', () => {
    const m = matchRule(DEFAULT_POLICY, 'store deduction');
    expect(m.kind).toBe('rule');
    if (m.kind === 'rule') {
      expect(m.rule.amountFen).toBe(50_000);
      expect(m.rule.points).toBe(10);
    }
  });
});

describe('priceRule', () => {
  it('order_change_missed adds the loss: ¥20 + ¥35.50 = ¥55.50', () => {
    expect(priceRule(rule('order_change_missed'), 3550)).toEqual({ amountFen: 5550, lossFen: 3550, points: 1 });
  });

  it('order_change_missed without a loss is ¥20', () => {
    expect(priceRule(rule('order_change_missed'), 0)).toEqual({ amountFen: 2000, lossFen: 0, points: 1 });
  });

  it('other rules ignore a loss', () => {
    expect(priceRule(rule('buck_passing'), 3550)).toEqual({ amountFen: 5000, lossFen: 0, points: 2 });
    expect(priceRule(rule('store_deduction'), 999)).toEqual({ amountFen: 50_000, lossFen: 0, points: 10 });
    expect(priceRule(rule('fraud'), 10_000)).toEqual({ amountFen: 0, lossFen: 0, points: 20 });
  });

  it('default money and points match the seed table', () => {
    const table: Array<[string, number, number]> = [
      ['buck_passing', 5000, 2],
      ['personal_chat', 5000, 2],
      ['named_complaint', 5000, 2],
      ['store_deduction', 50_000, 10],
      ['order_change_missed', 2000, 1],
      ['fraud', 0, 20],
    ];
    for (const [code, fen, points] of table)
      expect([code, rule(code).amountFen, rule(code).points]).toEqual([code, fen, points]);
  });
});

describe('summarisePenalties', () => {
  const times = (n: number, code: string, amountFen = 5000, points = 2) =>
    Array.from({ length: n }, () => penalty(code, { amountFen, points }));

  it('3 buck_passing: ¥150 and 6 points, commission kept', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, times(3, 'buck_passing'));
    expect(s.moneyFen).toBe(15_000);
    expect(s.points).toBe(6);
    expect(s.counts).toEqual({ buck_passing: 3 });
    expect(s.commissionForfeited).toBe(false);
    expect(s.dismissalFlag).toBe(false);
    expect(s.escalations).toEqual([]);
  });

  it('the 4th buck_passing in the month forfeits the commission', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, times(4, 'buck_passing'));
    expect(s.moneyFen).toBe(20_000);
    expect(s.points).toBe(8);
    expect(s.commissionForfeited).toBe(true);
    expect(s.dismissalFlag).toBe(false);
    expect(s.escalations).toEqual([{ ruleCode: 'buck_passing', count: 4, action: 'forfeit_commission' }]);
  });

  it('revoked penalties count for nothing: 4 recorded, 1 revoked → 3 → commission kept', () => {
    const list = [...times(3, 'buck_passing'), penalty('buck_passing', { status: 'revoked' })];
    const s = summarisePenalties(DEFAULT_POLICY, 1, list);
    expect(s.active).toHaveLength(3);
    expect(s.moneyFen).toBe(15_000);
    expect(s.points).toBe(6);
    expect(s.counts).toEqual({ buck_passing: 3 });
    expect(s.commissionForfeited).toBe(false);
  });

  it('a revoked fraud does not forfeit anything', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, [
      penalty('fraud', { amountFen: 0, points: 20, status: 'revoked' }),
    ]);
    expect(s).toMatchObject({ moneyFen: 0, points: 0, counts: {}, commissionForfeited: false, dismissalFlag: false });
  });

  it('counts are per rule: 2 buck_passing + 2 personal_chat do not forfeit', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, [...times(2, 'buck_passing'), ...times(2, 'personal_chat')]);
    expect(s.counts).toEqual({ buck_passing: 2, personal_chat: 2 });
    expect(s.moneyFen).toBe(20_000);
    expect(s.points).toBe(8);
    expect(s.commissionForfeited).toBe(false);
  });

  it('named_complaint escalates on the 4th too', () => {
    expect(summarisePenalties(DEFAULT_POLICY, 1, times(3, 'named_complaint')).commissionForfeited).toBe(false);
    expect(summarisePenalties(DEFAULT_POLICY, 1, times(4, 'named_complaint')).commissionForfeited).toBe(true);
    expect(summarisePenalties(DEFAULT_POLICY, 1, times(5, 'personal_chat')).commissionForfeited).toBe(true);
  });

  it('store_deduction: 1st is money only, 2nd forfeits, 3rd flags dismissal', () => {
    const one = summarisePenalties(DEFAULT_POLICY, 1, times(1, 'store_deduction', 50_000, 10));
    expect(one).toMatchObject({ moneyFen: 50_000, points: 10, commissionForfeited: false, dismissalFlag: false });

    const two = summarisePenalties(DEFAULT_POLICY, 1, times(2, 'store_deduction', 50_000, 10));
    expect(two).toMatchObject({ moneyFen: 100_000, points: 20, commissionForfeited: true, dismissalFlag: false });

    const three = summarisePenalties(DEFAULT_POLICY, 1, times(3, 'store_deduction', 50_000, 10));
    expect(three).toMatchObject({ moneyFen: 150_000, points: 30, commissionForfeited: true, dismissalFlag: true });
    expect(three.escalations).toEqual([
      { ruleCode: 'store_deduction', count: 3, action: 'forfeit_commission' },
      { ruleCode: 'store_deduction', count: 3, action: 'dismissal' },
    ]);
  });

  it('fraud forfeits the commission at once', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, [penalty('fraud', { amountFen: 0, points: 20 })]);
    expect(s).toMatchObject({ moneyFen: 0, points: 20, commissionForfeited: true, dismissalFlag: false });
  });

  it('order_change_missed never escalates; money includes the loss', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, [
      ...times(5, 'order_change_missed', 2000, 1),
      penalty('order_change_missed', { amountFen: 5550, points: 1 }),
    ]);
    // 5 × 2000 + 5550 = 15550 ; 6 points
    expect(s).toMatchObject({ moneyFen: 15_550, points: 6, commissionForfeited: false });
  });

  it('a free penalty adds money, no points, no escalation count', () => {
    const s = summarisePenalties(DEFAULT_POLICY, 7, [
      penalty(null, { amountFen: 12_345, points: 0 }),
      ...times(3, 'buck_passing'),
    ]);
    expect(s.memberId).toBe(7);
    expect(s.moneyFen).toBe(27_345); // 12345 + 3 × 5000
    expect(s.points).toBe(6);
    expect(s.counts).toEqual({ buck_passing: 3 });
    expect(s.commissionForfeited).toBe(false);
  });

  it("uses the amounts recorded on the penalty, not today's rule (a later policy change does not rewrite old penalties)", () => {
    const s = summarisePenalties(DEFAULT_POLICY, 1, [penalty('buck_passing', { amountFen: 3000, points: 1 })]);
    expect(s.moneyFen).toBe(3000);
    expect(s.points).toBe(1);
  });

  it('nothing recorded: zeroes', () => {
    expect(summarisePenalties(DEFAULT_POLICY, 1, [])).toEqual({
      memberId: 1,
      active: [],
      moneyFen: 0,
      points: 0,
      counts: {},
      commissionForfeited: false,
      dismissalFlag: false,
      escalations: [],
    });
  });

  it('escalation thresholds follow the policy', () => {
    const policy = overridePolicy(DEFAULT_POLICY, {
      penalties: { rules: { buck_passing: { escalations: [{ fromCount: 2, action: 'forfeit_commission' }] } } },
    });
    expect(summarisePenalties(policy, 1, times(2, 'buck_passing')).commissionForfeited).toBe(true);
  });
});

describe('escalationsTriggeredAt', () => {
  it('buck_passing: only the 4th occurrence triggers (not the 3rd, not again on the 5th)', () => {
    expect(escalationsTriggeredAt(rule('buck_passing'), 3)).toEqual([]);
    expect(escalationsTriggeredAt(rule('buck_passing'), 4)).toEqual([{ fromCount: 4, action: 'forfeit_commission' }]);
    expect(escalationsTriggeredAt(rule('buck_passing'), 5)).toEqual([]);
  });

  it('store_deduction: 2nd forfeits, 3rd flags dismissal', () => {
    expect(escalationsTriggeredAt(rule('store_deduction'), 1)).toEqual([]);
    expect(escalationsTriggeredAt(rule('store_deduction'), 2)).toEqual([
      { fromCount: 2, action: 'forfeit_commission' },
    ]);
    expect(escalationsTriggeredAt(rule('store_deduction'), 3)).toEqual([{ fromCount: 3, action: 'dismissal' }]);
  });

  it('fraud triggers on the 1st; order_change_missed never', () => {
    expect(escalationsTriggeredAt(rule('fraud'), 1)).toEqual([{ fromCount: 1, action: 'forfeit_commission' }]);
    for (let n = 1; n <= 6; n++) expect(escalationsTriggeredAt(rule('order_change_missed'), n)).toEqual([]);
  });
});
