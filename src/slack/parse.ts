// Reads the text after a slash command. With should_escape on, Slack sends mentions as
// <@U123|name> and channels as <#C123|name>; we keep only the ids.
import { isDay, isMonth } from '../core/dates.js';
import { parseYuan } from '../core/money.js';
import { TallyError } from '../errors.js';

const USER = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const CHANNEL = /<#(C[A-Z0-9]+)(?:\|[^>]*)?>/;
const SPECIAL = /<!(here|channel|everyone|subteam\^[A-Z0-9]+)(?:\|[^>]*)?>/;

/** Slack escapes what people type: &amp; &lt; &gt;. Real mentions are taken out before this. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function mentions(text: string): string[] {
  return [...text.matchAll(USER)].map((m) => m[1]!);
}

function refuseNonUsers(text: string): void {
  if (CHANNEL.test(text)) throw new TallyError('mention_channel', 'that is a channel; mention one person, like @bob', {});
  if (SPECIAL.test(text)) throw new TallyError('mention_group', 'mention one person, not a group', {});
}

export interface PenaltyText {
  slackId: string;
  /** the rule or free reason, with the mention, amount, loss and date taken out */
  words: string;
  amountFen?: number;
  lossFen?: number;
  on?: string;
}

const MONEY = String.raw`(?:[¥￥]\s*[^\s]+|[^\s]+\s*元)`;
const LOSS = new RegExp(String.raw`(?:^|\s)(?:loss|损失)\s*(${MONEY}|[^\s]+)`, 'i');
const AMOUNT = new RegExp(String.raw`(?:^|\s)(${MONEY})(?=\s|$)`);
const DATE = /(?:^|\s)(\d{4}-\d{1,2}-\d{1,2})(?=\s|$)/;

/** `/penalty @bob buck_passing ignored a customer [¥80] [loss ¥35.50] [2026-11-03]` */
export function parsePenaltyText(text: string): PenaltyText {
  refuseNonUsers(text);
  const ids = mentions(text);
  if (ids.length === 0) throw new TallyError('missing_mention', 'say who: /penalty @agent rule or reason', {});
  if (new Set(ids).size > 1) throw new TallyError('several_mentions', 'one penalty is for one person: mention only one', {});
  let rest = text.replace(USER, ' ');
  const out: PenaltyText = { slackId: ids[0]!, words: '' };
  const loss = LOSS.exec(rest);
  if (loss) {
    out.lossFen = money(loss[1]!, 'loss');
    rest = rest.replace(loss[0], ' ');
  }
  const amount = AMOUNT.exec(rest);
  if (amount) {
    out.amountFen = money(amount[1]!, 'amount');
    rest = rest.replace(amount[0], ' ');
  }
  const date = DATE.exec(rest);
  if (date) {
    if (!isDay(date[1]!)) throw new TallyError('bad_date', `"${date[1]}" is not a date that exists (write YYYY-MM-DD)`, { value: date[1]! });
    out.on = date[1]!;
    rest = rest.replace(date[0], ' ');
  }
  out.words = unescapeSlack(rest.replace(/\s+/g, ' ').trim());
  return out;
}

function money(text: string, name: 'amount' | 'loss'): number {
  const fen = parseYuan(text);
  if (fen === null) throw new TallyError('bad_amount', `${name} "${text}": write an amount like ¥50 or ¥35.50`, { name, value: text });
  if (fen === 0 && name === 'amount') throw new TallyError('bad_amount', 'an amount of ¥0 is no penalty', { name, value: text });
  return fen;
}

/** An optional mention and an optional period, in any order: `[@agent] [today|month|YYYY-MM|YYYY-MM-DD]`. */
export function parseWhoAndWhen(text: string): { slackId?: string; when?: string; rest: string } {
  refuseNonUsers(text);
  const ids = mentions(text);
  if (new Set(ids).size > 1) throw new TallyError('several_mentions', 'mention only one person', {});
  const words = text.replace(USER, ' ').split(/\s+/).filter(Boolean);
  let when: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    const lower = w.toLowerCase();
    if (['today', '今天', '今日'].includes(lower)) when = 'today';
    else if (['month', '本月', '这个月'].includes(lower)) when = 'month';
    else if (/^\d{4}-\d{1,2}$/.test(w)) {
      if (!isMonth(w)) throw new TallyError('bad_month', `"${w}" is not a month (YYYY-MM)`, { value: w });
      when = w;
    } else if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(w)) {
      if (!isDay(w)) throw new TallyError('bad_date', `"${w}" is not a date that exists (YYYY-MM-DD)`, { value: w });
      when = w;
    } else rest.push(w);
  }
  return { slackId: ids[0], when, rest: unescapeSlack(rest.join(' ')) };
}
