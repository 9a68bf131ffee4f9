// The CLI's words for Tally's refusals and start-up errors: English for the operator, and they may
// name the CLI's flags (--amount, --why, tally month reopen). Scripts read these lines: keep them.
import { ConfigError, type ConfigCode, type ConfigParams } from '../config.js';
import { formatFen } from '../core/money.js';
import { LEVEL_ZH, LEVELS, ROLE_ZH, ROLES, type Role } from '../core/policy.js';
import type { OverAction } from '../core/standing.js';
import {
  isTallyError,
  sayError,
  type AdminAction,
  type ClosedWrite,
  type CsvCell,
  type ErrorParams,
  type ErrorTexts,
  type NotCandidate,
  type PersonNamed,
  type StaffAction,
} from '../errors.js';
import type { DatabaseNotice, Fault, FaultKind } from '../faults.js';

/** A refusal in the CLI's own words (its arguments, files and settings), already a sentence. */
export class CliRefusal extends Error {
  override name = 'CliRefusal';
  /** `details`: lines printed under it, indented (a file's problems, one a line) */
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Writing the command's output failed (`cause`): what was written of it is incomplete. */
export class OutputFailed extends Error {
  override name = 'OutputFailed';
}

/** 郑组长 (U0LEAD001) */
const person = (p: PersonNamed) => `${p.name} (${p.slackId})`;

/** `a`, `a or b`, `a, b or c` */
const orList = (items: string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : (items[0] ?? '');

/** `a, b or c (甲/乙/丙)`: the words a roster file may use, as the track's refusal lists 售前/售后 */
function fileWords<T extends string>(codes: readonly T[], zh: Readonly<Record<T, string>>): string {
  const english = `${codes.slice(0, -1).join(', ')} or ${codes.at(-1)}`;
  return `${english} (${codes.map((c) => zh[c]).join('/')})`;
}
const FILE_LEVELS = fileWords(LEVELS, LEVEL_ZH);
const FILE_ROLES = fileWords(ROLES, ROLE_ZH);

/** `1 row`, `2 rows` */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const ACTIONS: Record<StaffAction, string> = {
  record_penalties: 'record penalties',
  revoke_penalties: 'revoke penalties',
  decide_appeals: 'decide appeals',
  see_others_scores: "see someone else's score",
  see_others_penalties: "see other people's penalties",
  import_files: 'import files',
  decide_promotions: 'decide promotions',
  change_roster: 'change the roster',
  close_month: 'close a month by hand',
};

const ADMIN_ACTIONS: Record<AdminAction, string> = {
  reopen_month: 'reopen a month',
  set_policy: 'change the policy',
  drop_policy: 'drop a policy version',
  correct_hire_date: 'correct a hire date',
};

const OVER_ACTIONS: Record<OverAction, string> = {
  penalise: 'penalise them',
  revoke: 'revoke their penalties',
  decide_appeal: 'decide their appeal',
  decide_promotion: 'decide their promotion',
  change: 'change their track, level, role or activity',
};

const NOT_CANDIDATE: Record<NotCandidate, (p: { level: string; to?: string; metOn?: string }) => string> = {
  no_path: (p) => `the policy has no promotion path out of ${p.level} (people.promotions)`,
  time: (p) => `the time as ${p.level} is met only on ${p.metOn}`,
  months: () => 'too few scored months in the review window (people.minScoredMonths)',
  average: () => 'the average score is below people.minAverageScore',
  dismissal: () => 'flagged for dismissal in the review window',
};

const CLOSED_WRITES: { [W in ClosedWrite['write']]: (w: Extract<ClosedWrite, { write: W }>) => string } = {
  penalty: (w) => `a penalty dated ${w.on}`,
  revoke: (w) => `revoking penalty #${w.id}`,
  accept_appeal: (w) => `accepting appeal #${w.id}`,
  metrics: (w) => `${w.file}: importing metrics`,
  assignment: (w) => `a change for ${w.slackId} from ${w.from}`,
  hire_date: (w) => `moving ${w.slackId}'s hire date to ${w.value}`,
};

function closedWrite(w: ClosedWrite): string {
  const say = CLOSED_WRITES[w.write] as (w: ClosedWrite) => string;
  return say(w);
}

const USAGE = {
  myscore: '/myscore [today|month|YYYY-MM|YYYY-MM-DD] [@person]',
  leaderboard: '/leaderboard [today|month|YYYY-MM] [presales|aftersales]',
  penalty_list: '/penalty list [@person] [YYYY-MM]',
} as const;

const an = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** `file line 3` of a CSV, `file, sheet 业绩, row 3` of a workbook */
const place = (c: { file: string; sheet?: string; line?: number }) =>
  c.sheet === undefined
    ? `${c.file}${c.line === undefined ? '' : ` line ${c.line}`}`
    : `${c.file}, sheet ${c.sheet}${c.line === undefined ? '' : `, row ${c.line}`}`;
/** `file line 3, column 日期: ...`: the column as the file wrote it */
const at = (c: CsvCell, what: string) => `${place(c)}, column ${c.column}: ${what}`;
/** a file past a bound on the work of reading it (src/import/table.ts FileLimits) */
const tooBig = (p: ErrorParams['file_too_big']): string => {
  const n = p.max.toLocaleString('en-US');
  const redo = 'save it as CSV, or split it';
  switch (p.limit) {
    case 'unpacked':
      return `${p.file}: the workbook unpacks to more than ${n} MB; nothing was read (${redo})`;
    case 'part':
      return `${p.file}: its part ${p.part} unpacks to more than ${n} MB; nothing was read (${redo})`;
    case 'ratio':
      return `${p.file}: its part ${p.part} unpacks to more than ${n} times its packed size, as no spreadsheet does; nothing was read`;
    case 'parts':
      return `${p.file}: the workbook has more than ${n} parts; nothing was read`;
    case 'memory':
      return `${p.file}: reading it took more than ${n} MB of memory; nothing was written (${redo})`;
    case 'line':
      return `${place(p)}: a line longer than ${n} characters; nothing was written`;
    default:
      return `${place(p)}: more than ${n} ${p.limit}; nothing was written (${redo})`;
  }
};
/** a refusal about a roster file's row names the row; the same refusal from a command does not */
const maybeAt = (c: Partial<CsvCell>, what: string) =>
  c.file !== undefined && c.line !== undefined && c.column !== undefined ? at(c as CsvCell, what) : what;
/** a supervisor or admin; a lead, supervisor or admin; an admin */
const anyOf = (roles: readonly Role[]) => an(roles.join(', ').replace(/, (?=[^,]*$)/, ' or '));

export const cliErrors: ErrorTexts = {
  not_on_roster: (p) => `${p.slackId} is not on the roster`,
  inactive_member: (p) => `${p.name} (${p.slackId}) is no longer active on the roster`,
  staff_only: (p) =>
    p.name && p.role
      ? `${p.name} (${p.slackId}) is ${an(p.role)}; only a lead, supervisor or admin may ${ACTIONS[p.action]}`
      : `only leads, supervisors and admins may ${ACTIONS[p.action]}`,
  admin_only: (p) =>
    p.name && p.role
      ? `${p.name} is ${an(p.role)}; only an admin may ${ADMIN_ACTIONS[p.action]}`
      : `only an admin may ${ADMIN_ACTIONS[p.action]}`,
  outranked: (p) =>
    maybeAt(
      p,
      `${p.name} (${p.slackId}) is ${an(p.role)}: ${p.may.length ? `only ${anyOf(p.may)} may` : 'nobody may'} ${OVER_ACTIONS[p.action]}`,
    ),
  cannot_give: (p) =>
    maybeAt(
      p,
      p.what === 'role'
        ? `only ${anyOf(p.may)} may make someone ${an(p.value)}`
        : `only ${anyOf(p.may)} may give someone the level ${p.value}`,
    ),
  self_change: (p) =>
    maybeAt(
      p,
      p.what === 'assignment'
        ? 'nobody changes their own track, level or role; someone above them does'
        : p.what === 'active'
          ? 'nobody deactivates or reactivates themselves; someone above them does'
          : 'nobody corrects their own hire date; another admin does',
    ),
  already_active: (p) => `${p.name} (${p.slackId}) is already active`,
  already_inactive: (p) => `${p.name} (${p.slackId}) is already deactivated`,
  unknown_track: (p) => `"${p.value}" is not a track; use ${p.tracks}`,
  unknown_level: (p) => `"${p.value}" is not a level; use ${p.levels}`,
  unknown_role: (p) => `"${p.value}" is not a role; use ${p.roles}`,
  assignment_empty: () => 'say what changes: --track, --level or --role (or --hired-on ... --correct)',
  assignment_unchanged: (p) =>
    `${p.name} (${p.slackId}) already has that track, level and role from ${p.from}; nothing changed`,
  hire_date_needs_correct: (p) =>
    `${p.name} (${p.slackId}) was hired on ${p.hiredOn}; changing it to ${p.value} is a correction: add --correct`,
  hire_date_same: (p) => `${p.name} (${p.slackId}) was already hired on ${p.hiredOn}`,
  hire_date_after_change: (p) =>
    `${p.value} is after ${p.name} (${p.slackId}) changed track, level or role on ${p.from}; a hire date comes first`,
  hire_date_after_metrics: (p) =>
    `${p.value} is after ${p.name} (${p.slackId})'s metrics of ${p.day}; a hire date comes first`,
  last_decider: (p) =>
    `${p.name} (${p.slackId}) is the team's last active lead, supervisor or admin: ${p.change === 'deactivate' ? 'deactivating' : 'demoting'} them would leave nobody to decide appeals or receive the payroll file; make someone else a lead first (nothing was changed)`,
  bad_date: (p) =>
    p.field
      ? `--${p.field} ${p.value}: not a date that exists (YYYY-MM-DD)`
      : `"${p.value}" is not a date that exists (YYYY-MM-DD)`,
  bad_month: (p) => `"${p.value}" is not a month (YYYY-MM)`,
  ambiguous_date: (p) => `"${p.value}" could be day-first or month-first; write the year first, like 2026-11-05`,
  future_date: (p) => `${p.field ? `--${p.field} ` : ''}${p.value} is in the future (today is ${p.today})`,
  future_month: (p) => `${p.value} has not begun (this month is ${p.month})`,
  several_dates: (p) => `give one date: "${p.first}" and "${p.second}" are two`,
  period_both: () => 'give --day or --month, not both',
  period_missing: () => 'say which period: --day YYYY-MM-DD or --month YYYY-MM',
  bad_daily_period: (p) => `--period "${p.value}": a daily run is for a day (YYYY-MM-DD)`,
  bad_monthly_period: (p) => `--period "${p.value}": a monthly run is for a month (YYYY-MM)`,
  too_early: (p) =>
    `the daily post of ${p.day} is due at ${p.due} (it is ${p.now}); run it now with --force, and the scheduled run will be skipped`,
  month_closed: (p) =>
    `${p.month} is closed: ${closedWrite(p)} is refused; an admin can reopen it (tally month reopen ${p.month} --why ...)`,
  month_already_closed: (p) => `${p.month} is already closed`,
  month_not_over: (p) => `${p.month} is not over yet (today is ${p.today})`,
  month_open: (p) => `${p.month} is not closed`,
  month_kept_changing: (p) => `${p.month} kept changing while it was being closed; try again in a minute`,
  missing_reopen_reason: () => 'say why the month is reopened (--why ...)',
  self_penalty: () => 'nobody may penalise themselves; ask another lead or a supervisor',
  before_hire: (p) => `${p.value} is before ${p.name} was hired (${p.hiredOn})`,
  bad_amount: (p) =>
    p.value === undefined
      ? `${p.name} must be an amount of ¥0 or more`
      : `${p.name} "${p.value}": write an amount like ¥50 or ¥35.50`,
  zero_amount: () => 'a free-reason penalty needs an amount above ¥0',
  amount_too_large: (p) =>
    `${p.name ? `${p.name} ` : ''}${formatFen(p.amountFen)} is over the ${formatFen(p.maxFen)} limit for one penalty`,
  missing_reason: () => 'say which rule was broken or give a reason',
  reason_too_long: (p) => `the ${p.text} is ${p.length} characters; at most ${p.max}`,
  ambiguous_rule: (p) => `"${p.text}" matches several rules: ${p.codes}; use the rule code`,
  unknown_rule: (p) => `unknown rule "${p.rule}"; rules: ${p.codes} (or a free reason with an amount)`,
  free_reason_needs_amount: (p) =>
    `"${truncate(p.reason, 40)}" is not a rule, so it needs an amount (--amount 50, or ¥50 in Slack); rules: ${p.codes}`,
  pick_rule_or_amount: () => 'pick a rule or give an amount',
  loss_on_free_reason: () =>
    'a loss is only added to rules that carry one (order_change_missed); put the whole amount in --amount',
  loss_not_allowed: (p) => `${p.rule} does not add a loss`,
  loss_required: (p) =>
    `${p.rule} adds the customer's loss to ${formatFen(p.amountFen)}: give the loss (--loss 35.50, or "loss ¥35.50" in Slack; 0 if there was none)`,
  rule_has_amount: (p) =>
    `${p.rule} costs ${formatFen(p.amountFen)} by the rulebook; the amount is not yours to change (a different amount needs a free reason)`,
  missing_mention: () => 'say who: /penalty @agent rule or reason',
  unknown_person: (p) =>
    `${p.field ? `--${p.field} "${p.name}": nobody on the roster is called that` : `nobody on the roster is called ${p.name}`}${p.near?.length ? `; did you mean ${orList(p.near.map(person))}?` : ''}`,
  ambiguous_person: (p) =>
    `${p.field ? `--${p.field} "${p.name}": ${p.count} people on the roster are called that` : `${p.count} people on the roster are called ${p.name}`}${p.matches?.length ? `: ${p.matches.map(person).join(', ')}` : ''}; name one by their Slack id`,
  unexpected_words: (p) => `"${p.words}" is not understood here: ${USAGE[p.command]}`,
  leaderboard_person: () => "the leaderboard shows whole tracks; for one person's score: /myscore @name",
  several_mentions: () => 'one penalty is for one person: mention only one',
  mention_channel: () => 'that is a channel; mention one person, like @bob',
  mention_group: () => 'mention one person, not a group',
  several_amounts: (p) => `give one ${p.name}: "${p.first}" and "${p.second}" are two`,
  command_too_long: (p) => `the command is ${p.length} characters long; at most ${p.max}`,
  no_such_penalty: (p) => `there is no penalty #${p.id}`,
  already_revoked: (p) =>
    p.byName
      ? `penalty #${p.id} was already revoked by ${p.byName} on ${p.on}: ${p.why}`
      : `penalty #${p.id} is already revoked`,
  self_revoke: () => 'nobody may revoke their own penalty; ask another lead or a supervisor',
  missing_revoke_reason: () => 'say why the penalty is revoked',
  no_such_page: (p) => `there is no page "${p.page}" of the rules: pages 1 to ${p.pages}`,
  missing_comment: (p) => `${p.for === 'appeal' ? 'an appeal' : 'a decision'} needs a comment`,
  already_appealed: (p) => `you already appealed penalty #${p.id} (${p.status})`,
  no_penalty_of_yours: (p) => `there is no penalty #${p.id} of yours`,
  already_decided: (p) => `the appeal of penalty #${p.id} was already decided`,
  appeal_penalty_revoked: (p) => `penalty #${p.id} was already revoked by ${p.byName}, so its appeal is closed`,
  no_such_appeal: (p) => `penalty #${p.id} has no appeal`,
  not_deciding_lead: () => 'only the lead who recorded the penalty, a supervisor or an admin may decide this appeal',
  self_decide: () => 'nobody decides their own appeal',
  not_a_candidate: (p) =>
    `${p.slackId} (${p.name}) is not a promotion candidate in ${p.month}: ${NOT_CANDIDATE[p.why](p)}`,
  probation_not_over: (p) => `${p.slackId} (${p.name}) is on probation until ${p.ends}`,
  promotion_decided: (p) =>
    `${p.slackId} (${p.name}): the ${p.month} decision was already taken (${p.decision} by ${p.by})`,
  self_promotion: () => 'nobody decides their own promotion',
  missing_decline_reason: () => 'say why the promotion is declined (--why ...)',
  stale_form: () => 'this button or form is out of date or damaged; open it again from the message',
  draft_used: () => 'this penalty was recorded already',
  draft_gone: () => 'this rule picker is no longer valid: type /penalty again',
  upload_not_a_table: (p) => `${p.file}: not a .csv file`,
  upload_too_large: (p) => `${p.file}: larger than ${p.maxMb} MB`,
  upload_unknown_kind: (p) => `${p.file}: the header is neither a roster's nor a metrics file's`,
  upload_gone: () => 'this upload is no longer waiting to be imported',
  upload_download_failed: (p) => `${p.file}: could not be downloaded from Slack`,
  policy_field: (p) => `policy: ${p.path}: ${p.problem}`,
  policy_not_object: () => 'policy: (root): a policy file is a JSON object',
  policy_reserved_key: (p) => `policy: ${p.path}: "${p.key}" is a reserved word and cannot be a name in a policy`,
  policy_too_many_rules: (p) =>
    `policy: penalties.rules: ${p.active} active rules, at most ${p.max} (retire old ones with "retired": true)`,
  policy_backdated: (p) =>
    `--from ${p.from} is before today (${p.today}): it would rescore past periods; pass --backdate if that is what you mean`,
  policy_version_exists: (p) =>
    `policy: a version from ${p.from} is already set (by ${p.setBy}, ${p.setAt}); pass --replace to replace it`,
  no_policy_version: (p) =>
    `policy: no version starts on ${p.from} (${p.versions ? `the versions start on ${p.versions}` : 'no version was ever set'}; see tally policy versions)`,
  policy_version_started: (p) =>
    `policy: the version from ${p.from} has started (today is ${p.today}); only a version that has not started yet can be dropped: set a new version to change it`,
  policy_version_first: (p) =>
    `policy: the version from ${p.from} is the team's first; it cannot be dropped (set a new version to change it)`,
  busy_conflicts: (p) =>
    `${p.file}: ${p.kind === 'roster' ? 'importing the roster' : 'importing metrics'}: the database kept refusing it for conflicting writes (deadlock); nothing was written, try again`,
  csv_invalid: (p) =>
    p.sheet === undefined
      ? `${p.file} line ${p.line ?? '?'}: not valid CSV (${p.problem})`
      : `${place(p)}: ${p.problem}`,
  csv_empty: (p) =>
    p.sheet === undefined
      ? `${p.file}: the file is empty; the first line must name the columns`
      : `${place(p)}: the sheet is empty; its first row must name the columns`,
  csv_no_rows: (p) => `${place(p)}: no rows: there is a header and nothing under it`,
  csv_unknown_column: (p) =>
    `${place(p)}, column ${p.position}: unknown column "${p.header}"; expected ${p.expected} (a team reading its platform's report maps its headers in the policy: import.columns)`,
  csv_repeated_column: (p) => `${place(p)}: column ${p.column} appears twice`,
  csv_missing_column: (p) => `${place(p)}: missing column ${p.columns}`,
  csv_missing_weighed_column: (p) =>
    `${place(p)}: no column ${p.column}, which the ${p.track} KPI ${p.kpi} weighs; importing would blank it for every row (add the column; an empty cell means no data)`,
  file_binary: (p) =>
    p.kind === 'old_excel'
      ? `${p.file} is an old Excel .xls workbook; save it as .xlsx or as UTF-8 CSV`
      : p.kind === 'workbook'
        ? `${p.file} is a workbook; give it to a command that reads .xlsx (roster import, metrics import)`
        : `${p.file} is not a text or Excel file; save it as UTF-8 CSV or .xlsx`,
  file_not_utf8: (p) => `${p.file} line ${p.line}: not UTF-8 text; save the file as UTF-8 CSV or .xlsx`,
  file_not_workbook: (p) => `${p.file} is not an Excel workbook, so it has no sheet "${p.sheet}" (drop --sheet)`,
  xlsx_invalid: (p) => `${p.file}: not a readable .xlsx workbook (${p.problem}); save it again from Excel`,
  xlsx_no_sheet: (p) => `${p.file} has no sheet "${p.sheet}"; its sheets: ${p.sheets}`,
  file_too_big: tooBig,
  files_busy: (p) => `${p.file}: ${p.max} other files are being read; try again in a minute`,
  csv_bad_date: (p) => at(p, `"${p.value}" is not a date that exists (YYYY-MM-DD)`),
  csv_ambiguous_date: (p) => at(p, `"${p.value}" could be day-first or month-first; write the year first (YYYY-MM-DD)`),
  csv_future_date: (p) => at(p, `${p.value} is in the future (today is ${p.today})`),
  csv_before_hire: (p) => at(p, `${p.value} is before ${p.slackId} was hired (${p.hiredOn})`),
  csv_member_away: (p) =>
    at(p, `${p.slackId} was off the team all of ${p.month} (deactivated on ${p.since}): a month away has no rows`),
  csv_not_on_roster: (p) => at(p, `${p.slackId} is not on the roster (import the roster first)`),
  csv_missing_slack_id: (p) => at(p, "the agent's Slack id is missing"),
  csv_missing_platform_account: (p) => at(p, "the agent's platform account is missing"),
  csv_unknown_platform_account: (p) =>
    at(p, `no one on the roster has the platform account "${p.account}" (add it to the roster: platform_account)`),
  csv_repeated_platform_account: (p) => at(p, `${p.account} is already on line ${p.firstLine}`),
  csv_platform_account_taken: (p) => at(p, `${p.account} is already ${p.slackId}'s platform account`),
  csv_repeated_day: (p) => at(p, `${p.slackId} on ${p.day} is already on line ${p.firstLine}`),
  csv_not_count: (p) => at(p, `"${p.value}" is not a whole number of 0 or more`),
  csv_count_too_large: (p) => at(p, `${p.value} is more than ${p.max} in one day`),
  csv_negative: (p) => at(p, `"${p.value}" is negative`),
  csv_too_many_decimals: (p) => at(p, `"${p.value}" has more than 2 decimals (yuan to the fen)`),
  csv_not_yuan: (p) => at(p, `"${p.value}" is not an amount in yuan like 1234.50`),
  csv_gmv_too_large: (p) => at(p, `"${p.value}" is more than ¥100,000,000 in one day`),
  csv_not_number: (p) => at(p, `"${p.value}" is not a number of 0 or more (at most 3 decimals)`),
  csv_out_of_range: (p) => at(p, `${p.value} is outside 0–${p.max}`),
  csv_paid_over_inquiries: (p) => at(p, `${p.paid} paid customers is more than ${p.inquiries} inquiries`),
  csv_resolved_over_cases: (p) => at(p, `${p.resolved} resolved is more than ${p.cases} cases`),
  csv_not_slack_id: (p) => at(p, `"${p.value}" is not a Slack user id (like U024BE7LH)`),
  csv_repeated_member: (p) => at(p, `${p.slackId} is already on line ${p.firstLine}`),
  csv_bad_name: (p) => at(p, 'a name of 1 to 80 characters is needed'),
  csv_name_control: (p) =>
    at(p, `the name holds a control character (${p.char}), such as a line break: a name is one line of printable text`),
  csv_bad_track: (p) => at(p, `"${p.value}" is not a track; use presales or aftersales (售前/售后)`),
  csv_bad_level: (p) => at(p, `"${p.value}" is not a level; use ${FILE_LEVELS}`),
  csv_bad_role: (p) => at(p, `"${p.value}" is not a role; use ${FILE_ROLES}`),
  csv_hire_date_changed: (p) =>
    at(
      p,
      `${p.slackId} (${p.name}) was hired on ${p.hiredOn}, not ${p.value}: a roster row cannot make them someone else (a real correction: tally roster set ${p.slackId} --hired-on ${p.value} --correct --by ...)`,
    ),
};

export const configErrors: { [K in ConfigCode]: (p: ConfigParams[K]) => string } = {
  env_invalid: (p) => `${p.variable}: ${p.problem}`,
  socket_needs_bot_token: () => 'SLACK_APP_TOKEN is set: Socket Mode also needs SLACK_BOT_TOKEN',
  http_needs_both: () => 'HTTP mode needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
  db_bad_url: (p) => `DATABASE_URL must be postgresql://..., pglite:<dir> or pglite:memory (got "${p.url}")`,
  db_in_use: (p) =>
    `the database in ${p.dir} is in use by another Tally process${p.pid ? ` (pid ${p.pid})` : ''}; stop it first, or use PostgreSQL (DATABASE_URL=postgresql://...) to run several`,
  db_lock_failed: (p) => `cannot lock the database in ${p.dir}: ${p.problem}`,
  db_open_here: (p) => `the database in ${p.dir} is already open in this process`,
  db_connect_failed: (p) => `cannot connect to PostgreSQL at ${p.where}: ${p.problem}`,
  migration_failed_earlier: (p) =>
    `migration ${p.name} failed earlier and the database needs attention before Tally can start (Prisma P3009); see its logs in _prisma_migrations`,
  migration_failed: (p) => `migration ${p.name} failed: ${p.problem}`,
  backup_exists: (p) => `${p.file} already exists: name a new file (a backup never overwrites one)`,
  backup_unreadable: (p) => `cannot use ${p.file}: ${p.problem}`,
  backup_not_tally: (p) => `${p.file} is not a Tally backup (${p.problem}); nothing was restored`,
  backup_incomplete: (p) =>
    `${p.file} is incomplete (it ends before the backup's end: cut short or damaged); nothing was restored`,
  backup_newer: (p) =>
    `${p.file} was made by a newer Tally (its database has migration ${p.migration}, unknown to this one): upgrade Tally, then restore`,
  backup_no_schema: (p) => `there is no Tally database at ${p.where} to back up (it has never been opened by Tally)`,
  restore_not_empty: (p) =>
    `the database at ${p.where} holds data (${p.tables}): restore only into an empty database (a new directory, DATABASE_URL=pglite:./data-new, or a new PostgreSQL database); nothing was restored`,
  restore_schema_ahead: (p) =>
    `the database at ${p.where} was set up by a newer Tally than the backup (it has migration ${p.migration}): restore into a new, empty database (a new directory or a new PostgreSQL database); nothing was restored`,
};

function sayConfig<K extends ConfigCode>(e: ConfigError<K>): string {
  const say: (p: ConfigParams[K]) => string = configErrors[e.code];
  return say(e.params);
}

const FAULTS: Record<FaultKind, string> = {
  connection: 'lost the connection to the database',
  disk_full: 'no space left on the disk',
  out_of_memory: 'out of memory',
  read_only: 'the database or its disk is read-only',
  permission: 'permission denied',
};
const AGAIN: Record<FaultKind, string> = {
  connection: 'once the database is back',
  disk_full: 'after freeing some space',
  out_of_memory: 'when more memory is free (or with a smaller file)',
  read_only: 'once it is writable',
  permission: 'once Tally may write there',
};

/** A fault of the machine (src/faults.ts): what happened, that nothing was written, and when to run it again. */
export const cliFault = (f: Fault) =>
  `${FAULTS[f.kind]} (${f.problem}): nothing was written; run the command again ${AGAIN[f.kind]}`;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** What the embedded database did on its own (src/faults.ts DatabaseNotice), after `note: `. */
export function cliNotice(n: DatabaseNotice): string {
  const what =
    n.after === 'interrupted'
      ? 'the last run stopped before closing the database (a crash, a kill, or a disk that filled up); its unfinished change was rolled back'
      : 'the change was rolled back';
  return n.kind === 'reclaimed'
    ? `${what}, and the ${mb(n.freedBytes)} of disk space it had taken was given back (${(n.ms / 1000).toFixed(1)} s)`
    : `${what}, but the disk space it had taken could not be given back yet (${n.problem}): Tally tries again before the next change and at the next start`;
}

/** The output could not be written whole: said instead of a fault's "nothing was written". */
export const cliOutputFault = (f: Fault) =>
  `could not write the output: ${FAULTS[f.kind]} (${f.problem}); it is incomplete`;

/** The one line the CLI prints for an expected failure (after `error: `), or null for anything unexpected. */
export function cliRefusal(e: unknown): string | null {
  if (isTallyError(e)) return sayError(cliErrors, e);
  if (e instanceof ConfigError) return sayConfig(e);
  if (e instanceof CliRefusal) return e.message;
  return null;
}
