// The roster file takes a track as its code or as people write it (one list: TRACK_WORDS in src/core).
import { describe, expect, it } from 'vitest';
import { parseRoster } from '../../src/import/roster.js';

const roster = (rows: string[]) =>
  parseRoster('roster.csv', new TextEncoder().encode(['客服ID,姓名,岗位,级别,入职日期,角色', ...rows].join('\n')));

describe('roster tracks', () => {
  it('reads 售前, 售后, pre-sales and after_sales as the two tracks', () => {
    const rows = roster([
      'U1,王一,售前,正式,2026-01-05,客服',
      'U2,王二,售后,正式,2026-01-05,客服',
      'U3,王三,pre-sales,regular,2026-01-05,agent',
      'U4,王四,after_sales,regular,2026-01-05,agent',
    ]);
    expect(rows.map((r) => r.track)).toEqual(['presales', 'aftersales', 'presales', 'aftersales']);
  });
  it('refuses a track it does not know', () => {
    expect(() => roster(['U1,王一,仓库,正式,2026-01-05,客服'])).toThrow();
  });
});
