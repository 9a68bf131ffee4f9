// Reading the CLI's own arguments: files, amounts in yuan, a track.
import { readFileSync } from 'node:fs';
import { parseYuan } from '../core/money.js';
import { TRACKS, type Track } from '../core/policy.js';
import { TallyError } from '../errors.js';

export function yuanOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const fen = parseYuan(value);
  if (fen === null)
    throw new TallyError(
      'bad_amount',
      `--${name} "${value}": write an amount in yuan of 0 or more with at most 2 decimals, like 50 or 35.50`,
      { name },
    );
  return fen;
}

export function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new TallyError(
      'no_file',
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      { path },
    );
  }
}

export function trackOption(value: string | undefined): Track | undefined {
  if (value === undefined) return undefined;
  if (!(TRACKS as readonly string[]).includes(value))
    throw new TallyError('bad_track', `--track "${value}": use presales or aftersales`, { value });
  return value as Track;
}
