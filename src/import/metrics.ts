// metrics.csv (or .xlsx): one row per agent per day. Counts are whole numbers, gmv is yuan with at most
// 2 decimals (converted to fen exactly), service_score 0-100; an empty cell is "no data".
import type { Day } from '../core/dates.js';
import { parseYuan } from '../core/money.js';
import type { MetricField, MetricsColumn } from '../core/policy.js';
import { dayCell, readColumns, readCsv, type ColumnMapping, type CsvFile } from './csv.js';
import { isTallyError, type TallyError } from '../errors.js';
import { openTable, type FileSource, type TableOptions } from './table.js';

export type MetricValues = { [K in MetricField]: number | null };

export interface MetricEntry extends MetricValues {
  line: number;
  day: Day;
  /** who: by Slack id, or by the shop sub-account the platform's report names (one of the two) */
  slackId?: string;
  platformAccount?: string;
  /** the file's headers as written, by canonical name, so later refusals name them as the file does */
  columns?: Readonly<Record<string, string>>;
  /** a workbook's sheet, for refusals */
  sheet?: string;
}

/** Every column a metrics file may have, with the other ways people write its header. */
export const METRICS_HEADERS: Record<MetricsColumn, string[]> = {
  date: ['日期', 'day'],
  slack_id: ['客服ID', 'user_id'],
  platform_account: ['平台账号', '旺旺子账号', '子账号'],
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

const REQUIRED = ['date', ['slack_id', 'platform_account']];

/** The column each field of a row is read from. */
export const FIELD_COLUMN: Record<MetricField, MetricsColumn> = {
  inquiries: 'inquiries',
  paidCustomers: 'paid_customers',
  receptions: 'receptions',
  gmvFen: 'gmv',
  refundCustomers: 'refund_customers',
  cases: 'cases',
  resolved: 'resolved',
  serviceScore: 'service_score',
  avgResponseSec: 'avg_response_sec',
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

/** A whole metrics file held in memory (the demo, tests, the benchmark's files). */
export function parseMetrics(path: string, bytes: Uint8Array, mapping?: ColumnMapping): MetricEntry[] {
  const file = readCsv(path, bytes, METRICS_HEADERS, REQUIRED, mapping);
  return file.rows.map(({ line, cells }) => metricEntry(file, line, cells));
}

/** A row read, or what is wrong with it (a preview goes on reading; an import stops there). */
export type MetricRow = MetricEntry | TallyError;

/** A metrics file (CSV or a workbook's sheet) opened to be read row by row, each row checked as it comes. */
export async function readMetrics(
  source: FileSource,
  opts: TableOptions & { mapping?: ColumnMapping } = {},
): Promise<{ file: CsvFile; entries: AsyncIterable<MetricRow> }> {
  const { file, rows } = readColumns(await openTable(source, opts), METRICS_HEADERS, REQUIRED, opts.mapping);
  return {
    file,
    entries: {
      async *[Symbol.asyncIterator]() {
        for await (const { line, cells } of rows) {
          try {
            yield metricEntry(file, line, cells);
          } catch (e) {
            if (!isTallyError(e)) throw e;
            yield e;
          }
        }
      },
    },
  };
}

/** One row, read and checked on its own (the roster and other rows are the service's to check). */
export function metricEntry(file: CsvFile, line: number, cells: Record<string, string>): MetricEntry {
  const day = dayCell(file, line, 'date', cells.date!);
  const slackId = cells.slack_id?.trim() ?? '';
  const platformAccount = cells.platform_account?.trim() ?? '';
  if (!slackId && !platformAccount) {
    throw Object.hasOwn(cells, 'slack_id')
      ? file.error(line, 'slack_id', 'csv_missing_slack_id', {})
      : file.error(line, 'platform_account', 'csv_missing_platform_account', {});
  }
  const entry: MetricEntry = {
    line,
    day,
    ...(slackId ? { slackId } : { platformAccount }),
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
    ...(file.sheet === undefined ? {} : { sheet: file.sheet }),
  };
  for (const [column, fieldName] of COUNTS) entry[fieldName] = count(file, line, column, cells[column]);
  entry.gmvFen = gmv(file, line, cells.gmv);
  // a score the platform prints as a percentage (98.5%) is the same 0-100 score
  entry.serviceScore = decimal(file, line, 'service_score', cells.service_score, 100, true);
  entry.avgResponseSec = decimal(file, line, 'avg_response_sec', cells.avg_response_sec, 86_400, false);
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
}

/** "1,234" is 1234: commas only as thousands separators, so "1,23" stays a mistake. */
function ungroup(v: string): string | null {
  if (!v.includes(',')) return v;
  return /^\d{1,3}(,\d{3})+(\.\d+)?%?$/.test(v) ? v.replace(/,/g, '') : null;
}

function count(file: CsvFile, line: number, column: string, cell: string | undefined): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  const plain = ungroup(v);
  if (plain === null || !/^\d+$/.test(plain)) throw file.error(line, column, 'csv_not_count', { value: v });
  const n = Number(plain);
  if (n > MAX_COUNT) throw file.error(line, column, 'csv_count_too_large', { value: v, max: MAX_COUNT });
  return n;
}

function gmv(file: CsvFile, line: number, cell: string | undefined): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (/^-|^[¥￥]\s*-/.test(v)) throw file.error(line, 'gmv', 'csv_negative', { value: v });
  const fen = parseYuan(v);
  if (fen === null) {
    const decimals = /^[¥￥]?\d+\.\d{3,}$/.test(v.replace(/,/g, ''));
    throw file.error(line, 'gmv', decimals ? 'csv_too_many_decimals' : 'csv_not_yuan', { value: v });
  }
  if (fen > MAX_GMV_FEN) throw file.error(line, 'gmv', 'csv_gmv_too_large', { value: v });
  return fen;
}

function decimal(
  file: CsvFile,
  line: number,
  column: string,
  cell: string | undefined,
  max: number,
  percent: boolean,
): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  const plain = ungroup(v);
  const m = plain === null ? null : /^(\d+(?:\.\d{1,3})?)(%?)$/.exec(plain);
  if (!m || (m[2] && !percent)) throw file.error(line, column, 'csv_not_number', { value: v });
  const n = Number(m[1]);
  if (n > max) throw file.error(line, column, 'csv_out_of_range', { value: v, max });
  return n;
}
