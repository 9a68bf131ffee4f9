// A refusal the user can act on: a stable code and the facts as typed params, never a sentence.
// Each adapter says it in its own words: Slack per team language (src/slack/text/), the CLI in
// English that may name its flags (src/cli/text.ts). Nothing was written.
import type { Level, Role } from './core/policy.js';
import type { OverAction } from './core/standing.js';

/** What only a lead, supervisor or admin may do. */
export type StaffAction =
  | 'record_penalties'
  | 'revoke_penalties'
  | 'decide_appeals'
  | 'see_others_scores'
  | 'see_others_penalties'
  | 'import_files'
  | 'decide_promotions'
  | 'change_roster'
  | 'close_month';

/** What only an admin may do. */
export type AdminAction = 'reopen_month' | 'set_policy' | 'drop_policy' | 'correct_hire_date';

/** Where a refusal about a roster file's row points, when it came from one. */
type MaybeCell = Partial<CsvCell>;

/** Why someone is not a candidate of a month's review (see src/core/promotions.ts). */
export type NotCandidate = 'no_path' | 'time' | 'months' | 'average' | 'dismissal';

/** A write refused because its month is closed, and what it was. */
export type ClosedWrite =
  | { write: 'penalty'; on: string }
  | { write: 'revoke'; id: number }
  | { write: 'accept_appeal'; id: number }
  | { write: 'metrics'; file: string }
  /** a track, level or role change in force from `from` */
  | { write: 'assignment'; slackId: string; from: string }
  /** a hire-date correction from `hiredOn` to `value` */
  | { write: 'hire_date'; slackId: string; value: string };

/**
 * Which bound a file passed: what its workbook unpacks to (all, one part, or per packed byte), its
 * parts, rows, cells, columns or the length of a line; or the memory reading it took.
 */
export type FileLimit = 'unpacked' | 'part' | 'ratio' | 'parts' | 'rows' | 'cells' | 'columns' | 'line' | 'memory';

/** Where in an imported file: `column` is the header as the file wrote it (`日期` or `date`). */
export interface CsvCell {
  file: string;
  /** the line of a CSV, or the row of a workbook's sheet */
  line: number;
  column: string;
  /** a workbook's sheet: then `line` is its row */
  sheet?: string;
}

type None = Record<never, never>;

/** Someone a refusal offers as the person meant: their name and Slack id. */
export interface PersonNamed {
  slackId: string;
  name: string;
}

