// A file a lead drops into Tally's direct messages: checked completely and previewed, written only
// when they press Import (once, all or nothing), discarded by Cancel. Only staff may import.
import { randomBytes } from 'node:crypto';
import type { Day } from '../core/dates.js';
import { fromDay, toDay } from '../db/dates.js';
import { isTallyError, TallyError } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { parseMetrics, type MetricEntry } from '../import/metrics.js';
import { parseRoster, type RosterEntry } from '../import/roster.js';
import type { Tally } from './context.js';
import { checkMetricRows, importMetrics, type MetricsImportResult } from './metrics.js';
import { findStaff, importRoster, type RosterImportResult } from './roster.js';

export type UploadKind = 'roster' | 'metrics';

/** Slack lets people share big files; a team's daily report is a few MB at most */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** the first problems a preview shows; the lead fixes those and sends the file again */
export const MAX_PROBLEMS = 10;
/** a preview left this long is refused as gone, and its bytes are pruned */
const KEEP_HOURS = 48;

export interface UploadPreview {
  /** what Import and Cancel carry; null when the file has problems (there is nothing to import) */
  id: string | null;
  fileName: string;
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
  /** the first `maxProblems` refusals, each naming its row and column as the file wrote it */
  problems: TallyError[];
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
  if (!/\.csv$/i.test(fileName)) throw new TallyError('upload_not_a_table', { file: fileName });
  if (size !== undefined && size > MAX_UPLOAD_BYTES)
    throw new TallyError('upload_too_large', { file: fileName, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });
}

const HEADER_CODES = new Set(['csv_unknown_column', 'csv_missing_column', 'csv_repeated_column']);

/**
 * Which file it is, by its header: a roster's columns or a metrics file's; each row read, problems
 * noted. A header that is one kind's with a column missing is told what it lacks; a header that is
 * neither kind's is told so.
 */
function readUpload(
  fileName: string,
  bytes: Uint8Array,
  problems: TallyError[],
): { kind: 'roster'; entries: RosterEntry[] } | { kind: 'metrics'; entries: MetricEntry[] } {
  const headerRefusal = (e: unknown) => (isTallyError(e) && HEADER_CODES.has(e.code) ? e : null);
  let asRoster: TallyError;
  try {
    return { kind: 'roster', entries: parseRoster(fileName, bytes, problems) };
  } catch (e) {
    const r = headerRefusal(e);
    if (!r) throw e;
    asRoster = r;
  }
  try {
    return { kind: 'metrics', entries: parseMetrics(fileName, bytes, problems) };
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
  const problems: TallyError[] = [];
  const read = readUpload(req.fileName, req.bytes, problems);
  const preview: UploadPreview = {
    id: null,
    fileName: req.fileName,
    kind: read.kind,
    rows: read.entries.length,
    members: new Set(read.entries.map((e) => e.slackId)).size,
    from: null,
    to: null,
    newDays: 0,
    replacedDays: 0,
    newMembers: 0,
    existingMembers: 0,
    problems,
    maxProblems: MAX_PROBLEMS,
  };
  if (read.kind === 'roster') {
    const known = new Set(
      (await t.db.member.findMany({ where: { slackId: { in: read.entries.map((e) => e.slackId) } } })).map(
        (m) => m.slackId,
      ),
    );
    preview.existingMembers = read.entries.filter((e) => known.has(e.slackId)).length;
    preview.newMembers = read.entries.length - preview.existingMembers;
  } else {
    const ids = await checkMetricRows(
      t,
      read.entries,
      req.fileName,
      problems.length < MAX_PROBLEMS ? problems : [],
      MAX_PROBLEMS,
    );
    const days = read.entries.map((e) => e.day).sort();
    preview.from = days[0] ?? null;
    preview.to = days.at(-1) ?? null;
    if (preview.from && preview.to) {
      const have = await t.db.dailyMetric.findMany({
        where: {
          memberId: { in: [...new Set(ids.filter((id) => id > 0))] },
          day: { gte: fromDay(preview.from), lte: fromDay(preview.to) },
        },
        select: { memberId: true, day: true },
      });
      const existing = new Set(have.map((r) => `${r.memberId} ${toDay(r.day)}`));
      preview.replacedDays = read.entries.filter((e, i) => existing.has(`${ids[i]} ${e.day}`)).length;
      preview.newDays = read.entries.length - preview.replacedDays;
    }
  }
  if (read.entries.length === 0 && problems.length === 0) throw new TallyError('csv_empty', { file: req.fileName });
  if (problems.length === 0) {
    const now = t.clock.now();
    await t.db.pendingUpload.deleteMany({ where: { createdAt: { lt: keptSince(now) } } });
    preview.id = randomBytes(12).toString('base64url');
    await t.db.pendingUpload.create({
      data: {
        id: preview.id,
        by: req.by,
        fileName: req.fileName,
        kind: read.kind,
        bytes: Buffer.from(req.bytes),
        createdAt: now,
      },
    });
  }
  return preview;
}

/**
 * Imports what the preview showed, all or nothing. Null when it was imported already (a second press
 * does nothing); refused when it was cancelled, is not this person's, or is too old.
 */
export async function importUpload(t: Tally, req: { id: string; by: string }): Promise<UploadImported | null> {
  const now = t.clock.now();
  const claimed = await t.db.pendingUpload.updateMany({
    where: { id: req.id, by: req.by, status: 'pending', createdAt: { gte: keptSince(now) } },
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
    const meta = { fileName: row.fileName, by: req.by };
    const result: UploadImported =
      row.kind === 'roster'
        ? {
            kind: 'roster',
            fileName: row.fileName,
            roster: await importRoster(t, parseRoster(row.fileName, row.bytes), meta),
          }
        : {
            kind: 'metrics',
            fileName: row.fileName,
            metrics: await importMetrics(t, parseMetrics(row.fileName, row.bytes), meta),
          };
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

/** Discards a preview; false when there was nothing left to discard (imported, cancelled, or not theirs). */
export async function cancelUpload(t: Tally, req: { id: string; by: string }): Promise<{ fileName: string } | null> {
  const row = await t.db.pendingUpload.findUnique({ where: { id: req.id }, select: { fileName: true } });
  const done = await t.db.pendingUpload.updateMany({
    where: { id: req.id, by: req.by, status: 'pending' },
    data: { status: 'cancelled', decidedAt: t.clock.now(), bytes: Buffer.alloc(0) },
  });
  return done.count === 1 && row ? { fileName: row.fileName } : null;
}
