// metrics.csv: one row per agent per day. Counts are whole numbers, gmv is yuan with at most
// 2 decimals (converted to fen exactly), service_score 0-100; an empty cell is "no data".
import type { Day } from '../core/dates.js';
import { parseYuan } from '../core/money.js';
import type { MetricField } from '../core/policy.js';
import type { TallyError } from '../errors.js';
import { dayCell, eachRow, readCsv, type CsvFile } from './csv.js';

export type MetricValues = { [K in MetricField]: number | null };

export interface MetricEntry extends MetricValues {
  line: number;
  day: Day;
  slackId: string;
  /** the file's headers as written, by canonical name, so later refusals name them as the file does */
  columns?: Readonly<Record<string, string>>;
}

const COLUMNS = {
  date: ['日期', 'day'],
  slack_id: ['客服ID', 'user_id'],
  inquiries: ['询单人数'],
  paid_customers: ['成交人数'],
  receptions: ['接待人数'],
  gmv: ['销售额', '成交额', 'gmv_yuan'],
  refund_customers: ['退款人数'],
  cases: ['处理数', '售后处理数'],
  resolved: ['解决数', '售后解决数'],
  service_score: ['服务得分'],
  avg_response_sec: ['平均响应时间', '平均响应时间(秒)', 'avg_response'],
};

const COUNTS: Array<[string, MetricField]> = [
  ['inquiries', 'inquiries'],
  ['paid_customers', 'paidCustomers'],
  ['receptions', 'receptions'],
  ['refund_customers', 'refundCustomers'],
  ['cases', 'cases'],
  ['resolved', 'resolved'],
];

/** the largest daily count or gmv a person could plausibly reach; beyond it the file is wrong */
const MAX_COUNT = 1_000_000;
const MAX_GMV_FEN = 10_000_000_000; // ¥100,000,000 in one day

/** The rows of a metrics file; with `problems`, refused rows are noted there instead of stopping (see eachRow). */
export function parseMetrics(path: string, bytes: Uint8Array, problems?: TallyError[]): MetricEntry[] {
  const file = readCsv(path, bytes, COLUMNS, ['date', 'slack_id']);
  const seen = new Map<string, number>();
  return eachRow(
    file.rows,
    ({ line, cells }) => {
      const day = dayCell(file, line, 'date', cells.date!);
      const slackId = cells.slack_id!.trim();
      if (!slackId) throw file.error(line, 'slack_id', 'csv_missing_slack_id', {});
      const key = `${slackId} ${day}`;
      const firstLine = seen.get(key);
      if (firstLine !== undefined) throw file.error(line, 'slack_id', 'csv_repeated_day', { slackId, day, firstLine });
      seen.set(key, line);
      const entry: MetricEntry = {
        line,
        day,
        slackId,
        inquiries: null,
        paidCustomers: null,
        receptions: null,
        gmvFen: null,
        refundCustomers: null,
        cases: null,
        resolved: null,
        serviceScore: null,
        avgResponseSec: null,
        columns: file.columns,
      };
      for (const [column, fieldName] of COUNTS) entry[fieldName] = count(file, line, column, cells[column]);
      entry.gmvFen = gmv(file, line, cells.gmv);
      entry.serviceScore = decimal(file, line, 'service_score', cells.service_score, 100);
      entry.avgResponseSec = decimal(file, line, 'avg_response_sec', cells.avg_response_sec, 86_400);
      if (entry.paidCustomers !== null && entry.inquiries !== null && entry.paidCustomers > entry.inquiries) {
        throw file.error(line, 'paid_customers', 'csv_paid_over_inquiries', {
          paid: entry.paidCustomers,
          inquiries: entry.inquiries,
        });
      }
      if (entry.resolved !== null && entry.cases !== null && entry.resolved > entry.cases) {
        throw file.error(line, 'resolved', 'csv_resolved_over_cases', { resolved: entry.resolved, cases: entry.cases });
      }
      return entry;
    },
    problems,
  );
}

function count(file: CsvFile, line: number, column: string, cell: string | undefined): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (!/^\d+$/.test(v)) throw file.error(line, column, 'csv_not_count', { value: v });
  const n = Number(v);
  if (n > MAX_COUNT) throw file.error(line, column, 'csv_count_too_large', { value: v, max: MAX_COUNT });
  return n;
}

function gmv(file: CsvFile, line: number, cell: string | undefined): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (/^-/.test(v)) throw file.error(line, 'gmv', 'csv_negative', { value: v });
  const fen = parseYuan(v);
  if (fen === null) {
    const decimals = /^\d+\.\d{3,}$/.test(v.replace(/,/g, ''));
    throw file.error(line, 'gmv', decimals ? 'csv_too_many_decimals' : 'csv_not_yuan', { value: v });
  }
  if (fen > MAX_GMV_FEN) throw file.error(line, 'gmv', 'csv_gmv_too_large', { value: v });
  return fen;
}

function decimal(file: CsvFile, line: number, column: string, cell: string | undefined, max: number): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (!/^\d+(\.\d{1,3})?$/.test(v)) throw file.error(line, column, 'csv_not_number', { value: v });
  const n = Number(v);
  if (n > max) throw file.error(line, column, 'csv_out_of_range', { value: v, max });
  return n;
}
