// A believable team and its daily metrics, deterministic from a seed: the examples/ files, the
// benchmark's 2,000 agents and the local console's first run all come from here.
import { stringify } from 'csv-stringify/sync';
import { addDays, type Day } from '../core/dates.js';
import { fenToYuan } from '../core/money.js';
import type { Level, Track } from '../core/policy.js';
import type { MetricEntry } from '../import/metrics.js';
import type { RosterEntry } from '../import/roster.js';

/** A roster row as the import reads it, without its line number. */
export type DemoMember = Omit<RosterEntry, 'line'>;

/** A metrics row as the import reads it, without its line number. */
export type DemoMetric = Omit<MetricEntry, 'line'>;

/** mulberry32: small, fast, and the same sequence everywhere */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
const GIVEN = [
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '婷',
  '雪',
  '晨',
  '宇',
];

export function demoRoster(agents: number, opts: { seed?: number; hiredBefore?: Day } = {}): DemoMember[] {
  const rnd = random(opts.seed ?? 7);
  const hiredBefore = opts.hiredBefore ?? '2026-01-01';
  const members: DemoMember[] = [
    {
      slackId: 'U0SUPER01',
      name: '周主管',
      track: 'presales',
      level: 'supervisor',
      hiredOn: '2021-03-01',
      role: 'supervisor',
    },
    { slackId: 'U0LEAD001', name: '郑组长', track: 'presales', level: 'lead', hiredOn: '2022-05-16', role: 'lead' },
    { slackId: 'U0LEAD002', name: '冯组长', track: 'aftersales', level: 'lead', hiredOn: '2022-08-01', role: 'lead' },
  ];
  for (let i = 1; i <= agents; i++) {
    const track: Track = i % 3 === 0 ? 'aftersales' : 'presales';
    const r = rnd();
    const level: Level = r < 0.1 ? 'trainee' : r < 0.75 ? 'regular' : 'senior';
    const daysBack = level === 'trainee' ? Math.floor(rnd() * 25) : 100 + Math.floor(rnd() * 900);
    members.push({
      slackId: `U${String(1000 + i).padStart(8, '0')}`,
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(rnd() * GIVEN.length)]}${agents > 400 ? i : ''}`,
      track,
      level,
      hiredOn: addDays(hiredBefore, -daysBack),
      role: 'agent',
    });
  }
  return members;
}

/** One row per agent per day in [from, to]; each agent has a steady skill so rankings are stable-ish. */
export function demoMetrics(members: readonly DemoMember[], from: Day, to: Day, seed = 11): DemoMetric[] {
  const rnd = random(seed);
  const agents = members.filter((m) => m.role === 'agent');
  const skill = new Map(agents.map((m) => [m.slackId, 0.75 + rnd() * 0.5]));
  const rows: DemoMetric[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const m of agents) {
      if (m.hiredOn > day) continue;
      const s = skill.get(m.slackId)!;
      if (rnd() < 0.04) continue; // a day off
      const receptions = Math.round((60 + rnd() * 60) * s);
      const serviceScore = Math.min(100, Math.round((80 + rnd() * 12 + (s - 1) * 30) * 10) / 10);
      const avgResponseSec = Math.round((35 - (s - 1) * 30 + rnd() * 15) * 10) / 10;
      if (m.track === 'presales') {
        const inquiries = Math.round(receptions * (0.7 + rnd() * 0.2));
        const paid = Math.min(inquiries, Math.round(inquiries * (0.25 + rnd() * 0.2) * s));
        const orderFen = Math.round((9_000 + rnd() * 6_000) * s);
        rows.push({
          day,
          slackId: m.slackId,
          inquiries,
          paidCustomers: paid,
          receptions,
          gmvFen: paid * orderFen,
          refundCustomers: Math.round(paid * rnd() * 0.08),
          cases: null,
          resolved: null,
          serviceScore,
          avgResponseSec,
        });
      } else {
        const cases = Math.round(receptions * (0.3 + rnd() * 0.2));
        rows.push({
          day,
          slackId: m.slackId,
          inquiries: null,
          paidCustomers: null,
          receptions,
          gmvFen: null,
          refundCustomers: null,
          cases,
          resolved: Math.min(cases, Math.round(cases * Math.min(1, 0.85 + rnd() * 0.12 * s))),
          serviceScore,
          avgResponseSec,
        });
      }
    }
  }
  return rows;
}

export function rosterCsv(members: readonly DemoMember[]): string {
  return stringify(
    members.map((m) => [m.slackId, m.name, m.track, m.level, m.hiredOn, m.role]),
    { header: true, columns: ['slack_id', 'name', 'track', 'level', 'hired_on', 'role'] },
  );
}

const yuan = (fen: number | null) => (fen === null ? '' : fenToYuan(fen));
const cell = (v: number | null) => (v === null ? '' : String(v));

export function metricsCsv(rows: readonly DemoMetric[]): string {
  return stringify(
    rows.map((r) => [
      r.day,
      r.slackId,
      cell(r.inquiries),
      cell(r.paidCustomers),
      cell(r.receptions),
      yuan(r.gmvFen),
      cell(r.refundCustomers),
      cell(r.cases),
      cell(r.resolved),
      cell(r.serviceScore),
      cell(r.avgResponseSec),
    ]),
    {
      header: true,
      columns: [
        'date',
        'slack_id',
        'inquiries',
        'paid_customers',
        'receptions',
        'gmv',
        'refund_customers',
        'cases',
        'resolved',
        'service_score',
        'avg_response_sec',
      ],
    },
  );
}
