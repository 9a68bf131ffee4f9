// Daily metrics import: all or nothing; re-importing a member-day replaces it. A file is read row by
// row and written 5,000 rows at a time inside one transaction, so a million rows never sit in memory
// and a refusal on the last row still writes nothing. A preview reads a file the same way and writes
// nothing: what a dry run prints, and what an upload in Slack shows before its Import button.
import { TallyError, isTallyError, type CsvCell } from '../errors.js';
import { awaySince, type ActivityEntry } from '../core/assignments.js';
import { monthOf, type Day, type Month } from '../core/dates.js';
import { own } from '../core/keys.js';
import { METRIC_FIELDS, TRACKS, trackKpis, type MetricField, type Policy, type Track } from '../core/policy.js';
import { toDay } from '../db/dates.js';
import {
  FIELD_COLUMN,
  METRICS_HEADERS,
  type MetricEntry,
  type MetricRow,
  type MetricValues,
} from '../import/metrics.js';
import type { ColumnMapping } from '../import/csv.js';
import { audit } from './audit.js';
import { assertOpen, holdOpen, isClosed } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { actorOrOperator } from './roster.js';
import { lockImports, retryConflicts } from './serial.js';

export interface MetricsImportResult {
  rows: number;
  members: number;
  from: string | null;
  to: string | null;
  batchId: number;
  /** member-days that had no row before */
  added: number;
  /** member-days whose earlier row this file replaced */
  replaced: number;
}

/** How far an import has got; told after each written chunk. */
export interface ImportProgress {
  read: number;
  written: number;
}

/**
 * A file's rows: a list held in memory, or a function that opens the file and reads it row by row
 * (called again if the transaction must be run again after a conflict).
 */
export type MetricRows = Iterable<MetricEntry> | (() => AsyncIterable<MetricRow> | Promise<AsyncIterable<MetricRow>>);

export interface ImportMeta {
  fileName: string;
  by: string;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Rows per INSERT. Prisma's driver adapters keep their last 100 queries with their arguments (a
 * debug history): at 5,000 rows a statement that held some 50 MB through a big import; at 2,000 it
 * is about 20 MB, for a few more round trips.
 */
const CHUNK = 2_000;

/** How the team's policy says its metrics files are read (`import.columns`, `import.otherColumns`). */
export async function metricsMapping(t: Tally): Promise<ColumnMapping> {
  return (await teamToday(t)).policy.import;
}

async function* rowsOf(rows: MetricRows): AsyncGenerator<MetricRow> {
  if (typeof rows === 'function') yield* await rows();
  else yield* rows;
}

interface MemberRef {
  id: number;
  slackId: string;
  name: string;
  track: Track;
  hiredOn: Day;
  /** their tracks over time, oldest first: a row is checked against the track of its day */
  tracks: Array<{ from: Day; track: Track }>;
  /** their deactivations and reactivations, oldest first */
  activity: ActivityEntry[];
}

function trackOn(m: MemberRef, day: Day): Track {
  let track = m.tracks[0]?.track ?? m.track;
  for (const a of m.tracks) {
    if (a.from > day) break;
    track = a.track;
  }
  return track;
}

const DAY_MS = 86_400_000;
const dayNumber = (day: Day) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/**
 * The line of each member-day read so far, 4 bytes a day per member over the days their rows span
 * (a million member-days in a Map took about 60 MB; here 2,000 members × 500 days take 4 MB).
 */
class DayLines {
  private readonly byMember = new Map<number, { first: number; lines: Int32Array }>();

  /** Notes the line of a member-day; returns the line that already had it, if one did. */
  claim(member: number, day: number, line: number): number | undefined {
    let span = this.byMember.get(member);
    if (!span) {
      span = { first: day, lines: new Int32Array(64) };
      this.byMember.set(member, span);
    }
    if (day < span.first || day >= span.first + span.lines.length) {
      // grow to cover the day, at least doubling, so a file read in any order costs few copies
      const first = Math.min(span.first, day);
      const end = Math.max(span.first + span.lines.length, day + 1);
      const lines = new Int32Array(Math.max(end - first, span.lines.length * 2));
      lines.set(span.lines, span.first - first);
      span = { first, lines };
      this.byMember.set(member, span);
    }
    const at = day - span.first;
    const seen = span.lines[at]!;
    if (seen) return seen;
    span.lines[at] = line;
    return undefined;
  }
}

