// Reading the CLI's own arguments: files, amounts in yuan, a track, a period. A command written
// wrong is a usage mistake (exit 2, with the usage hint); a value that is wrong is refused (exit 1).
import { closeSync, createReadStream, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { FileSource } from '../import/table.js';
import type { Command } from 'commander';
import type { Period } from '../core/dates.js';
import { parseYuan } from '../core/money.js';
import { TRACKS, type Track } from '../core/policy.js';
import { CliRefusal } from './text.js';
import { parsePeriod } from '../service/scores.js';

export function yuanOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const fen = parseYuan(value);
  if (fen === null)
    throw new CliRefusal(
      `--${name} "${value}": write an amount in yuan of 0 or more with at most 2 decimals, like 50 or 35.50`,
    );
  return fen;
}

/**
 * Reads a small file whole (a policy): at most `maxBytes`, so that a big file given by mistake (a
 * log, a dump, /dev/zero) is refused after that many bytes instead of filling the memory.
 */
export function readInput(path: string, maxBytes: number): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const bytes = Buffer.alloc(maxBytes + 1);
    let read = 0;
    for (;;) {
      const n = readSync(fd, bytes, read, bytes.length - read, null);
      read += n;
      if (n === 0 || read === bytes.length) break;
    }
    if (read > maxBytes)
      throw new CliRefusal(`${path} is larger than ${maxBytes / 1024} KB: not a file this command reads`);
    return bytes.subarray(0, read);
  } catch (e) {
    if (e instanceof CliRefusal) throw e;
    throw new CliRefusal(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file to read as a stream (a million rows never sit in memory); refused at once if it cannot be read. */
export function fileInput(path: string): FileSource {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliRefusal(`cannot read ${path}: it is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliRefusal) throw e;
    throw new CliRefusal(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  return {
    name: basename(path),
    size,
    // a range's end is exclusive; the stream's is not
    open: (range) =>
      range && range.end <= range.start
        ? Readable.from([])
        : createReadStream(path, {
            highWaterMark: 1 << 16,
            ...(range ? { start: range.start, end: range.end - 1 } : {}),
          }),
  };
}

/** Why a path cannot be written, in a few words. */
export function whyNotWritten(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory: give a file name';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (e as Error).message;
  }
}

/** Writes a file the command makes (`payroll --xlsx out.xlsx`); a path that cannot be written is refused. */
export function saveFile(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new CliRefusal(`cannot write ${path}: ${whyNotWritten(e)}`);
  }
}

export function trackOption(value: string | undefined): Track | undefined {
  if (value === undefined) return undefined;
  if (!(TRACKS as readonly string[]).includes(value))
    throw new CliRefusal(`--track "${value}": use presales or aftersales`);
  return value as Track;
}

/** The period of `--day` or `--month`: exactly one of them. */
export function periodOption(cmd: Command, o: { day?: string; month?: string }): Period {
  if (o.day === undefined && o.month === undefined) usage(cmd, 'say which period: --day YYYY-MM-DD or --month YYYY-MM');
  if (o.day !== undefined && o.month !== undefined) usage(cmd, 'give --day or --month, not both');
  return parsePeriod(o);
}

/** Stops the command as written wrong: the line and the usage hint on stderr, exit 2. */
export function usage(cmd: Command, message: string): never {
  cmd.error(`error: ${message}`, { exitCode: 2, code: 'tally.usage' });
}
