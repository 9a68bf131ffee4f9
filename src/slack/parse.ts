// Reads the text after a slash command. With should_escape on, Slack sends mentions as
// <@U123|name> and channels as <#C123|name>; we keep only the ids. The text is split into tokens in
// two left-to-right passes that read each character once, and every later rule looks at one word at
// a time: no pattern ever scans the whole text, so a crafted text cannot make parsing quadratic.
import { readDay, readMonth } from '../core/date-input.js';
import { monthOf, type Period } from '../core/dates.js';
import { parseYuan } from '../core/money.js';
import { TallyError } from '../errors.js';

/**
 * The longest command text read at all: a reason at the policy's largest limit (4,000 characters)
 * with a mention, an amount, a loss and a date fits; anything longer is refused before parsing.
 */
export const MAX_COMMAND_LENGTH = 5000;

export function checkLength(text: string): void {
  if (text.length > MAX_COMMAND_LENGTH)
    throw new TallyError('command_too_long', { length: text.length, max: MAX_COMMAND_LENGTH });
}

/** Slack escapes what people type: &amp; &lt; &gt;. Real mentions are taken out before this. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export type Token =
  | { kind: 'user'; id: string }
  | { kind: 'channel' }
  | { kind: 'group' }
  /** a run of text without whitespace (Slack's escapes &lt; &gt; &amp; still in it) */
  | { kind: 'word'; text: string };

const USER_ID = /^[UW][A-Z0-9]+$/;
const SPECIAL = /^(?:here|channel|everyone|subteam\^[A-Z0-9]+)$/;
const SPACE = /\s/;

/**
 * Splits command text into words and Slack entities (<@U1|name>, <#C1|name>, <!here>). Characters
 * are read only through `charAt`, twice each at most (tests count the reads): the first pass pairs
 * each `>` with the last unpaired `<` before it, the second cuts words around those entities.
 */
export function tokenize(text: string, charAt: (i: number) => string = (i) => text.charAt(i)): Token[] {
  const n = text.length;
  const spans: Array<[number, number]> = [];
  let open = -1;
  for (let i = 0; i < n; i++) {
    const c = charAt(i);
    if (c === '<') open = i;
    else if (c === '>' && open >= 0) {
      spans.push([open, i]);
      open = -1;
    }
  }
  const tokens: Token[] = [];
  let start = -1;
  const endWord = (at: number) => {
    if (start >= 0) tokens.push({ kind: 'word', text: text.slice(start, at) });
    start = -1;
  };
  let next = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[next];
    if (span && i === span[0]) {
      const entity = entityToken(text.slice(span[0] + 1, span[1]));
      if (entity) {
        endWord(i);
        tokens.push(entity);
      } else if (start < 0) start = i; // a link or anything else stays part of the text
      next++;
      i = span[1];
      continue;
    }
    if (SPACE.test(charAt(i))) endWord(i);
    else if (start < 0) start = i;
  }
  endWord(n);
  return tokens;
}

function entityToken(inner: string): Token | null {
  const bar = inner.indexOf('|');
  const id = bar < 0 ? inner : inner.slice(0, bar);
  if (id.startsWith('@') && USER_ID.test(id.slice(1))) return { kind: 'user', id: id.slice(1) };
  if (id.startsWith('#C')) return { kind: 'channel' };
  if (id.startsWith('!') && SPECIAL.test(id.slice(1))) return { kind: 'group' };
  return null;
}

/** Who plain `@name` words name (see plainMentions): a Slack id for each name, as the roster resolved it. */
export type PeopleNamed = ReadonlyMap<string, string>;

/** `@吴晨` typed as text rather than picked from Slack's list: the name after the @ */
function plainName(word: string): string | null {
  return word.length > 1 && word.startsWith('@') ? word.slice(1) : null;
}

function read(text: string, people: PeopleNamed = new Map()): { ids: string[]; words: string[] } {
  checkLength(text);
  const ids: string[] = [];
  const words: string[] = [];
  for (const t of tokenize(text)) {
    if (t.kind === 'channel') throw new TallyError('mention_channel', {});
    if (t.kind === 'group') throw new TallyError('mention_group', {});
    if (t.kind === 'user') {
      ids.push(t.id);
      continue;
    }
    // the words are as typed from here on: entities are out, so &lt; &gt; &amp; can be undone
    const word = unescapeSlack(t.text);
    const name = plainName(word);
    if (name === null) {
      words.push(word);
      continue;
    }
    // a person named in plain text counts as a mention of them, never as words to ignore
    const id = people.get(name);
    if (id === undefined) throw new TallyError('unknown_person', { name });
    ids.push(id);
  }
  return { ids, words };
}

export function mentions(text: string, people?: PeopleNamed): string[] {
  return read(text, people).ids;
}

/**
 * The names written as plain `@name` words (not Slack mentions: typed without picking from Slack's
 * list, or in the console): each must name someone on the roster before the text is read.
 */
export function plainMentions(text: string): string[] {
  checkLength(text);
  const names: string[] = [];
  for (const t of tokenize(text)) {
    const name = t.kind === 'word' ? plainName(unescapeSlack(t.text)) : null;
    if (name !== null) names.push(name);
  }
  return names;
}

/** Whether the text names anyone: a Slack mention or a plain `@name`. */
export function namesSomeone(text: string): boolean {
  checkLength(text);
  return tokenize(text).some((t) => t.kind === 'user' || (t.kind === 'word' && plainName(t.text) !== null));
}

