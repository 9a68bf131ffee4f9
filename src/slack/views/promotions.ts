// The promotion round trip in Slack: Approve (or Confirm as regular) decides at once; Decline opens a
// modal for the reason. Only staff may decide; the agent is told by DM, the decider gets a receipt,
// and a second click (by anyone) changes nothing and says who decided.
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { TallyError, isTallyError } from '../../errors.js';
import { approvePromotion, checkDecision, declinePromotion } from '../../service/promotions.js';
import type { Effects, Msg } from '../blocks.js';
import { context, message } from '../blocks.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { ID } from '../ids.js';
import { decisionMessages, declineModal, type DecisionRef } from '../render/promotions.js';
import { explain } from '../text/index.js';
import type { ViewResult } from './appeal.js';

const Ref = z.object({
  s: z.string().regex(/^[UW][A-Z0-9]+$/),
  m: z.string().regex(/^\d{4}-\d{2}$/),
  k: z.enum(['promotion', 'probation']),
});

/** A button's or modal's value back as the decision it names; anything else is a damaged form. */
export function readRef(value: unknown): DecisionRef {
  try {
    const r = Ref.parse(typeof value === 'string' ? JSON.parse(value) : value);
    return { slackId: r.s, month: r.m, kind: r.k };
  } catch {
    throw new TallyError('stale_form', {});
  }
}

const monthOf = (ref: DecisionRef) => (ref.kind === 'promotion' ? { month: ref.month } : {});

/** The pressed message with that person's buttons replaced by the decision. */
function withDecision(original: Msg | undefined, slackId: string, line: string): Msg | undefined {
  if (!original) return undefined;
  const ids = new Set([`promotion_${slackId}`, `probation_${slackId}`]);
  const blocks = original.blocks.map((b): KnownBlock => (b.block_id && ids.has(b.block_id) ? context(line) : b));
  return message(original.text, blocks);
}

/** Approve on a review's candidate, or Confirm as regular on a probation prompt. */
export function approvePressed(
  deps: SlackDeps,
  input: { userId: string; value: string; original?: Msg },
): Promise<Effects> {
  return guarded(deps, { action: ID.promotionApprove, user: input.userId }, async (tx) => {
    const ref = readRef(input.value);
    await checkDecision(deps.tally, ref.slackId, input.userId, { ...monthOf(ref), kind: ref.kind });
    const d = await approvePromotion(deps.tally, ref.slackId, input.userId, monthOf(ref));
    const told = decisionMessages(tx, d);
    const replace = withDecision(input.original, ref.slackId, tx.promotions.approved(d.by, d.effectiveFrom ?? ''));
    return {
      dms: [
        { to: d.member.slackId, msg: told.toAgent },
        { to: input.userId, msg: told.toDecider },
      ],
      ...(replace ? { replace } : {}),
    };
  });
}

/** Decline: who may decide is checked before the modal for the reason opens. */
export function declinePressed(deps: SlackDeps, input: { userId: string; value: string }): Promise<Effects> {
  return guarded(deps, { action: ID.promotionDecline, user: input.userId }, async (tx) => {
    const ref = readRef(input.value);
    await checkDecision(deps.tally, ref.slackId, input.userId, { ...monthOf(ref), kind: ref.kind });
    return { dms: [], modal: declineModal(tx, ref) };
  });
}

/** The decline modal sent: a refusal shows on its reason field; anything unexpected is DMed as an apology. */
export async function submitDecline(
  deps: SlackDeps,
  input: { userId: string; meta: string | undefined; why: string },
): Promise<ViewResult> {
  let fieldError: string | undefined;
  const effects = await guarded(deps, { view: ID.promotionDeclineModal, user: input.userId }, async (tx) => {
    try {
      const ref = readRef(input.meta);
      const d = await declinePromotion(deps.tally, ref.slackId, input.userId, input.why, monthOf(ref));
      const told = decisionMessages(tx, d);
      return {
        dms: [
          { to: d.member.slackId, msg: told.toAgent },
          { to: input.userId, msg: told.toDecider },
        ],
      };
    } catch (e) {
      if (!isTallyError(e)) throw e;
      fieldError = explain(tx, e);
      return noEffects();
    }
  });
  if (fieldError) return { errors: { [ID.promotionWhy]: fieldError }, effects: noEffects() };
  return { effects: effects.reply ? { dms: [...effects.dms, { to: input.userId, msg: effects.reply }] } : effects };
}
