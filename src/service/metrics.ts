// Daily metrics import: all or nothing; re-importing a member-day replaces it.
import { TallyError } from '../errors.js';
import { METRIC_FIELDS } from '../core/policy.js';
import { monthOf } from '../core/dates.js';
import { toDay } from '../db/dates.js';
import type { MetricEntry } from '../import/metrics.js';
import { audit } from './audit.js';
import { assertOpen, holdOpen } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { lockImports, retryConflicts } from './serial.js';

export interface MetricsImportResult {
  rows: number;
  members: number;
  from: string | null;
  to: string | null;
  batchId: number;
}

const CHUNK = 5_000;

export async function importMetrics(
  t: Tally,
  entries: MetricEntry[],
  meta: { fileName: string; by: string },
): Promise<MetricsImportResult> {
  const { today } = await teamToday(t);
  const members = new Map(
    (await t.db.member.findMany({ select: { id: true, slackId: true, hiredOn: true } })).map((m) => [m.slackId, m]),
  );
  const memberIds: number[] = [];
  for (const e of entries) {
    const m = members.get(e.slackId);
    // the column as the file wrote it (`日期` or `date`)
    const cell = (column: string) => ({ file: meta.fileName, line: e.line, column: e.columns?.[column] ?? column });
    if (!m) throw new TallyError('csv_not_on_roster', { ...cell('slack_id'), slackId: e.slackId });
    if (e.day > today) throw new TallyError('csv_future_date', { ...cell('date'), value: e.day, today });
    if (e.day < toDay(m.hiredOn)) {
      throw new TallyError('csv_before_hire', {
        ...cell('date'),
        value: e.day,
        slackId: e.slackId,
        hiredOn: toDay(m.hiredOn),
      });
    }
    memberIds.push(m.id);
  }
  const days = entries.map((e) => e.day).sort();
  await assertOpen(t.db, days, { write: 'metrics', file: meta.fileName });
  const write = () =>
    t.db.$transaction(
      async (tx) => {
        // one metrics import at a time: overlapping files upserting the same member-days would deadlock
        await lockImports(tx, 'metrics');
        await holdOpen(tx, days, { write: 'metrics', file: meta.fileName });
        const batch = await tx.importBatch.create({
          data: { kind: 'metrics', fileName: meta.fileName, rowCount: entries.length, importedBy: meta.by },
        });
        for (let start = 0; start < entries.length; start += CHUNK) {
          const slice = entries.slice(start, start + CHUNK);
          const ids = memberIds.slice(start, start + CHUNK);
          // one statement per chunk: unnest() of column arrays, upserting on (member, day)
          await tx.$executeRawUnsafe(
            `INSERT INTO daily_metric (member_id, day, inquiries, paid_customers, receptions, gmv_fen, refund_customers, cases, resolved, service_score, avg_response_sec, import_batch_id, updated_at)
           SELECT m, d::date, i, p, r, g, rf, c, rs, s, a, $12, now()
           FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::bigint[], $7::int[], $8::int[], $9::int[], $10::float8[], $11::float8[])
             AS u(m, d, i, p, r, g, rf, c, rs, s, a)
           ON CONFLICT (member_id, day) DO UPDATE SET
             inquiries = EXCLUDED.inquiries, paid_customers = EXCLUDED.paid_customers, receptions = EXCLUDED.receptions,
             gmv_fen = EXCLUDED.gmv_fen, refund_customers = EXCLUDED.refund_customers, cases = EXCLUDED.cases,
             resolved = EXCLUDED.resolved, service_score = EXCLUDED.service_score, avg_response_sec = EXCLUDED.avg_response_sec,
             import_batch_id = EXCLUDED.import_batch_id, updated_at = now()`,
            ids,
            slice.map((e) => e.day),
            ...METRIC_FIELDS.map((f) => slice.map((e) => e[f])),
            batch.id,
          );
        }
        const result = {
          rows: entries.length,
          members: new Set(memberIds).size,
          from: days[0] ?? null,
          to: days.at(-1) ?? null,
          batchId: batch.id,
        };
        await audit(tx, meta.by, 'metrics.import', meta.fileName, result, days[0] ? monthOf(days[0]) : null);
        return result;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  return retryConflicts({ file: meta.fileName, kind: 'metrics' }, write);
}
