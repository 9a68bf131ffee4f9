// A workbook is a zip, and a zip may unpack to a thousand times its size (a 7.8 MB file to 3 GB).
// So before a reader unpacks anything, the zip's central directory is read and what it declares is
// checked against the limits; then each part is unpacked here, its bytes counted as they come (a
// directory may lie), and handed on as a zip of stored parts: the reader never inflates anything.
import { pipeline, Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';
import { TallyError } from '../errors.js';
import type { FileSource } from './table.js';

/** A part of the zip as its central directory describes it. */
export interface ZipPart {
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  crc: number;
  /** bytes in the file, and unpacked */
  packed: number;
  size: number;
  /** where its local header starts */
  offset: number;
}

/** how many parts a workbook may have (one with 500 sheets has some 1,500) */
export const MAX_PARTS = 10_000;
/** how many times its packed size a part over RATIO_FROM bytes may unpack to: spreadsheets' XML does 5 to 20 */
export const MAX_RATIO = 100;
const RATIO_FROM = 1 << 20;

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readRange(source: FileSource, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of source.open({ start, end })) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A 64-bit size or offset, as a number; past 2^53 it is no workbook's. */
function big(b: Buffer, at: number, broken: (problem: string) => TallyError): number {
  const n = b.readBigUInt64LE(at);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw broken('a size past any file');
  return Number(n);
}

/** The parts the zip's central directory lists; nothing is unpacked. */
export async function zipDirectory(source: FileSource): Promise<ZipPart[]> {
  const file = source.name;
  const broken = (problem: string) => new TallyError('xlsx_invalid', { file, problem });
  const size = source.size;
  // the end record is the last 22 bytes, unless a comment (at most 64 KB) follows it
  const tailStart = Math.max(0, size - 22 - 0xffff);
  const tail = await readRange(source, tailStart, size);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  // a download cut short has lost its end, where the directory is found
  if (end < 0) throw broken('the end of the file is missing');
  if (tail.readUInt16LE(end + 4) !== 0 || tail.readUInt16LE(end + 6) !== 0) throw broken('a zip split across disks');
  let count = tail.readUInt16LE(end + 10);
  let cdSize = tail.readUInt32LE(end + 12);
  let cdOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // zip64: the real numbers are in a record the locator just before this one points to
    const at = tailStart + end - 20;
    const locator = at >= 0 ? await readRange(source, at, at + 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== EOCD64_LOCATOR) throw broken('a damaged zip64 end record');
    const recordAt = big(locator, 8, broken);
    const record = await readRange(source, recordAt, Math.min(size, recordAt + 56));
    if (record.length < 56 || record.readUInt32LE(0) !== EOCD64) throw broken('a damaged zip64 end record');
    count = big(record, 32, broken);
    cdSize = big(record, 40, broken);
    cdOffset = big(record, 48, broken);
  }
  if (count > MAX_PARTS) throw new TallyError('file_too_big', { file, limit: 'parts', max: MAX_PARTS });
  // names and notes of 10,000 parts take far less: the directory is read whole, so it is bounded too
  if (cdSize > MAX_PARTS * 1024) throw broken('a directory of more than 10 MB');
  if (cdOffset + cdSize > size) throw broken('its directory points past its end');
  const cd = await readRange(source, cdOffset, cdOffset + cdSize);
  const parts: ZipPart[] = [];
  const names = new Set<string>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw broken('a damaged directory');
    const flags = cd.readUInt16LE(at + 8);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > cd.length) throw broken('a damaged directory');
    const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    const part = {
      name,
      method: cd.readUInt16LE(at + 10),
      crc: cd.readUInt32LE(at + 16),
      packed: cd.readUInt32LE(at + 20),
      size: cd.readUInt32LE(at + 24),
      offset: cd.readUInt32LE(at + 42),
    };
    // zip64: each field that is all ones is in the extra field, in this order
    const wide = (['size', 'packed', 'offset'] as const).filter((k) => part[k] === 0xffffffff);
    if (wide.length) {
      const extra = cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      let found = false;
      for (let e = 0; e + 4 <= extra.length;) {
        const id = extra.readUInt16LE(e);
        const length = extra.readUInt16LE(e + 2);
        if (id === 0x0001 && length >= wide.length * 8 && e + 4 + length <= extra.length) {
          wide.forEach((k, j) => (part[k] = big(extra, e + 4 + j * 8, broken)));
          found = true;
          break;
        }
        e += 4 + length;
      }
      if (!found) throw broken(`a damaged zip64 entry for ${name}`);
    }
    if (flags & 0x1) throw broken(`${name} is encrypted`);
    // a part listed twice would be read twice, each time as a different part
    if (names.has(name)) throw broken(`${name} is in it twice`);
    names.add(name);
    parts.push(part);
    at = next;
  }
  return parts;
}

