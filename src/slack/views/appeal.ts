// The appeal round trip: Appeal button → modal with a required comment → the recording lead and the
// supervisors get Accept / Reject → a modal for their comment → both sides hear the outcome.
import type { View } from '@slack/types';
import { z } from 'zod';
import { TallyError, isTallyError } from '../../errors.js';
import { checkAppealable, checkDecider, decideAppeal, fileAppeal } from '../../service/appeals.js';
import { isPenaltyId } from '../../service/penalties.js';
import { actions, button, escape, message, quote, section, type Effects } from '../blocks.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { ID } from '../ids.js';
import { explain, type Texts } from '../text/index.js';
import { ruleName } from '../render/penalty.js';

export interface ViewResult {
  /** field errors shown in the modal (response_action: errors), by block id */
  errors?: Record<string, string>;
  effects: Effects;
}

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

const Metadata = z.record(z.string(), z.unknown());

/** A modal's private_metadata as an object; anything else (not JSON, not an object) reads as empty and is refused by the handler. */
export function readMetadata(text: string | undefined): Record<string, unknown> {
  try {
    const parsed = Metadata.safeParse(JSON.parse(text || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** An id that came back from a button or a modal: one we could have written, or the form is refused as damaged. */
function idFrom(id: number): number {
  if (!isPenaltyId(id)) throw new TallyError('stale_form', {});
  return id;
}

/** The agent pressed Appeal on a penalty DM: refused before the modal opens if it could not be sent. */
export function openAppeal(deps: SlackDeps, input: { userId: string; penaltyId: number }): Promise<Effects> {
  return guarded(deps, { action: ID.appealButton, user: input.userId }, async (tx) => {
    const p = await checkAppealable(deps.tally, { penaltyId: idFrom(input.penaltyId), by: input.userId });
    const intro = `#${p.id} ${ruleName(tx, p.ruleCode, p.ruleLabel)} · ${p.occurredOn}`;
    return {
      dms: [],
      modal: commentModal(
        ID.appealModal,
        { penaltyId: p.id },
        tx.appeal.title,
        tx.appeal.label,
        tx.appeal.submit,
        intro,
      ),
    };
  });
}

/** A refusal inside a modal is shown on its comment field; other failures close it with an apology DM. */
async function inModal(
  deps: SlackDeps,
  userId: string,
  what: string,
  run: (tx: Texts) => Promise<Effects>,
): Promise<ViewResult> {
  let fieldError: string | undefined;
  const effects = await guarded(deps, { view: what, user: userId }, async (tx) => {
    try {
      return await run(tx);
    } catch (e) {
      if (!isTallyError(e)) throw e;
      fieldError = explain(tx, e);
      return noEffects();
    }
  });
  if (fieldError) return { errors: { [ID.appealComment]: fieldError }, effects: noEffects() };
  // an unexpected failure came back as an apology reply: there is no channel to reply in, so DM it
  return { effects: effects.reply ? { dms: [...effects.dms, { to: userId, msg: effects.reply }] } : effects };
}

export function submitAppeal(
  deps: SlackDeps,
  input: { userId: string; penaltyId: number; comment: string },
): Promise<ViewResult> {
  return inModal(deps, input.userId, ID.appealModal, async (tx) => {
    const { appeal, deciders } = await fileAppeal(deps.tally, {
      penaltyId: idFrom(input.penaltyId),
      by: input.userId,
      comment: input.comment,
    });
    const p = appeal.penalty;
    const request = tx.appeal.request({
      who: appeal.by,
      id: p.id,
      rule: ruleName(tx, p.ruleCode, p.ruleLabel),
      amountFen: p.amountFen,
    });
    const ask = message(`${request} ${escape(appeal.comment)}`, [
      section(request),
      quote(appeal.comment),
      actions(
        `appeal_${appeal.id}`,
        button(tx.appeal.accept, ID.acceptButton, String(appeal.id), 'primary'),
        button(tx.appeal.reject, ID.rejectButton, String(appeal.id), 'danger'),
      ),
    ]);
    const sent = tx.appeal.sent(p.id);
    return {
      dms: [{ to: input.userId, msg: message(sent, [section(sent)]) }, ...deciders.map((to) => ({ to, msg: ask }))],
    };
  });
}

/** A lead pressed Accept or Reject: who may decide is checked before the modal for the comment opens. */
export function openDecision(
  deps: SlackDeps,
  input: { userId: string; appealId: number; accept: boolean },
): Promise<Effects> {
  return guarded(deps, { action: input.accept ? ID.acceptButton : ID.rejectButton, user: input.userId }, async (tx) => {
    await checkDecider(deps.tally, { appealId: idFrom(input.appealId), by: input.userId });
    return {
      dms: [],
      modal: commentModal(
        ID.decideModal,
        { appealId: input.appealId, accept: input.accept },
        tx.appeal.decideTitle,
        tx.appeal.decideLabel,
        input.accept ? tx.appeal.accept : tx.appeal.reject,
      ),
    };
  });
}

export function submitDecision(
  deps: SlackDeps,
  input: { userId: string; appealId: number; accept: boolean; comment: string },
): Promise<ViewResult> {
  return inModal(deps, input.userId, ID.decideModal, async (tx) => {
    const a = await decideAppeal(deps.tally, {
      appealId: idFrom(input.appealId),
      by: input.userId,
      accept: input.accept,
      comment: input.comment,
    });
    const outcome = (a.status === 'accepted' ? tx.appeal.accepted : tx.appeal.rejected)(a.penalty.id, input.userId, '');
    const done = tx.appeal.decided(a.id, a.status === 'accepted');
    return {
      dms: [
        {
          to: a.by,
          msg: message(`${outcome} ${escape(a.decision ?? '')}`, [section(outcome), quote(a.decision ?? '')]),
        },
        { to: input.userId, msg: message(done, [section(done)]) },
      ],
    };
  });
}
