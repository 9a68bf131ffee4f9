// Property tests: any string as a header cell, a mapped header (policy import.columns) or a roster word
// is read as data or refused naming its cell: never matched to what JavaScript objects inherit.
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, LEVELS, overridePolicy, PolicyError, ROLES, TRACKS } from '../../src/core/policy.js';
import { isTallyError, type TallyError } from '../../src/errors.js';
import { readHeader } from '../../src/import/csv.js';
import { METRICS_HEADERS, parseMetrics } from '../../src/import/metrics.js';
import { parseRoster } from '../../src/import/roster.js';
import { outsideKey } from '../support/keys.js';

const RUNS = { numRuns: 300 };
const REQUIRED = ['date', ['slack_id', 'platform_account']];
const where = { file: 'metrics.csv' };
const normalised = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
/** Every header Tally knows without a mapping, as readHeader compares them. */
const KNOWN = new Set(Object.entries(METRICS_HEADERS).flatMap(([c, spellings]) => [c, ...spellings].map(normalised)));

function refusal(run: () => unknown): TallyError | null {
  try {
    run();
    return null;
  } catch (e) {
    if (isTallyError(e)) return e;
    throw e;
  }
}

describe('any header cell', () => {
  it('is a known column, or refused as unknown naming it and its place, or ignored when the team says so', () => {
    fc.assert(
      fc.property(outsideKey, (cell) => {
        const written = ['date', 'slack_id', cell];
        const strict = refusal(() => readHeader(where, written, METRICS_HEADERS, REQUIRED));
        const known = KNOWN.has(normalised(cell));
        if (!known) {
          expect(strict?.code).toBe('csv_unknown_column');
          expect(strict?.params).toMatchObject({ header: cell, position: 3 });
          const lenient = readHeader(where, written, METRICS_HEADERS, REQUIRED, {
            columns: {},
            otherColumns: 'ignore',
          });
          expect(lenient.ignored).toEqual([cell]);
          expect(Object.getPrototypeOf(lenient.asWritten)).toBeNull();
          expect(Object.keys(lenient.asWritten).sort()).toEqual(['date', 'slack_id']);
        } else if (strict) {
          // a second date or slack_id column
          expect(strict.code).toBe('csv_repeated_column');
        }
      }),
      RUNS,
    );
  });
});

describe('any mapped header (policy import.columns)', () => {
  it('is refused naming import.columns.<header>, or a file with that header reads it as the column', () => {
    fc.assert(
      fc.property(outsideKey, fc.integer({ min: 0, max: 999 }), (header, receptions) => {
        let policy;
        try {
          policy = overridePolicy(
            DEFAULT_POLICY,
            JSON.parse(`{"import":{"columns":{${JSON.stringify(header)}:"receptions"}}}`),
          );
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyError);
          expect((e as PolicyError).path).toBe(`import.columns.${header}`);
          return;
        }
        // the header as the team's report writes it, quoted as a CSV writer quotes it
        const clash = ['date', 'slack_id'].includes(normalised(header));
        const csv = stringify([
          ['date', 'slack_id', header],
          ['2026-11-04', 'U00001001', String(receptions)],
        ]);
        const read = refusal(() => parseMetrics('report.csv', new TextEncoder().encode(csv), policy.import));
        if (clash) {
          expect(read?.code).toBe('csv_repeated_column');
          return;
        }
        expect(read).toBeNull();
        const [row] = parseMetrics('report.csv', new TextEncoder().encode(csv), policy.import);
        expect(row!.receptions).toBe(receptions);
      }),
      RUNS,
    );
  });
});

describe('any roster word', () => {
  it("as a track, level or role: one of Tally's, or that cell is refused", () => {
    fc.assert(
      fc.property(fc.constantFrom('track', 'level', 'role'), outsideKey, (column, word) => {
        const cells = { track: 'presales', level: 'regular', role: 'agent', [column]: word };
        const csv = stringify([
          ['slack_id', 'name', 'track', 'level', 'hired_on', 'role'],
          ['U00009001', '王一', cells.track, cells.level, '2026-01-05', cells.role],
        ]);
        let entry;
        try {
          [entry] = parseRoster('roster.csv', new TextEncoder().encode(csv));
        } catch (e) {
          if (!isTallyError(e)) throw e;
          // an empty role cell is no role (an agent); anything else not a role, track or level is refused there
          expect(e.code).toBe(`csv_bad_${column}`);
          expect(e.params).toMatchObject({ line: 2, column });
          return;
        }
        expect(TRACKS).toContain(entry!.track);
        expect(LEVELS).toContain(entry!.level);
        if (entry!.role !== undefined) expect(ROLES).toContain(entry!.role);
      }),
      RUNS,
    );
  });
});
