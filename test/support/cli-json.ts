// What `tally <command> --json` prints: contracts (README, The CLI), so written out here rather than taken from src.
import type { KnownBlock, View } from '@slack/types';
import type { Level, Policy, Role, Track } from '../../src/core/policy.js';

/** `rank --json` */
export interface RankJson {
  period: string;
  rows: Array<{ slackId: string; name: string; track: Track; score: number; rank: number }>;
}

/** one row of `payroll --json`; money in integer fen */
export interface PayrollRowJson {
  slackId: string;
  name: string;
  baseFen: number;
  performanceFen: number;
  commissionFen: number;
  awardFen: number;
  mealFen: number;
  penaltyFen: number;
  totalFen: number;
  commissionForfeited: boolean;
  dismissalFlag: boolean;
  rotationFlag: boolean;
  track: Track;
  level: Level;
  /** null: no metrics in the month */
  score: number | null;
  rank: number | null;
  awardRank: number | null;
  streak: number;
}

/** `payroll --json` */
export interface PayrollJson {
  month: string;
  rows: PayrollRowJson[];
  closed: boolean;
}

/** one member of `roster list --json`; also `roster activate|deactivate --json` */
export interface MemberJson {
  id: number;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  role: Role;
  hiredOn: string;
  active: boolean;
  /** the shop sub-account the platform's reports name them by */
  platformAccount: string | null;
}

/** `roster list --json` */
export interface RosterListJson {
  members: MemberJson[];
}

/** `roster import --json` */
export interface RosterImportJson {
  added: number;
  updated: number;
  unchanged: number;
  /** in the file but deactivated */
  inactive: string[];
}

/** `metrics import --json` */
export interface MetricsImportJson {
  rows: number;
  members: number;
  from: string | null;
  to: string | null;
  batchId: number;
  /** member-days new to Tally, and those the file replaced */
  added: number;
  replaced: number;
}

/** one penalty, as `penalty list --json` shows it */
export interface PenaltyJson {
  id: number;
  slackId: string;
  name: string;
  ruleCode: string | null;
  ruleLabel: { zh: string; en: string } | null;
  reason: string;
  amountFen: number;
  lossFen: number;
  points: number;
  occurredOn: string;
  recordedBy: string;
  recordedAt: string;
  status: 'active' | 'revoked';
  revokedBy: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
}

export type EscalationAction = 'forfeit_commission' | 'dismissal';

/** `penalty add --json` */
export interface PenaltyAddJson extends PenaltyJson {
  monthCount: number;
  triggered: Array<{ fromCount: number; action: EscalationAction }>;
}

/** `penalty revoke --json` */
export interface PenaltyRevokeJson extends PenaltyJson {
  closedAppealId: number | null;
}

/** what became of a penalty's appeal, in `penalty list --json` (named by the penalty's id) */
export interface PenaltyAppealJson {
  status: 'pending' | 'accepted' | 'rejected' | 'closed';
  filedAt: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  decision: string | null;
}

/** `penalty list --json`; `appeal`: null when the penalty was never appealed */
export interface PenaltyListJson {
  penalties: Array<PenaltyJson & { appeal: PenaltyAppealJson | null }>;
}

/** `roster set --json` */
export interface RosterSetJson {
  slackId: string;
  name: string;
  from: string;
  track: Track;
  level: Level;
  role: Role;
  by: string;
}

