// 中文文案。结构与 en.ts 相同（类型检查保证）。
import { formatFen } from '../../core/money.js';
import type { Level, Role } from '../../core/policy.js';
import type { OverAction } from '../../core/standing.js';
import type { AdminAction, ClosedWrite, CsvCell, ErrorParams, NotCandidate, StaffAction } from '../../errors.js';
import type { Texts } from './en.js';

const yuan = formatFen;

const STAFF_ACTIONS: Record<StaffAction, string> = {
  record_penalties: '记录处罚',
  revoke_penalties: '撤销处罚',
  decide_appeals: '处理申诉',
  see_others_scores: '查看别人的绩效',
  see_others_penalties: '查看别人的处罚',
  import_files: '导入文件',
  decide_promotions: '审批晋升',
  change_roster: '修改花名册',
  close_month: '手动结算月份',
};

const ADMIN_ACTIONS: Record<AdminAction, string> = {
  reopen_month: '重新打开已结算的月份',
  set_policy: '修改制度',
  drop_policy: '撤销尚未生效的制度版本',
  correct_hire_date: '更正入职日期',
};

/** 对某人做的事：「只有主管或管理员可以处罚」 */
const OVER_ACTIONS: Record<OverAction, string> = {
  penalise: '处罚',
  revoke: '撤销其处罚',
  decide_appeal: '处理其申诉',
  decide_promotion: '审批其晋升',
  change: '调整其岗位、级别或角色',
};

function closedWrite(w: ClosedWrite): string {
  if (w.write === 'penalty') return `记录日期为 ${w.on} 的处罚`;
  if (w.write === 'revoke') return `撤销处罚 #${w.id}`;
  if (w.write === 'accept_appeal') return `通过申诉 #${w.id}`;
  if (w.write === 'assignment') return `从 ${w.from} 起调整 <@${w.slackId}> 的岗位、级别或角色`;
  if (w.write === 'hire_date') return `把 <@${w.slackId}> 的入职日期改为 ${w.value}`;
  return `导入 ${w.file}`;
}

/** CSV 的 `文件 第 3 行`，工作簿的 `文件 工作表 业绩 第 3 行` */
const place = (c: { file: string; sheet?: string; line?: number }) =>
  `${c.file}${c.sheet === undefined ? '' : ` 工作表 ${c.sheet}`}${c.line === undefined ? '' : ` 第 ${c.line} 行`}`;
/** `文件 第 3 行，列 日期：...`，列名按文件里写的 */
const cell = (c: CsvCell, what: string) => `${place(c)}，列 ${c.column}：${what}`;
/** 读一个文件超出了限度：是什么，再说怎么办 */
const tooBig = (p: ErrorParams['file_too_big']): string => {
  const n = p.max.toLocaleString('en-US');
  const redo = '请另存为 CSV，或按月拆分后分别发送。';
  const units = { rows: '行', cells: '个单元格', columns: '列' } as const;
  switch (p.limit) {
    case 'unpacked':
      return `${p.file}：工作簿解压后超过 ${n} 兆，超出单个文件的限度，没有读取。${redo}`;
    case 'part':
      return `${p.file}：其中的 ${p.part} 解压后超过 ${n} 兆，超出单个文件的限度，没有读取。${redo}`;
    case 'ratio':
      return `${p.file}：其中的 ${p.part} 解压后是压缩大小的 ${n} 倍以上，正常的表格不会这样，没有读取。请用 Excel 重新保存。`;
    case 'parts':
      return `${p.file}：工作簿的组成部分超过 ${n} 个，没有读取。请用 Excel 重新保存。`;
    case 'memory':
      return `${p.file}：读取它用的内存超过 ${n} 兆，超出单个文件的限度，没有写入任何数据。${redo}`;
    case 'line':
      return `${place(p)}：一行超过 ${n} 个字符，不是表格，没有写入任何数据。`;
    default:
      return `${place(p)}：超过 ${n} ${units[p.limit]}，超出单个文件的限度，没有写入任何数据。${redo}`;
  }
};
/** 来自花名册文件某一行的拒绝写明是哪一行；来自命令的不写 */
const maybeCell = (c: Partial<CsvCell>, what: string) =>
  c.file !== undefined && c.line !== undefined && c.column !== undefined ? cell(c as CsvCell, what) : what;

const LEVELS: Record<Level, string> = {
  trainee: '见习',
  regular: '正式',
  senior: '资深',
  lead: '组长',
  supervisor: '主管',
};
const ROLES: Record<Role, string> = { agent: '客服', lead: '组长', supervisor: '主管', admin: '管理员' };
const LEVEL_WORDS = Object.values(LEVELS).join('、');
const ROLE_WORDS = Object.values(ROLES).join('、');
/** 主管或管理员；组长、主管或管理员 */
const anyOf = (roles: readonly Role[]) =>
  roles
    .map((r) => ROLES[r])
    .join('、')
    .replace(/、(?=[^、]*$)/, '或');
const USAGE = {
  myscore: '/myscore [今天|本月|2026-11|2026-11-05] [@某人]',
  leaderboard: '/leaderboard [今天|本月|2026-11] [售前|售后]',
  penalty_list: '/penalty 列表 [@某人] [2026-11]',
} as const;
/** 2026-11 → 2026年11月 */
const zhMonth = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
const NOT_CANDIDATE: Record<NotCandidate, (p: { level: Level; to?: Level; metOn?: string }) => string> = {
  no_path: (p) => `规则里${LEVELS[p.level]}没有下一个级别`,
  time: (p) => `${LEVELS[p.level]}任职时间到 ${p.metOn} 才满`,
  months: () => '评审期内有得分的月份不够',
  average: () => '平均分低于要求',
  dismissal: () => '评审期内有开除标记',
};