/** Everything one row is checked against besides itself: the roster, today, the other rows, the policy. */
class RowCheck {
  private readonly bySlack = new Map<string, MemberRef>();
  private readonly byAccount = new Map<string, MemberRef>();
  /** member-day → its line: a second row for one member-day is a mistake in the file */
  private readonly seen = new DayLines();
  readonly members = new Set<number>();
  readonly tracks = new Set<Track>();
  readonly months = new Set<Month>();
  columns: Readonly<Record<string, string>> | undefined;
  sheet: string | undefined;
  rows = 0;
  from: Day | null = null;
  to: Day | null = null;

  constructor(
    members: Array<MemberRef & { platformAccount: string | null }>,
    private readonly today: Day,
    private readonly policy: Policy,
    private readonly fileName: string,
  ) {
    for (const m of members) {
      this.bySlack.set(m.slackId, m);
      if (m.platformAccount) this.byAccount.set(m.platformAccount, m);
    }
  }

  cell(e: MetricEntry, column: string): CsvCell {
    return {
      file: this.fileName,
      line: e.line,
      column: (e.columns && own(e.columns, column)) ?? column,
      ...(e.sheet === undefined ? {} : { sheet: e.sheet }),
    };
  }

  /** The member the row is about, once every check on it has passed. */
  accept(e: MetricEntry): MemberRef {
    if (this.rows === 0) {
      this.columns = e.columns;
      this.sheet = e.sheet;
    }
    this.rows++;
    const m = e.slackId !== undefined ? this.bySlack.get(e.slackId) : this.byAccount.get(e.platformAccount ?? '');
    if (!m) {
      throw e.slackId !== undefined
        ? new TallyError('csv_not_on_roster', { ...this.cell(e, 'slack_id'), slackId: e.slackId })
        : new TallyError('csv_unknown_platform_account', {
            ...this.cell(e, 'platform_account'),
            account: e.platformAccount ?? '',
          });
    }
    const who = e.slackId !== undefined ? 'slack_id' : 'platform_account';
    if (e.day > this.today)
      throw new TallyError('csv_future_date', { ...this.cell(e, 'date'), value: e.day, today: this.today });
    if (e.day < m.hiredOn) {
      throw new TallyError('csv_before_hire', {
        ...this.cell(e, 'date'),
        value: e.day,
        slackId: m.slackId,
        hiredOn: m.hiredOn,
      });
    }
    if (m.activity.length) {
      // a month they were away all through has no payroll row: its rows would rank them without pay
      const since = awaySince(m.activity, m.hiredOn, monthOf(e.day));
      if (since !== null)
        throw new TallyError('csv_member_away', {
          ...this.cell(e, 'date'),
          value: e.day,
          slackId: m.slackId,
          month: monthOf(e.day),
          since,
        });
    }
    const firstLine = this.seen.claim(m.id, dayNumber(e.day), e.line);
    if (firstLine !== undefined) {
      throw new TallyError('csv_repeated_day', { ...this.cell(e, who), slackId: m.slackId, day: e.day, firstLine });
    }
    this.members.add(m.id);
    this.tracks.add(m.tracks.length > 1 ? trackOn(m, e.day) : m.track);
    if (this.from === null || e.day < this.from) this.from = e.day;
    if (this.to === null || e.day > this.to) this.to = e.day;
    return m;
  }

  /**
   * The file has a column for every field a KPI of its members' tracks weighs: a member-day is
   * replaced whole, so a missing column would blank that KPI's data for every row.
   */
  finish(): void {
    if (this.rows === 0) throw new TallyError('csv_no_rows', { file: this.fileName, ...this.at() });
    if (!this.columns) return;
    for (const track of TRACKS) {
      if (!this.tracks.has(track)) continue;
      for (const [code, kpi] of trackKpis(this.policy, track)) {
        if (kpi.weight <= 0) continue;
        const a = kpi.actual;
        const fields: MetricField[] =
          a.kind === 'sum' ? [a.field] : a.kind === 'ratio' ? [a.numerator, a.denominator] : [a.field, a.by];
        for (const f of fields) {
          const column = FIELD_COLUMN[f];
          if (Object.hasOwn(this.columns, column)) continue;
          const chinese = Object.values(this.columns).some((h) => /\P{ASCII}/u.test(h));
          const named = chinese ? (METRICS_HEADERS[column][0] ?? column) : column;
          throw new TallyError('csv_missing_weighed_column', {
            file: this.fileName,
            ...this.at(),
            column: named,
            kpi: chinese ? kpi.label.zh : code,
            track,
          });
        }
      }
    }
  }