export interface PenaltyText {
  slackId: string;
  /** the rule or free reason, with the mention, amount, loss and date taken out */
  words: string;
  amountFen?: number;
  lossFen?: number;
  on?: string;
}

const isYuanSign = (w: string) => w === '¥' || w === '￥';
/** ¥50, ￥50, 50元: a word written as money (whether the number in it is valid is checked after) */
const looksLikeMoney = (w: string) => w.startsWith('¥') || w.startsWith('￥') || (w.length > 1 && w.endsWith('元'));
const LOSS_WORDS = ['loss', '损失'];

/** `/penalty @bob buck_passing ignored a customer [¥80] [loss ¥35.50] [2026-11-03]` */
export function parsePenaltyText(text: string, people?: PeopleNamed): PenaltyText {
  const { ids, words } = read(text, people);
  if (ids.length === 0) throw new TallyError('missing_mention', {});
  if (new Set(ids).size > 1) throw new TallyError('several_mentions', {});
  const out: PenaltyText = { slackId: ids[0]!, words: '' };
  const note: string[] = [];
  let amountText: string | undefined;
  let lossText: string | undefined;
  let dayText: string | undefined;
  // `¥ 50` and `50 元` are one amount written as two words
  const moneyAt = (i: number): [string, number] => {
    const w = words[i]!;
    if (isYuanSign(w) && i + 1 < words.length) return [w + words[i + 1]!, i + 1];
    if (words[i + 1] === '元') return [`${w}元`, i + 1];
    return [w, i];
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const lower = w.toLowerCase();
    const glued = LOSS_WORDS.find(
      (k) => lower.startsWith(k) && lower.length > k.length && /^[¥￥\d]/.test(w.slice(k.length)),
    );
    if (LOSS_WORDS.includes(lower) && i + 1 < words.length) {
      const [value, last] = moneyAt(i + 1);
      lossText = once('loss', lossText, value);
      i = last;
    } else if (glued) {
      const rest = w.slice(glued.length);
      const [value, last] = words[i + 1] === '元' ? [`${rest}元`, i + 1] : [rest, i];
      lossText = once('loss', lossText, value);
      i = last;
    } else if (
      looksLikeMoney(w) ||
      (isYuanSign(w) && i + 1 < words.length) ||
      (words[i + 1] === '元' && !isYuanSign(w))
    ) {
      const [value, last] = moneyAt(i);
      amountText = once('amount', amountText, value);
      i = last;
    } else {
      const d = readDay(w);
      if (d.kind === 'none') note.push(w);
      else {
        if (d.kind === 'ambiguous') throw ambiguousDate(w);
        if (d.kind === 'invalid') throw new TallyError('bad_date', { value: w });
        if (dayText !== undefined) throw new TallyError('several_dates', { first: dayText, second: w });
        dayText = w;
        out.on = d.day;
      }
    }
  }
  if (lossText !== undefined) out.lossFen = money(lossText, 'loss');
  if (amountText !== undefined) out.amountFen = money(amountText, 'amount');
  out.words = note.join(' ');
  return out;
}

function once(name: 'amount' | 'loss', seen: string | undefined, value: string): string {
  if (seen !== undefined) throw new TallyError('several_amounts', { name, first: seen, second: value });
  return value;
}

function ambiguousDate(w: string): TallyError {
  return new TallyError('ambiguous_date', { value: w });
}

function money(text: string, name: 'amount' | 'loss'): number {
  const fen = parseYuan(text);
  if (fen === null) throw new TallyError('bad_amount', { name, value: text });
  if (fen === 0 && name === 'amount') throw new TallyError('zero_amount', {});
  return fen;
}

/** An optional mention and an optional period, in any order: `[@agent] [today|month|YYYY-MM|YYYY-MM-DD]`. */
export function parseWhoAndWhen(text: string, people?: PeopleNamed): { slackId?: string; when?: string; rest: string } {
  const { ids, words } = read(text, people);
  if (new Set(ids).size > 1) throw new TallyError('several_mentions', {});
  let when: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    const lower = w.toLowerCase();
    if (['today', '今天', '今日'].includes(lower)) when = 'today';
    else if (['month', '本月', '这个月'].includes(lower)) when = 'month';
    else {
      const m = readMonth(w);
      if (m.kind === 'invalid') throw new TallyError('bad_month', { value: w });
      if (m.kind === 'month') {
        when = m.month;
        continue;
      }
      const d = readDay(w);
      if (d.kind === 'ambiguous') throw ambiguousDate(w);
      if (d.kind === 'invalid') throw new TallyError('bad_date', { value: w });
      if (d.kind === 'day') when = d.day;
      else rest.push(w);
    }
  }
  return { slackId: ids[0], when, rest: rest.join(' ') };
}

/** today / month / YYYY-MM / YYYY-MM-DD, defaulting to this month in the team's calendar; nothing after today. */
export function periodFrom(today: string, when: string | undefined): Period {
  if (when === 'today') return { kind: 'day', day: today };
  if (when && when.length === 10) {
    if (when > today) throw new TallyError('future_date', { value: when, today });
    return { kind: 'day', day: when };
  }
  if (when && when.length === 7) {
    if (when > monthOf(today)) throw new TallyError('future_month', { value: when, month: monthOf(today) });
    return { kind: 'month', month: when };
  }
  return { kind: 'month', month: monthOf(today) };
}
