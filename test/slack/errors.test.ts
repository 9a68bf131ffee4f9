// Every refusal code, with sample params, through both Slack locales and the CLI: a zh-CN team reads
// no English, an en team no Chinese, and no Slack refusal names a CLI flag or a `tally` command.
import { describe, expect, it } from 'vitest';
import { cliErrors } from '../../src/cli/text.js';
import { TallyError, type ErrorCode, type ErrorParams } from '../../src/errors.js';
import { explain, texts } from '../../src/slack/text/index.js';

const cell = { file: 'metrics.csv', line: 3, column: 'gmv' };

/** Sample params for every code, every variant of a code's words included (the type checker asks for each code). */
const SAMPLES: { [K in ErrorCode]: Array<ErrorParams[K]> } = {
  not_on_roster: [{ slackId: 'U404' }],
  inactive_member: [{ slackId: 'U00001011', name: 'Amy' }],
  staff_only: [
    { action: 'record_penalties', slackId: 'U00001001', name: 'Amy', role: 'agent' },
    { action: 'revoke_penalties' },
    { action: 'decide_appeals' },
    { action: 'see_others_scores' },
    { action: 'see_others_penalties' },
    { action: 'import_files' },
    { action: 'decide_promotions' },
    { action: 'change_roster' },
    { action: 'close_month' },
  ],
  admin_only: [
    { action: 'reopen_month', name: 'Amy', role: 'lead' },
    { action: 'set_policy' },
    { action: 'set_policy', name: 'Amy', role: 'supervisor' },
    { action: 'drop_policy', name: 'Amy', role: 'lead' },
    { action: 'correct_hire_date', name: 'Amy', role: 'agent' },
  ],
  outranked: [
    { action: 'penalise', slackId: 'U1', name: 'Lee', role: 'lead', may: ['supervisor', 'admin'] },
    { action: 'penalise', slackId: 'U1', name: 'Ann', role: 'admin', may: [] },
    { action: 'revoke', slackId: 'U1', name: 'Sue', role: 'supervisor', may: ['admin'] },
    { action: 'decide_appeal', slackId: 'U1', name: 'Sue', role: 'supervisor', may: ['admin'] },
    { action: 'decide_promotion', slackId: 'U1', name: 'Lee', role: 'lead', may: ['supervisor', 'admin'] },
    { action: 'change', slackId: 'U1', name: 'Lee', role: 'lead', may: ['supervisor', 'admin'], ...cell },
  ],
  cannot_give: [
    { what: 'role', value: 'admin', may: ['admin'] },
    { what: 'level', value: 'lead', may: ['supervisor', 'admin'], ...cell },
  ],
  self_change: [{ what: 'assignment' }, { what: 'active' }, { what: 'hire_date' }, { what: 'assignment', ...cell }],
  already_active: [{ slackId: 'U1', name: 'Amy' }],
  already_inactive: [{ slackId: 'U1', name: 'Amy' }],
  unknown_track: [{ value: 'sales', tracks: 'presales, aftersales' }],
  unknown_level: [{ value: 'boss', levels: 'trainee, regular' }],
  unknown_role: [{ value: 'king', roles: 'agent, lead' }],
  assignment_empty: [{}],
  assignment_unchanged: [{ slackId: 'U1', name: 'Amy', from: '2026-11-01' }],
  hire_date_needs_correct: [{ slackId: 'U1', name: 'Amy', hiredOn: '2026-01-05', value: '2026-02-05' }],
  hire_date_same: [{ slackId: 'U1', name: 'Amy', hiredOn: '2026-01-05' }],
  hire_date_after_change: [{ slackId: 'U1', name: 'Amy', value: '2026-05-01', from: '2026-04-01' }],
  hire_date_after_metrics: [{ slackId: 'U1', name: 'Amy', value: '2026-05-01', day: '2026-04-03' }],
  last_decider: [
    { slackId: 'U1', name: 'Lee', role: 'lead', change: 'deactivate' },
    { slackId: 'U1', name: 'Lee', role: 'lead', change: 'demote' },
  ],
  bad_date: [{ value: '2026-02-30' }, { value: '2026-02-30', field: 'on' }, { value: '2026-02-30', field: 'from' }],
  bad_month: [{ value: '2026-13' }],
  ambiguous_date: [{ value: '10/05/2026' }],
  future_date: [
    { value: '2026-11-06', today: '2026-11-05' },
    { value: '2026-11-06', today: '2026-11-05', field: 'period' },
  ],
  future_month: [{ value: '2026-12', month: '2026-11' }],
  several_dates: [{ first: '2026-11-01', second: '2026-11-02' }],
  period_both: [{}],
  period_missing: [{}],
  bad_daily_period: [{ value: '2026-13' }],
  bad_monthly_period: [{ value: '2026-13' }],
  too_early: [
    { day: '2026-11-05', due: '21:00', now: '12:00' },
    { day: '2026-11-10', due: '2026-11-11 02:30', now: '10:00' },
  ],
  month_closed: [
    { month: '2026-10', write: 'penalty', on: '2026-10-20' },
    { month: '2026-10', write: 'revoke', id: 7 },
    { month: '2026-10', write: 'accept_appeal', id: 3 },
    { month: '2026-10', write: 'metrics', file: 'late.csv' },
    { month: '2026-10', write: 'assignment', slackId: 'U1', from: '2026-10-15' },
    { month: '2026-10', write: 'hire_date', slackId: 'U1', value: '2026-10-15' },
  ],
  month_already_closed: [{ month: '2026-10' }],
  month_not_over: [{ month: '2026-11', today: '2026-11-05' }],
  month_open: [{ month: '2026-10' }],
  month_kept_changing: [{ month: '2026-10' }],
  missing_reopen_reason: [{}],
  self_penalty: [{}],
  before_hire: [{ value: '2026-08-01', slackId: 'U00001007', name: 'Amy', hiredOn: '2026-08-10' }],
  bad_amount: [{ name: 'amount' }, { name: 'loss' }, { name: 'amount', value: '¥5x' }, { name: 'loss', value: '¥x' }],
  zero_amount: [{}],
  amount_too_large: [
    { amountFen: 10_000_100, maxFen: 10_000_000 },
    { amountFen: 10_000_100, maxFen: 10_000_000, name: 'amount' },
    { amountFen: 10_000_100, maxFen: 10_000_000, name: 'loss' },
  ],
  missing_reason: [{}],
  reason_too_long: [
    { length: 4000, max: 500, text: 'reason' },
    { length: 4000, max: 500, text: 'comment' },
  ],
  ambiguous_rule: [{ text: 'late', codes: 'late_reply, late_shift' }],
  unknown_rule: [{ rule: 'buck_pasing', codes: 'buck_passing, personal_chat' }],
  free_reason_needs_amount: [{ reason: 'broke_the_headset', codes: 'buck_passing, personal_chat' }],
  pick_rule_or_amount: [{}],
  loss_on_free_reason: [{}],
  loss_not_allowed: [{ rule: 'buck_passing' }],
  loss_required: [{ rule: 'order_change_missed', amountFen: 2000 }],
  rule_has_amount: [{ rule: 'buck_passing', amountFen: 5000 }],
  missing_mention: [{}],
  unknown_person: [{ name: 'Wu' }],
  ambiguous_person: [{ name: 'Amy', count: 2 }],
  unexpected_words: [
    { command: 'myscore', words: 'Amy' },
    { command: 'leaderboard', words: 'presale' },
    { command: 'penalty_list', words: 'Amy' },
  ],
  leaderboard_person: [{}],
  several_mentions: [{}],
  mention_channel: [{}],
  mention_group: [{}],
  several_amounts: [
    { name: 'amount', first: '¥50', second: '¥60' },
    { name: 'loss', first: '¥5', second: '¥6' },
  ],
  command_too_long: [{ length: 5001, max: 5000 }],
  no_such_penalty: [{ id: 99999 }, { id: '#12x' }],
  already_revoked: [{ id: 5 }, { id: 5, by: 'U0LEAD001', byName: 'Amy', on: '2026-11-04', why: '#5' }],
  self_revoke: [{}],
  missing_revoke_reason: [{}],
  no_such_page: [{ page: '7', pages: 6 }],
  missing_comment: [{ for: 'appeal' }, { for: 'decision' }],
  already_appealed: [{ id: 5, status: 'pending' }],
  no_penalty_of_yours: [{ id: 5 }],
  already_decided: [{ id: 2 }],
  appeal_penalty_revoked: [{ id: 5, by: 'U0LEAD001', byName: 'Amy' }],
  no_such_appeal: [{ id: 2 }],
  not_deciding_lead: [{ id: 2 }],
  self_decide: [{}],
  not_a_candidate: [
    { slackId: 'U1', name: 'Amy', month: '2027-01', why: 'no_path', level: 'supervisor' },
    { slackId: 'U1', name: 'Amy', month: '2027-01', why: 'time', level: 'regular', to: 'senior', metOn: '2027-01-15' },
    { slackId: 'U1', name: 'Amy', month: '2027-01', why: 'months', level: 'regular', to: 'senior' },
    { slackId: 'U1', name: 'Amy', month: '2027-01', why: 'average', level: 'regular', to: 'senior' },
    { slackId: 'U1', name: 'Amy', month: '2027-01', why: 'dismissal', level: 'regular', to: 'senior' },
  ],
  probation_not_over: [{ slackId: 'U1', name: 'Amy', ends: '2026-12-15' }],
  promotion_decided: [
    { slackId: 'U1', name: 'Amy', month: '2027-01', decision: 'approved', by: 'U9' },
    { slackId: 'U1', name: 'Amy', month: '2027-01', decision: 'declined', by: 'U9' },
  ],
  self_promotion: [{}],
  missing_decline_reason: [{}],
  stale_form: [{}],
  draft_used: [{}],
  draft_gone: [{}],
  upload_not_a_table: [{ file: 'payroll.pdf' }],
  upload_too_large: [{ file: 'metrics.csv', maxMb: 20 }],
  upload_unknown_kind: [{ file: 'notes.csv' }],
  upload_gone: [{}],
  upload_download_failed: [{ file: 'metrics.csv' }],
  policy_field: [{ path: 'pay.mealAllowanceFen', problem: '≥ 0' }],
  policy_not_object: [{}],
  policy_reserved_key: [{ path: 'penalties.rules.__proto__', key: '__proto__' }],
  policy_too_many_rules: [{ active: 501, max: 500 }],
  policy_backdated: [{ from: '2026-10-01', today: '2026-11-05' }],
  policy_version_exists: [{ from: '2026-12-01', setBy: 'U0ADMIN01', setAt: '2026-11-05 10:00' }],
  no_policy_version: [{ from: '2026-12-02', versions: '2026-11-01, 2026-12-01' }],
  policy_version_started: [{ from: '2026-11-01', today: '2026-11-05' }],
  policy_version_first: [{ from: '2026-12-01' }],
  busy_conflicts: [
    { file: 'big.csv', kind: 'metrics' },
    { file: 'roster.csv', kind: 'roster' },
  ],
  csv_invalid: [
    { file: 'bad.csv', problem: '2 != 3' },
    { file: 'bad.csv', line: 4, problem: '2 != 3' },
  ],
  csv_empty: [{ file: 'empty.csv' }, { file: 'empty.xlsx', sheet: 'Sheet1' }],
  csv_no_rows: [{ file: 'header.csv' }, { file: 'header.xlsx', sheet: 'Daily' }],
  csv_missing_weighed_column: [{ file: 'part.csv', column: 'service_score', kpi: 'service', track: 'presales' }],
  file_binary: [
    { file: 'photo.csv', kind: 'binary' },
    { file: 'old.xls', kind: 'old_excel' },
    { file: 'book.xlsx', kind: 'workbook' },
  ],
  file_not_utf8: [{ file: 'mixed.csv', line: 40_000 }],
  file_not_workbook: [{ file: 'a.csv', sheet: 'Daily' }],
  xlsx_invalid: [{ file: 'broken.xlsx', problem: 'invalid signature' }],
  xlsx_no_sheet: [{ file: 'book.xlsx', sheet: 'Data', sheets: 'Daily, Summary' }],
  file_too_big: [
    { file: 'bomb.xlsx', limit: 'unpacked', max: 200 },
    { file: 'bomb.xlsx', limit: 'part', max: 50, part: 'xl/sharedStrings.xml' },
    { file: 'bomb.xlsx', limit: 'ratio', max: 100, part: 'xl/sharedStrings.xml' },
    { file: 'bomb.xlsx', limit: 'parts', max: 10_000 },
    { file: 'bomb.xlsx', limit: 'memory', max: 256 },
    { file: 'big.xlsx', sheet: 'Daily', limit: 'rows', max: 500_000 },
    { file: 'big.csv', limit: 'cells', max: 10_000_000 },
    { file: 'wide.csv', limit: 'columns', max: 16_384 },
    { file: 'line.csv', line: 2, limit: 'line', max: 1_048_576 },
  ],
  files_busy: [{ file: 'daily.xlsx', max: 3 }],
  csv_unknown_column: [{ file: 'col.csv', line: 1, position: 3, header: 'gmvv', expected: 'date,slack_id,gmv' }],
  csv_repeated_column: [{ file: 'col.csv', line: 1, column: 'gmv' }],
  csv_missing_column: [{ file: 'col.csv', line: 1, columns: 'slack_id' }],
  csv_bad_date: [{ ...cell, value: '2026-02-30' }],
  csv_ambiguous_date: [{ ...cell, value: '10/05/2026' }],
  csv_future_date: [{ ...cell, value: '2026-11-06', today: '2026-11-05' }],
  csv_before_hire: [{ ...cell, value: '2026-08-01', slackId: 'U00001007', hiredOn: '2026-08-10' }],
  csv_member_away: [{ ...cell, value: '2026-05-10', slackId: 'U00001001', month: '2026-05', since: '2026-04-10' }],
  csv_not_on_roster: [{ ...cell, slackId: 'U404' }],
  csv_missing_slack_id: [cell, { ...cell, sheet: 'Daily' }],
  csv_missing_platform_account: [cell],
  csv_unknown_platform_account: [{ ...cell, account: 'goodshop:wang' }],
  csv_repeated_platform_account: [{ ...cell, account: 'goodshop:wang', firstLine: 2 }],
  csv_platform_account_taken: [{ ...cell, account: 'goodshop:wang', slackId: 'U1' }],
  csv_repeated_day: [{ ...cell, slackId: 'U1', day: '2026-11-01', firstLine: 2 }],
  csv_not_count: [{ ...cell, value: '1.5' }],
  csv_count_too_large: [{ ...cell, value: '1000001', max: 1_000_000 }],
  csv_negative: [{ ...cell, value: '-1' }],
  csv_too_many_decimals: [{ ...cell, value: '1.234' }],
  csv_not_yuan: [{ ...cell, value: '1,2,3' }],
  csv_gmv_too_large: [{ ...cell, value: '100000001' }],
  csv_not_number: [{ ...cell, value: '9.9999' }],
  csv_out_of_range: [{ ...cell, value: '100.5', max: 100 }],
  csv_paid_over_inquiries: [{ ...cell, paid: 6, inquiries: 5 }],
  csv_resolved_over_cases: [{ ...cell, resolved: 4, cases: 3 }],
  csv_not_slack_id: [{ ...cell, value: 'U-1' }],
  csv_repeated_member: [{ ...cell, slackId: 'U1', firstLine: 2 }],
  csv_bad_name: [cell],
  csv_name_control: [{ ...cell, char: 'U+000B' }],
  csv_bad_track: [{ ...cell, value: 'X1' }],
  csv_bad_level: [{ ...cell, value: 'X1', levels: 'trainee, regular' }],
  csv_bad_role: [{ ...cell, value: 'X1', roles: 'agent, lead' }],
  csv_hire_date_changed: [{ ...cell, slackId: 'U1', name: 'Amy', hiredOn: '2026-01-05', value: '2026-06-01' }],
};

