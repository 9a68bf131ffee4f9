// Every word Tally says in Slack, in English. zh-CN.ts has the same shape (the type checker enforces it).
import { formatFen } from '../../core/money.js';
import type { Escalation, Level, Role, Track } from '../../core/policy.js';
import type { OverAction } from '../../core/standing.js';
import type {
  AdminAction,
  ClosedWrite,
  CsvCell,
  ErrorParams,
  ErrorTexts,
  NotCandidate,
  StaffAction,
} from '../../errors.js';
import type { MonthStateName } from '../../service/month-list.js';
import type { FaultKind } from '../../faults.js';

const yuan = formatFen;

const STAFF_ACTIONS: Record<StaffAction, string> = {
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

/** what is done to someone: "only a supervisor or admin may penalise them" */
const OVER_ACTIONS: Record<OverAction, string> = {
  penalise: 'penalise them',
  revoke: 'revoke their penalties',
  decide_appeal: 'decide their appeal',
  decide_promotion: 'decide their promotion',
  change: 'change their track, level or role',
};

const USAGE = {
  myscore: '/myscore [today|month|YYYY-MM|YYYY-MM-DD] [@person]',
  leaderboard: '/leaderboard [today|month|YYYY-MM] [presales|aftersales]',
  penalty_list: '/penalty list [@person] [YYYY-MM]',
} as const;

/** a supervisor or admin; a lead, supervisor or admin; an admin */
const anyOf = (roles: readonly Role[]) => {
  const words = roles.join(', ').replace(/, (?=[^,]*$)/, ' or ');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
};

const EN_LEVELS: Record<Level, string> = {
  trainee: 'trainee',
  regular: 'regular',
  senior: 'senior',
  lead: 'lead',
  supervisor: 'supervisor',
};
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** 2027-01 → January 2027 */
const monthName = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
const NOT_CANDIDATE: Record<NotCandidate, (p: { level: Level; to?: Level; metOn?: string }) => string> = {
  no_path: (p) => `${EN_LEVELS[p.level]} has no next level in the policy`,
  time: (p) => `the time as ${EN_LEVELS[p.level]} is met only on ${p.metOn}`,
  months: () => 'too few scored months in the review window',
  average: () => 'their average score is below the minimum',
  dismissal: () => 'they were flagged for dismissal in the review window',
};

function closedWrite(w: ClosedWrite): string {
  if (w.write === 'penalty') return `record a penalty dated ${w.on}`;
  if (w.write === 'revoke') return `revoke penalty #${w.id}`;
  if (w.write === 'accept_appeal') return `accept appeal #${w.id}`;
  if (w.write === 'assignment') return `change <@${w.slackId}>'s track, level or role from ${w.from}`;
  if (w.write === 'hire_date') return `move <@${w.slackId}>'s hire date to ${w.value}`;
  return `import ${w.file}`;
}

/** `file line 3` of a CSV, `file, sheet 业绩, row 3` of a workbook */
const place = (c: { file: string; sheet?: string; line?: number }) =>
  c.sheet === undefined
    ? `${c.file}${c.line === undefined ? '' : ` line ${c.line}`}`
    : `${c.file}, sheet ${c.sheet}${c.line === undefined ? '' : `, row ${c.line}`}`;
/** `file line 3, column date: ...`, the column as the file wrote it */
const cell = (c: CsvCell, what: string) => `${place(c)}, column ${c.column}: ${what}`;
/** a file past a bound on the work of reading it: what it is, then what to do */
const tooBig = (p: ErrorParams['file_too_big']): string => {
  const n = p.max.toLocaleString('en-US');
  const redo = 'Save it as CSV, or split it by month and send the parts.';
  switch (p.limit) {
    case 'unpacked':
      return `${p.file}: the workbook unpacks to more than ${n} MB, more than Tally reads from one file; nothing was read. ${redo}`;
    case 'part':
      return `${p.file}: its part ${p.part} unpacks to more than ${n} MB, more than Tally reads from one file; nothing was read. ${redo}`;
    case 'ratio':
      return `${p.file}: its part ${p.part} unpacks to more than ${n} times its packed size, as no spreadsheet does; nothing was read. Save it again from Excel.`;
    case 'parts':
      return `${p.file}: the workbook has more than ${n} parts; nothing was read. Save it again from Excel.`;
    case 'memory':
      return `${p.file}: reading it took more than ${n} MB of memory, more than Tally gives one file; nothing was written. ${redo}`;
    case 'line':
      return `${place(p)}: a line longer than ${n} characters, as no table has; nothing was written.`;
    default:
      return `${place(p)}: more than ${n} ${p.limit}, more than Tally reads from one file; nothing was written. ${redo}`;
  }
};

/** A month's line on App Home: its times in the team's time zone, who as a mention or a word. */
export interface MonthLineParts {
  when: string | null;
  by: string | null;
  posted: boolean;
  closes: string | null;
  due: boolean;
}
/** a refusal about a roster file's row names the row; the same refusal from a command does not */
const maybeCell = (c: Partial<CsvCell>, what: string) =>
  c.file !== undefined && c.line !== undefined && c.column !== undefined ? cell(c as CsvCell, what) : what;

export const en = {
  /** which half of a { zh, en } label to show */
  lang: 'en' as 'en' | 'zh',
  apology: 'Sorry, something went wrong on our side. It has been logged; please try again in a minute.',
  /** a fault of what Tally runs on (src/faults.ts): what happened, that nothing was saved, when to try again */
  fault: {
    connection: 'Sorry, Tally lost its connection to the database. Nothing was saved; please try again in a minute.',
    disk_full:
      "Sorry, the disk Tally's database is on is full. Nothing was saved; it has been logged, please try again once an admin has freed some space.",
    out_of_memory: 'Sorry, Tally ran out of memory. Nothing was saved; please try again in a minute.',
    read_only:
      "Sorry, Tally's database cannot be written to right now. Nothing was saved; it has been logged, please try again later.",
    permission:
      'Sorry, Tally is not allowed to write to its database. Nothing was saved; it has been logged, please try again later.',
  } satisfies Record<FaultKind, string>,
  notOnRoster: (id: string) => `You (<@${id}>) are not on the roster yet. Ask a lead to add you.`,
  refused: (why: string) => `:no_entry_sign: ${why}`,
  error: {
    not_on_roster: (p) => `<@${p.slackId}> is not on the roster.`,
    inactive_member: (p) => `<@${p.slackId}> is no longer active on the roster.`,
    staff_only: (p) => `Only a lead, supervisor or admin may ${STAFF_ACTIONS[p.action]}.`,
    admin_only: (p) => `Only an admin may ${ADMIN_ACTIONS[p.action]}.`,
    outranked: (p) =>
      maybeCell(
        p,
        `<@${p.slackId}> is ${anyOf([p.role])}: ${p.may.length ? `only ${anyOf(p.may)} may` : 'nobody may'} ${OVER_ACTIONS[p.action]}.`,
      ),
    cannot_give: (p) =>
      maybeCell(
        p,
        p.what === 'role'
          ? `Only ${anyOf(p.may)} may make someone ${anyOf([p.value as Role])}.`
          : `Only ${anyOf(p.may)} may give someone the level ${p.value}.`,
      ),
    self_change: (p) =>
      maybeCell(
        p,
        p.what === 'assignment'
          ? 'You cannot change your own track, level or role; ask someone above you.'
          : p.what === 'active'
            ? 'You cannot deactivate or reactivate yourself; ask someone above you.'
            : 'You cannot correct your own hire date; ask an admin.',
      ),
    already_active: (p) => `<@${p.slackId}> is already active.`,
    already_inactive: (p) => `<@${p.slackId}> is already deactivated.`,
    unknown_track: (p) => `"${p.value}" is not a track; use ${p.tracks}.`,
    unknown_level: (p) => `"${p.value}" is not a level; use ${p.levels}.`,
    unknown_role: (p) => `"${p.value}" is not a role; use ${p.roles}.`,
    assignment_empty: () => 'Say what changes: the track, the level or the role.',
    assignment_unchanged: (p) =>
      `<@${p.slackId}> already has that track, level and role from ${p.from}; nothing changed.`,
    hire_date_needs_correct: (p) =>
      `<@${p.slackId}> was hired on ${p.hiredOn}; changing it to ${p.value} must be made as a correction.`,
    hire_date_same: (p) => `<@${p.slackId}> was already hired on ${p.hiredOn}.`,
    hire_date_after_change: (p) =>
      `${p.value} is after <@${p.slackId}> changed track, level or role on ${p.from}; a hire date comes first.`,
    hire_date_after_metrics: (p) =>
      `${p.value} is after <@${p.slackId}>'s metrics of ${p.day}; a hire date comes first.`,
    last_decider: (p) =>
      `<@${p.slackId}> is the team's last active lead, supervisor or admin: ${p.change === 'deactivate' ? 'deactivating' : 'demoting'} them would leave nobody to decide appeals or receive the payroll file. Make someone else a lead first; nothing was changed.`,
    bad_date: (p) => `"${p.value}" is not a date that exists: write it like 2026-11-05.`,
    bad_month: (p) => `"${p.value}" is not a month: write it like 2026-11.`,
    ambiguous_date: (p) => `"${p.value}" could be day-first or month-first: write the year first, like 2026-11-05.`,
    future_date: (p) => `${p.value} is in the future (today is ${p.today}).`,
    future_month: (p) => `${p.value} has not begun (this month is ${p.month}).`,
    several_dates: (p) => `Give one date: "${p.first}" and "${p.second}" are two.`,
    period_both: () => 'Give a day or a month, not both.',
    period_missing: () => 'Say which day or month, like 2026-11-05 or 2026-11.',
    bad_daily_period: (p) => `"${p.value}" is not a day: the daily post is for one day, like 2026-11-05.`,
    bad_monthly_period: (p) => `"${p.value}" is not a month: the monthly results are for one month, like 2026-10.`,
    too_early: (p) => `The daily post of ${p.day} is due at ${p.due}; it is ${p.now} now.`,
    month_closed: (p) =>
      `${p.month} is closed, so you cannot ${closedWrite(p)}. Ask an admin to reopen ${p.month} first.`,
    month_already_closed: (p) => `${p.month} is already closed.`,
    month_not_over: (p) => `${p.month} is not over yet (today is ${p.today}).`,
    month_open: (p) => `${p.month} is not closed.`,
    month_kept_changing: (p) => `${p.month} kept changing while it was being closed; try again in a minute.`,
    missing_reopen_reason: () => 'Say why the month is reopened.',
    self_penalty: () => 'You cannot penalise yourself; ask another lead or a supervisor.',
    before_hire: (p) => `${p.value} is before <@${p.slackId}> was hired (${p.hiredOn}).`,
    bad_amount: (p) =>
      p.value === undefined
        ? `The ${p.name} must be ¥0 or more.`
        : p.name === 'loss'
          ? `"${p.value}" is not an amount: write the loss like loss ¥35.50.`
          : `"${p.value}" is not an amount: write it like ¥50 or ¥35.50.`,
    zero_amount: () => 'An amount of ¥0 is no penalty: give more than ¥0, like ¥50.',
    amount_too_large: (p) =>
      `${p.name === 'loss' ? 'The loss' : 'The amount'} ${yuan(p.amountFen)} is over the ${yuan(p.maxFen)} limit for one penalty.`,
    missing_reason: () => 'Say which rule was broken, or give a reason with an amount.',
    reason_too_long: (p) => `The ${p.text} is ${p.length} characters long; at most ${p.max}.`,
    ambiguous_rule: (p) => `"${p.text}" could mean several rules (${p.codes}): write the rule code.`,
    unknown_rule: (p) =>
      `There is no rule "${p.rule}". Type /penalty rules to see them; a free reason needs an amount, like ¥50.`,
    free_reason_needs_amount: () =>
      'That is not a rule name, so as a free reason it needs an amount, like ¥50. Type /penalty rules to see the rules.',
    pick_rule_or_amount: () => 'Pick a rule, or give an amount for a free reason.',
    loss_on_free_reason: () =>
      'A loss is only added to rules that carry one; for a free reason, put the whole amount in the amount, like ¥80.',
    loss_not_allowed: (p) => `${p.rule} does not add a loss: leave out the loss.`,
    loss_required: (p) =>
      `${p.rule} adds the customer's loss to ${yuan(p.amountFen)}: write it like loss ¥35.50 (loss ¥0 if there was none).`,
    rule_has_amount: (p) =>
      `${p.rule} costs ${yuan(p.amountFen)} by the rulebook; the amount cannot be changed. For another amount, write a free reason.`,
    missing_mention: () => 'Say who: /penalty @agent rule or reason.',
    unknown_person: (p) =>
      `Nobody on the roster is called ${p.name}: pick the person from the list Slack shows as you type @.`,
    ambiguous_person: (p) =>
      `${p.count} people on the roster are called ${p.name}: pick the one you mean from the list Slack shows as you type @.`,
    unexpected_words: (p) => `"${p.words}" is not understood here: ${USAGE[p.command]}`,
    leaderboard_person: () => "The leaderboard shows whole tracks; for one person's score: /myscore @name.",
    several_mentions: () => 'One penalty is for one person: mention only one.',
    mention_channel: () => 'That is a channel: mention one person, like @bob.',
    mention_group: () => 'Mention one person, not a group.',
    several_amounts: (p) => `Give one ${p.name}: "${p.first}" and "${p.second}" are two.`,
    command_too_long: (p) => `That command is ${p.length} characters long; at most ${p.max}. Shorten the reason.`,
    no_such_penalty: (p) => `There is no penalty #${p.id}.`,
    already_revoked: (p) =>
      p.by
        ? `Penalty #${p.id} was already revoked by <@${p.by}> on ${p.on}: ${p.why}`
        : `Penalty #${p.id} is already revoked.`,
    self_revoke: () => 'You cannot revoke your own penalty; ask another lead or a supervisor.',
    missing_revoke_reason: () => 'Say why: /penalty revoke <id> <why>.',
    no_such_page: (p) => `There is no page "${p.page}" of the rules: pages 1 to ${p.pages}.`,
    missing_comment: (p) => (p.for === 'appeal' ? 'Say why the penalty is wrong.' : 'Write a comment for the agent.'),
    already_appealed: (p) => `You already appealed penalty #${p.id}.`,
    no_penalty_of_yours: (p) => `You have no penalty #${p.id}.`,
    already_decided: (p) => `The appeal of penalty #${p.id} was already decided.`,
    appeal_penalty_revoked: (p) => `Penalty #${p.id} was already revoked by <@${p.by}>, so its appeal is closed.`,
    no_such_appeal: (p) => `Penalty #${p.id} has no appeal.`,
    not_deciding_lead: (p) =>
      `Only the lead who recorded the penalty, a supervisor or an admin may decide the appeal of penalty #${p.id}.`,
    self_decide: () => 'You cannot decide your own appeal.',
    not_a_candidate: (p) => `<@${p.slackId}> is not a promotion candidate in ${p.month}: ${NOT_CANDIDATE[p.why](p)}.`,
    probation_not_over: (p) => `<@${p.slackId}>'s probation ends on ${p.ends}; confirm them after that.`,
    promotion_decided: (p) =>
      `<@${p.slackId}>'s ${p.month} promotion was already ${p.decision} by <@${p.by}>: nothing changed.`,
    self_promotion: () => 'You cannot decide your own promotion.',
    missing_decline_reason: () => 'Say why the promotion is declined: the agent will read it.',
    stale_form: () => 'This button or form is out of date or damaged; open it again from the message.',
    draft_used: () => 'This penalty was recorded already.',
    draft_gone: () => 'This rule picker is no longer valid: type /penalty again.',
    upload_not_a_table: (p) =>
      `${p.file} is not a file Tally reads: send the roster or the daily metrics as .csv or .xlsx.`,
    upload_too_large: (p) => `${p.file} is larger than ${p.maxMb} MB: split it by month and send the parts.`,
    upload_unknown_kind: (p) =>
      `${p.file} is neither a roster nor a metrics file: its first line must name the columns (slack_id, name, ... or date, slack_id, ...).`,
    upload_gone: () => 'This file is no longer waiting to be imported: send it again.',
    upload_download_failed: (p) => `Slack did not hand over ${p.file}; send it again in a moment.`,
    policy_field: (p) => `The policy's ${p.path} is wrong: ${p.problem}`,
    policy_not_object: () => 'A policy file holds one object of settings.',
    policy_reserved_key: (p) =>
      `The policy's ${p.path} is wrong: "${p.key}" is a reserved word and cannot be a name in a policy.`,
    policy_too_many_rules: (p) => `The policy has ${p.active} active rules; at most ${p.max}. Retire old ones.`,
    policy_backdated: (p) =>
      `${p.from} is before today (${p.today}): a policy from then would rescore past periods, so it must be backdated on purpose.`,
    policy_version_exists: (p) =>
      `A policy version from ${p.from} is already set (by ${p.setBy}, ${p.setAt}); replacing it must be confirmed.`,
    no_policy_version: (p) => `No policy version starts on ${p.from}.`,
    policy_version_started: (p) =>
      `The policy version from ${p.from} has started (today is ${p.today}); only one that has not started yet can be dropped.`,
    policy_version_first: (p) => `The policy version from ${p.from} is the team's first; it cannot be dropped.`,
    busy_conflicts: (p) =>
      `Importing ${p.file}: the database kept refusing it for conflicting writes. Nothing was written; try again.`,
    csv_invalid: (p) =>
      p.sheet === undefined ? `${place(p)}: not a valid CSV file (${p.problem}).` : `${place(p)}: ${p.problem}.`,
    csv_empty: (p) => `${place(p)} is empty: its first line must name the columns.`,
    csv_no_rows: (p) => `${place(p)} has no rows: a header and nothing under it.`,
    csv_unknown_column: (p) =>
      `${place(p)}, column ${p.position}: unknown column "${p.header}"; expected ${p.expected}.`,
    csv_repeated_column: (p) => `${place(p)}: the column ${p.column} appears twice.`,
    csv_missing_column: (p) => `${place(p)}: missing column ${p.columns}.`,
    csv_missing_weighed_column: (p) =>
      `${place(p)}: no column ${p.column}, which the ${p.track} KPI ${p.kpi} weighs. Importing would blank it for every row; add the column (an empty cell means no data).`,
    file_binary: (p) =>
      p.kind === 'old_excel'
        ? `${p.file} is an old Excel .xls workbook: save it as .xlsx or as UTF-8 CSV.`
        : `${p.file} is not a text or Excel file: save it as UTF-8 CSV or .xlsx.`,
    file_not_utf8: (p) => `${p.file} line ${p.line}: not UTF-8 text. Save the file as UTF-8 CSV or .xlsx.`,
    file_not_workbook: (p) => `${p.file} is not an Excel workbook, so it has no sheet "${p.sheet}".`,
    xlsx_invalid: (p) => `${p.file} is not a readable .xlsx workbook (${p.problem}); save it again from Excel.`,
    xlsx_no_sheet: (p) => `${p.file} has no sheet "${p.sheet}"; its sheets: ${p.sheets}.`,
    file_too_big: tooBig,
    files_busy: (p) => `${p.max} other files are being read right now; send ${p.file} again in a minute.`,
    csv_bad_date: (p) => cell(p, `"${p.value}" is not a date that exists; write it like 2026-11-05.`),
    csv_ambiguous_date: (p) =>
      cell(p, `"${p.value}" could be day-first or month-first; write the year first, like 2026-11-05.`),
    csv_future_date: (p) => cell(p, `${p.value} is in the future (today is ${p.today}).`),
    csv_before_hire: (p) => cell(p, `${p.value} is before <@${p.slackId}> was hired (${p.hiredOn}).`),
    csv_member_away: (p) =>
      cell(
        p,
        `<@${p.slackId}> was off the team all of ${p.month} (deactivated on ${p.since}): a month away has no rows.`,
      ),
    csv_not_on_roster: (p) => cell(p, `<@${p.slackId}> is not on the roster; import the roster first.`),
    csv_missing_slack_id: (p) => cell(p, "the agent's Slack id is missing."),
    csv_missing_platform_account: (p) => cell(p, "the agent's platform account is missing."),
    csv_unknown_platform_account: (p) =>
      cell(p, `no one on the roster has the platform account "${p.account}"; add it to the roster first.`),
    csv_repeated_platform_account: (p) => cell(p, `${p.account} is already on line ${p.firstLine}.`),
    csv_platform_account_taken: (p) => cell(p, `${p.account} is already <@${p.slackId}>'s platform account.`),
    csv_repeated_day: (p) => cell(p, `<@${p.slackId}> on ${p.day} is already on line ${p.firstLine}.`),
    csv_not_count: (p) => cell(p, `"${p.value}" is not a whole number of 0 or more.`),
    csv_count_too_large: (p) => cell(p, `${p.value} is more than ${p.max} in one day.`),
    csv_negative: (p) => cell(p, `"${p.value}" is negative.`),
    csv_too_many_decimals: (p) => cell(p, `"${p.value}" has more than 2 decimals (yuan to the fen).`),
    csv_not_yuan: (p) => cell(p, `"${p.value}" is not an amount in yuan, like 1234.50.`),
    csv_gmv_too_large: (p) => cell(p, `"${p.value}" is more than ¥100,000,000 in one day.`),
    csv_not_number: (p) => cell(p, `"${p.value}" is not a number of 0 or more with at most 3 decimals.`),
    csv_out_of_range: (p) => cell(p, `${p.value} is outside 0 to ${p.max}.`),
    csv_paid_over_inquiries: (p) => cell(p, `${p.paid} paid customers is more than ${p.inquiries} inquiries.`),
    csv_resolved_over_cases: (p) => cell(p, `${p.resolved} resolved is more than ${p.cases} cases.`),
    csv_not_slack_id: (p) => cell(p, `"${p.value}" is not a Slack user id (like U024BE7LH).`),
    csv_repeated_member: (p) => cell(p, `${p.slackId} is already on line ${p.firstLine}.`),
    csv_bad_name: (p) => cell(p, 'a name of 1 to 80 characters is needed.'),
    csv_name_control: (p) =>
      cell(
        p,
        `the name holds a control character (${p.char}), such as a line break: a name is one line of printable text.`,
      ),
    csv_bad_track: (p) => cell(p, `"${p.value}" is not a track; use presales or aftersales.`),
    csv_bad_level: (p) => cell(p, `"${p.value}" is not a level; use ${p.levels}.`),
    csv_bad_role: (p) => cell(p, `"${p.value}" is not a role; use ${p.roles}.`),
    csv_hire_date_changed: (p) =>
      cell(
        p,
        `<@${p.slackId}> was hired on ${p.hiredOn}, not ${p.value}: a roster row cannot make them someone else. An admin makes a real correction on its own.`,
      ),
  } satisfies ErrorTexts as ErrorTexts,
  ordinal: (n: number) =>
    `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th')}`,
  penalty: {
    /** a rule as people read it: its label in this language and its code */
    rule: (label: string, code: string) => `${label} (${code})`,
    /** a penalty with a free reason is named by the reason */
    freeReason: (reason: string) => `free reason "${reason}"`,
    points: (n: number) => (n ? `-${n} point${n === 1 ? '' : 's'}` : 'no points'),
    recorded: (p: { id: number; who: string; rule: string; amountFen: number; points: number; on: string }) =>
      `Penalty *#${p.id}* recorded for <@${p.who}>: ${p.rule}, *${yuan(p.amountFen)}*, ${en.penalty.points(p.points)}, on ${p.on}.`,
    count: (n: number, rule: string, month: string) => `${en.ordinal(n)} ${rule} in ${month}.`,
    forfeit: (n: number, rule: string, month: string) =>
      `:warning: ${en.ordinal(n)} ${rule} in ${month}: the month's commission is forfeited.`,
    dismissal: (n: number, rule: string, month: string) =>
      `:rotating_light: ${en.ordinal(n)} ${rule} in ${month}: flagged for dismissal.`,
    dm: (p: { by: string; rule: string; amountFen: number; points: number; on: string; id: number }) =>
      `<@${p.by}> recorded a penalty for you: *${p.rule}*, ${yuan(p.amountFen)}, ${en.penalty.points(p.points)}, on ${p.on}. Penalty #${p.id}; if you think it is wrong, appeal it.`,
    alert: (p: { by: string; who: string; rule: string; amountFen: number; id: number }) =>
      `:rotating_light: <@${p.by}> recorded penalty #${p.id} for <@${p.who}>: ${p.rule}, ${yuan(p.amountFen)}.`,
    revoked: (id: number, who: string, amountFen: number) => `Penalty #${id} (<@${who}>, ${yuan(amountFen)}) revoked.`,
    revokedDm: (id: number, by: string, why: string) => `<@${by}> revoked your penalty #${id}: ${why}`,
    appealClosed: 'Your appeal of it is closed: there is nothing left to decide.',
    listTitle: (who: string | null, month: string) =>
      who ? `Penalties of <@${who}> in ${month}` : `Penalties in ${month}`,
    none: 'No penalties.',
    revokedTag: 'revoked',
    /** a penalty's appeal in /penalty list: waiting, accepted, rejected, or closed by a revoke */
    appealTag: {
      pending: 'appeal waiting',
      accepted: 'appeal accepted',
      rejected: 'appeal rejected',
      closed: 'appeal closed',
    } as Record<'pending' | 'accepted' | 'rejected' | 'closed', string>,
    rulesTitle: 'Penalty rules',
    /** one rule of /penalty rules: name, amount, points, escalations */
    ruleLine: (p: { name: string; amountFen: number; addsLoss: boolean; points: number; escalations: string }) =>
      `*${p.name}* ${yuan(p.amountFen)}${p.addsLoss ? ' + the loss' : ''}, ${en.penalty.points(p.points)}${p.escalations ? ` · ${p.escalations}` : ''}`,
    escalation: (fromCount: number, action: 'forfeit_commission' | 'dismissal') =>
      `from the ${en.ordinal(fromCount)} on: ${action === 'forfeit_commission' ? "the month's commission is forfeited" : 'flagged for dismissal'}`,
    help: [
      '*/penalty @agent rule [note] [¥amount] [loss ¥x] [YYYY-MM-DD]*: record a penalty, e.g. `/penalty @bob buck_passing ignored a customer at 10:32`, `/penalty @bob buck passing`, `/penalty @bob order_change_missed loss ¥35.50`, `/penalty @bob broke the headset ¥80`',
      '*/penalty revoke <id> <why>*: revoke one',
      "*/penalty list [@agent] [YYYY-MM]*: this month's penalties",
      '*/penalty rules*: the rulebook',
    ].join('\n'),
    pickTitle: 'Which rule?',
    pickLabel: 'Rule',
    pickSubmit: 'Record',
    pickHint: (text: string) =>
      `"${text}" could be several rules, or it needs an amount. Pick the rule, or give an amount for a free reason.`,
    amountLabel: 'Amount for a free reason (¥)',
    pickTooMany: (shown: number, total: number) =>
      `The list holds ${shown} of ${total} rules; for another, type its code: /penalty @agent rule_code`,
    rulesPage: (page: number, pages: number, total: number) =>
      `Page ${page} of ${pages} (${total} rules)${page < pages ? ` · next: \`/penalty rules ${page + 1}\`` : ''}`,
  },
  score: {
    title: (who: string, period: string) => `Score of <@${who}>, ${period}`,
    notScored: 'No metrics for this period yet: not scored.',
    summary: (score: string, rank: number, of: number, track: string) =>
      `*${score}* points, rank *${rank}* of ${of} in ${track}`,
    kpiHeader: 'KPI · actual · target · points',
    /** a KPI with weight 0: shown, not scored */
    unweighted: 'not scored',
    traineePay: 'Trainees get no performance pay, commission or award: base, meal allowance and penalties only.',
    penalties: (n: number, points: number, fen: number) => `Penalties: ${n}, -${points} points, ${yuan(fen)}`,
    forfeited: ':warning: commission forfeited this month',
    payslip: 'Projected pay',
    terms: {
      base: 'Base',
      performance: 'Performance',
      commission: 'Commission',
      award: 'Award',
      meal: 'Meal allowance',
      penalties: 'Penalties',
      total: 'Total',
    },
  },
  board: {
    title: (track: string, period: string) => `Leaderboard ${period}, ${track}`,
    empty: 'No metrics for this period yet.',
    more: (shown: number, total: number) => `${shown} of ${total} shown.`,
  },
  track: { presales: 'pre-sales', aftersales: 'after-sales' } as Record<Track, string>,
  level: EN_LEVELS,
  role: { agent: 'agent', lead: 'lead', supervisor: 'supervisor', admin: 'admin' } as Record<Role, string>,
  /** what an escalation does, in the rules list */
  escalation: { forfeit_commission: 'commission forfeited', dismissal: 'dismissal' } as Record<
    Escalation['action'],
    string
  >,
  /** a rule whose amount adds the customer's loss, in the rules list */
  addsLoss: '+ loss',
  inactive: 'inactive',
  appeal: {
    button: 'Appeal',
    title: 'Appeal a penalty',
    label: 'Why is this penalty wrong?',
    submit: 'Send',
    sent: (id: number) => `Your appeal of penalty #${id} was sent. You will hear back here.`,
    nobody: (id: number) =>
      `:warning: Your appeal of penalty #${id} is recorded, but nobody can decide it now: the team has no active lead, supervisor or admin above you, so no one was told. It is kept until the team has one; please tell your manager.`,
    request: (p: { who: string; id: number; rule: string; amountFen: number }) =>
      `<@${p.who}> appeals penalty #${p.id} (${p.rule}, ${yuan(p.amountFen)}):`,
    accept: 'Accept (revoke)',
    reject: 'Reject',
    decideTitle: 'Decide the appeal',
    decideLabel: 'Comment for the agent',
    accepted: (id: number, by: string, c: string) =>
      `:white_check_mark: Your appeal of penalty #${id} was accepted by <@${by}>; the penalty is revoked. ${c}`,
    rejected: (id: number, by: string, c: string) => `Your appeal of penalty #${id} was rejected by <@${by}>: ${c}`,
    decided: (penaltyId: number, accepted: boolean) =>
      `The appeal of penalty #${penaltyId} is ${accepted ? 'accepted: the penalty is revoked' : 'rejected'}.`,
  },
  jobs: {
    dailyTitle: (day: string) => `Daily ranking, ${day}`,
    top: (track: string) => `*Top of ${track}*`,
    movers: (lines: string) => `*Movers*: ${lines}`,
    nudge: (who: string) => `:hourglass: No data yet for ${who}: leads, please check the import.`,
    nudgeOn: (day: string, who: string) =>
      `:hourglass: No data for ${day} from ${who}: leads, please check the import.`,
    more: (n: number) => `and ${n} more`,
    monthlyTitle: (month: string) => `Results for ${month}`,
    correctionTitle: (month: string) => `Correction: results for ${month}, recomputed`,
    /** the 1st: a finished month's standings before it closes (the close day at the monthly time) */
    provisionalTitle: (month: string) => `Provisional standings for ${month} (not final)`,
    provisionalNote: (closes: string) =>
      `:hourglass_flowing_sand: Provisional: final results on ${closes}, with the awards and payslips. Data imported and penalties recorded before then still count.`,
    /** a day and a time of the close: "3 Dec at 09:00" */
    closeTime: (day: string, time: string) =>
      `${Number(day.slice(8, 10))} ${MONTH_NAMES[Number(day.slice(5, 7)) - 1]!.slice(0, 3)} at ${time}`,
    missingLine: (who: string, days: string[]) => `• <@${who}>: ${days.join(', ')}`,
    /** to the leads with the provisional standings: whose data for the month's last days has not come */
    missingBeforeClose: (month: string, from: string, to: string, closes: string, lines: string) =>
      `:hourglass: ${month}: no data yet for the month's last days (${from} to ${to}) from:\n${lines}\n${month} closes on ${closes}: what is imported before then counts (\`tally metrics import <file>\`, or send me the file).`,
    /** to the leads at the close: it closed all the same */
    missingAtClose: (month: string, from: string, to: string, lines: string) =>
      `:warning: ${month} is closed without data for the month's last days (${from} to ${to}) from:\n${lines}\nTheir results count what was imported. To add it, an admin reopens the month (\`tally month reopen ${month} --why <reason>\`), the file is imported, and the month is closed again.`,
    award: (who: string, rank: number, streak: number, fen: number) =>
      streak >= 2
        ? `<@${who}>: first for the ${en.ordinal(streak)} month running, ${yuan(fen)}`
        : `<@${who}>: ${rank === 1 ? 'first' : en.ordinal(rank)} place, ${yuan(fen)}`,
    noAwards: 'No awards this month.',
    chartTitle: (track: string, month: string) => `${month} ${track}`,
    /** the monthly chart's marks and legend: award winners, and who is not eligible for an award and why */
    chart: {
      provisional: (title: string) => `${title} (provisional: not final)`,
      awardWinner: 'Award winner',
      ranked: 'Eligible, no award',
      notEligible: (why: string) => `Not eligible for an award: ${why}`,
      /** a level the policy leaves out of awards (awards.excludedLevels) */
      level: (level: string) => level,
      /** hired too recently (awards.minTenureMonths): on the bar, and in the legend */
      tenureShort: (months: number) => `joined < ${months} mo.`,
      tenure: (months: number) => `joined less than ${months} months before the month`,
    },
    payslipTitle: (month: string) => `Your payslip for ${month}`,
    reportTitle: (month: string) => `Payroll for ${month}`,
    reportTotal: (n: number, fen: number | bigint) =>
      `${n} ${n === 1 ? 'person' : 'people'}, ${yuan(fen)} in all. The payroll file is attached.`,
    forfeited: (who: string) => `<@${who}>: commission forfeited`,
    dismissal: (who: string) => `:rotating_light: <@${who}>: flagged for dismissal`,
    rotation: (who: string) => `<@${who}>: last place two months running, one month of warehouse rotation`,
    noFlags: 'No forfeitures or flags.',
    undelivered: (n: number, list: string) =>
      `:warning: Tally could not deliver ${n} ${n === 1 ? 'message' : 'messages'}. Fix the cause, then \`tally jobs retry\`:\n${list}`,
    missingScope: (scopes: string) =>
      `:warning: The Slack app lacks the bot scope ${scopes}: add it under *OAuth & Permissions* (or in manifest.yml), reinstall the app to the workspace, then \`tally jobs retry\`.`,
  },
  /** a file dropped into Tally's DMs: its preview, Import and Cancel */
  upload: {
    kind: { roster: 'roster', metrics: 'daily metrics' } as Record<'roster' | 'metrics', string>,
    title: (file: string, kind: string) => `${file}: ${kind}`,
    rows: (rows: number, members: number) =>
      `${rows} ${rows === 1 ? 'row' : 'rows'} for ${members} ${members === 1 ? 'member' : 'members'}`,
    days: (from: string, to: string, added: number, replaced: number) =>
      `${from} to ${to}: ${added} new member-${added === 1 ? 'day' : 'days'}, ${replaced} replacing what was imported before`,
    people: (added: number, existing: number) =>
      `${added} new to the roster, ${existing} already on it (their details are updated)`,
    problems: (n: number) =>
      `:x: ${n === 1 ? 'One problem' : `${n} problems`}; nothing can be imported until they are fixed:`,
    moreProblems: (max: number) => `Only the first ${max} are shown. Fix them and send the file again.`,
    fixAndResend: 'Fix the file and send it again.',
    ready: 'Nothing is written until you press Import.',
    import: 'Import',
    cancel: 'Cancel',
    imported: (by: string) => `:white_check_mark: Imported by <@${by}>.`,
    importedRoster: (r: { added: number; updated: number; unchanged: number }) =>
      `Roster: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.`,
    importedMetrics: (r: { rows: number; members: number; from: string | null; to: string | null }) =>
      `${r.rows} ${r.rows === 1 ? 'row' : 'rows'} for ${r.members} ${r.members === 1 ? 'member' : 'members'}${r.from ? `, ${r.from} to ${r.to}` : ''}.`,
    cancelled: (file: string) => `${file}: cancelled, nothing was imported.`,
    hint: 'Send me a roster or daily metrics file (.csv or .xlsx) to import it; leads, supervisors and admins only.',
  },
  /** the local console and `tally say`: what stands in for Slack's own screens */
  console: {
    help: [
      'Commands: /penalty, /myscore, /leaderboard (as in Slack; mention people as @name or @U123).',
      '  /as <name|slack_id>   act as someone else        /who      the roster',
      '  /home                 your App Home              /appeal <penalty id> <comment>',
      '  /accept <penalty id> <comment>   /reject <penalty id> <comment>   /help   /quit',
    ].join('\n'),
    firstRun: (members: number, rows: number, from: string, to: string) =>
      `First run: loaded a demo team of ${members} with ${rows} member-days of metrics (${from} to ${to}).`,
    start: (name: string, id: string) => `Tally local console. You are ${name} (${id}).`,
    /** at start: a finished month it closed, as the monthly job would have */
    froze: (month: string) => `Froze ${month} (finished, never closed): its results are kept as they are now.`,
    nowYou: (name: string, id: string, role: string) => `You are now ${name} (${id}), ${role}.`,
    person: (name: string, id: string) => `${name} (${id})`,
    /** `near`: close names, as `郑组长 (U0LEAD001)` */
    nobody: (who: string, near: readonly string[]) =>
      `Nobody called "${who}" is on the roster${near.length ? `; did you mean ${near.join(', ')}?` : ''} (/who lists them).`,
    /** `matches`: everyone who has the name, as `王芳 (U1)` */
    several: (who: string, matches: readonly string[]) =>
      `${matches.length} people on the roster are called "${who}": ${matches.join(', ')}. Type /as with the Slack id of the one you mean.`,
    appealUsage: 'Write it as /appeal <penalty id> <comment>, e.g. /appeal 3 the customer was served by someone else.',
    decideUsage: 'Write it as /accept <penalty id> <comment> or /reject <penalty id> <comment>.',
    pickHow:
      'Answer with the number of the rule, or with an amount (like ¥50) for a free reason; any other command cancels.',
    pickRetype:
      'Type the command again with the rule code after the name, or with an amount (like ¥50) for a free reason.',
    noSuchChoice: (n: number, max: number) =>
      `There is no rule number ${n}: pick 1 to ${max}, or give an amount like ¥50.`,
  },
  promotions: {
    monthShort: (month: string) => MONTH_NAMES[Number(month.slice(5, 7)) - 1]!.slice(0, 3),
    reviewTitle: (month: string) => `Promotion review, ${monthName(month)}`,
    reviewIntro: (n: number, p: { window: number; min: number; scored: number }) =>
      `${n === 1 ? '1 candidate' : `${n} candidates`}: time at level met on the 1st, an average of at least ${p.min} over the scored months of the last ${p.window} (at least ${p.scored} scored), no dismissal flag. Only leads, supervisors and admins may decide.`,
    noCandidates: (month: string) => `No promotion candidates for ${monthName(month)}.`,
    more: (n: number) => `${n} more candidates: \`tally promotions --month\` lists them all.`,
    candidate: (p: { who: string; from: Level; to: Level; months: number; average: string; scored: number }) =>
      `<@${p.who}> ${EN_LEVELS[p.from]} → *${EN_LEVELS[p.to]}* · ${p.months} months as ${EN_LEVELS[p.from]} · average *${p.average}* over ${p.scored} scored months`,
    approve: 'Approve',
    decline: 'Decline',
    confirm: 'Confirm as regular',
    approved: (by: string, from: string) => `:white_check_mark: Approved by <@${by}>, from ${from}`,
    declined: (by: string) => `Declined by <@${by}>`,
    declineTitle: 'Decline',
    declineLabel: 'Why? (the agent reads this)',
    toAgentPromoted: (to: Level, from: string, by: string) =>
      `:tada: Congratulations: <@${by}> approved your promotion to *${EN_LEVELS[to]}*, from ${from}.`,
    toAgentConfirmed: (from: string, by: string) =>
      `:tada: Your probation is over: <@${by}> confirmed you as a *regular* from ${from}.`,
    toAgentDeclined: (to: Level, by: string) =>
      `Your promotion to ${EN_LEVELS[to]} was not approved this time (<@${by}>):`,
    toAgentNotConfirmed: (by: string) => `Your confirmation as a regular was not approved yet (<@${by}>):`,
    receipt: (who: string, approved: boolean, to: Level, from: string | null) =>
      approved
        ? `Done: <@${who}> is ${EN_LEVELS[to]} from ${from}; they have been told.`
        : `Done: <@${who}>'s promotion to ${EN_LEVELS[to]} is declined; they have been told why.`,
    probationTitle: 'Probation ended',
    probationPrompt: (who: string, ends: string, since: string) =>
      `<@${who}>'s probation ended on ${ends} (trainee since ${since}). Confirm them as a regular from the 1st of next month, or decline with a reason.`,
    // /myscore and App Home
    level: (level: Level, months: number, since: string) =>
      `*Level*: ${EN_LEVELS[level]}, ${months === 1 ? '1 month' : `${months} months`} (since ${since})`,
    timeMet: (needed: number, level: Level, team: boolean) =>
      `${needed} months ${team ? 'in the team' : `as ${EN_LEVELS[level]}`} ✓`,
    timeNotMet: (months: number, needed: number, level: Level, team: boolean, metOn: string) =>
      `${months} of ${needed} months ${team ? 'in the team' : `as ${EN_LEVELS[level]}`} (met on ${metOn})`,
    averageMet: (average: string, min: number) => `average ${average} ≥ ${min} ✓`,
    averageNotMet: (average: string, min: number) => `average ${average} < ${min} ✗`,
    fewMonths: (scored: number, needed: number) => `${scored} of ${needed} scored months needed`,
    dismissal: 'dismissal flag in the last months ✗',
    review: (month: string) => `review in ${MONTH_NAMES[Number(month.slice(5, 7)) - 1]}`,
    /** between the parts of the next level's line */
    sep: ', ',
    next: (to: Level, parts: string) => `*Next*: ${EN_LEVELS[to]}: ${parts}`,
    probation: (ends: string, ended: boolean) =>
      ended
        ? `*Next*: regular: probation ended on ${ends}, waiting for a lead to confirm`
        : `*Next*: regular: probation ends on ${ends}`,
    top: 'No next level: the top of the path.',
    trend: (n: number) => `*Last ${n} months*`,
    trendMonth: (month: string, score: string | null, rank: number | null, of: number) =>
      score === null ? `${month} —` : `${month} ${score} #${rank}/${of}`,
  },
  /** each month's state: `tally month list` (a table) and App Home for staff */
  months: {
    title: 'Months',
    columns: ['Month', 'State', 'When', 'By', 'Posted', 'Closes'],
    state: { open: 'open', closed: 'closed', reopened: 'reopened' } as Record<MonthStateName, string>,
    /** who closed or reopened it when it was not a person */
    by: { schedule: 'schedule', cli: 'terminal', console: 'console' } as Record<string, string>,
    person: (name: string, id: string) => `${name} (${id})`,
    yes: 'yes',
    no: 'no',
    /** an open month past its close time */
    due: (at: string) => `due since ${at}`,
    none: 'No months yet: none holds metrics or penalties, and none was closed.',
    dueNote:
      'A month past its close time closes when the bot next checks (at start, then every few minutes), or by hand: tally month close YYYY-MM.',
    reopened: (month: string, why: string) =>
      `${month} is reopened: ${why}. When the changes are in, close it again: tally month close ${month} (or tally jobs run monthly --period ${month}).`,
    /** one month on App Home */
    line: (month: string, state: MonthStateName, p: MonthLineParts) =>
      state === 'open'
        ? `*${month}* · open · ${p.due ? `due since ${p.closes}` : `closes ${p.closes}`}`
        : `*${month}* · ${state} ${p.when} by ${p.by} · ${p.posted ? 'posted' : 'not posted'}`,
    earlier: (n: number) => `and ${n} earlier ${n === 1 ? 'month' : 'months'}`,
  },
  home: {
    title: 'Tally',
    month: (m: string) => `This month (${m})`,
    team: 'Team',
    pending: 'Appeals waiting for you',
    noPending: 'No appeals waiting.',
    waiting: (total: number, from: number, to: number) =>
      `${total} waiting for you; ${from === to ? `#${from}` : `${from} to ${to}`} shown.`,
    previous: '◀ Previous',
    next: 'Next ▶',
  },
};

export type Texts = typeof en;