export const zhCN: Texts = {
  lang: 'zh',
  apology: '抱歉，系统出了点问题，已记录日志，请稍后再试。',
  fault: {
    connection: '抱歉，系统与数据库的连接中断了。本次操作没有保存任何内容，请稍后再试。',
    disk_full: '抱歉，数据库所在的磁盘已满。本次操作没有保存任何内容；已记录日志，请在管理员腾出空间后再试。',
    out_of_memory: '抱歉，系统内存不足。本次操作没有保存任何内容，请稍后再试。',
    read_only: '抱歉，数据库暂时无法写入。本次操作没有保存任何内容；已记录日志，请稍后再试。',
    permission: '抱歉，系统没有写入数据库的权限。本次操作没有保存任何内容；已记录日志，请稍后再试。',
  },
  notOnRoster: (id) => `你（<@${id}>）还不在花名册上，请联系组长添加。`,
  refused: (why) => `:no_entry_sign: ${why}`,
  error: {
    not_on_roster: (p) => `<@${p.slackId}> 不在花名册上。`,
    inactive_member: (p) => `<@${p.slackId}> 已停用。`,
    staff_only: (p) => `只有组长、主管或管理员可以${STAFF_ACTIONS[p.action]}。`,
    admin_only: (p) => `只有管理员可以${ADMIN_ACTIONS[p.action]}。`,
    outranked: (p) =>
      maybeCell(
        p,
        p.may.length
          ? `<@${p.slackId}> 是${ROLES[p.role]}：只有${anyOf(p.may)}可以${OVER_ACTIONS[p.action]}。`
          : `<@${p.slackId}> 是${ROLES[p.role]}：谁都不能${OVER_ACTIONS[p.action]}。`,
      ),
    cannot_give: (p) =>
      maybeCell(
        p,
        p.what === 'role'
          ? `只有${anyOf(p.may)}可以把人设为${ROLES[p.value as Role]}。`
          : `只有${anyOf(p.may)}可以把人的级别定为${LEVELS[p.value as Level]}。`,
      ),
    self_change: (p) =>
      maybeCell(
        p,
        p.what === 'assignment'
          ? '不能调整自己的岗位、级别或角色，请找上级。'
          : p.what === 'active'
            ? '不能停用或启用自己，请找上级。'
            : '不能更正自己的入职日期，请找管理员。',
      ),
    already_active: (p) => `<@${p.slackId}> 已经是启用状态。`,
    already_inactive: (p) => `<@${p.slackId}> 已经停用了。`,
    unknown_track: (p) => `"${p.value}" 不是岗位，请写 售前 或 售后。`,
    unknown_level: (p) => `"${p.value}" 不是级别，请写 ${LEVEL_WORDS}。`,
    unknown_role: (p) => `"${p.value}" 不是角色，请写 ${ROLE_WORDS}。`,
    assignment_empty: () => '请说明要调整什么：岗位、级别或角色。',
    assignment_unchanged: (p) => `<@${p.slackId}> 从 ${p.from} 起已经是这个岗位、级别和角色，没有变化。`,
    hire_date_needs_correct: (p) => `<@${p.slackId}> 的入职日期是 ${p.hiredOn}；改成 ${p.value} 需要作为更正来做。`,
    hire_date_same: (p) => `<@${p.slackId}> 的入职日期已经是 ${p.hiredOn}。`,
    hire_date_after_change: (p) =>
      `${p.value} 晚于 <@${p.slackId}> 在 ${p.from} 的岗位、级别或角色调整；入职日期必须在前。`,
    hire_date_after_metrics: (p) => `${p.value} 晚于 <@${p.slackId}> ${p.day} 的业绩数据；入职日期必须在前。`,
    last_decider: (p) =>
      `<@${p.slackId}> 是团队里最后一位在职的组长、主管或管理员：${p.change === 'deactivate' ? '停用' : '降为客服'}后就没有人能处理申诉、接收工资表了。请先让另一位成员担任组长；本次没有做任何修改。`,
    bad_date: (p) => `"${p.value}" 不是有效日期，请按 2026-11-05 的格式写。`,
    bad_month: (p) => `"${p.value}" 不是有效月份，请按 2026-11 的格式写。`,
    ambiguous_date: (p) => `"${p.value}" 看不出哪个是日、哪个是月，请把年份写在前面，例如 2026-11-05。`,
    future_date: (p) => `${p.value} 是未来的日期（今天是 ${p.today}）。`,
    future_month: (p) => `${p.value} 还没开始（本月是 ${p.month}）。`,
    several_dates: (p) => `只能写一个日期："${p.first}" 和 "${p.second}" 是两个。`,
    period_both: () => '请只写一天或一个月，不要同时写。',
    period_missing: () => '请写明哪一天或哪个月，例如 2026-11-05 或 2026-11。',
    bad_daily_period: (p) => `"${p.value}" 不是日期：每日排名按天发布，例如 2026-11-05。`,
    bad_monthly_period: (p) => `"${p.value}" 不是月份：月度结果按月发布，例如 2026-10。`,
    too_early: (p) => `${p.day} 的每日排名 ${p.due} 才发布，现在是 ${p.now}。`,
    month_closed: (p) => `${p.month} 已结算，不能${closedWrite(p)}。请管理员先重新打开 ${p.month}。`,
    month_already_closed: (p) => `${p.month} 已经结算过了。`,
    month_not_over: (p) => `${p.month} 还没结束（今天是 ${p.today}）。`,
    month_open: (p) => `${p.month} 没有结算，无需重新打开。`,
    month_kept_changing: (p) => `${p.month} 结算时数据一直在变，请一分钟后再试。`,
    missing_reopen_reason: () => '请写明重新打开这个月的原因。',
    self_penalty: () => '不能处罚自己，请找其他组长或主管。',
    before_hire: (p) => `${p.value} 早于 <@${p.slackId}> 的入职日期（${p.hiredOn}）。`,
    bad_amount: (p) =>
      p.value === undefined
        ? `${p.name === 'loss' ? '损失金额' : '金额'}必须是 ¥0 或以上。`
        : p.name === 'loss'
          ? `损失金额写法不对："${p.value}"，例如 损失 ¥35.50。`
          : `金额写法不对："${p.value}"，例如 ¥50 或 ¥35.50。`,
    zero_amount: () => '金额写法不对：¥0 不算处罚，请写大于 0 的金额，例如 ¥50。',
    amount_too_large: (p) =>
      `${p.name === 'loss' ? '损失金额' : '金额'} ${yuan(p.amountFen)} 超过单笔上限 ${yuan(p.maxFen)}。`,
    missing_reason: () => '请写明违反的规则或原因。',
    reason_too_long: (p) => `${p.text === 'comment' ? '说明' : '原因'}有 ${p.length} 个字，最多 ${p.max} 个。`,
    ambiguous_rule: (p) => `"${p.text}" 对应多条规则（${p.codes}），请写规则代码。`,
    unknown_rule: (p) => `没有这条规则："${p.rule}"。输入 /penalty 规则 查看规则；自由原因请写金额，例如 ¥50。`,
    free_reason_needs_amount: () => '这不是规则名，自由原因需要写金额，例如 ¥50。输入 /penalty 规则 查看规则。',
    pick_rule_or_amount: () => '请选择一条规则，或为自由原因填写金额。',
    loss_on_free_reason: () => '只有带损失金额的规则可以加损失；自由原因请把全部金额写在金额里，例如 ¥80。',
    loss_not_allowed: (p) => `规则 ${p.rule} 不加损失金额，请去掉损失。`,
    loss_required: (p) =>
      `规则 ${p.rule} 在 ${yuan(p.amountFen)} 之外还要加上客户损失，例如 损失 ¥35.50（没有损失写 损失 ¥0）。`,
    rule_has_amount: (p) => `规则 ${p.rule} 的金额由制度规定（${yuan(p.amountFen)}），不能修改；其他金额请用自由原因。`,
    missing_mention: () => '请@一位客服：/penalty @客服 规则或原因',
    unknown_person: (p) => `花名册上没有叫 ${p.name} 的人：请在输入 @ 时从弹出的名单里选人。`,
    ambiguous_person: (p) => `花名册上有 ${p.count} 个人叫 ${p.name}：请在输入 @ 时从弹出的名单里选出你要的那位。`,
    unexpected_words: (p) => `看不懂"${p.words}"。用法：${USAGE[p.command]}`,
    leaderboard_person: () => '排行榜按岗位列出全体；看某个人的绩效请用 /myscore @某人。',
    several_mentions: () => '一次只能处罚一个人，请只@一位。',
    mention_channel: () => '这是频道，请@一个人。',
    mention_group: () => '请@一个人，不要@群组。',
    several_amounts: (p) =>
      `只能写一个${p.name === 'loss' ? '损失金额' : '金额'}："${p.first}" 和 "${p.second}" 是两个。`,
    command_too_long: (p) => `命令有 ${p.length} 个字，最多 ${p.max} 个，请缩短原因。`,
    no_such_penalty: (p) => `没有编号为 #${p.id} 的处罚。`,
    already_revoked: (p) =>
      p.by ? `处罚 #${p.id} 已被撤销（<@${p.by}>，${p.on}）：${p.why}` : `处罚 #${p.id} 已被撤销。`,
    self_revoke: () => '不能撤销自己的处罚，请找其他组长或主管。',
    missing_revoke_reason: () => '请写明撤销的原因：/penalty 撤销 <编号> <原因>',
    no_such_page: (p) => `处罚制度没有第 "${p.page}" 页，共 ${p.pages} 页。`,
    missing_comment: () => '请填写说明。',
    already_appealed: (p) => `你已经对处罚 #${p.id} 提出过申诉。`,
    no_penalty_of_yours: (p) => `你没有编号为 #${p.id} 的处罚。`,
    already_decided: (p) => `处罚 #${p.id} 的申诉已经处理过了。`,
    appeal_penalty_revoked: (p) => `处罚 #${p.id} 已被 <@${p.by}> 撤销，它的申诉已关闭。`,
    no_such_appeal: (p) => `处罚 #${p.id} 没有申诉。`,
    not_deciding_lead: (p) => `只有记录这次处罚的组长、主管或管理员可以处理处罚 #${p.id} 的申诉。`,
    self_decide: () => '不能处理自己的申诉。',
    not_a_candidate: (p) => `<@${p.slackId}> 不是${zhMonth(p.month)}的晋升候选人：${NOT_CANDIDATE[p.why](p)}。`,
    probation_not_over: (p) => `<@${p.slackId}> 的试用期到 ${p.ends} 才结束，之后再转正。`,
    promotion_decided: (p) =>
      `<@${p.slackId}> ${zhMonth(p.month)}的晋升已由 <@${p.by}> ${p.decision === 'approved' ? '批准' : '驳回'}，本次操作未做任何更改。`,
    self_promotion: () => '不能审批自己的晋升。',
    missing_decline_reason: () => '请写明不批准的原因，客服会看到。',
    stale_form: () => '这个按钮或表单已失效，请从消息里重新打开。',
    draft_used: () => '这次处罚已经记录过了。',
    draft_gone: () => '这个规则选择框已失效，请重新输入 /penalty。',
    upload_not_a_table: (p) => `${p.file} 不是能导入的文件：请把花名册或每日数据另存为逗号分隔的表格文件再发来。`,
    upload_too_large: (p) => `${p.file} 超过 ${p.maxMb} 兆：请按月拆分后分别发送。`,
    upload_unknown_kind: (p) =>
      `${p.file} 既不是花名册也不是每日数据：第一行必须写列名（客服ID、姓名……或 日期、客服ID……）。`,
    upload_gone: () => '这个文件已不在等待导入：请重新发送。',
    upload_download_failed: (p) => `没能取到文件 ${p.file}，请稍后重新发送。`,
    policy_field: (p) => `制度设置 ${p.path} 有误：${p.problem}`,
    policy_not_object: () => '制度文件的最外层必须是一个对象（{ … }）。',
    policy_reserved_key: (p) => `制度设置 ${p.path} 有误："${p.key}" 是保留字，不能用作制度里的名称。`,
    policy_too_many_rules: (p) => `在用的处罚规则有 ${p.active} 条，最多 ${p.max} 条，请停用旧规则。`,
    policy_backdated: (p) => `${p.from} 早于今天（${p.today}）：从那天起生效会重算过去的绩效，必须明确确认补录。`,
    policy_version_exists: (p) =>
      `${p.from} 起生效的制度版本已经存在（${p.setBy} 于 ${p.setAt} 设置）；替换它需要确认。`,
    no_policy_version: (p) => `没有从 ${p.from} 起生效的制度版本。`,
    policy_version_started: (p) => `${p.from} 起的制度版本已经生效（今天是 ${p.today}）；只能撤销尚未生效的版本。`,
    policy_version_first: (p) => `${p.from} 起的制度版本是团队的第一个版本，不能撤销。`,
    busy_conflicts: (p) => `导入 ${p.file} 时数据库因写入冲突多次拒绝，什么都没有写入，请再试一次。`,
    csv_invalid: (p) => `${place(p)}：不是有效的表格文件（${p.problem}）。`,
    csv_empty: (p) => `${place(p)} 是空的：第一行必须写列名。`,
    csv_no_rows: (p) => `${place(p)} 没有数据行：只有表头。`,
    csv_unknown_column: (p) => `${place(p)}第 ${p.position} 列：没有 "${p.header}" 这一列；应为 ${p.expected}。`,
    csv_repeated_column: (p) => `${place(p)}：列 ${p.column} 出现了两次。`,
    csv_missing_column: (p) => `${place(p)}：缺少列 ${p.columns}。`,
    csv_missing_weighed_column: (p) =>
      `${place(p)}：缺少列 ${p.column}，${p.track === 'presales' ? '售前' : '售后'}考核项 ${p.kpi} 要用到它；导入会清空每一行的这项数据。请加上这一列（空格子表示没有数据）。`,
    file_binary: (p) =>
      p.kind === 'old_excel'
        ? `${p.file} 是旧版 Excel .xls 文件：请另存为 .xlsx 或 UTF-8 CSV。`
        : `${p.file} 不是文本或 Excel 文件：请另存为 UTF-8 CSV 或 .xlsx。`,
    file_not_utf8: (p) => `${p.file} 第 ${p.line} 行：不是 UTF-8 文本，请另存为 UTF-8 CSV 或 .xlsx。`,
    file_not_workbook: (p) => `${p.file} 不是 Excel 工作簿，没有工作表 "${p.sheet}"。`,
    xlsx_invalid: (p) => `${p.file} 不是能读取的 .xlsx 工作簿（${p.problem}），请用 Excel 重新保存。`,
    xlsx_no_sheet: (p) => `${p.file} 没有工作表 "${p.sheet}"；它的工作表：${p.sheets}。`,
    file_too_big: tooBig,
    files_busy: (p) => `正在读取另外 ${p.max} 个文件；请过一分钟再发送 ${p.file}。`,
    csv_bad_date: (p) => cell(p, `"${p.value}" 不是有效日期，请按 2026-11-05 的格式写。`),
    csv_ambiguous_date: (p) => cell(p, `"${p.value}" 看不出哪个是日、哪个是月，请把年份写在前面，例如 2026-11-05。`),
    csv_future_date: (p) => cell(p, `${p.value} 是未来的日期（今天是 ${p.today}）。`),
    csv_before_hire: (p) => cell(p, `${p.value} 早于 <@${p.slackId}> 的入职日期（${p.hiredOn}）。`),
    csv_member_away: (p) =>
      cell(p, `<@${p.slackId}> 整个 ${p.month} 都不在团队（${p.since} 停用），不在岗的月份不能有数据。`),
    csv_not_on_roster: (p) => cell(p, `<@${p.slackId}> 不在花名册上，请先导入花名册。`),
    csv_missing_slack_id: (p) => cell(p, '缺少客服ID。'),
    csv_missing_platform_account: (p) => cell(p, '缺少平台账号。'),
    csv_unknown_platform_account: (p) => cell(p, `花名册上没有平台账号 "${p.account}"，请先在花名册里填上。`),
    csv_repeated_platform_account: (p) => cell(p, `${p.account} 已在第 ${p.firstLine} 行。`),
    csv_platform_account_taken: (p) => cell(p, `${p.account} 已经是 <@${p.slackId}> 的平台账号。`),
    csv_repeated_day: (p) => cell(p, `<@${p.slackId}> 在 ${p.day} 的数据已在第 ${p.firstLine} 行。`),
    csv_not_count: (p) => cell(p, `"${p.value}" 不是 0 或以上的整数。`),
    csv_count_too_large: (p) => cell(p, `${p.value} 超过一天 ${p.max} 的上限。`),
    csv_negative: (p) => cell(p, `"${p.value}" 是负数。`),
    csv_too_many_decimals: (p) => cell(p, `"${p.value}" 超过两位小数（金额精确到分）。`),
    csv_not_yuan: (p) => cell(p, `"${p.value}" 不是以元为单位的金额，例如 1234.50。`),
    csv_gmv_too_large: (p) => cell(p, `"${p.value}" 超过一天 ¥100,000,000 的上限。`),
    csv_not_number: (p) => cell(p, `"${p.value}" 不是 0 或以上、最多三位小数的数字。`),
    csv_out_of_range: (p) => cell(p, `${p.value} 不在 0 到 ${p.max} 之间。`),
    csv_paid_over_inquiries: (p) => cell(p, `成交人数 ${p.paid} 多于询单人数 ${p.inquiries}。`),
    csv_resolved_over_cases: (p) => cell(p, `解决数 ${p.resolved} 多于处理数 ${p.cases}。`),
    csv_not_slack_id: (p) => cell(p, `"${p.value}" 不是客服ID（例如 U024BE7LH）。`),
    csv_repeated_member: (p) => cell(p, `${p.slackId} 已在第 ${p.firstLine} 行。`),
    csv_bad_name: (p) => cell(p, '姓名需要 1 到 80 个字。'),
    csv_name_control: (p) => cell(p, `姓名含有控制字符（${p.char}），例如换行：姓名只能是一行可打印的文字。`),
    csv_bad_track: (p) => cell(p, `"${p.value}" 不是岗位，请写 售前 或 售后。`),
    csv_bad_level: (p) => cell(p, `"${p.value}" 不是级别，请写 ${LEVEL_WORDS}。`),
    csv_bad_role: (p) => cell(p, `"${p.value}" 不是角色，请写 ${ROLE_WORDS}。`),
    csv_hire_date_changed: (p) =>
      cell(
        p,
        `<@${p.slackId}> 的入职日期是 ${p.hiredOn}，不是 ${p.value}：名单导入不能把一个人变成另一个人。确需更正请管理员单独更正入职日期。`,
      ),
  },
  ordinal: (n) => `第${n}次`,
  penalty: {
    rule: (label, code) => `${label}（${code}）`,
    freeReason: (reason) => `自由原因「${reason}」`,
    points: (n) => (n ? `扣 ${n} 分` : '不扣分'),
    recorded: (p) =>
      `已记录处罚 *#${p.id}*：<@${p.who}>，${p.rule}，*${yuan(p.amountFen)}*，${zhCN.penalty.points(p.points)}，日期 ${p.on}。`,
    count: (n, rule, month) => `${zhMonth(month)}第 ${n} 次${rule}。`,
    forfeit: (n, rule, month) => `:warning: ${zhMonth(month)}第 ${n} 次${rule}：当月提成全部扣除。`,
    dismissal: (n, rule, month) => `:rotating_light: ${zhMonth(month)}第 ${n} 次${rule}：标记为开除。`,
    dm: (p) =>
      `<@${p.by}> 给你记录了一次处罚：*${p.rule}*，${yuan(p.amountFen)}，${zhCN.penalty.points(p.points)}，日期 ${p.on}。处罚编号 #${p.id}，如有异议可以申诉。`,
    alert: (p) => `:rotating_light: <@${p.by}> 给 <@${p.who}> 记录了处罚 #${p.id}：${p.rule}，${yuan(p.amountFen)}。`,
    revoked: (id, who, amountFen) => `处罚 #${id}（<@${who}>，${yuan(amountFen)}）已撤销。`,
    revokedDm: (id, by, why) => `<@${by}> 撤销了你的处罚 #${id}：${why}`,
    appealClosed: '你对它的申诉随之关闭，无需再处理。',
    listTitle: (who, month) => (who ? `<@${who}> ${month} 的处罚` : `${month} 的处罚`),
    none: '没有处罚。',
    revokedTag: '已撤销',
    appealTag: { pending: '申诉待处理', accepted: '申诉已通过', rejected: '申诉已驳回', closed: '申诉已关闭' },
    rulesTitle: '处罚制度',
    ruleLine: (p) =>
      `*${p.name}* ${yuan(p.amountFen)}${p.addsLoss ? ' + 损失金额' : ''}，${zhCN.penalty.points(p.points)}${p.escalations ? ` · ${p.escalations}` : ''}`,
    escalation: (fromCount, action) =>
      `第 ${fromCount} 次起${action === 'forfeit_commission' ? '扣除当月提成' : '标记开除'}`,
    help: [
      '*/penalty @客服 规则 [备注] [¥金额] [损失 ¥金额] [2026-11-05]*：记录处罚，例如 `/penalty @王五 踢皮球`、`/penalty @王五 buck_passing 10:32 不理客户`、`/penalty @王五 order_change_missed 损失 ¥35.50`、`/penalty @王五 摔坏耳机 ¥80`',
      '*/penalty 撤销 <编号> <原因>*：撤销处罚',
      '*/penalty 列表 [@客服] [2026-11]*：本月处罚',
      '*/penalty 规则*：处罚制度',
    ].join('\n'),
    pickTitle: '选择规则',
    pickLabel: '规则',
    pickSubmit: '记录',
    pickHint: (text) => `"${text}" 可能对应多条规则，或需要金额。请选择规则，或为自由原因填写金额。`,
    amountLabel: '自由原因的金额（¥）',
    pickTooMany: (shown, total) =>
      `列表只列出 ${total} 条规则中的 ${shown} 条；其他规则请直接输入规则代码：/penalty @客服 规则代码`,
    rulesPage: (page, pages, total) =>
      `第 ${page} / ${pages} 页（共 ${total} 条规则）${page < pages ? ` · 下一页：\`/penalty 规则 ${page + 1}\`` : ''}`,
  },
  score: {
    title: (who, period) => `<@${who}> 的绩效，${period}`,
    notScored: '本期还没有数据，暂无得分。',
    summary: (score, rank, of, track) => `*${score}* 分，${track}排名 *${rank}* / ${of}`,
    kpiHeader: '指标 · 实际 · 目标 · 得分',
    unweighted: '不计分',
    traineePay: '见习期没有绩效工资、提成和排名奖，只有底薪、餐补减罚款。',
    penalties: (n, points, fen) => `处罚：${n} 次，扣 ${points} 分，${yuan(fen)}`,
    forfeited: ':warning: 本月提成已扣除',
    payslip: '预计工资',
    terms: {
      base: '底薪',
      performance: '绩效',
      commission: '提成',
      award: '排名奖',
      meal: '餐补',
      penalties: '罚款',
      total: '合计',
    },
  },
  board: {
    title: (track, period) => `${period} 排行榜，${track}`,
    empty: '本期还没有数据。',
    more: (shown, total) => `显示 ${shown} / ${total} 人。`,
  },
  track: { presales: '售前', aftersales: '售后' },
  level: LEVELS,
  role: ROLES,
  escalation: { forfeit_commission: '扣除提成', dismissal: '开除' },
  addsLoss: '+ 损失',
  inactive: '已停用',
  appeal: {
    button: '申诉',
    title: '处罚申诉',
    label: '为什么这次处罚不对？',
    submit: '提交',
    sent: (id) => `你对处罚 #${id} 的申诉已提交，结果会在这里通知你。`,
    nobody: (id) =>
      `:warning: 你对处罚 #${id} 的申诉已记录，但现在没有人能处理：团队里没有职位在你之上的在职组长、主管或管理员，所以没有通知任何人。申诉会保留，等有人担任后再处理；请告诉你的上级。`,
    request: (p) => `<@${p.who}> 对处罚 #${p.id}（${p.rule}，${yuan(p.amountFen)}）提出申诉：`,
    accept: '通过（撤销处罚）',
    reject: '驳回',
    decideTitle: '处理申诉',
    decideLabel: '给客服的说明',
    accepted: (id, by, c) => `:white_check_mark: 你对处罚 #${id} 的申诉已被 <@${by}> 通过，处罚已撤销。${c}`,
    rejected: (id, by, c) => `你对处罚 #${id} 的申诉被 <@${by}> 驳回：${c}`,
    decided: (penaltyId, accepted) => `处罚 #${penaltyId} 的申诉${accepted ? '已通过，处罚已撤销' : '已驳回'}。`,
  },
  jobs: {
    dailyTitle: (day) => `${day} 每日排名`,
    top: (track) => `*${track}前三*`,
    movers: (lines) => `*进步最快*：${lines}`,
    nudge: (who) => `:hourglass: 以下客服今天还没有数据：${who}，请组长检查导入。`,
    nudgeOn: (day, who) => `:hourglass: 以下客服 ${day} 没有数据：${who}，请组长检查导入。`,
    more: (n) => `等 ${n} 人`,
    monthlyTitle: (month) => `${month} 月度结果`,
    correctionTitle: (month) => `更正：${month} 月度结果已重新计算`,
    provisionalTitle: (month) => `${month} 暂定排名（未结算）`,
    provisionalNote: (closes) =>
      `:hourglass_flowing_sand: 暂定结果：最终排名、排名奖和工资条将于 ${closes} 公布。在此之前导入的数据和记录的处罚都会计入。`,
    closeTime: (day, time) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 ${time}`,
    missingLine: (who, days) => `• <@${who}>：${days.join('、')}`,
    missingBeforeClose: (month, from, to, closes, lines) =>
      `:hourglass: ${month} 月末（${from} 至 ${to}）还缺以下客服的数据：\n${lines}\n${month} 将于 ${closes} 结算，在此之前导入的数据都会计入（\`tally metrics import <文件>\`，或把文件发给我）。`,
    missingAtClose: (month, from, to, lines) =>
      `:warning: ${month} 已结算，以下客服缺少月末（${from} 至 ${to}）的数据：\n${lines}\n他们的结果按已导入的数据计算。如需补录，请管理员重新打开该月（\`tally month reopen ${month} --why <原因>\`），导入文件后再结算。`,
    award: (who, rank, streak, fen) =>
      streak >= 2 ? `<@${who}>：连续 ${streak} 个月第一，${yuan(fen)}` : `<@${who}>：第 ${rank} 名，${yuan(fen)}`,
    noAwards: '本月没有排名奖。',
    chartTitle: (track, month) => `${month} ${track}`,
    chart: {
      provisional: (title) => `${title}（暂定，未结算）`,
      awardWinner: '获排名奖',
      ranked: '未获奖',
      notEligible: (why) => `不参与排名奖：${why}`,
      level: (level) => level,
      tenureShort: (months) => `入职未满${months}个月`,
      tenure: (months) => `入职未满${months}个月`,
    },
    payslipTitle: (month) => `你的 ${month} 工资条`,
    reportTitle: (month) => `${month} 工资表`,
    reportTotal: (n, fen) => `共 ${n} 人，合计 ${yuan(fen)}，明细见附件。`,
    forfeited: (who) => `<@${who}>：本月提成扣除`,
    dismissal: (who) => `:rotating_light: <@${who}>：标记为开除`,
    rotation: (who) => `<@${who}>：连续两个月最后一名，调仓库学习一个月`,
    noFlags: '没有扣提成或标记。',
    undelivered: (n, list) =>
      `:warning: Tally 有 ${n} 条消息无法送达。处理原因后运行 \`tally jobs retry\` 重新发送：\n${list}`,
    missingScope: (scopes) =>
      `:warning: Slack 应用缺少机器人权限 ${scopes}：请在 *OAuth & Permissions*（或 manifest.yml）中添加，把应用重新安装到工作区，然后运行 \`tally jobs retry\`。`,
  },
  upload: {
    kind: { roster: '花名册', metrics: '每日数据' },
    title: (file, kind) => `${file}：${kind}`,
    rows: (rows, members) => `${rows} 行，${members} 人`,
    days: (from, to, added, replaced) => `${from} 至 ${to}：新增 ${added} 人日，覆盖之前导入的 ${replaced} 人日`,
    people: (added, existing) => `${added} 人新加入花名册，${existing} 人已在花名册上（更新其信息）`,
    problems: (n) => `:x: 有 ${n} 个问题，改正之前不能导入：`,
    moreProblems: (max) => `只显示前 ${max} 个。请改正后重新发送文件。`,
    fixAndResend: '请改正文件后重新发送。',
    ready: '按下「导入」之前不会写入任何数据。',
    import: '导入',
    cancel: '取消',
    imported: (by) => `:white_check_mark: <@${by}> 已导入。`,
    importedRoster: (r) => `花名册：新增 ${r.added} 人，更新 ${r.updated} 人，未变 ${r.unchanged} 人。`,
    importedMetrics: (r) => `${r.rows} 行，${r.members} 人${r.from ? `，${r.from} 至 ${r.to}` : ''}。`,
    cancelled: (file) => `${file}：已取消，没有导入任何数据。`,
    hint: '把花名册或每日数据文件（.csv 或 .xlsx）发给我即可导入；仅限组长、主管和管理员。',
  },
  console: {
    help: [
      '命令：/penalty、/myscore、/leaderboard（和 Slack 里一样；用 @姓名 或 @U123 提到人）。',
      '  /as <姓名|Slack ID>   切换身份              /who      花名册',
      '  /home                 你的 App Home          /appeal <处罚编号> <说明>  申诉',
      '  /accept <处罚编号> <说明>   /reject <处罚编号> <说明>  处理申诉   /help  帮助   /quit  退出',
    ].join('\n'),
    firstRun: (members, rows, from, to) =>
      `首次运行：已载入 ${members} 人的演示团队和 ${rows} 条每日数据（${from} 至 ${to}）。`,
    start: (name, id) => `Tally 本地控制台。你现在是 ${name}（${id}）。`,
    froze: (month) => `已结算 ${month}（该月已结束，此前从未结算）：结果按现在的数据固定。`,
    nowYou: (name, id, role) => `你现在是 ${name}（${id}），${role}。`,
    person: (name, id) => `${name}（${id}）`,
    nobody: (who, near) =>
      `花名册上没有"${who}"${near.length ? `，你要找的是不是 ${near.join('、')}？` : ''}（/who 列出所有人）。`,
    several: (who, matches) =>
      `花名册上有 ${matches.length} 个人叫"${who}"：${matches.join('、')}。请用 /as 加上你要找的那位的 Slack ID。`,
    appealUsage: '请这样写：/appeal <处罚编号> <说明>，例如 /appeal 3 这位顾客是别人接待的。',
    decideUsage: '请这样写：/accept <处罚编号> <说明> 或 /reject <处罚编号> <说明>。',
    pickHow: '回复规则前的编号选择规则，或写金额（例如 ¥50）记为自由原因；输入其他命令则取消。',
    pickRetype: '请重新输入命令：在姓名后写上规则代码，或为自由原因写上金额（例如 ¥50）。',
    noSuchChoice: (n, max) => `没有第 ${n} 条规则：请选 1 到 ${max}，或写金额，例如 ¥50。`,
  },
  promotions: {
    monthShort: (month) => `${Number(month.slice(5, 7))}月`,
    reviewTitle: (month) => `${zhMonth(month)}晋升评审`,
    reviewIntro: (n, p) =>
      `${n} 位候选人：评审月 1 日任职时间已满，近 ${p.window} 个月有得分月份的平均分不低于 ${p.min}（至少 ${p.scored} 个月有得分），且没有开除标记。只有组长、主管或管理员可以审批。`,
    noCandidates: (month) => `${zhMonth(month)}没有晋升候选人。`,
    more: (n) => `另有 ${n} 位候选人，\`tally promotions --month\` 可列出全部。`,
    candidate: (p) =>
      `<@${p.who}> ${LEVELS[p.from]} → *${LEVELS[p.to]}* · 任${LEVELS[p.from]} ${p.months} 个月 · ${p.scored} 个月平均 *${p.average}* 分`,
    approve: '批准',
    decline: '不批准',
    confirm: '转正',
    approved: (by, from) => `:white_check_mark: <@${by}> 已批准，${from} 起生效`,
    declined: (by) => `<@${by}> 未批准`,
    declineTitle: '不批准',
    declineLabel: '原因（客服会看到）',
    toAgentPromoted: (to, from, by) => `:tada: 恭喜！<@${by}> 批准你晋升为*${LEVELS[to]}*，${from} 起生效。`,
    toAgentConfirmed: (from, by) => `:tada: 你的试用期已结束：<@${by}> 确认你 ${from} 起转为*正式*客服。`,
    toAgentDeclined: (to, by) => `你这次晋升${LEVELS[to]}未获批准（<@${by}>）：`,
    toAgentNotConfirmed: (by) => `你的转正暂未获批准（<@${by}>）：`,
    receipt: (who, approved, to, from) =>
      approved
        ? `已完成：<@${who}> ${from} 起为${LEVELS[to]}，已通知本人。`
        : `已完成：<@${who}> 晋升${LEVELS[to]}未批准，已把原因告诉本人。`,
    probationTitle: '试用期结束',
    probationPrompt: (who, ends, since) =>
      `<@${who}> 的试用期已于 ${ends} 结束（${since} 起为见习）。请确认转正（下月 1 日起生效），或写明原因不批准。`,
    level: (level, months, since) => `*级别*：${LEVELS[level]}，${months} 个月（${since} 起）`,
    timeMet: (needed, level, team) => `${team ? '入职' : `任${LEVELS[level]}`}满 ${needed} 个月 ✓`,
    timeNotMet: (months, needed, level, team, metOn) =>
      `${team ? '入职' : `任${LEVELS[level]}`} ${months} / ${needed} 个月（${metOn} 满）`,
    averageMet: (average, min) => `平均分 ${average} ≥ ${min} ✓`,
    averageNotMet: (average, min) => `平均分 ${average} < ${min} ✗`,
    fewMonths: (scored, needed) => `有得分的月份 ${scored} / ${needed}`,
    dismissal: '近几个月有开除标记 ✗',
    review: (month) => `${Number(month.slice(5, 7))}月评审`,
    sep: '，',
    next: (to, parts) => `*下一级*：${LEVELS[to]}：${parts}`,
    probation: (ends, ended) =>
      ended ? `*下一级*：正式：试用期已于 ${ends} 结束，等待组长确认转正` : `*下一级*：正式：试用期到 ${ends} 结束`,
    top: '已是最高级别。',
    trend: (n) => `*近 ${n} 个月*`,
    trendMonth: (month, score, rank, of) => (score === null ? `${month} —` : `${month} ${score} 第${rank}/${of}`),
  },
  months: {
    title: '月份结算',
    columns: ['月份', '状态', '时间', '操作人', '已发布', '结算时间'],
    state: { open: '未结算', closed: '已结算', reopened: '已重新打开' },
    by: { schedule: '定时任务', cli: '命令行', console: '本地控制台' },
    person: (name, id) => `${name}（${id}）`,
    yes: '是',
    no: '否',
    due: (at) => `已到期（${at}）`,
    none: '还没有月份：没有任何每日数据或处罚，也没有结算过的月份。',
    dueNote:
      '已到期的月份会在机器人下次检查时结算（启动时，之后每隔几分钟），也可以手动结算：tally month close YYYY-MM。',
    reopened: (month, why) =>
      `${month} 已重新打开：${why}。改完后重新结算：tally month close ${month}（或 tally jobs run monthly --period ${month}）。`,
    line: (month, state, p) =>
      state === 'open'
        ? `*${month}* · 未结算 · ${p.due ? `已到期（${p.closes}）` : `${p.closes} 结算`}`
        : `*${month}* · ${state === 'closed' ? '已结算' : '已重新打开'} ${p.when}（${p.by}）· ${p.posted ? '结果已发布' : '结果未发布'}`,
    earlier: (n) => `另有 ${n} 个更早的月份`,
  },
  home: {
    title: 'Tally 绩效',
    month: (m) => `本月（${m}）`,
    team: '团队',
    pending: '待你处理的申诉',
    noPending: '没有待处理的申诉。',
    waiting: (total, from, to) => `共 ${total} 条待处理，当前显示第 ${from === to ? from : `${from}–${to}`} 条。`,
    previous: '◀ 上一页',
    next: '下一页 ▶',
  },
};
