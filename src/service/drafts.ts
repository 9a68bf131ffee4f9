// Penalty drafts: what a lead typed, kept while they pick a rule (Slack's modal carries only the id).
import { randomBytes } from 'node:crypto';
import { realNow } from '../clock.js';
import type { Day } from '../core/dates.js';
import { fromDay, toDay } from '../db/dates.js';
import { TallyError } from '../errors.js';
import type { Tally } from './context.js';
import { recordPenalty, type RecordedPenalty } from './penalties.js';

export interface Draft {
  /** the lead */
  by: string;
  /** the member penalised */
  slackId: string;
  words: string;
  on: Day;
  lossFen?: number;
}

/** A picker left open longer than this is answered "type /penalty again"; its draft is then pruned. */
export const DRAFT_KEEP_HOURS = 48;

const keptSince = (now: Date) => new Date(now.getTime() - DRAFT_KEEP_HOURS * 3_600_000);

/** Keeps what the lead typed until they pick; returns the id the modal carries. */
export async function saveDraft(t: Tally, d: Draft): Promise<string> {
  const id = randomBytes(12).toString('base64url');
  // two days of real time, whatever TALLY_NOW says
  const now = realNow(t);
  // drafts are working notes, not records: the penalty itself is what is kept
  await t.db.penaltyDraft.deleteMany({ where: { createdAt: { lt: keptSince(now) } } });
  await t.db.penaltyDraft.create({
    data: {
      id,
      by: d.by,
      slackId: d.slackId,
      words: d.words,
      on: fromDay(d.on),
      lossFen: d.lossFen ?? null,
      createdAt: now,
    },
  });
  return id;
}

/** Takes the lead's draft for recording; refused when it is not theirs, gone, or already recorded. */
async function claimDraft(t: Tally, id: string, by: string) {
  const claimed = await t.db.penaltyDraft.updateMany({
    where: { id, by, usedAt: null, createdAt: { gte: keptSince(realNow(t)) } },
    data: { usedAt: t.clock.now() },
  });
  if (claimed.count === 0) {
    const draft = await t.db.penaltyDraft.findUnique({ where: { id } });
    if (draft?.by === by && draft.usedAt) throw new TallyError('draft_used', {});
    throw new TallyError('draft_gone', {});
  }
  return t.db.penaltyDraft.findUniqueOrThrow({ where: { id } });
}

/**
 * Records the penalty a draft waits for, with the rule the lead picked or the amount of a free reason.
 * A refusal leaves the draft open, so the lead may correct the choice and send it again.
 */
export async function recordDraft(
  t: Tally,
  req: { draftId: string; by: string; ruleCode?: string; amountFen?: number },
): Promise<RecordedPenalty> {
  const draft = await claimDraft(t, req.draftId, req.by);
  try {
    return await recordPenalty(t, {
      slackId: draft.slackId,
      by: req.by,
      text: req.ruleCode ? `${req.ruleCode} ${draft.words}` : draft.words,
      on: toDay(draft.on),
      lossFen: draft.lossFen ?? undefined,
      amountFen: req.ruleCode ? undefined : req.amountFen,
    });
  } catch (e) {
    await t.db.penaltyDraft.updateMany({ where: { id: draft.id }, data: { usedAt: null } });
    throw e;
  }
}