/** Every refusal Tally has, with its params. A code added here without words in each table fails to compile. */
export interface ErrorParams {
  // who may do what
  not_on_roster: { slackId: string };
  inactive_member: { slackId: string; name: string };
  staff_only: { action: StaffAction; slackId?: string; name?: string; role?: Role };
  admin_only: { action: AdminAction; name?: string; role?: Role };
  /** acting on someone needs a role above theirs; `may`: the roles that may (empty: nobody) */
  outranked: { action: OverAction; slackId: string; name: string; role: Role; may: Role[] } & MaybeCell;
  /** giving a role, or a level that stands with one, needs a role above it (an admin gives any) */
  cannot_give: { what: 'role' | 'level'; value: Role | Level; may: Role[] } & MaybeCell;
  /** nobody changes their own track, level, role, activity or hire date */
  self_change: { what: 'assignment' | 'active' | 'hire_date' } & MaybeCell;
  already_active: { slackId: string; name: string };
  already_inactive: { slackId: string; name: string };
  // people over time (assignment history)
  unknown_track: { value: string; tracks: string };
  unknown_level: { value: string; levels: string };
  unknown_role: { value: string; roles: string };
  /** roster set without --track, --level or --role (or --hired-on) */
  assignment_empty: None;
  /** the change would leave the member as they already are from that day */
  assignment_unchanged: { slackId: string; name: string; from: string };
  /** a hire date given to roster set without --correct */
  hire_date_needs_correct: { slackId: string; name: string; hiredOn: string; value: string };
  hire_date_same: { slackId: string; name: string; hiredOn: string };
  /** the corrected hire date would fall after a later change of track, level or role */
  hire_date_after_change: { slackId: string; name: string; value: string; from: string };
  /** the corrected hire date would fall after the member's first metrics */
  hire_date_after_metrics: { slackId: string; name: string; value: string; day: string };
  /** the change would leave no active lead, supervisor or admin: nobody could decide appeals or get the payroll file */
  last_decider: { slackId: string; name: string; role: Role; change: 'deactivate' | 'demote' };
  // days, months and periods
  bad_date: { value: string; field?: 'on' | 'from' };
  bad_month: { value: string };
  ambiguous_date: { value: string };
  future_date: { value: string; today: string; field?: 'period' };
  future_month: { value: string; month: string };
  several_dates: { first: string; second: string };
  period_both: None;
  period_missing: None;
  bad_daily_period: { value: string };
  bad_monthly_period: { value: string };
  /** `due` is HH:MM on the day itself, else YYYY-MM-DD HH:MM; `now` is HH:MM */
  too_early: { day: string; due: string; now: string };
  // closing months
  month_closed: { month: string } & ClosedWrite;
  month_already_closed: { month: string };
  month_not_over: { month: string; today: string };
  month_open: { month: string };
  month_kept_changing: { month: string };
  missing_reopen_reason: None;
  // penalties
  self_penalty: None;
  before_hire: { value: string; slackId: string; name: string; hiredOn: string };
  bad_amount: { name: 'amount' | 'loss'; value?: string };
  zero_amount: None;
  amount_too_large: { amountFen: number; maxFen: number; name?: 'amount' | 'loss' };
  missing_reason: None;
  reason_too_long: { length: number; max: number; text: 'reason' | 'comment' };
  ambiguous_rule: { text: string; codes: string };
  unknown_rule: { rule: string; codes: string };
  free_reason_needs_amount: { reason: string; codes: string };
  pick_rule_or_amount: None;
  loss_on_free_reason: None;
  loss_not_allowed: { rule: string };
  loss_required: { rule: string; amountFen: number };
  rule_has_amount: { rule: string; amountFen: number };
  missing_mention: None;
  /**
   * a plain `@name` (not a Slack mention), or a name on the command line, that names nobody on the
   * roster; `near`: the roster's names close to it; `field`: the CLI option it was given to (`by`)
   */
  unknown_person: { name: string; near?: PersonNamed[]; field?: string };
  /** a plain `@name`, or a name on the command line, that several people on the roster have; `matches`: all of them */
  ambiguous_person: { name: string; count: number; matches?: PersonNamed[]; field?: string };
  /** words a command does not take, refused rather than ignored */
  unexpected_words: { command: 'myscore' | 'leaderboard' | 'penalty_list'; words: string };
  /** the leaderboard shows tracks, not a person */
  leaderboard_person: None;
  several_mentions: None;
  mention_channel: None;
  mention_group: None;
  several_amounts: { name: 'amount' | 'loss'; first: string; second: string };
  command_too_long: { length: number; max: number };
  no_such_penalty: { id: number | string };
  already_revoked: { id: number; by?: string; byName?: string; on?: string; why?: string };
  self_revoke: None;
  missing_revoke_reason: None;
  no_such_page: { page: string; pages: number };
  // appeals and forms
  missing_comment: { for: 'appeal' | 'decision' };
  already_appealed: { id: number; status: string };
  no_penalty_of_yours: { id: number };
  /** the penalty's id: an appeal is named by the penalty it is about */
  already_decided: { id: number };
  appeal_penalty_revoked: { id: number; by: string; byName: string };
  no_such_appeal: { id: number };
  not_deciding_lead: { id: number };
  self_decide: None;
  stale_form: None;
  draft_used: None;
  draft_gone: None;
  /** a file dropped into Tally's DMs that is not a table Tally reads */
  upload_not_a_table: { file: string };
  upload_too_large: { file: string; maxMb: number };
  /** its header is neither a roster's nor a metrics file's */
  upload_unknown_kind: { file: string };
  /** an Import or Cancel for a preview that was cancelled, is someone else's, or is too old */
  upload_gone: None;
  /** Slack did not hand over the file */
  upload_download_failed: { file: string };
  // promotions and probation
  not_a_candidate: {
    slackId: string;
    name: string;
    month: string;
    why: NotCandidate;
    level: Level;
    to?: Level;
    /** why = time: the first day the time at level is met */
    metOn?: string;
  };
  probation_not_over: { slackId: string; name: string; ends: string };
  promotion_decided: { slackId: string; name: string; month: string; decision: 'approved' | 'declined'; by: string };
  self_promotion: None;
  missing_decline_reason: None;
  // the policy
  policy_field: { path: string; problem: string };
  policy_not_object: None;
  /** `__proto__` as a key anywhere in a policy document (JavaScript would read it as no key at all) */
  policy_reserved_key: { path: string; key: string };
  policy_too_many_rules: { active: number; max: number };
  policy_backdated: { from: string; today: string };
  /** a version already starts on that day: replacing it needs the confirmation (--replace) */
  policy_version_exists: { from: string; setBy: string; setAt: string };
  no_policy_version: { from: string; versions: string };
  /** only a version that has not started yet may be dropped */
  policy_version_started: { from: string; today: string };
  /** the team's first version is what every later one was set on */
  policy_version_first: { from: string };
  // imports
  busy_conflicts: { file: string; kind: 'roster' | 'metrics' };
  csv_invalid: { file: string; sheet?: string; line?: number; problem: string };
  csv_empty: { file: string; sheet?: string };
  /** a header and no row under it */
  csv_no_rows: { file: string; sheet?: string };
  csv_unknown_column: {
    file: string;
    sheet?: string;
    line: number;
    position: number;
    header: string;
    expected: string;
  };
  csv_repeated_column: CsvCell;
  csv_missing_column: { file: string; sheet?: string; line: number; columns: string };
  /** a column a KPI of the policy weighs is not in the file: importing it would blank that KPI's data */
  csv_missing_weighed_column: { file: string; sheet?: string; column: string; kpi: string; track: string };
  /** not text and not a workbook; `old_excel` is Excel's .xls, `workbook` an .xlsx where text was needed */
  file_binary: { file: string; kind: 'binary' | 'old_excel' | 'workbook' };
  /** past the part looked at, a byte that is not UTF-8 */
  file_not_utf8: { file: string; line: number };
  file_not_workbook: { file: string; sheet: string };
  xlsx_invalid: { file: string; problem: string };
  xlsx_no_sheet: { file: string; sheet: string; sheets: string };
  /** reading it would take more than any file may (src/import/table.ts FileLimits); `max` in MB for sizes */
  file_too_big: { file: string; sheet?: string; line?: number; limit: FileLimit; max: number; part?: string };
  /** `max` files are being read already (each in a thread of its own): this one is not queued */
  files_busy: { file: string; max: number };
  csv_bad_date: CsvCell & { value: string };
  csv_ambiguous_date: CsvCell & { value: string };
  csv_future_date: CsvCell & { value: string; today: string };
  csv_before_hire: CsvCell & { value: string; slackId: string; hiredOn: string };
  /** a row in a month the member was away all through (deactivated on `since`, not back in it) */
  csv_member_away: CsvCell & { value: string; slackId: string; month: string; since: string };
  csv_not_on_roster: CsvCell & { slackId: string };
  csv_missing_slack_id: CsvCell;
  csv_missing_platform_account: CsvCell;
  csv_unknown_platform_account: CsvCell & { account: string };
  csv_repeated_platform_account: CsvCell & { account: string; firstLine: number };
  csv_platform_account_taken: CsvCell & { account: string; slackId: string };
  csv_repeated_day: CsvCell & { slackId: string; day: string; firstLine: number };
  csv_not_count: CsvCell & { value: string };
  csv_count_too_large: CsvCell & { value: string; max: number };
  csv_negative: CsvCell & { value: string };
  csv_too_many_decimals: CsvCell & { value: string };
  csv_not_yuan: CsvCell & { value: string };
  csv_gmv_too_large: CsvCell & { value: string };
  csv_not_number: CsvCell & { value: string };
  csv_out_of_range: CsvCell & { value: string; max: number };
  csv_paid_over_inquiries: CsvCell & { paid: number; inquiries: number };
  csv_resolved_over_cases: CsvCell & { resolved: number; cases: number };
  csv_not_slack_id: CsvCell & { value: string };
  csv_repeated_member: CsvCell & { slackId: string; firstLine: number };
  csv_bad_name: CsvCell;
  /** a name holding a control character (a line break inside the cell, a vertical tab): `char` as U+000B */
  csv_name_control: CsvCell & { char: string };
  csv_bad_track: CsvCell & { value: string };
  csv_bad_level: CsvCell & { value: string; levels: string };
  csv_bad_role: CsvCell & { value: string; roles: string };
  /** an existing member's row with another hire date: a different person, or a correction for roster set */
  csv_hire_date_changed: CsvCell & { slackId: string; name: string; hiredOn: string; value: string };
}

export type ErrorCode = keyof ErrorParams;

/** Words for every code: each Slack locale and the CLI have one, so a missing code fails to compile. */
export type ErrorTexts = { [K in ErrorCode]: (p: ErrorParams[K]) => string };

export class TallyError<K extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: K,
    readonly params: ErrorParams[K],
  ) {
    // for logs and stored run errors only: people read the adapters' words
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'TallyError';
  }
}

export function isTallyError(e: unknown): e is TallyError {
  return e instanceof TallyError;
}

/** A refusal in a table's words; `prepare` may change the params first (Slack escapes what people typed). */
export function sayError<K extends ErrorCode>(
  table: ErrorTexts,
  e: TallyError<K>,
  prepare: (p: ErrorParams[K]) => ErrorParams[K] = (p) => p,
): string {
  const say: (p: ErrorParams[K]) => string = table[e.code];
  return say(prepare(e.params));
}
