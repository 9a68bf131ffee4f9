// Names, reasons and a policy's labels in Block Kit: whatever they hold, no control character or
// bidi mark reaches Slack, a name stays on its line, and the escaping of markup and pings stays.
import type { KnownBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Rule } from '../../src/core/policy.js';
import type { Standing } from '../../src/service/scores.js';
import { escape, quote, section } from '../../src/slack/blocks.js';
import { boardLine } from '../../src/slack/render/board.js';
import { dailyPost } from '../../src/slack/render/daily.js';
import { pickModal } from '../../src/slack/render/pick.js';
import { rulesPage } from '../../src/slack/render/rules.js';
import { texts } from '../../src/slack/text/index.js';
import { nastyString } from '../support/strings.js';
import { textOf } from '../support/slack.js';

const zh = texts('zh-CN');
const en = texts('en');
// eslint-disable-next-line no-control-regex -- what must not reach Slack: controls (but tab and line feed) and bidi marks
const UNSHOWN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

const standing = (name: string, rank = 1) =>
  ({ member: { slackId: 'U1', name }, score: { rank, score: 93.456 }, gmvFen: 0 }) as unknown as Standing;

describe('text from people in Slack', () => {
  it('escapes markup and pings as before, and drops controls and bidi marks', () => {
    expect(escape('<!channel> <@U0SUPER01> a&b')).toBe('&lt;!channel&gt; &lt;@U0SUPER01&gt; a&amp;b');
    expect(escape('\u202Eevil\u202C\v name\x1b[31m')).toBe('evil name[31m');
    // a reason keeps its line breaks
    expect(escape('第一行\r\n第二行')).toBe('第一行\n第二行');
  });

  it('for any string: escaped text holds no control character, bidi mark, < or >', () => {
    fc.assert(
      fc.property(nastyString(), (s) => {
        const e = escape(s);
        expect(e).not.toMatch(UNSHOWN);
        expect(e).not.toMatch(/[<>]/);
      }),
      { numRuns: 300 },
    );
  });

  it('shows a name on its own line in a ranking, whatever it holds', () => {
    expect(boardLine(standing('Line\nFeed\u202E <!here>'))).toBe('🥇 Line Feed &lt;!here&gt; · *93.46*');
    const post = dailyPost(zh, {
      day: '2026-11-04',
      top: [{ track: 'presales', standings: [standing('\u202Eevil\u202C'), standing('a\nb', 2)] }],
      movers: [{ name: 'Up\u2067\nward', up: 3 }],
      missing: [],
    });
    const text = textOf(post.blocks);
    expect(text).not.toMatch(UNSHOWN);
    expect(text).toMatch(/🥇 evil · \*93\.46\*\n🥈 a b · \*93\.46\*/);
    expect(text).toContain('Up ward ↑3');
  });

  it("shows a policy's labels and aliases without controls, escaped where Slack reads markup", () => {
    const rule: Rule = {
      ...DEFAULT_POLICY.penalties.rules.buck_passing!,
      label: { zh: '踢皮球\u202E <!channel>', en: 'A&B\nC' },
      aliases: ['<@U1>', 'b\u200Fc'],
    };
    const page = textOf(rulesPage(en, { rules: [['buck_passing', rule]], page: 1, pages: 1, total: 1 }).blocks);
    expect(page).toContain('*A&amp;B C (buck_passing)*');
    expect(page).toContain('_&lt;@U1&gt;, bc_');
    expect(page).not.toMatch(UNSHOWN);
    // a select's option is plain text: shown as written, not as &amp;
    const policy = { ...DEFAULT_POLICY, penalties: { ...DEFAULT_POLICY.penalties, rules: { buck_passing: rule } } };
    const modal = JSON.stringify(pickModal(en, policy, 'd1', 'words', ['buck_passing']));
    expect(modal).toContain('A&B C (buck_passing)');
    expect(modal).not.toMatch(/\\u202e|\u202E|\\u200f|\u200F/i);
  });

  it('every builder drops them, and a quote of nothing visible is not an empty text Slack would refuse', () => {
    const block = section('*Title*\n\u202Ebody\u0007') as KnownBlock & { text: { text: string } };
    expect(block.text.text).toBe('*Title*\nbody');
    expect(JSON.stringify(quote('\u200F\u202E'))).toContain('"text":"…"');
  });
});
