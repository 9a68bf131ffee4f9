// The rule picker: asked when a lead's words match several rules or are a free reason without an
// amount. The modal carries only a draft's id; what the lead typed waits in the database.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { TallyError } from '../../errors.js';
import type { Day } from '../../core/dates.js';
import { parseYuan } from '../../core/money.js';
import { fromDay, toDay } from '../../db/dates.js';
import type { Tally } from '../../service/context.js';
import { recordPenalty } from '../../service/penalties.js';
import { announce } from '../commands/penalty/record.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { explain } from '../text/index.js';
import { isTallyError } from '../../errors.js';
import { ID } from '../ids.js';
import type { ViewResult } from './appeal.js';

export interface Draft {
  /** the lead */
  by: string;
  /** the member penalised */
  slackId: string;
  words: string;
  on: Day;
  lossFen?: number;
}

/** Keeps what the lead typed until they pick; returns the id the modal carries. */
export async function saveDraft(t: Tally, d: Draft): Promise<string> {
  const id = randomBytes(12).toString('base64url');
  await t.db.penaltyDraft.create({
    data: {
      id,
      by: d.by,
      slackId: d.slackId,
      words: d.words,
      on: fromDay(d.on),
      lossFen: d.lossFen ?? null,
      createdAt: t.clock.now(),
    },
  });
  return id;
}

export interface PickInput {
  userId: string;
  /** the modal's private_metadata, as Slack sends it back */
  meta: unknown;
  ruleCode?: string;
  amount?: string;
}

const metaSchema = z.object({ draft: z.string().min(1).max(64) });

/** Takes the lead's draft for recording; null when it is not theirs, gone, or already recorded. */
async function claimDraft(t: Tally, id: string, by: string) {
  const claimed = await t.db.penaltyDraft.updateMany({
    where: { id, by, usedAt: null },
    data: { usedAt: t.clock.now() },
  });
  if (claimed.count === 0) {
    const draft = await t.db.penaltyDraft.findUnique({ where: { id } });
    if (draft?.by === by) throw new TallyError('draft_used', {});
    throw new TallyError('draft_gone', {});
  }
  return t.db.penaltyDraft.findUniqueOrThrow({ where: { id } });
}

export async function submitPick(deps: SlackDeps, input: PickInput): Promise<ViewResult> {
  let errors: Record<string, string> | undefined;
  const t = deps.tally;
  const effects = await guarded(deps, { view: ID.pickModal, user: input.userId }, async (tx, team) => {
    let draftId: string | undefined;
    let recorded = false;
    try {
      const amount = input.amount?.trim();
      const amountFen = amount ? parseYuan(amount) : undefined;
      if (amountFen === null) throw new TallyError('bad_amount', { name: 'amount', value: amount ?? '' });
      if (!input.ruleCode && amountFen === undefined) throw new TallyError('pick_rule_or_amount', {});
      const meta = metaSchema.safeParse(input.meta);
      if (!meta.success) throw new TallyError('draft_gone', {});
      const draft = await claimDraft(t, meta.data.draft, input.userId);
      draftId = draft.id;
      const text = input.ruleCode ? `${input.ruleCode} ${draft.words}` : draft.words;
      const r = await recordPenalty(t, {
        slackId: draft.slackId,
        by: input.userId,
        text,
        on: toDay(draft.on),
        lossFen: draft.lossFen ?? undefined,
        amountFen: input.ruleCode ? undefined : (amountFen ?? undefined),
      });
      recorded = true;
      const done = await announce(deps, tx, team.policy, r, input.userId);
      // a modal has no channel to reply in: the lead's confirmation comes as a DM
      return { dms: [...(done.reply ? [{ to: input.userId, msg: done.reply }] : []), ...done.dms] };
    } catch (e) {
      // not recorded: the lead may correct the modal and submit the same draft again
      if (draftId && !recorded) await t.db.penaltyDraft.updateMany({ where: { id: draftId }, data: { usedAt: null } });
      if (!isTallyError(e)) throw e;
      errors = { [input.ruleCode ? ID.pickRule : ID.pickAmount]: explain(tx, e) };
      return noEffects();
    }
  });
  return errors
    ? { errors, effects: noEffects() }
    : { effects: effects.reply ? { dms: [...effects.dms, { to: input.userId, msg: effects.reply }] } : effects };
}
