// /penalty @agent <rule or reason> [¥amount] [loss ¥x] [date]: records it. Ambiguous input opens a rule
// picker instead of guessing.
import { matchRule } from '../../../core/penalties.js';
import type { Policy } from '../../../core/policy.js';
import { TallyError } from '../../../errors.js';
import { recordPenalty, type RecordedPenalty } from '../../../service/penalties.js';
import { findMember, findStaff } from '../../../service/roster.js';
import { actions, button, escape, message, quote, section, type Effects } from '../../blocks.js';
import type { SlackDeps, Team } from '../../context.js';
import { ID } from '../../ids.js';
import { parsePenaltyText } from '../../parse.js';
import { ruleName } from '../../render/penalty.js';
import { pickModal } from '../../render/pick.js';
import type { Texts } from '../../text/index.js';
import { saveDraft } from '../../views/pick.js';
import type { CommandInput } from '../input.js';

export async function record(
  deps: SlackDeps,
  tx: Texts,
  team: Team,
  input: CommandInput,
  text: string,
): Promise<Effects> {
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
