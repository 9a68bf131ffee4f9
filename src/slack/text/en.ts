// Every word Tally says in Slack, in English. zh-CN.ts has the same shape (the type checker enforces it).
import { formatFen } from '../../core/money.js';

const yuan = formatFen;

export const en = {
  /** which half of a { zh, en } label to show */
  lang: 'en' as 'en' | 'zh',
  apology: 'Sorry, something went wrong on our side. It has been logged; please try again in a minute.',
  notOnRoster: (id: string) => `You (<@${id}>) are not on the roster yet. Ask a lead to add you.`,
  refused: (why: string) => `:no_entry_sign: ${why}`,
  error: {
    command_too_long: (p) => `That command is ${p.length} characters long; at most ${p.max}. Shorten the reason.`,
    several_amounts: (p) => `Give one ${p.name}: "${p.first}" and "${p.second}" are two.`,
    several_dates: (p) => `Give one date: "${p.first}" and "${p.second}" are two.`,
    ambiguous_date: (p) => `"${p.value}" could be day-first or month-first: write the year first, like 2026-11-05.`,
    future_month: (p) => `${p.value} has not begun (this month is ${p.month}).`,
    already_appealed: (p) => `You already appealed penalty #${p.id}.`,
    appeal_penalty_revoked: (p) =>
      `Penalty #${p.id} was already revoked by <@${p.by}>, so appeal #${p.appealId} is closed.`,
    stale_form: () => 'This button or form is out of date or damaged; open it again from the message.',
    no_such_page: (p: Record<string, string | number>) =>
      `There is no page "${p.page}" of the rules: pages 1 to ${p.pages}.`,
    draft_used: () => 'This penalty was recorded already.',
    draft_gone: () => 'This rule picker is no longer valid: type /penalty again.',
  } as Record<string, (p: Record<string, string | number>) => string>,
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
    others: "Only leads, supervisors and admins may see someone else's score.",
  },
  board: {
    title: (track: string, period: string) => `Leaderboard ${period}, ${track}`,
    empty: 'No metrics for this period yet.',
    more: (shown: number, total: number) => `${shown} of ${total} shown.`,
  },
  track: { presales: 'pre-sales', aftersales: 'after-sales' } as Record<string, string>,
  appeal: {
    button: 'Appeal',
    title: 'Appeal a penalty',
    label: 'Why is this penalty wrong?',
    submit: 'Send',
    sent: (id: number) => `Your appeal of penalty #${id} was sent. You will hear back here.`,
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
    award: (who: string, rank: number, streak: number, fen: number) =>
      streak >= 2
        ? `<@${who}>: first for the ${en.ordinal(streak)} month running, ${yuan(fen)}`
        : `<@${who}>: ${rank === 1 ? 'first' : en.ordinal(rank)} place, ${yuan(fen)}`,
    noAwards: 'No awards this month.',
    chartTitle: (track: string, month: string) => `${month} ${track}`,
    payslipTitle: (month: string) => `Your payslip for ${month}`,
    reportTitle: (month: string) => `Payroll for ${month}`,
    reportTotal: (n: number, fen: number | bigint) => `${n} people, ${yuan(fen)} in all. The CSV is attached.`,
    forfeited: (who: string) => `<@${who}>: commission forfeited`,
    dismissal: (who: string) => `:rotating_light: <@${who}>: flagged for dismissal`,
    rotation: (who: string) => `<@${who}>: last place two months running, one month of warehouse rotation (调仓库学习)`,
    noFlags: 'No forfeitures or flags.',
    undelivered: (n: number, list: string) =>
      `:warning: Tally could not deliver ${n} message(s). Fix the cause, then \`tally jobs retry\`:\n${list}`,
    missingScope: (scopes: string) =>
      `:warning: The Slack app lacks the bot scope ${scopes}: add it under *OAuth & Permissions* (or in manifest.yml), reinstall the app to the workspace, then \`tally jobs retry\`.`,
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
    nowYou: (name: string, id: string, role: string) => `You are now ${name} (${id}), ${role}.`,
    nobody: (who: string) => `Nobody called "${who}" is on the roster (/who lists them).`,
    inactive: '(inactive)',
    appealUsage: 'Write it as /appeal <penalty id> <comment>, e.g. /appeal 3 the customer was served by someone else.',
    decideUsage: 'Write it as /accept <penalty id> <comment> or /reject <penalty id> <comment>.',
    pickHow:
      'Answer with the number of the rule, or with an amount (like ¥50) for a free reason; any other command cancels.',
    pickRetype:
      'Type the command again with the rule code after the name, or with an amount (like ¥50) for a free reason.',
    noSuchChoice: (n: number, max: number) =>
      `There is no rule number ${n}: pick 1 to ${max}, or give an amount like ¥50.`,
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
