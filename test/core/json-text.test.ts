// The JSON reader that locates a slip agrees with JSON.parse on what is JSON, and says where a slip is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../src/core/json-text.js';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxError', () => {
  it('finds no error in any JSON.stringify output, however nested, with any strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (v, indent) => {
        expect(jsonSyntaxError(JSON.stringify(v, null, indent))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('finds an error exactly when JSON.parse refuses, for JSON with one character changed, added or removed', () => {
    const alphabet = fc.constantFrom(...'{}[]:,"\\ \n\tu0123456789.eE+-abtrufnlsx\'/');
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), alphabet, fc.constantFrom('set', 'insert', 'delete'), (v, at, ch, how) => {
        const text = JSON.stringify(v, null, 1);
        const i = at % (text.length + 1);
        const mutated =
          how === 'set'
            ? text.slice(0, i) + ch + text.slice(i + 1)
            : how === 'insert'
              ? text.slice(0, i) + ch + text.slice(i)
              : text.slice(0, i) + text.slice(i + 1);
        expect(jsonSyntaxError(mutated) === null).toBe(parses(mutated));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a file nested 100,000 deep without running out of stack', () => {
    expect(jsonSyntaxError('['.repeat(100_000) + ']'.repeat(100_000))).toBeNull();
    expect(jsonSyntaxError('['.repeat(100_000))).toMatchObject({ line: 1, column: 100_001 });
  });
});