const cases = (Object.keys(SAMPLES) as ErrorCode[]).flatMap((code) =>
  (SAMPLES[code] as object[]).map((params, i) => ({
    name: `${code}${i ? ` #${i + 1}` : ''}`,
    error: new TallyError(code, params as never),
    params: params as Record<string, unknown>,
  })),
);

/** The sentence with what the params put in it (ids, codes, file names, what was typed) and mentions taken out. */
function ownWords(sentence: string, params: Record<string, unknown>): string {
  let words = sentence.replace(/<@[UW][A-Z0-9]+>/g, ' ').replace(/&(lt|gt|amp);/g, ' ');
  const values = Object.values(params)
    .filter((v): v is string => typeof v === 'string')
    .sort((a, b) => b.length - a.length);
  for (const v of values) words = words.split(v).join(' ');
  // the slash command is a name, a Slack id an id; 客服ID is the Chinese files' own header
  return (
    words
      .replace(/\/(penalty|myscore|leaderboard)\b/g, ' ')
      .replace(/\b[UW][A-Z0-9]{4,}\b/g, ' ')
      .replace(/客服ID/g, ' ')
      // file formats by the names Chinese Excel's own Save As menu gives them
      .replace(/\bExcel\b|\bUTF-8\b|\bCSV\b|\.xlsx?\b/g, ' ')
  );
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const CLI = /(^|\s)--[a-z]|\btally (month|jobs|penalty|policy|roster|metrics)\b/;

describe('every refusal code in both Slack languages', () => {
  it('covers every code: the samples and the tables have the same codes', () => {
    const codes = Object.keys(SAMPLES).sort();
    expect(Object.keys(texts('zh-CN').error).sort()).toEqual(codes);
    expect(Object.keys(texts('en').error).sort()).toEqual(codes);
    expect(Object.keys(cliErrors).sort()).toEqual(codes);
    expect(codes.length).toBeGreaterThan(90);
  });

  it.each(cases)('$name: one line in Chinese with no English word, one in English with no Chinese', (c) => {
    const zh = explain(texts('zh-CN'), c.error);
    const en = explain(texts('en'), c.error);
    for (const line of [zh, en]) {
      expect(line).toMatch(/^:no_entry_sign: \S/);
      expect(line).not.toContain('\n');
      expect(line).not.toMatch(CLI);
      expect(line).not.toContain('undefined');
    }
    expect(ownWords(zh.replace(':no_entry_sign:', ''), c.params)).not.toMatch(/[A-Za-z]/);
    expect(zh).toMatch(CJK);
    expect(en).not.toMatch(CJK);
    expect(ownWords(en.replace(':no_entry_sign:', ''), c.params)).toMatch(/[A-Za-z]{2}/);
    // the CLI says it too, on one line
    const cli = cliErrors[c.error.code](c.params as never);
    expect(cli.length).toBeGreaterThan(5);
    expect(cli).not.toContain('\n');
    expect(cli).not.toContain('undefined');
  });

  it('escapes what people typed before it goes into mrkdwn', () => {
    const e = new TallyError('bad_amount', { name: 'amount', value: '¥5<!channel>' });
    expect(explain(texts('en'), e)).toContain('¥5&lt;!channel&gt;');
    expect(explain(texts('zh-CN'), e)).not.toContain('<!channel>');
  });
});
