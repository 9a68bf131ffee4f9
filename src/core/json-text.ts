// Where a JSON text goes wrong, as a person fixing it in an editor needs it: the line and column,
// what was expected there, and the text found. JSON.parse says where only in some of its messages,
// and in an offset; this reads the text by the grammar of RFC 8259 (as JSON.parse does) and stops
// at the first place it breaks.

export interface JsonSyntaxError {
  line: number;
  column: number;
  /** what was expected there, or what is wrong */
  message: string;
  /** the text at that place, quoted and on one line ("the end of the file" at the end) */
  found: string;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const PUNCTUATION = new Set(['{', '}', '[', ']', ',', ':']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const FOUND_MAX = 40;

/**
 * The first syntax error of a JSON text, or null when it is valid JSON. Nesting is followed with a
 * stack, so a deeply nested file is read like any other.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  const stack: Array<'object' | 'array'> = [];
  let mode: 'value' | 'key' | 'after' = 'value';
  /** the last thing read was a comma (a comma before a closing bracket is the usual slip) */
  let afterComma = false;
  const skip = () => {
    while (i < n && WS.has(text[i]!)) i++;
  };
  const fail = (at: number, message: string) => located(text, at, message);

  skip();
  if (i === n) return fail(i, 'the file is empty; expected a JSON value');
  for (;;) {
    skip();
    const c = text[i];
    if (mode === 'value') {
      if (c === '{' || c === '[') {
        i++;
        skip();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          mode = 'after';
        } else {
          stack.push(c === '{' ? 'object' : 'array');
          mode = c === '{' ? 'key' : 'value';
        }
        afterComma = false;
        continue;
      }
      if (c === '"') {
        const bad = readString();
        if (bad) return bad;
      } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        const end = m ? i + m[0].length : i;
        // a number runs into what follows it ("01", "1.", "-x", "1e"): the whole word is wrong
        if (!m || (end < n && /[\w.+-]/.test(text[end]!)))
          return fail(i, 'expected a number like 12, -3.5 or 1e6 (no leading zeros, no "+", digits after ".")');
        i = end;
      } else if (c !== undefined && /[a-z]/i.test(c)) {
        const word = /[A-Za-z]+/y;
        word.lastIndex = i;
        const w = word.exec(text)![0];
        if (w !== 'true' && w !== 'false' && w !== 'null')
          return fail(i, 'expected a value (text goes in double quotes; the words are true, false and null)');
        i += w.length;
      } else if (afterComma && stack.at(-1) === 'array' && c === ']') {
        return fail(i, "a comma before ']' is not allowed in JSON; remove the comma");
      } else {
        return fail(i, `expected a value${hint(c)}`);
      }
      mode = 'after';
      afterComma = false;
      continue;
    }
    if (mode === 'key') {
      if (c !== '"') {
        if (afterComma && c === '}') return fail(i, "a comma before '}' is not allowed in JSON; remove the comma");
        return fail(i, `expected a key in double quotes${hint(c)}`);
      }
      const bad = readString();
      if (bad) return bad;
      skip();
      if (text[i] !== ':') return fail(i, "expected ':' after the key");
      i++;
      mode = 'value';
      afterComma = false;
      continue;
    }
    // after a value
    const top = stack.at(-1);
    if (top === undefined) return i < n ? fail(i, 'unexpected text after the end of the JSON value') : null;
    const close = top === 'object' ? '}' : ']';
    if (c === ',') {
      i++;
      mode = top === 'object' ? 'key' : 'value';
      afterComma = true;
    } else if (c === close) {
      i++;
      stack.pop();
    } else {
      return fail(i, `expected ',' or '${close}' after a value${c === undefined ? '' : hint(c)}`);
    }
  }

  /** Reads the string starting at text[i] (a '"'); a located error when it breaks. */
  function readString(): JsonSyntaxError | null {
    const start = i;
    i++;
    while (i < n) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return null;
      }
      if (ch === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            return fail(i, 'a \\u escape in a string needs 4 hex digits (\\u00e9)');
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) {
          i += 2;
        } else {
          return fail(i, 'unknown escape in a string (a backslash is written \\\\)');
        }
        continue;
      }
      if (ch < ' ') {
        return ch === '\n' || ch === '\r'
          ? fail(start, "a string is not closed on its line (a missing '\"'?)")
          : fail(i, 'a string cannot hold a control character (write \\t, \\n or \\u0000)');
      }
      i++;
    }
    return fail(start, "a string is not closed before the end of the file (a missing '\"'?)");
  }
}

/** A word on what was found instead, for the usual slips of hand-written JSON. */
function hint(c: string | undefined): string {
  if (c === "'") return ' (JSON takes double quotes, not single)';
  if (c === '/' || c === '#') return ' (JSON has no comments)';
  return '';
}

function located(text: string, at: number, message: string): JsonSyntaxError {
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  // columns count characters as an editor shows them, not UTF-16 units
  const column = Array.from(before.slice(lineStart)).length + 1;
  return { line, column, message, found: foundAt(text, at) };
}

/** The token at `at`, quoted, on one line. */
function foundAt(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  const c = text[at]!;
  if (PUNCTUATION.has(c)) return `'${c}'`;
  let token: string;
  if (c === '"') {
    const close = text.indexOf('"', at + 1);
    const eol = text.slice(at).search(/[\r\n]/);
    const end = Math.min(close < 0 ? text.length : close + 1, eol < 0 ? text.length : at + eol);
    token = text.slice(at, end);
  } else {
    token = /^[^\s{}[\],:"]+/.exec(text.slice(at, at + 200))?.[0] ?? c;
  }
  const chars = Array.from(token);
  const shown = chars.length > FOUND_MAX ? `${chars.slice(0, FOUND_MAX).join('')}…` : token;
  // a control character or line separator would break the one line this is said in
  const safe = oneLine(shown);
  return c === '"' ? safe : `'${safe}'`;
}

/** Text on one line: control characters and line separators as \u escapes. */
export function oneLine(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