/** What the reader may unpack: its parts together, and each part it holds whole in memory. */
export interface UnpackLimits {
  unpackedBytes: number;
  wholePartBytes: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Refuses, before anything is unpacked, parts that declare more than the limits allow. */
export function checkParts(
  file: string,
  parts: readonly ZipPart[],
  limits: UnpackLimits,
  heldWhole: (name: string) => boolean,
): void {
  const total = parts.reduce((n, p) => n + p.size, 0);
  if (total > limits.unpackedBytes)
    throw new TallyError('file_too_big', { file, limit: 'unpacked', max: mb(limits.unpackedBytes) });
  for (const p of parts) {
    if (p.method !== 0 && p.method !== 8)
      throw new TallyError('xlsx_invalid', { file, problem: `${p.name} is packed with method ${p.method}` });
    if (heldWhole(p.name) && p.size > limits.wholePartBytes)
      throw new TallyError('file_too_big', { file, limit: 'part', max: mb(limits.wholePartBytes), part: p.name });
    // a bomb's parts unpack to hundreds of times their size: refused however small it claims to be
    if (p.size > RATIO_FROM && p.size > p.packed * MAX_RATIO)
      throw new TallyError('file_too_big', { file, limit: 'ratio', max: MAX_RATIO, part: p.name });
  }
}

/** A zip stream that ends early when what it unpacks is refused: `failed` rejects with why, `failure` holds it. */
export type StoredZip = Readable & { failure?: unknown; failed: Promise<never> };

/**
 * The parts, in this order, as a zip of stored parts: each unpacked here and counted as it comes, so
 * a part that unpacks to more than its directory said (or to other bytes) stops the reading there.
 * The reader gets only what was checked (checkParts), and inflates nothing itself. A refusal ends the
 * stream instead of failing it (a piped stream's error never reaches the reader), and rejects `failed`:
 * a reader cut off mid-part may wait for the rest forever, so its caller races it with `failed`.
 */
export function storedZip(source: FileSource, parts: readonly ZipPart[]): StoredZip {
  const said: { failure?: unknown } = {};
  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  async function* ended(): AsyncGenerator<Buffer> {
    try {
      yield* unpacked(source, parts);
    } catch (e) {
      said.failure = e;
      fail(e);
    }
  }
  const stream = Readable.from(ended(), { objectMode: false });
  return Object.defineProperties(stream, {
    failure: { get: () => said.failure },
    failed: { value: failed },
  }) as StoredZip;
}

async function* unpacked(source: FileSource, parts: readonly ZipPart[]): AsyncGenerator<Buffer> {
  const file = source.name;
  const broken = (problem: string) => new TallyError('xlsx_invalid', { file, problem });
  for (const p of parts) {
    const local = await readRange(source, p.offset, Math.min(source.size, p.offset + 30));
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw broken(`a damaged header for ${p.name}`);
    const start = p.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + p.packed > source.size) throw broken(`${p.name} runs past the end of the file`);
    const name = Buffer.from(p.name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    header.writeUInt16LE(10, 4);
    header.writeUInt16LE(0x0800, 6); // the name is UTF-8
    header.writeUInt32LE(p.crc, 14);
    header.writeUInt32LE(p.size, 18);
    header.writeUInt32LE(p.size, 22);
    header.writeUInt16LE(name.length, 26);
    yield Buffer.concat([header, name]);
    const packed = source.open({ start, end: start + p.packed });
    // pipeline: a read error of the file reaches the loop below through the inflater
    const unpacked: AsyncIterable<Buffer> =
      p.method === 8
        ? pipeline(Readable.from(packed), createInflateRaw(), () => {})
        : (packed as AsyncIterable<Buffer>);
    let got = 0;
    let crc = 0;
    for await (const chunk of unpacked) {
      got += chunk.length;
      // counted before the reader sees it: it never gets more than the directory declared
      if (got > p.size) throw broken(`${p.name} unpacks to more than its directory says`);
      crc = crc32(chunk, crc);
      yield chunk;
    }
    if (got !== p.size) throw broken(`${p.name} unpacks to less than its directory says`);
    if (crc >>> 0 !== p.crc) throw broken(`${p.name} is damaged (its checksum differs)`);
  }
  // the end record: the reader stops there (it needs no directory)
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  yield end;
}
