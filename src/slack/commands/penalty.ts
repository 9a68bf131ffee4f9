// /penalty: record, revoke, list, rules, help. Ambiguous input opens a rule picker instead of guessing.
import { monthOf } from '../../core/dates.js';
import { formatFen } from '../../core/money.js';
import { matchRule, PENALTY_SUBCOMMANDS } from '../../core/penalties.js';
import type { Policy, Rule } from '../../core/policy.js';
import { TallyError } from '../../errors.js';
import {
  listPenalties,
  recordPenalty,
  revokePenalty,
  type PenaltyView,
  type RecordedPenalty,
} from '../../service/penalties.js';
import { findMember, findStaff, STAFF_ROLES } from '../../service/roster.js';
import {
  actions,
  button,
  clip,
  context,
  escape,
  header,
  linesToSections,
  message,
  quote,
  section,
  type Effects,
} from '../blocks.js';
import { guarded, replyWith, type SlackDeps, type Team } from '../context.js';
import { ID } from '../ids.js';
import { checkLength, parsePenaltyText, parseWhoAndWhen, unescapeSlack } from '../parse.js';
import type { Texts } from '../text/index.js';
import { pickModal, saveDraft } from '../views/pick.js';

export interface CommandInput {
  userId: string;
  text: string;
  triggerId?: string;
}

const SUB = PENALTY_SUBCOMMANDS;

export function ruleName(tx: Texts, code: string | null, label: Rule['label'] | null): string {
  if (!code || !label) return tx.penalty.free;
  return `${label[tx.lang]} (${code})`;
}

export function penaltyCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(deps, { command: '/penalty', user: input.userId }, async (tx, team) => {
    checkLength(input.text);
    const text = input.text.trim();
    const [first = '', ...rest] = text.split(/\s+/);
    const sub = first.toLowerCase();
    if (!text || SUB.help.includes(sub)) return replyWith(tx.penalty.help);
    if (SUB.rules.includes(sub)) return rules(tx, team, rest);
    if (SUB.list.includes(sub)) return list(deps, tx, team, input.userId, rest.join(' '));
    if (SUB.revoke.includes(sub)) return revoke(deps, tx, input.userId, rest);
    return record(deps, tx, team, input, text);
  });
}

async function record(deps: SlackDeps, tx: Texts, team: Team, input: CommandInput, text: string): Promise<Effects> {
  const t = deps.tally;
  const parsed = parsePenaltyText(text);
  await findStaff(t, input.userId, 'record_penalties');
  const { policy, today } = team;
  const match = matchRule(policy, parsed.words);
  const needsPick = match.kind === 'ambiguous' || (match.kind === 'free' && parsed.amountFen === undefined);
  if (needsPick && input.triggerId && parsed.words) {
    // check everything else first, so the modal is not opened for a request that would be refused anyway
    const member = await findMember(t, parsed.slackId);
    if (!member.active) throw new TallyError('inactive_member', { slackId: member.slackId, name: member.name });
    // a reason the penalty could not hold is refused now, not after the lead has picked a rule
    const max = policy.penalties.maxReasonLength;
    if (parsed.words.length > max)
      throw new TallyError('reason_too_long', { length: parsed.words.length, max, text: 'reason' });
    const draft = await saveDraft(t, {
      by: input.userId,
      slackId: member.slackId,
      words: parsed.words,
      on: parsed.on ?? today,
      lossFen: parsed.lossFen,
    });
    return {
      dms: [],
      modal: pickModal(tx, policy, draft, parsed.words, match.kind === 'ambiguous' ? match.codes : []),
    };
  }
  const r = await recordPenalty(t, {
    slackId: parsed.slackId,
    by: input.userId,
    text: parsed.words,
    amountFen: parsed.amountFen,
    lossFen: parsed.lossFen,
    on: parsed.on,
  });
  return announce(deps, tx, team.policy, r, input.userId);
}

/** The lead's confirmation, the agent's DM with an Appeal button, and supervisors' alert for big ones. */
export async function announce(
  deps: SlackDeps,
  tx: Texts,
  policy: Policy,
  r: RecordedPenalty,
  by: string,
): Promise<Effects> {
  const p = r.penalty;
  const rule = ruleName(tx, p.ruleCode, p.ruleLabel);
  const lines = [
    tx.penalty.recorded({ id: p.id, who: p.slackId, rule, amountFen: p.amountFen, points: p.points, on: p.occurredOn }),
  ];
  if (p.ruleCode) lines.push(tx.penalty.count(tx.ordinal(r.monthCount), rule, r.month));
  for (const e of r.triggered) {
    lines.push(
      (e.action === 'forfeit_commission' ? tx.penalty.forfeit : tx.penalty.dismissal)(
        tx.ordinal(r.monthCount),
        rule,
        r.month,
      ),
    );
  }
  const reply = message(lines.join('\n'), [section(lines.join('\n'))]);
  const dmText = tx.penalty.dm({ by, rule, amountFen: p.amountFen, points: p.points, on: p.occurredOn, id: p.id });
  const dms: Effects['dms'] = [
    {
      to: p.slackId,
      msg: message(`${dmText} ${escape(p.reason)}`, [
        section(dmText),
        quote(p.reason),
        actions('appeal', button(tx.appeal.button, ID.appealButton, String(p.id))),
      ]),
    },
  ];
  if (p.amountFen >= policy.penalties.alertSupervisorsFromFen || r.triggered.some((e) => e.action === 'dismissal')) {
    const supervisors = await deps.tally.db.member.findMany({ where: { active: true, role: 'supervisor' } });
    const alert = [
      tx.penalty.alert({ by, who: p.slackId, rule, amountFen: p.amountFen, id: p.id }),
      ...lines.slice(1),
    ].join('\n');
    for (const s of supervisors)
      if (s.slackId !== by) dms.push({ to: s.slackId, msg: message(alert, [section(alert)]) });
  }
  return { reply, dms };
}

