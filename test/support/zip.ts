// Hand-made .xlsx files for the tests of bounded file reading: a minimal zip writer (deflate from
// node's zlib, streamed so that a part of hundreds of MB is never held whole) and the zip bomb a
// lead could drop into the DM: a few hundred KB whose shared strings unpack to hundreds of MB.
import { crc32, createDeflateRaw } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** the part's bytes, in pieces that may repeat (a bomb's text is one piece many times) */
  pieces: () => Iterable<Uint8Array>;
  /** what the central directory and the local header say it unpacks to (default: the truth) */
  declaredSize?: number;
  /** stored as it is instead of deflated */
  stored?: boolean;
}

const text = (s: string) => () => [Buffer.from(s, 'utf8')];

async function deflate(pieces: Iterable<Uint8Array>): Promise<{ packed: Buffer; size: number; crc: number }> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  let size = 0;
  let crc = 0;
  for (const p of pieces) {
    size += p.length;
    crc = crc32(p, crc);
    if (!z.write(p)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await ended;
  return { packed: Buffer.concat(out), size, crc };
}

/**
 * A zip of these parts, in this order (local headers, then the central directory). `zip64`: the
 * directory gives every size and offset in zip64 fields, and its end in a zip64 record.
 */
export async function zip(parts: ZipPart[], opts: { zip64?: boolean } = {}): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    let data: { packed: Buffer; size: number; crc: number };
    if (part.stored) {
      const raw = Buffer.concat([...part.pieces()]);
      data = { packed: raw, size: raw.length, crc: crc32(raw) };
    } else data = await deflate(part.pieces());
    const size = part.declaredSize ?? data.size;
    const method = part.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.crc >>> 0, 14);
    local.writeUInt32LE(data.packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data.packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(45, 4);
    entry.writeUInt16LE(45, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(data.crc >>> 0, 16);
    entry.writeUInt16LE(name.length, 28);
    if (opts.zip64) {
      // all ones, the real values in the extra field: size, packed size, offset
      entry.writeUInt32LE(0xffffffff, 20);
      entry.writeUInt32LE(0xffffffff, 24);
      entry.writeUInt32LE(0xffffffff, 42);
      const extra = Buffer.alloc(28);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(data.packed.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
      entry.writeUInt16LE(extra.length, 30);
      central.push(entry, name, extra);
    } else {
      entry.writeUInt32LE(data.packed.length, 20);
      entry.writeUInt32LE(size, 24);
      entry.writeUInt32LE(offset, 42);
      central.push(entry, name);
    }
    offset += local.length + name.length + data.packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (!opts.zip64) {
    end.writeUInt16LE(parts.length, 8);
    end.writeUInt16LE(parts.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, cd, end]);
  }
  end.fill(0xff, 8, 20);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(parts.length), 24);
  record.writeBigUInt64LE(BigInt(parts.length), 32);
  record.writeBigUInt64LE(BigInt(cd.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([...locals, cd, record, locator, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
const SHEET = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`;

/** The parts of a one-sheet workbook around its shared strings. */
export function workbookParts(sharedStrings: ZipPart, sheet: ZipPart['pieces'] = text(SHEET)): ZipPart[] {
  return [
    { name: '[Content_Types].xml', pieces: text(CONTENT_TYPES) },
    { name: '_rels/.rels', pieces: text(RELS) },
    { name: 'xl/workbook.xml', pieces: text(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', pieces: text(WORKBOOK_RELS) },
    sharedStrings,
    { name: 'xl/worksheets/sheet1.xml', pieces: sheet },
  ];
}

/**
 * A zip bomb: an .xlsx whose xl/sharedStrings.xml is `mb` MB of tiny distinct-looking strings (what
 * makes a reader that caches them run out of memory), deflated to about a thousandth of that.
 * `declaredMb` lies about the size in the zip's headers.
 */
export async function xlsxBomb(mb: number, opts: { declaredMb?: number; zip64?: boolean } = {}): Promise<Buffer> {
  const si = '<si><t>date</t></si><si><t>slack_id</t></si>'.repeat(1 << 14);
  const chunk = Buffer.from(si, 'utf8');
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
  );
  const tail = Buffer.from('</sst>');
  const times = Math.ceil((mb * 1024 * 1024) / chunk.length);
  return zip(
    workbookParts({
      name: 'xl/sharedStrings.xml',
      pieces: function* () {
        yield head;
        for (let i = 0; i < times; i++) yield chunk;
        yield tail;
      },
      ...(opts.declaredMb === undefined ? {} : { declaredSize: opts.declaredMb * 1024 * 1024 }),
    }),
    { zip64: opts.zip64 === true },
  );
}

/** A one-sheet workbook with no shared strings: its cells written inline, as some exporters do. */
export function inlineWorkbook(rows: string[][]): Promise<Buffer> {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const col = (i: number) => String.fromCharCode(65 + i);
  const xml = rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">${r.map((c, j) => `<c r="${col(j)}${i + 1}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`).join('')}</row>`,
    )
    .join('');
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${xml}</sheetData></worksheet>`;
  return zip(
    workbookParts({ name: 'xl/sharedStrings.xml', pieces: () => [] }, text(sheet)).filter(
      (p) => !p.name.includes('sharedStrings'),
    ),
  );
}

/**
 * A workbook whose shared strings are `count` different short strings (`s0`, `s1`, ...): plain text
 * that packs like a spreadsheet's (10 to 1), but each string an object the reader keeps.
 */
export function manyStrings(count: number): Promise<Buffer> {
  const head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
  return zip(
    workbookParts({
      name: 'xl/sharedStrings.xml',
      pieces: function* () {
        yield Buffer.from(head);
        for (let i = 0; i < count; i += 10_000) {
          let s = '';
          for (let j = i; j < Math.min(count, i + 10_000); j++) s += `<si><t>s${j}</t></si>`;
          yield Buffer.from(s);
        }
        yield Buffer.from('</sst>');
      },
    }),
  );
}
