// Penalties as people read them: the lead's confirmation, the agent's DM, the supervisors' alert, the
// revoke notice and a month's list. Pure: (texts, what the service returned) → messages.
import type { Rule } from '../../core/policy.js';
import { formatFen } from '../../core/money.js';
import { shownLine } from '../../core/text.js';
import type { ListedPenalty, PenaltyView, RecordedPenalty, RevokedPenalty } from '../../service/penalties.js';
import {
  actions,
  button,
  clip,
  escape,
  linesToSections,
  message,
  quote,
  section,
  type Effects,
  type Msg,
} from '../blocks.js';
import { ID } from '../ids.js';
import type { Texts } from '../text/index.js';

/** A rule as people read it: its label in the team's language and its code (plain text: escape it for mrkdwn). */
export function ruleTitle(tx: Texts, code: string, label: Rule['label']): string {
  return tx.penalty.rule(shownLine(label[tx.lang]), code);
}

type Named = Pick<PenaltyView, 'ruleCode' | 'ruleLabel' | 'reason'>;

/** What a penalty is for: its rule, or its free reason (escaped: it is the lead's own words). */
export function penaltyName(tx: Texts, p: Named): string {
  if (!p.ruleCode) return tx.penalty.freeReason(escape(clip(p.reason, 200)));
  // a rule no longer in the policy keeps its code
  return p.ruleLabel ? escape(ruleTitle(tx, p.ruleCode, p.ruleLabel)) : p.ruleCode;
}

/** The lead's note on a rule's penalty; none for a free reason (the reason is its name) or a rule recorded without one. */
export function noteOf(p: Named): string | null {
  const note = p.reason.trim();
  if (!p.ruleCode || !note) return null;
  // a penalty recorded without a note keeps the rule's label as its reason
  if (p.ruleLabel && (note === p.ruleLabel.zh || note === p.ruleLabel.en)) return null;
  return note;
}

/** The lead's confirmation, the agent's DM with an Appeal button, and the alert for the supervisors the service named. */
export function penaltyRecorded(tx: Texts, r: RecordedPenalty, by: string): Effects {
  const p = r.penalty;
  const rule = penaltyName(tx, p);
  const lines = [
    tx.penalty.recorded({ id: p.id, who: p.slackId, rule, amountFen: p.amountFen, points: p.points, on: p.occurredOn }),
  ];
  if (p.ruleCode) lines.push(tx.penalty.count(r.monthCount, rule, r.month));
  for (const e of r.triggered)
    lines.push(
      (e.action === 'forfeit_commission' ? tx.penalty.forfeit : tx.penalty.dismissal)(r.monthCount, rule, r.month),
    );
  const reply = message(lines.join('\n'), [section(lines.join('\n'))]);
  const dmText = tx.penalty.dm({ by, rule, amountFen: p.amountFen, points: p.points, on: p.occurredOn, id: p.id });
  const note = noteOf(p);
  const toAgent = message(note ? `${dmText} ${escape(note)}` : dmText, [
    section(dmText),
    ...(note ? [quote(note)] : []),
    actions('appeal', button(tx.appeal.button, ID.appealButton, String(p.id))),
  ]);
  const alert = [
    tx.penalty.alert({ by, who: p.slackId, rule, amountFen: p.amountFen, id: p.id }),
    ...lines.slice(1),
  ].join('\n');
  return {
    reply,
    dms: [
      { to: p.slackId, msg: toAgent },
      ...r.alertSupervisors.map((to) => ({ to, msg: message(alert, [section(alert)]) })),
    ],
  };
}

/** The lead's confirmation and the agent's DM (which says a waiting appeal closed with it). */
export function penaltyRevoked(tx: Texts, p: RevokedPenalty, by: string): Effects {
  const line = tx.penalty.revoked(p.id, p.slackId, p.amountFen);
  const dm =
    tx.penalty.revokedDm(p.id, by, escape(p.revokeReason ?? '')) +
    (p.closedAppealId ? `\n${tx.penalty.appealClosed}` : '');
  return { reply: message(line, [section(line)]), dms: [{ to: p.slackId, msg: message(dm, [section(dm)]) }] };
}

/** A month's penalties of one member (who) or of everyone (who null), revoked ones struck through. */
export function penaltyList(tx: Texts, v: { who: string | null; month: string; rows: readonly ListedPenalty[] }): Msg {
  const title = tx.penalty.listTitle(v.who, v.month);
  if (!v.rows.length) {
    const text = `${title}\n${tx.penalty.none}`;
    return message(text, [section(text)]);
  }
  const lines = v.rows.map((p) => penaltyLine(tx, p, !v.who));
  return message(title, [section(`*${title}*`), ...linesToSections(lines).slice(0, 45)]);
}

function penaltyLine(tx: Texts, p: ListedPenalty, withName: boolean): string {
  const status =
    (p.status === 'revoked' ? ` ~${tx.penalty.revokedTag}~` : '') +
    (p.appeal ? ` (${tx.penalty.appealTag[p.appeal.status]})` : '');
  const note = noteOf(p);
  const who = withName ? `<@${p.slackId}> ` : '';
  return `#${p.id} ${p.occurredOn} ${who}${penaltyName(tx, p)} ${formatFen(p.amountFen)} ${tx.penalty.points(p.points)}${status}${note ? ` · ${escape(clip(note, 120))}` : ''}`;
}
