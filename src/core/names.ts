// What a person's name may hold, the same at every way a name comes in (a roster file, the demo,
// the service that writes it): printable text on one line, at most NAME_MAX characters.
import { BIDI_CONTROLS } from './text.js';
import { editDistance } from './edit-distance.js';

export const NAME_MAX = 80;

/** Zero-width characters: invisible, so two names that look the same would differ. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Controls (C0 with tab and line breaks, DEL, C1), line/paragraph separators, U+FFFE/U+FFFF, a lone surrogate half. */
const CONTROL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\0-\x1F\x7F-\x9F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type NameRefusal = { problem: 'length' } | { problem: 'control'; char: string };

/**
 * A name as Tally keeps it: NFC, zero-width and bidi controls dropped, trimmed. Refused: empty or
 * longer than NAME_MAX characters after that, or holding a control character inside.
 */
export function memberName(raw: string): { name: string } | NameRefusal {
  const name = raw.replace(ZERO_WIDTH, '').replace(BIDI_CONTROLS, '').normalize('NFC').trim();
  const control = controlIn(name);
  if (control) return { problem: 'control', char: control };
  const length = [...name].length;
  if (length === 0 || length > NAME_MAX) return { problem: 'length' };
  return { name };
}

/** The first control character in a text, named as U+000B; null when it has none. */
export function controlIn(text: string): string | null {
  const found = CONTROL.exec(text);
  return found ? codePoint(found[0]) : null;
}

/** U+000B: how a character nobody can see is named in a refusal. */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Someone on the roster, as far as naming them goes. */
export interface Nameable {
  slackId: string;
  name: string;
  active: boolean;
}

/**
 * Whom a word names (a CLI `--by 郑组长`, a plain `@吴晨` typed in Slack, the console's `/as`): a Slack
 * id on the roster (in any case) wins; else the one roster name equal to it in any case (among the
 * active members, when some of them have it). `id`: no one has that name and it reads as a Slack id
 * (the caller keeps it, and says it is not on the roster). `unknown` comes with the names close to it,
 * closest first; `ambiguous` with everyone who has it.
 */
export type Named<M extends Nameable> =
  { found: M } | { problem: 'id' } | { problem: 'unknown'; near: M[] } | { problem: 'ambiguous'; matches: M[] };

const SLACK_ID = /^[UW][A-Z0-9]+$/;
/** at most this many close names are suggested */
const NEAR_MAX = 5;

/** How names are compared: as Tally keeps them (NFC, without invisible characters, trimmed), in any case. */
export function nameKey(text: string): string {
  return text.replace(ZERO_WIDTH, '').replace(BIDI_CONTROLS, '').normalize('NFC').trim().toLowerCase();
}

export function whoIsNamed<M extends Nameable>(members: readonly M[], word: string): Named<M> {
  const id = word.trim().toUpperCase();
  const byId = members.find((m) => m.slackId === word) ?? members.find((m) => m.slackId === id);
  if (byId) return { found: byId };
  const key = nameKey(word);
  const all = members.filter((m) => nameKey(m.name) === key);
  const active = all.filter((m) => m.active);
  const found = active.length ? active : all;
  if (found.length === 1) return { found: found[0]! };
  if (found.length > 1) return { problem: 'ambiguous', matches: found };
  if (SLACK_ID.test(word)) return { problem: 'id' };
  return { problem: 'unknown', near: nearNames(members, key) };
}

/**
 * The roster names close to `key` (a nameKey), closest first, active members before others: a name
 * that holds it or is held by it, the same surname (a Chinese name's first character), or one a typo
 * or two away (edit distance, a swap of two neighbours counted once).
 */
function nearNames<M extends Nameable>(members: readonly M[], key: string): M[] {
  const typed = [...key];
  if (!typed.length) return [];
  const scored: Array<{ m: M; d: number }> = [];
  for (const m of members) {
    const other = nameKey(m.name);
    const chars = [...other];
    const d = editDistance(typed, chars);
    const limit = Math.max(1, Math.floor(Math.max(typed.length, chars.length) / 4));
    const close =
      d <= limit || other.includes(key) || key.includes(other) || (HAN.test(typed[0]!) && typed[0] === chars[0]);
    if (close) scored.push({ m, d });
  }
  return scored
    .sort((a, b) => a.d - b.d || Number(b.m.active) - Number(a.m.active) || a.m.name.localeCompare(b.m.name))
    .slice(0, NEAR_MAX)
    .map((s) => s.m);
}

const HAN = /^\p{Script=Han}$/u;
