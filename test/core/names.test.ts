// What a name may hold (one rule at every way in), and text from outside as Tally shows it: for any
// string, nothing a file, a chart or a post cannot carry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memberName, NAME_MAX } from '../../src/core/names.js';
import { shownLine, shownText } from '../../src/core/text.js';
import { nastyString } from '../support/strings.js';

/** XML 1.0's Char production: what an SVG or a workbook's XML may hold. */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('a name on the way in', () => {
  it('keeps a name as typed, trimmed and in NFC', () => {
    expect(memberName('  李超 ')).toEqual({ name: '李超' });
    expect(memberName('Jose\u0301 Li')).toEqual({ name: 'José Li' });
    expect(memberName('Anne-Marie O’Neil')).toEqual({ name: 'Anne-Marie O’Neil' });
    // a line break at either end is an Excel slip, not part of the name
    expect(memberName('王芳\r\n')).toEqual({ name: '王芳' });
  });

  it('drops zero-width characters and bidi controls', () => {
    expect(memberName('王\u200B芳')).toEqual({ name: '王芳' });
    expect(memberName('\u202Egnp.exe\u202C')).toEqual({ name: 'gnp.exe' });
    expect(memberName('\u2067علي\u2069 Li\u200F')).toEqual({ name: 'علي Li' });
  });

  it('refuses a control character inside, naming it', () => {
    expect(memberName('Line\nFeed')).toEqual({ problem: 'control', char: 'U+000A' });
    expect(memberName('Vertical\x0bTab')).toEqual({ problem: 'control', char: 'U+000B' });
    expect(memberName('a\tb')).toEqual({ problem: 'control', char: 'U+0009' });
    expect(memberName('red\x1b[31m')).toEqual({ problem: 'control', char: 'U+001B' });
    expect(memberName('next\x85line')).toEqual({ problem: 'control', char: 'U+0085' });
    expect(memberName('a\u2028b')).toEqual({ problem: 'control', char: 'U+2028' });
    expect(memberName('a\uFFFEb')).toEqual({ problem: 'control', char: 'U+FFFE' });
    expect(memberName('a\uD800b')).toEqual({ problem: 'control', char: 'U+D800' });
  });

  it('refuses an empty name (or one of nothing but invisible characters) and one over 80 characters', () => {
    for (const empty of ['', '   ', '\u200B', '\u202E\u202C', '\u3000'])
      expect(memberName(empty)).toEqual({ problem: 'length' });
    expect(memberName('李'.repeat(NAME_MAX))).toEqual({ name: '李'.repeat(NAME_MAX) });
    expect(memberName('李'.repeat(NAME_MAX + 1))).toEqual({ problem: 'length' });
    // characters, not UTF-16 units: 80 emoji are 160 units
    expect(memberName('😀'.repeat(NAME_MAX))).toEqual({ name: '😀'.repeat(NAME_MAX) });
  });

  it('for any string: a refusal, or a name that passes again unchanged and shows as it is', () => {
    fc.assert(
      fc.property(nastyString(), (raw) => {
        const r = memberName(raw);
        if ('problem' in r) return;
        expect(memberName(r.name)).toEqual(r);
        expect(r.name).toBe(r.name.normalize('NFC'));
        expect(r.name).toBe(r.name.trim());
        expect([...r.name].length).toBeGreaterThan(0);
        expect([...r.name].length).toBeLessThanOrEqual(NAME_MAX);
        expect(r.name).not.toMatch(/[\u200B-\u200D\u2060\uFEFF]/);
        expect(shownLine(r.name)).toBe(r.name);
      }),
      { numRuns: 300 },
    );
  });
});

describe('text as shown', () => {
  it('keeps words, emoji and line breaks; drops controls and bidi marks', () => {
    expect(shownText('第一行\r\n第二行\rthird\u2028fourth')).toBe('第一行\n第二行\nthird\nfourth');
    expect(shownText('a\x0bb\x00c\x1b[31md\x7fe\x9bf')).toBe('abc[31mdef');
    expect(shownText('\u202Eevil\u202C 👨‍👩‍👧 ok')).toBe('evil 👨‍👩‍👧 ok');
    expect(shownLine(' Line\nFeed\tand\ttab ')).toBe('Line Feed and tab');
  });

  it('for any string: nothing XML forbids, no bidi mark, no lone surrogate; showing twice changes nothing', () => {
    fc.assert(
      fc.property(nastyString(60), (s) => {
        const shown = shownText(s);
        expect(shown).not.toMatch(XML_ILLEGAL);
        expect(shown).not.toMatch(BIDI);
        expect(shown).not.toMatch(LONE_SURROGATE);
        expect(shown).not.toMatch(/\r/);
        expect(shownText(shown)).toBe(shown);
        const line = shownLine(s);
        expect(line).not.toMatch(/[\n\t]/);
        expect(shownLine(line)).toBe(line);
      }),
      { numRuns: 300 },
    );
  });
});