  private at() {
    return this.sheet === undefined ? {} : { sheet: this.sheet };
  }
}

async function rowCheck(t: Tally, fileName: string): Promise<RowCheck> {
  const { today, policy } = await teamToday(t);
  const members = await t.db.member.findMany({
    select: {
      id: true,
      slackId: true,
      name: true,
      track: true,
      hiredOn: true,
      platformAccount: true,
      assignments: { select: { effectiveFrom: true, track: true }, orderBy: { effectiveFrom: 'asc' } },
      activity: { select: { day: true, active: true }, orderBy: [{ day: 'asc' }, { id: 'asc' }] },
    },
  });
  return new RowCheck(
    members.map(({ assignments, activity, ...m }) => ({
      ...m,
      hiredOn: toDay(m.hiredOn),
      tracks: assignments.map((a) => ({ from: toDay(a.effectiveFrom), track: a.track })),
      activity: activity.map((a) => ({ day: toDay(a.day), active: a.active })),
    })),
    today,
    policy,
    fileName,
  );
}

/** Column arrays of up to CHUNK rows, for one INSERT ... SELECT FROM unnest(...). */
class Chunk {
  memberIds: number[] = [];
  days: string[] = [];
  values: Array<Array<number | null>> = METRIC_FIELDS.map(() => []);
  get size() {
    return this.memberIds.length;
  }
  add(memberId: number, e: MetricEntry) {
    this.memberIds.push(memberId);
    this.days.push(e.day);
    METRIC_FIELDS.forEach((f, i) => this.values[i]!.push(e[f]));
  }
}

type Tx = Parameters<Parameters<Tally['db']['$transaction']>[0]>[0];

/** Writes one chunk, upserting on (member, day); says how many member-days were new. */
async function writeChunk(tx: Tx, chunk: Chunk, batchId: number): Promise<number> {
  const [r] = await tx.$queryRawUnsafe<Array<{ added: number }>>(
    `WITH w AS (
       INSERT INTO daily_metric (member_id, day, inquiries, paid_customers, receptions, gmv_fen, refund_customers, cases, resolved, service_score, avg_response_sec, import_batch_id, updated_at)
       SELECT m, d::date, i, p, r, g, rf, c, rs, s, a, $12, now()
       FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::bigint[], $7::int[], $8::int[], $9::int[], $10::float8[], $11::float8[])
         AS u(m, d, i, p, r, g, rf, c, rs, s, a)
       ON CONFLICT (member_id, day) DO UPDATE SET
         inquiries = EXCLUDED.inquiries, paid_customers = EXCLUDED.paid_customers, receptions = EXCLUDED.receptions,
         gmv_fen = EXCLUDED.gmv_fen, refund_customers = EXCLUDED.refund_customers, cases = EXCLUDED.cases,
         resolved = EXCLUDED.resolved, service_score = EXCLUDED.service_score, avg_response_sec = EXCLUDED.avg_response_sec,
         import_batch_id = EXCLUDED.import_batch_id, updated_at = now()
       RETURNING (xmax = 0) AS inserted
     )
     SELECT (COUNT(*) FILTER (WHERE inserted))::int AS added FROM w`,
    chunk.memberIds,
    chunk.days,
    ...chunk.values,
    batchId,
  );
  return r?.added ?? 0;
}

export async function importMetrics(t: Tally, rows: MetricRows, meta: ImportMeta): Promise<MetricsImportResult> {
  // checked before a row is read: a million-row file is not read to be refused for who imports it
  await actorOrOperator(t, meta.by, 'import_files');
  const write = async () => {
    const check = await rowCheck(t, meta.fileName);
    const closed = { write: 'metrics', file: meta.fileName } as const;
    return t.db.$transaction(
      async (tx) => {
        // one metrics import at a time: overlapping files upserting the same member-days would deadlock
        await lockImports(tx, 'metrics');
        // a month close waits for this import, and this import refuses a month already closed
        await holdOpen(tx, [], closed);
        const batch = await tx.importBatch.create({
          data: { kind: 'metrics', fileName: meta.fileName, rowCount: 0, importedBy: meta.by },
        });
        let chunk = new Chunk();
        let written = 0;
        let added = 0;
        const flush = async () => {
          added += await writeChunk(tx, chunk, batch.id);
          written += chunk.size;
          chunk = new Chunk();
          meta.onProgress?.({ read: check.rows, written });
        };
        for await (const e of rowsOf(rows)) {
          if (isTallyError(e)) throw e;
          const m = check.accept(e);
          const month = monthOf(e.day);
          if (!check.months.has(month)) {
            await assertOpen(tx, [e.day], closed);
            check.months.add(month);
          }
          chunk.add(m.id, e);
          if (chunk.size >= CHUNK) await flush();
        }
        check.finish();
        if (chunk.size) await flush();
        await tx.importBatch.update({ where: { id: batch.id }, data: { rowCount: check.rows } });
        const result: MetricsImportResult = {
          rows: check.rows,
          members: check.members.size,
          from: check.from,
          to: check.to,
          batchId: batch.id,
          added,
          replaced: written - added,
        };
        await audit(
          tx,
          meta.by,
          'metrics.import',
          meta.fileName,
          { ...result },
          check.from ? monthOf(check.from) : null,
        );
        return result;
      },
      // a million rows read and written in one transaction: minutes, not seconds
      { timeout: 30 * 60_000, maxWait: 30_000 },
    );
  };
  return retryConflicts({ file: meta.fileName, kind: 'metrics' }, write);
}

