// The promotion renderers on their own: the words of issue 10's example, both languages, Slack's limits.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy.js';
import type { MonthRecord } from '../../src/core/promotions.js';
import type { CandidateList, PersonRecord } from '../../src/service/promotions.js';
import type { MemberView } from '../../src/service/roster.js';
import { blockProblems } from '../../src/slack/blocks.js';
import { personBlocks, reviewMessages, sparkline } from '../../src/slack/render/promotions.js';
import { texts } from '../../src/slack/text/index.js';
import { textOf } from '../support/slack.js';

const amy: MemberView = {
  id: 1,
  slackId: 'U1',
  name: 'Amy',
  track: 'presales',
  level: 'regular',
  role: 'agent',
  hiredOn: '2026-01-05',
  active: true,
  platformAccount: null,
};
const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
const scores = [8600, 8800, null, 9000, 8500, 8540];
const trend: MonthRecord[] = months.map((month, i) => ({
  month,
  scoreHundredths: scores[i]!,
  rank: scores[i] === null ? null : i + 1,
  ranked: 8,
  dismissalFlag: false,
}));

const record: PersonRecord = {
  member: amy,
  today: '2026-12-10',
  trend,
  progress: {
    kind: 'path',
    level: 'regular',
    since: '2026-09-01',
    monthsAtLevel: 3,
    to: 'senior',
    time: { counts: 'level', needed: 3, months: 3, metOn: '2026-12-01', met: true },
    record: { monthsScored: 5, averageHundredths: 8688, enoughMonths: true, averageMet: true, dismissal: false },
    review: '2027-01',
  },
};

describe('a person on /myscore and App Home', () => {
  it('says what the next level needs and how far they are, as the issue words it', () => {
    const text = textOf(personBlocks(texts('en'), DEFAULT_POLICY, record));
    expect(text).toContain('*Level*: regular, 3 months (since 2026-09-01)');
    expect(text).toContain('*Next*: senior: 3 months as regular ✓, average 86.88 ≥ 80 ✓, review in January');
    expect(text).toContain('Jun 86 #1/8 · Jul 88 #2/8 · Aug — · Sep 90 #4/8 · Oct 85 #5/8 · Nov 85.4 #6/8');
    const zh = textOf(personBlocks(texts('zh-CN'), DEFAULT_POLICY, record));
    expect(zh).toContain('*下一级*：资深：任正式满 3 个月 ✓，平均分 86.88 ≥ 80 ✓，1月评审');
    expect(zh).toContain('6月 86 第1/8 · 7月 88 第2/8 · 8月 —');
  });

  it('shows what is missing: time not met yet, too few scored months, a dismissal flag', () => {
    const p = record.progress!;
    if (p.kind !== 'path') throw new Error('path');
    const short: PersonRecord = {
      ...record,
      progress: {
        ...p,
        time: { counts: 'level', needed: 3, months: 1, metOn: '2027-02-01', met: false },
        record: { monthsScored: 2, averageHundredths: 9000, enoughMonths: false, averageMet: true, dismissal: true },
      },
    };
    expect(textOf(personBlocks(texts('en'), DEFAULT_POLICY, short))).toContain(
      '*Next*: senior: 1 of 3 months as regular (met on 2027-02-01), 2 of 3 scored months needed, dismissal flag in the last months ✗, review in January',
    );
  });

  it('a sparkline from the lowest to the highest month shown, a month without a score as a dot', () => {
    expect(sparkline(trend)).toBe('▂▅·█▁▂');
    expect(sparkline(trend.map((r) => ({ ...r, scoreHundredths: 7200 })))).toBe('▄▄▄▄▄▄');
    expect(sparkline(trend.map((r) => ({ ...r, scoreHundredths: null })))).toBe('······');
  });
});

describe('the review list', () => {
  it('splits a long list into messages within Slack limits', () => {
    const candidates = Array.from({ length: 45 }, (_, i) => ({
      member: { ...amy, id: i + 1, slackId: `U${1000 + i}` },
      evaluation: {
        memberId: i + 1,
        from: 'regular' as const,
        to: 'senior' as const,
        time: { counts: 'level' as const, needed: 3, months: 7, metOn: '2026-10-01', met: true },
        monthsAtLevel: 7,
        record: { monthsScored: 6, averageHundredths: 8640, enoughMonths: true, averageMet: true, dismissal: false },
        candidate: true,
      },
      records: trend,
      decision: null,
    }));
    const list: CandidateList = { month: '2027-01', policy: DEFAULT_POLICY, candidates };
    const msgs = reviewMessages(texts('en'), list);
    expect(msgs).toHaveLength(3);
    for (const m of msgs) expect(blockProblems(m.blocks)).toEqual([]);
    expect(textOf(msgs[0]!.blocks)).toMatch(
      /Promotion review, January 2027[\s\S]*<@U1000> regular → \*senior\* · 7 months as regular · average \*86\.4\* over 6 scored months/,
    );
    expect(msgs.flatMap((m) => m.blocks).filter((b) => b.type === 'actions')).toHaveLength(45);
  });
});