/** `score --json` */
export interface ScoreJson {
  period: string;
  slackId: string;
  name: string;
  track: Track;
  level: Level;
  /** null: no metrics in the period, not scored */
  score: number | null;
  rank: number | null;
  ranked: number;
  kpiPoints: number;
  penaltyPoints: number;
  kpis: Array<{
    key: string;
    label: { zh: string; en: string };
    weight: number;
    cap: number;
    actual: number | null;
    target: number | null;
    ratio: number | null;
    points: number;
  }>;
  penalties: {
    count: number;
    moneyFen: number;
    points: number;
    commissionForfeited: boolean;
    dismissalFlag: boolean;
    escalations: Array<{ ruleCode: string; count: number; action: EscalationAction }>;
    items: PenaltyJson[];
  };
  /** a month's award; null for a day or when not scored */
  award: {
    memberId: number;
    awardRank: number | null;
    streak: number;
    awardFen: number;
    lastPlace: boolean;
    rotationFlag: boolean;
  } | null;
  /** a month's payslip; null for a day */
  payslip: {
    baseFen: number;
    performanceFen: number;
    commissionFen: number;
    awardFen: number;
    mealFen: number;
    penaltyFen: number;
    totalFen: number;
    uncappedFen: number;
  } | null;
}

/** `demo --json` */
export interface DemoJson {
  roster: RosterImportJson;
  metrics: MetricsImportJson;
}

/** `month close --json`; `correction` when a month posted before was closed again */
export interface MonthCloseJson {
  month: string;
  closed: true;
  members: number;
  correction?: string;
  /** a correction: messages queued, and what changed since the month was posted */
  enqueued?: number;
  corrections?: number;
  corrected?: CorrectedJson;
}

/** what a correction sent again: the Slack ids sent a corrected payslip, the channel's results, the payroll file */
export interface CorrectedJson {
  payslips: string[];
  channel: boolean;
  payrollFile: boolean;
}

/** one month of `month list --json`: times in the team's time zone with their offset */
export interface MonthStateJson {
  month: string;
  state: 'open' | 'closed' | 'reopened';
  /** the last close (a reopened month keeps it); null while never closed */
  closedAt: string | null;
  /** a Slack id, `schedule`, `cli` (or `console`: the local console froze it at start) */
  closedBy: string | null;
  /** a monthly run published its results */
  posted: boolean;
  /** an open month: the day it closes */
  closesOn: string | null;
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenWhy: string | null;
}

/** `month list --json`: newest first */
export interface MonthListJson {
  months: MonthStateJson[];
}

/** `month reopen --json` */
export interface MonthReopenJson {
  month: string;
  closed: false;
}

/** `jobs send --json`, and `sent` of `jobs run --send --json` */
export interface SendJson {
  sent: number;
  retrying: number;
  failed: number;
}

/** `jobs run --json` */
export interface JobRunJson {
  job: 'daily' | 'provisional' | 'monthly';
  period: string;
  status: 'done' | 'skipped';
  reason?: string;
  enqueued: number;
  late: boolean;
  correction: boolean;
  /** a correction: how many corrected payslips, and what changed since the month was posted */
  corrections?: number;
  corrected?: CorrectedJson;
  sent?: SendJson;
  /** with --out: the directory and the files written into it */
  out?: { dir: string; files: string[] };
}

/** `chart --json` */
export interface ChartJson {
  month: string;
  dir: string;
  files: string[];
  provisional: boolean;
}

/** `jobs list --json` */
export interface JobsListJson {
  runs: Array<{
    id: number;
    job: string;
    period: string;
    status: string;
    late: boolean;
    attempts: number;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
    messages: { sent: number; pending: number; failed: number };
  }>;
  /** the open months (with data, and this month), oldest first: when the 1st posts their provisional standings and when they close */
  closing: Array<{ month: string; provisionalAt: string | null; closesAt: string; due: boolean }>;
}

/** `jobs retry --json` */
export interface RetryJson {
  requeued: number;
}

/** `policy show --json`: the policy document alone */
export type PolicyShowJson = Policy;

/** `policy set --json` */
export interface PolicySetJson {
  effectiveFrom: string;
  policy: Policy;
}

interface SlackMsgJson {
  text: string;
  blocks: KnownBlock[];
}

/** `say --json`: the effects as Slack Block Kit JSON, or `{ text }` for a command with none */
export interface SayJson {
  reply?: SlackMsgJson;
  dms?: Array<{ to: string; msg: SlackMsgJson }>;
  modal?: View;
  text?: string;
}
