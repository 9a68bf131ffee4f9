// The month's payroll as a CSV file for the leads, the same for `tally payroll --csv` and the file
// the monthly job sends: headers in the team's language, money in yuan, penalties as a deduction.
import { fenToYuan } from '../core/money.js';
import type { Level, Policy, Track } from '../core/policy.js';
import type { PayrollRow } from '../service/scores.js';
import { csvFile, Figure } from './csv.js';

export type Locale = Policy['locale'];

const COLUMNS = [
  'slackId',
  'name',
  'track',
  'level',
  'score',
  'rank',
  'base',
  'performance',
  'commission',
  'award',
  'meal',
  'penalties',
  'total',
  'commissionForfeited',
  'dismissalFlag',
  'rotationFlag',
] as const;

interface Words {
  columns: Record<(typeof COLUMNS)[number], string>;
  track: Record<Track, string>;
  level: Record<Level, string>;
  yes: string;
  no: string;
}

const WORDS: Record<Locale, Words> = {
  'zh-CN': {
    columns: {
      slackId: '客服ID',
      name: '姓名',
      track: '岗位',
      level: '级别',
      score: '得分',
      rank: '排名',
      base: '底薪',
      performance: '绩效',
      commission: '提成',
      award: '排名奖',
      meal: '餐补',
      penalties: '罚款',
      total: '合计',
      commissionForfeited: '提成取消',
      dismissalFlag: '标记开除',
      rotationFlag: '调仓库学习',
    },
    track: { presales: '售前', aftersales: '售后' },
    level: { trainee: '见习', regular: '正式', senior: '资深', lead: '组长', supervisor: '主管' },
    yes: '是',
    no: '否',
  },
  en: {
    columns: {
      slackId: 'Slack ID',
      name: 'Name',
      track: 'Track',
      level: 'Level',
      score: 'Score',
      rank: 'Rank',
      base: 'Base',
      performance: 'Performance',
      commission: 'Commission',
      award: 'Award',
      meal: 'Meal allowance',
      penalties: 'Penalties',
      total: 'Total',
      commissionForfeited: 'Commission forfeited',
      dismissalFlag: 'Flagged for dismissal',
      rotationFlag: 'Warehouse rotation',
    },
    track: { presales: 'pre-sales', aftersales: 'after-sales' },
    level: { trainee: 'trainee', regular: 'regular', senior: 'senior', lead: 'lead', supervisor: 'supervisor' },
    yes: 'yes',
    no: 'no',
  },
};

const yuan = (fen: number) => new Figure(fenToYuan(fen));

export function payrollFileName(month: string): string {
  return `payroll-${month}.csv`;
}

/** The payroll file's text (BOM, CRLF); write it as UTF-8. */
export function payrollFile(rows: readonly PayrollRow[], locale: Locale): string {
  const w = WORDS[locale];
  const flag = (on: boolean) => (on ? w.yes : w.no);
  return csvFile(
    COLUMNS.map((c) => w.columns[c]),
    rows.map((r) => {
      const p = r.payslip;
      const score = r.standing?.score;
      return [
        r.member.slackId,
        r.member.name,
        w.track[r.member.track],
        w.level[r.member.level],
        // hundredths are exact: "93.40", never "93.4"
        score ? new Figure(fenToYuan(score.scoreHundredths)) : null,
        score ? new Figure(String(score.rank)) : null,
        yuan(p.baseFen),
        yuan(p.performanceFen),
        yuan(p.commissionFen),
        yuan(p.awardFen),
        yuan(p.mealFen),
        yuan(-p.penaltyFen),
        yuan(p.totalFen),
        flag(r.penalties.commissionForfeited),
        flag(r.penalties.dismissalFlag),
        flag(r.standing?.award.rotationFlag ?? false),
      ];
    }),
  );
}
