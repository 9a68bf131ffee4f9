// What /penalty, /myscore and /leaderboard read from their text, and the CSV importers' dates: one
// date reader for both. The tokenizer is shown to be linear by counting the characters it reads.
import { describe, expect, it } from 'vitest';
import { cliRefusal } from '../../src/cli/text.js';
import type { TallyError } from '../../src/errors.js';
import { parseMetrics } from '../../src/import/metrics.js';
import { parseRoster } from '../../src/import/roster.js';
import { checkLength, MAX_COMMAND_LENGTH, parsePenaltyText, parseWhoAndWhen, tokenize } from '../../src/slack/parse.js';
import { explain } from '../../src/slack/text/index.js';
import { zhCN } from '../../src/slack/text/zh-CN.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return e as TallyError;
  }
  throw new Error('expected a refusal');
};
/** The line the CLI prints for a refusal. */
const said = (run: () => unknown) => cliRefusal(refusal(run));

describe('tokenize reads each character at most twice, whatever the text', () => {
  const adversarial: Array<[string, (n: number) => string]> = [
    ['"<@U1|" repeated, never closed (the input that took 0.8 s)', (n) => '<@U1|'.repeat(n / 5)],
    ['"<" repeated', (n) => '<'.repeat(n)],
    ['"<@U1|" repeated, closed once at the end', (n) => `${'<@U1|'.repeat(n / 5 - 1)}x>`],
    ['"<#C1|" and "<!" repeated', (n) => '<#C1|<!'.repeat(n / 7)],
    ['one long word of "¥"', (n) => '¥'.repeat(n)],
    ['one long word ending in 元', (n) => `${'9'.repeat(n - 1)}元`],
    ['"loss" repeated without spaces', (n) => 'loss'.repeat(n / 4)],
    ['mentions and spaces', (n) => '<@U1|a> '.repeat(n / 8)],
  ];
  for (const [what, make] of adversarial) {
    it(`${what}: at most 2 reads per character at 10,000 and at 40,000 characters`, () => {
      for (const size of [10_000, 40_000]) {
        const text = make(size);
        let reads = 0;
        tokenize(text, (i) => {
          reads++;
          return text.charAt(i);
        });
        expect(reads).toBeLessThanOrEqual(2 * text.length);
      }
    });
  }

  it('finds mentions, channels and groups, and keeps links and unclosed brackets as words', () => {
    expect(tokenize('<@U1|bob smith> x<@W2>y <#C3|general> <!here> <http://a.example|b c> <@U1|')).toEqual([
      { kind: 'user', id: 'U1' },
      { kind: 'word', text: 'x' },
      { kind: 'user', id: 'W2' },
      { kind: 'word', text: 'y' },
      { kind: 'channel' },
      { kind: 'group' },
      { kind: 'word', text: '<http://a.example|b c>' },
      { kind: 'word', text: '<@U1|' },
    ]);
  });
});

describe('command length is checked before anything else', () => {
  it(`refuses more than ${MAX_COMMAND_LENGTH} characters in one line, and takes a 4,000-character reason`, () => {
    const long = '<@U1|'.repeat(8000);
    expect(refusal(() => parsePenaltyText(long))).toMatchObject({
      code: 'command_too_long',
      params: { length: 40000, max: 5000 },
    });
    expect(refusal(() => parseWhoAndWhen(long)).code).toBe('command_too_long');
    expect(() => checkLength(`<@U1|a> ${'很'.repeat(4000)} ¥50 loss ¥1 2026-11-05`)).not.toThrow();
    expect(parsePenaltyText(`<@U1|a> ${'很'.repeat(4000)} ¥50`).words).toHaveLength(4000);
  });
});

