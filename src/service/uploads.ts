// A file a lead drops into Tally's direct messages: checked completely and previewed, written only
// when they press Import (once, all or nothing), discarded by Cancel. Only staff may import.
import { randomBytes } from 'node:crypto';
import { realNow } from '../clock.js';
import type { Day } from '../core/dates.js';
import { isTallyError, TallyError } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { readMetrics } from '../import/metrics.js';
import { readRoster, readRosterRows } from '../import/roster.js';
import type { ThreadLimits } from '../import/table-thread.js';
import { bytesSource, type FileLimits } from '../import/table.js';
import type { Tally } from './context.js';
import { importMetrics, metricsMapping, previewMetrics, type MetricsImportResult } from './metrics.js';
import { findStaff, importRoster, previewRoster, type RosterImportResult } from './roster.js';

export type UploadKind = 'roster' | 'metrics';

/** Slack lets people share big files; a team's daily report is a few MB at most */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/**
 * What reading a dropped file may take, in the bot: a 20 MB workbook of plain rows unpacks to some
 * 130 MB (and a 20 MB CSV holds some 400,000 rows); a zip bomb declares gigabytes and is refused
 * before anything is unpacked.
 */
export const UPLOAD_LIMITS: FileLimits = {
  unpackedBytes: 200 * 1024 * 1024,
  wholePartBytes: 50 * 1024 * 1024,
  rows: 500_000,
  cells: 10_000_000,
};
/** A dropped file is read in a thread of its own: this heap at most, and so many at once. */
export const UPLOAD_THREAD: ThreadLimits = { memoryMb: 256, threads: 3 };
const READ = { limits: UPLOAD_LIMITS, thread: UPLOAD_THREAD };
/** the first problems a metrics file's preview shows; the lead fixes those and sends the file again */
export const MAX_PROBLEMS = 10;
/** a roster is small: its preview shows every problem, up to what one Slack message holds */
export const MAX_ROSTER_PROBLEMS = 100;
/** a preview left this long is refused as gone, and its bytes are pruned */
const KEEP_HOURS = 48;

export interface UploadPreview {
  /** what Import and Cancel carry; null when the file has problems (there is nothing to import) */
  id: string | null;
  fileName: string;
  /** the sheet read, for a workbook */
  sheet?: string;
  kind: UploadKind;
  rows: number;
  members: number;
  /** a metrics file's days */
  from: Day | null;
  to: Day | null;
  /** member-days the file adds, and those it replaces (already imported before) */
  newDays: number;
  replacedDays: number;
  /** a roster file's people not yet on the roster, and those already on it */
  newMembers: number;
  existingMembers: number;
  /** the first `maxProblems` refusals, each naming its row and column as the file wrote it; `problemCount` counts all */
  problems: TallyError[];
  problemCount: number;
  maxProblems: number;
}

export type UploadImported =
  | { kind: 'roster'; fileName: string; roster: RosterImportResult }
  | { kind: 'metrics'; fileName: string; metrics: MetricsImportResult };

const keptSince = (now: Date) => new Date(now.getTime() - KEEP_HOURS * 3_600_000);

/** Refused unless a lead, supervisor or admin is importing: checked before the file is even downloaded. */
export async function checkUploader(t: Tally, by: string): Promise<void> {
  await findStaff(t, by, 'import_files');
}