async function revoke(deps: SlackDeps, tx: Texts, userId: string, words: string[]): Promise<Effects> {
  const [idText = '', ...why] = words;
  const id = Number(idText.replace(/^#/, ''));
  if (!/^#?\d+$/.test(idText)) throw new TallyError('no_such_penalty', { id: idText });
  const p = await revokePenalty(deps.tally, { id, by: userId, why: unescapeSlack(why.join(' ')) });
  const line = tx.penalty.revoked(p.id, p.slackId, p.amountFen);
  const dm =
    tx.penalty.revokedDm(p.id, userId, escape(p.revokeReason ?? '')) +
    (p.closedAppealId ? `\n${tx.penalty.appealClosed(p.closedAppealId)}` : '');
  return { reply: message(line, [section(line)]), dms: [{ to: p.slackId, msg: message(dm, [section(dm)]) }] };
}

async function list(deps: SlackDeps, tx: Texts, team: Team, userId: string, rest: string): Promise<Effects> {
  const t = deps.tally;
  const me = await findMember(t, userId);
  const { slackId, when } = parseWhoAndWhen(rest);
  const { today } = team;
  const month = when && /^\d{4}-\d{2}$/.test(when) ? when : monthOf(today);
  const staff = STAFF_ROLES.includes(me.role);
  // agents see their own; leads see anyone's
  const who = staff ? (slackId ?? null) : me.slackId;
  if (!staff && slackId && slackId !== me.slackId)
    throw new TallyError('staff_only', { action: 'see_others_penalties' });
  const rows = await listPenalties(t, { slackId: who ?? undefined, month });
  const title = tx.penalty.listTitle(who, month);
  if (!rows.length) return replyWith(`${title}\n${tx.penalty.none}`);
  const lines = rows.map((p) => penaltyLine(tx, p, !who));
  return { reply: message(title, [section(`*${title}*`), ...linesToSections(lines).slice(0, 45)]), dms: [] };
}

function penaltyLine(tx: Texts, p: PenaltyView, withName: boolean): string {
  const status = p.status === 'revoked' ? ` ~${tx.penalty.revokedTag}~` : '';
  return `#${p.id} ${p.occurredOn} ${withName ? `<@${p.slackId}> ` : ''}${ruleName(tx, p.ruleCode, p.ruleLabel)} ${formatFen(p.amountFen)} -${p.points}${status} · ${escape(p.reason).slice(0, 120)}`;
}

/** Rules per page of `/penalty rules`: 20 rules of two lines fit a message's 50 blocks with room to spare. */
export const RULES_PER_PAGE = 20;

function rules(tx: Texts, team: Team, args: string[]): Effects {
  const { policy } = team;
  const active = Object.entries(policy.penalties.rules).filter(([, r]) => !r.retired);
  const pages = Math.max(1, Math.ceil(active.length / RULES_PER_PAGE));
  const asked = args[0] ?? '1';
  const page = /^\d{1,6}$/.test(asked) ? Number(asked) : NaN;
  if (!(page >= 1 && page <= pages)) throw new TallyError('no_such_page', { page: asked, pages });
  const lines = active.slice((page - 1) * RULES_PER_PAGE, page * RULES_PER_PAGE).map(([code, r]) => {
    const esc = r.escalations.map((e) => `${tx.ordinal(e.fromCount)}: ${tx.escalation[e.action]}`).join(', ');
    // one rule stays a few lines however long its names and however many aliases it has
    return `• *${clip(ruleName(tx, code, r.label), 200)}* ${formatFen(r.amountFen)}${r.addsLoss ? ` ${tx.addsLoss}` : ''}, -${r.points}${esc ? ` · ${clip(esc, 200)}` : ''}\n   _${clip(r.aliases.join(', '), 300)}_`;
  });
  const footer = pages > 1 ? [context(tx.penalty.rulesPage(page, pages, active.length))] : [];
  return {
    reply: message(tx.penalty.rulesTitle, [
      header(tx.penalty.rulesTitle),
      ...linesToSections(lines),
      ...footer,
      context(tx.penalty.help.split('\n')[0]!),
    ]),
    dms: [],
  };
}
