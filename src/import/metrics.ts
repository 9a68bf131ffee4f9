// metrics.csv: one row per agent per day. Counts are whole numbers, gmv is yuan with at most
// 2 decimals (converted to fen exactly), service_score 0-100; an empty cell is "no data".
import type { Day } from '../core/dates.js';
import { parseYuan } from '../core/money.js';
import type { MetricField } from '../core/policy.js';
import { dayCell, readCsv, type CsvFile } from './csv.js';

export type MetricValues = { [K in MetricField]: number | null };

export interface MetricEntry extends MetricValues {
  line: number;
  day: Day;
  slackId: string;
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

export function parseMetrics(path: string, bytes: Uint8Array): MetricEntry[] {
  const file = readCsv(path, bytes, COLUMNS, ['date', 'slack_id']);
  const seen = new Map<string, number>();
  return file.rows.map(({ line, cells }) => {
    const day = dayCell(file, line, 'date', cells.date!);
    const slackId = cells.slack_id!.trim();
    if (!slackId) throw file.error(line, 'slack_id', "the agent's Slack id is missing");
    const key = `${slackId} ${day}`;
    if (seen.has(key)) throw file.error(line, 'slack_id', `${slackId} on ${day} is already on line ${seen.get(key)}`);
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
    };
    for (const [column, fieldName] of COUNTS) entry[fieldName] = count(file, line, column, cells[column]);
    entry.gmvFen = gmv(file, line, cells.gmv);
    entry.serviceScore = decimal(file, line, 'service_score', cells.service_score, 100);
    entry.avgResponseSec = decimal(file, line, 'avg_response_sec', cells.avg_response_sec, 86_400);
    if (entry.paidCustomers !== null && entry.inquiries !== null && entry.paidCustomers > entry.inquiries) {
      throw file.error(
        line,
        'paid_customers',
        `${entry.paidCustomers} paid customers is more than ${entry.inquiries} inquiries`,
      );
    }
    if (entry.resolved !== null && entry.cases !== null && entry.resolved > entry.cases) {
      throw file.error(line, 'resolved', `${entry.resolved} resolved is more than ${entry.cases} cases`);
    }
    return entry;
  });
}

function count(file: CsvFile, line: number, column: string, cell: string | undefined): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (!/^\d+$/.test(v)) throw file.error(line, column, `"${v}" is not a whole number of 0 or more`);
  const n = Number(v);
  if (n > MAX_COUNT) throw file.error(line, column, `${v} is more than ${MAX_COUNT} in one day`);
  return n;
}

function gmv(file: CsvFile, line: number, cell: string | undefined): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (/^-/.test(v)) throw file.error(line, 'gmv', `"${v}" is negative`);
  const fen = parseYuan(v);
  if (fen === null) {
    const why = /^\d+\.\d{3,}$/.test(v.replace(/,/g, ''))
      ? 'has more than 2 decimals (yuan to the fen)'
      : 'is not an amount in yuan like 1234.50';
    throw file.error(line, 'gmv', `"${v}" ${why}`);
  }
  if (fen > MAX_GMV_FEN) throw file.error(line, 'gmv', `"${v}" is more than ¥100,000,000 in one day`);
  return fen;
}

function decimal(file: CsvFile, line: number, column: string, cell: string | undefined, max: number): number | null {
  const v = cell?.trim() ?? '';
  if (v === '') return null;
  if (!/^\d+(\.\d{1,3})?$/.test(v))
    throw file.error(line, column, `"${v}" is not a number of 0 or more (at most 3 decimals)`);
  const n = Number(v);
  if (n > max) throw file.error(line, column, `${v} is outside 0–${max}`);
  return n;
}