/** Refuses what cannot be a table Tally reads, before downloading it. */
export function checkUploadFile(fileName: string, size: number | undefined): void {
  if (!/\.(csv|xlsx|txt)$/i.test(fileName)) throw new TallyError('upload_not_a_table', { file: fileName });
  if (size !== undefined && size > MAX_UPLOAD_BYTES)
    throw new TallyError('upload_too_large', { file: fileName, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
}

const HEADER_CODES = new Set(['csv_unknown_column', 'csv_missing_column', 'csv_repeated_column']);
const headerRefusal = (e: unknown) => (isTallyError(e) && HEADER_CODES.has(e.code) ? e : null);

function emptyPreview(fileName: string, kind: UploadKind): UploadPreview {
  return {
    id: null,
    fileName,
    kind,
    rows: 0,
    members: 0,
    from: null,
    to: null,
    newDays: 0,
    replacedDays: 0,
    newMembers: 0,
    existingMembers: 0,
    problems: [],
    problemCount: 0,
    maxProblems: MAX_PROBLEMS,
  };
}

async function previewRosterFile(t: Tally, fileName: string, bytes: Uint8Array, by: string): Promise<UploadPreview> {
  // checked as `roster import` checks it, against the roster and for the person who dropped it
  const { entries } = await readRosterRows(bytesSource(fileName, bytes), READ);
  const r = await previewRoster(t, entries, { fileName, by, problems: MAX_ROSTER_PROBLEMS });
  return {
    ...emptyPreview(fileName, 'roster'),
    ...(r.sheet === undefined ? {} : { sheet: r.sheet }),
    rows: r.rows,
    members: r.members,
    newMembers: r.added,
    existingMembers: r.members - r.added,
    problems: r.problems,
    problemCount: r.problemCount,
    maxProblems: MAX_ROSTER_PROBLEMS,
  };
}

async function previewMetricsFile(t: Tally, fileName: string, bytes: Uint8Array): Promise<UploadPreview> {
  const mapping = await metricsMapping(t);
  const m = await previewMetrics(
    t,
    async () => (await readMetrics(bytesSource(fileName, bytes), { ...READ, mapping })).entries,
    {
      fileName,
      problems: MAX_PROBLEMS,
    },
  );
  return {
    ...emptyPreview(fileName, 'metrics'),
    ...(m.sheet === undefined ? {} : { sheet: m.sheet }),
    rows: m.rows,
    members: m.members,
    from: m.from,
    to: m.to,
    newDays: m.added,
    replacedDays: m.replaced,
    problems: m.problems,
    problemCount: m.problemCount,
  };
}

/**
 * Which file it is, by its header: a roster's columns or a metrics file's (through the team's column
 * mapping). A header that is one kind's with a column missing is told what it lacks; a header that is
 * neither kind's is told so.
 */
async function preview(t: Tally, fileName: string, bytes: Uint8Array, by: string): Promise<UploadPreview> {
  let asRoster: TallyError;
  try {
    return await previewRosterFile(t, fileName, bytes, by);
  } catch (e) {
    const r = headerRefusal(e);
    if (!r) throw e;
    asRoster = r;
  }
  try {
    return await previewMetricsFile(t, fileName, bytes);
  } catch (e) {
    const asMetrics = headerRefusal(e);
    if (!asMetrics) throw e;
    if (asRoster.code !== 'csv_unknown_column') throw asRoster;
    if (asMetrics.code !== 'csv_unknown_column') throw asMetrics;
    throw new TallyError('upload_unknown_kind', { file: fileName });
  }
}

/** Checks the whole file and keeps it for Import; nothing is written to the roster or the metrics. */
export async function previewUpload(
  t: Tally,
  req: { by: string; fileName: string; bytes: Uint8Array },
): Promise<UploadPreview> {
  await checkUploader(t, req.by);
  checkUploadFile(req.fileName, req.bytes.length);
  const p = await preview(t, req.fileName, req.bytes, req.by);
  if (p.problemCount === 0) {
    // a preview waits 48 hours of real time, whatever TALLY_NOW says
    const now = realNow(t);
    await t.db.pendingUpload.deleteMany({ where: { createdAt: { lt: keptSince(now) } } });
    p.id = randomBytes(12).toString('base64url');
    await t.db.pendingUpload.create({
      data: {
        id: p.id,
        by: req.by,
        fileName: req.fileName,
        kind: p.kind,
        bytes: Buffer.from(req.bytes),
        createdAt: now,
      },
    });
  }
  return p;
}

/** Writes a kept file as `roster import` / `metrics import` would: all or nothing. */
async function write(t: Tally, kind: string, fileName: string, bytes: Uint8Array, by: string): Promise<UploadImported> {
  const meta = { fileName, by };
  if (kind === 'roster')
    return {
      kind,
      fileName,
      roster: await importRoster(t, await readRoster(bytesSource(fileName, bytes), READ), meta),
    };
  const mapping = await metricsMapping(t);
  const rows = async () => (await readMetrics(bytesSource(fileName, bytes), { ...READ, mapping })).entries;
  return { kind: 'metrics', fileName, metrics: await importMetrics(t, rows, meta) };
}

/**
 * Imports what the preview showed, all or nothing. Null when it was imported already (a second press
 * does nothing); refused when it was cancelled, is not this person's, or is too old.
 */
export async function importUpload(t: Tally, req: { id: string; by: string }): Promise<UploadImported | null> {
  const now = t.clock.now();
  const claimed = await t.db.pendingUpload.updateMany({
    where: { id: req.id, by: req.by, status: 'pending', createdAt: { gte: keptSince(realNow(t)) } },
    data: { status: 'importing', decidedAt: now },
  });
  if (claimed.count === 0) {
    const row = await t.db.pendingUpload.findUnique({ where: { id: req.id }, select: { by: true, status: true } });
    if (row?.by === req.by && (row.status === 'imported' || row.status === 'importing')) return null;
    throw new TallyError('upload_gone', {});
  }
  const row = await t.db.pendingUpload.findUniqueOrThrow({ where: { id: req.id } });
  try {
    await checkUploader(t, req.by);
    const result = await write(t, row.kind, row.fileName, row.bytes, req.by);
    await t.db.pendingUpload.update({
      where: { id: req.id },
      // the file is in the database now: its bytes are not kept twice
      data: { status: 'imported', bytes: Buffer.alloc(0), result: result as unknown as Prisma.InputJsonValue },
    });
    return result;
  } catch (e) {
    // refused now (the roster or a month changed since the preview): the lead may fix it and press again
    await t.db.pendingUpload.update({ where: { id: req.id }, data: { status: 'pending', decidedAt: null } });
    throw e;
  }
}

/** Discards a preview; null when there was nothing left to discard (imported, cancelled, or not theirs). */
export async function cancelUpload(t: Tally, req: { id: string; by: string }): Promise<{ fileName: string } | null> {
  const row = await t.db.pendingUpload.findUnique({ where: { id: req.id }, select: { fileName: true } });
  const done = await t.db.pendingUpload.updateMany({
    where: { id: req.id, by: req.by, status: 'pending' },
    data: { status: 'cancelled', decidedAt: t.clock.now(), bytes: Buffer.alloc(0) },
  });
  return done.count === 1 && row ? { fileName: row.fileName } : null;
}