describe('/penalty text', () => {
  it('reads the date year first with - or /, with or without leading zeros', () => {
    for (const written of ['2026/11/20', '2026-11-20'])
      expect(parsePenaltyText(`<@U1|a> buck_passing ${written}`)).toEqual({
        slackId: 'U1',
        words: 'buck_passing',
        on: '2026-11-20',
      });
    expect(parsePenaltyText('<@U1|a> buck_passing 2026/11/5 late reply').on).toBe('2026-11-05');
    expect(parsePenaltyText('<@U1|a> 2026-11-5 buck_passing').on).toBe('2026-11-05');
  });

  it('refuses a year-last date as ambiguous, a date that does not exist, and two dates', () => {
    for (const written of ['10/05/2026', '10-05-2026', '10.05.2026', '5/10/26']) {
      expect(refusal(() => parsePenaltyText(`<@U1|a> buck_passing ${written}`))).toMatchObject({
        code: 'ambiguous_date',
        params: { value: written },
      });
    }
    expect(refusal(() => parsePenaltyText('<@U1|a> buck_passing 2026/02/30')).code).toBe('bad_date');
    expect(refusal(() => parsePenaltyText('<@U1|a> buck_passing 2026-11-01 2026-11-02')).code).toBe('several_dates');
  });

  it('refuses two amounts, and two losses, in one line', () => {
    expect(refusal(() => parsePenaltyText('<@U1|a> broke the headset ¥50 ¥60'))).toMatchObject({
      code: 'several_amounts',
      params: { name: 'amount', first: '¥50', second: '¥60' },
    });
    expect(refusal(() => parsePenaltyText('<@U1|a> broke it ¥50 60元')).code).toBe('several_amounts');
    expect(refusal(() => parsePenaltyText('<@U1|a> order_change_missed loss ¥5 损失 ¥6')).code).toBe('several_amounts');
  });

  it('still reads every way of writing an amount and a loss', () => {
    expect(parsePenaltyText('<@U1|a> broke the headset ¥80')).toMatchObject({
      words: 'broke the headset',
      amountFen: 8000,
    });
    expect(parsePenaltyText('<@U1|a> broke it ￥ 1,234.50')).toMatchObject({ words: 'broke it', amountFen: 123450 });
    expect(parsePenaltyText('<@U1|a> broke it 80 元')).toMatchObject({ words: 'broke it', amountFen: 8000 });
    expect(parsePenaltyText('<@U1|a> order_change_missed 地址没改 loss ¥35.50')).toMatchObject({
      words: 'order_change_missed 地址没改',
      lossFen: 3550,
    });
    expect(parsePenaltyText('<@U1|a> order_change_missed 损失35.5元')).toMatchObject({
      words: 'order_change_missed',
      lossFen: 3550,
    });
    expect(parsePenaltyText('<@U1|a> order_change_missed LOSS ¥0 ¥20')).toMatchObject({ lossFen: 0, amountFen: 2000 });
    expect(parsePenaltyText('<@U1|a> said &lt;b&gt; &amp; left')).toMatchObject({ words: 'said <b> & left' });
  });
});

describe('/myscore and /leaderboard periods', () => {
  it('reads months and days year first, and refuses year-last dates', () => {
    expect(parseWhoAndWhen('2026-1').when).toBe('2026-01');
    expect(parseWhoAndWhen('2026/11 <@U1|a>')).toEqual({ slackId: 'U1', when: '2026-11', rest: '' });
    expect(parseWhoAndWhen('2026/11/5 aftersales')).toEqual({
      slackId: undefined,
      when: '2026-11-05',
      rest: 'aftersales',
    });
    expect(refusal(() => parseWhoAndWhen('10/05/2026')).code).toBe('ambiguous_date');
    expect(refusal(() => parseWhoAndWhen('2026-13')).code).toBe('bad_month');
  });
});

describe('CSV dates are read like Slack dates', () => {
  const metrics = (date: string) =>
    parseMetrics('metrics.csv', new TextEncoder().encode(`date,slack_id,receptions\n${date},U1,5\n`));
  const roster = (date: string) =>
    parseRoster(
      'roster.csv',
      new TextEncoder().encode(`slack_id,name,track,level,hired_on\nU1,Amy,presales,regular,${date}\n`),
    );

  it('accepts 2026/11/20, 2026/11/5 and 2026-11-5 in metrics and roster files', () => {
    for (const [written, day] of [
      ['2026/11/20', '2026-11-20'],
      ['2026/11/5', '2026-11-05'],
      ['2026-11-5', '2026-11-05'],
      ['2026-11-05', '2026-11-05'],
    ]) {
      expect(metrics(written!)[0]!.day).toBe(day);
      expect(roster(written!)[0]!.hiredOn).toBe(day);
    }
  });

  it('refuses 10/05/2026 as ambiguous, naming the line and column', () => {
    expect(said(() => metrics('10/05/2026'))).toBe(
      'metrics.csv line 2, column date: "10/05/2026" could be day-first or month-first; write the year first (YYYY-MM-DD)',
    );
    expect(said(() => roster('10/05/2026'))).toMatch(
      /^roster\.csv line 2, column hired_on: "10\/05\/2026" could be day-first or month-first/,
    );
    expect(said(() => metrics('2026-02-30'))).toMatch(/line 2, column date: "2026-02-30" is not a date that exists/);
  });

  it('names the column as the file wrote it: a Chinese header is named in Chinese', () => {
    const chinese = (date: string) =>
      parseMetrics('业绩.csv', new TextEncoder().encode(`日期,客服ID,接待人数\n${date},U1,5\n`));
    expect(said(() => chinese('2026-02-30'))).toBe(
      '业绩.csv line 2, column 日期: "2026-02-30" is not a date that exists (YYYY-MM-DD)',
    );
    expect(
      explain(
        zhCN,
        refusal(() => chinese('10/05/2026')),
      ),
    ).toMatch(/^:no_entry_sign: 业绩\.csv 第 2 行，列 日期：/);
    // a missing column is named in the language of the file's headers
    const noId = () => parseMetrics('业绩.csv', new TextEncoder().encode('日期,接待人数\n2026-11-02,5\n'));
    expect(said(noId)).toBe('业绩.csv line 1: missing column 客服ID or 平台账号');
  });
});
