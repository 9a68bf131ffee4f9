// The appeal round trip's surfaces: the agent's modal, the deciders' request with Accept / Reject, the
// decision modal, and what each side is told. Pure: (texts, what the service returned) → message or view.
import type { View } from '@slack/types';
import type { AppealView } from '../../service/appeals.js';
import type { PenaltyView } from '../../service/penalties.js';
import { actions, button, escape, message, quote, section, type Msg } from '../blocks.js';
import { ID } from '../ids.js';
import type { Texts } from '../text/index.js';
import { penaltyName } from './penalty.js';

function commentModal(
  callbackId: string,
  metadata: unknown,
  title: string,
  label: string,
  submit: string,
  intro?: string,
): View {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    blocks: [
      ...(intro ? [section(intro)] : []),
      {
        type: 'input',
        block_id: ID.appealComment,
        label: { type: 'plain_text', text: label },
        element: { type: 'plain_text_input', action_id: ID.input, multiline: true, max_length: 500 },
      },
    ],
  };
}

/** The agent's modal: which penalty, and a required comment. */
export function appealModal(tx: Texts, p: PenaltyView): View {
  const intro = `#${p.id} ${penaltyName(tx, p)} · ${p.occurredOn}`;
  return commentModal(ID.appealModal, { penaltyId: p.id }, tx.appeal.title, tx.appeal.label, tx.appeal.submit, intro);
}

/** The decider's modal: a comment for the agent, sent with Accept or Reject. */
export function decisionModal(tx: Texts, v: { penaltyId: number; accept: boolean }): View {
  return commentModal(
    ID.decideModal,
    { penaltyId: v.penaltyId, accept: v.accept },
    tx.appeal.decideTitle,
    tx.appeal.decideLabel,
    v.accept ? tx.appeal.accept : tx.appeal.reject,
  );
}

/** Who appeals which penalty, in a line (also on App Home). */
export function appealLine(tx: Texts, a: AppealView): string {
  const p = a.penalty;
  return tx.appeal.request({
    who: a.by,
    id: p.id,
    rule: penaltyName(tx, p),
    amountFen: p.amountFen,
  });
}

/** The Accept / Reject buttons of an appeal, carrying its penalty's id, under a block id of its own. */
export function decisionButtons(tx: Texts, a: AppealView, blockId: string) {
  return actions(
    blockId,
    button(tx.appeal.accept, ID.acceptButton, String(a.penalty.id), 'primary'),
    button(tx.appeal.reject, ID.rejectButton, String(a.penalty.id), 'danger'),
  );
}

/** What each decider gets: the appeal, the agent's comment, and Accept / Reject. */
export function appealRequest(tx: Texts, a: AppealView): Msg {
  const request = appealLine(tx, a);
  return message(`${request} ${escape(a.comment)}`, [
    section(request),
    quote(a.comment),
    decisionButtons(tx, a, `appeal_${a.penalty.id}`),
  ]);
}

/** The agent's receipt; with nobody to decide it (no active lead, supervisor or admin), it says so instead of promising an answer. */
export function appealSent(tx: Texts, a: AppealView, deciders: number): Msg {
  const sent = deciders ? tx.appeal.sent(a.penalty.id) : tx.appeal.nobody(a.penalty.id);
  return message(sent, [section(sent)]);
}

/** The agent hears the outcome with the decider's comment; the decider gets a one-line receipt. */
export function appealDecided(tx: Texts, a: AppealView, by: string): { toAgent: Msg; toDecider: Msg } {
  const outcome = (a.status === 'accepted' ? tx.appeal.accepted : tx.appeal.rejected)(a.penalty.id, by, '');
  const done = tx.appeal.decided(a.penalty.id, a.status === 'accepted');
  return {
    toAgent: message(`${outcome} ${escape(a.decision ?? '')}`, [section(outcome), quote(a.decision ?? '')]),
    toDecider: message(done, [section(done)]),
  };
}
