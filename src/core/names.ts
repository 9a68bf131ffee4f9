// What a person's name may hold, the same at every way a name comes in (a roster file, the demo,
// the service that writes it): printable text on one line, at most NAME_MAX characters.
import { BIDI_CONTROLS } from './text.js';

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