/** One row as Tally understood it. */
export interface PreviewRow extends MetricValues {
  line: number;
  day: Day;
  slackId: string;
  name: string;
  platformAccount?: string;
}

export interface MetricsPreview {
  kind: 'metrics';
  file: string;
  sheet?: string;
  rows: number;
  members: number;
  from: string | null;
  to: string | null;
  /** member-days new to Tally, and member-days this file would replace */
  added: number;
  replaced: number;
  /** the first rows, as read */
  sample: PreviewRow[];
  /** the first problems, each with its line and column; `problemCount` counts them all */
  problems: TallyError[];
  problemCount: number;
}

/**
 * Reads a whole file and checks it as an import would, writing nothing: how it would be read (the
 * first rows), what it would change, and its first problems (an import stops at the first).
 */
export async function previewMetrics(
  t: Tally,
  rows: MetricRows,
  opts: { fileName: string; sample?: number; problems?: number },
): Promise<MetricsPreview> {
  const check = await rowCheck(t, opts.fileName);
  const sampleSize = opts.sample ?? 5;
  const keep = opts.problems ?? 10;
  const out: MetricsPreview = {
    kind: 'metrics',
    file: opts.fileName,
    rows: 0,
    members: 0,
    from: null,
    to: null,
    added: 0,
    replaced: 0,
    sample: [],
    problems: [],
    problemCount: 0,
  };
  const problem = (e: unknown) => {
    if (!isTallyError(e)) throw e;
    out.problemCount++;
    if (out.problems.length < keep) out.problems.push(e);
  };
  let keys = { members: [] as number[], days: [] as string[] };
  const countExisting = async () => {
    if (!keys.members.length) return;
    const [r] = await t.db.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT COUNT(*)::int AS n FROM daily_metric d
       JOIN unnest($1::int[], $2::date[]) AS u(m, d) ON d.member_id = u.m AND d.day = u.d`,
      keys.members,
      keys.days,
    );
    out.replaced += r?.n ?? 0;
    keys = { members: [], days: [] };
  };
  const closedMonths = new Map<Month, boolean>();
  let total = 0;
  let ok = 0;
  for await (const e of rowsOf(rows)) {
    total++;
    try {
      // a row the file itself got wrong is noted, and reading goes on with the next one
      if (isTallyError(e)) throw e;
      const m = check.accept(e);
      const month = monthOf(e.day);
      if (!closedMonths.has(month)) closedMonths.set(month, await isClosed(t.db, month));
      if (closedMonths.get(month))
        throw new TallyError('month_closed', { month, write: 'metrics', file: opts.fileName });
      ok++;
      keys.members.push(m.id);
      keys.days.push(e.day);
      if (keys.members.length >= CHUNK) await countExisting();
      if (out.sample.length < sampleSize) {
        const values = Object.fromEntries(METRIC_FIELDS.map((f) => [f, e[f]])) as MetricValues;
        out.sample.push({
          line: e.line,
          day: e.day,
          slackId: m.slackId,
          name: m.name,
          ...(e.platformAccount === undefined ? {} : { platformAccount: e.platformAccount }),
          ...values,
        });
      }
    } catch (err) {
      problem(err);
    }
  }
  await countExisting();
  try {
    check.finish();
  } catch (err) {
    problem(err);
  }
  if (check.sheet !== undefined) out.sheet = check.sheet;
  out.rows = total;
  out.members = check.members.size;
  out.from = check.from;
  out.to = check.to;
  out.added = ok - out.replaced;
  return out;
}
