// The appeal round trip: Appeal button → modal with a required comment → the recording lead and the
// supervisors get Accept / Reject → a modal for their comment → both sides hear the outcome.
import { ownRecord } from '../../core/keys.js';
import { TallyError, isTallyError } from '../../errors.js';
import { checkAppealable, checkDecider, decideAppeal, fileAppeal, penaltyOfAppeal } from '../../service/appeals.js';
import { isPenaltyId } from '../../service/penalties.js';
import type { Effects } from '../blocks.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { ID } from '../ids.js';
import { explain, type Texts } from '../text/index.js';
import { appealDecided, appealModal, appealRequest, appealSent, decisionModal } from '../render/appeal.js';

export interface ViewResult {
  /** field errors shown in the modal (response_action: errors), by block id */
  errors?: Record<string, string>;
  effects: Effects;
}

/**
 * A modal's private_metadata as an object without a prototype, so only keys it carries are read (not
 * `constructor`, nor what a `__proto__` key would lend it); anything else (not JSON, not an object)
 * reads as empty and is refused by the handler.
 */
export function readMetadata(text: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text || '{}');
    return ownRecord(
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : [],
    );
  } catch {
    return ownRecord([]);
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
    return { dms: [], modal: appealModal(tx, p) };
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
    return {
      // the deciders first, the agent's receipt last: once the agent has it, everyone who was to be told was
      dms: [
        ...deciders.map((to) => ({ to, msg: appealRequest(tx, appeal) })),
        { to: input.userId, msg: appealSent(tx, appeal, deciders.length) },
      ],
    };
  });
}

/** Which appeal a button or decision form names: its penalty's id, or (sent before that) the appeal's own. */
export type AppealTarget = { penaltyId: number } | { appealId: number };

async function penaltyIdOf(deps: SlackDeps, target: AppealTarget): Promise<number> {
  if ('penaltyId' in target) return idFrom(target.penaltyId);
  return idFrom((await penaltyOfAppeal(deps.tally, target.appealId)) ?? NaN);
}

/** A lead pressed Accept or Reject: who may decide is checked before the modal for the comment opens. */
export function openDecision(
  deps: SlackDeps,
  input: AppealTarget & { userId: string; accept: boolean },
): Promise<Effects> {
  return guarded(deps, { action: input.accept ? ID.acceptButton : ID.rejectButton, user: input.userId }, async (tx) => {
    const penaltyId = await penaltyIdOf(deps, input);
    await checkDecider(deps.tally, { penaltyId, by: input.userId });
    return { dms: [], modal: decisionModal(tx, { penaltyId, accept: input.accept }) };
  });
}

export function submitDecision(
  deps: SlackDeps,
  input: AppealTarget & { userId: string; accept: boolean; comment: string },
): Promise<ViewResult> {
  return inModal(deps, input.userId, ID.decideModal, async (tx) => {
    const a = await decideAppeal(deps.tally, {
      penaltyId: await penaltyIdOf(deps, input),
      by: input.userId,
      accept: input.accept,
      comment: input.comment,
    });
    const told = appealDecided(tx, a, input.userId);
    return {
      dms: [
        { to: a.by, msg: told.toAgent },
        { to: input.userId, msg: told.toDecider },
      ],
    };
  });
}
