// Property tests: a shortcode in someone's words and a modal's private_metadata are read by their own
// entries only: `:constructor:` stays as typed, and `__proto__` in metadata lends the form nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMOJI, showEmoji } from '../../src/slack/text/emoji.js';
import { readMetadata } from '../../src/slack/views/appeal.js';
import { PROTOTYPE_NAMES, outsideKey } from '../support/keys.js';

const RUNS = { numRuns: 300 };

describe('any shortcode', () => {
  it('is shown as its emoji when Tally has one, else as typed', () => {
    fc.assert(
      fc.property(outsideKey, (name) => {
        const text = `note :${name}: end`;
        const shown = showEmoji(text);
        const emoji = EMOJI.get(name);
        expect(shown).toBe(emoji === undefined ? text : `note ${emoji} end`);
      }),
      RUNS,
    );
  });
});

describe("any key in a modal's private_metadata", () => {
  it('reads as its own entry, and no other name is found in the metadata', () => {
    fc.assert(
      fc.property(
        outsideKey,
        fc.oneof(fc.integer(), fc.string(), fc.constant({ appealId: 7, penaltyId: 8 })),
        (k, v) => {
          const meta = readMetadata(`{${JSON.stringify(k)}:${JSON.stringify(v)},"draft":"d1"}`);
          expect(Object.getPrototypeOf(meta)).toBeNull();
          expect(meta[k]).toEqual(k === 'draft' ? 'd1' : v);
          for (const name of [...PROTOTYPE_NAMES, 'appealId', 'penaltyId', 'accept'])
            if (name !== k) expect(name in meta).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('anything but a JSON object reads as empty', () => {
    for (const text of ['', 'null', '[1]', '"x"', '7', '{', undefined]) {
      const meta = readMetadata(text);
      expect(Object.keys(meta)).toEqual([]);
      expect('constructor' in meta).toBe(false);
    }
  });
});
