// The rule picker's submission: asked when a lead's words match several rules or are a free reason
// without an amount. The modal carries only a draft's id; what the lead typed waits in the database.
import { z } from 'zod';
import { TallyError } from '../../errors.js';
import { parseYuan } from '../../core/money.js';
import { recordDraft } from '../../service/drafts.js';
import { penaltyRecorded } from '../render/penalty.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { explain } from '../text/index.js';
import { isTallyError } from '../../errors.js';
import { ID } from '../ids.js';
import type { ViewResult } from './appeal.js';

export interface PickInput {
  userId: string;
  /** the modal's private_metadata, as Slack sends it back */
  meta: unknown;
  ruleCode?: string;
  amount?: string;
}

const metaSchema = z.object({ draft: z.string().min(1).max(64) });

export async function submitPick(deps: SlackDeps, input: PickInput): Promise<ViewResult> {
  let errors: Record<string, string> | undefined;
  const effects = await guarded(deps, { view: ID.pickModal, user: input.userId }, async (tx) => {
    try {
      const amount = input.amount?.trim();
      const amountFen = amount ? parseYuan(amount) : undefined;
      if (amountFen === null) throw new TallyError('bad_amount', { name: 'amount', value: amount ?? '' });
      if (!input.ruleCode && amountFen === undefined) throw new TallyError('pick_rule_or_amount', {});
      const meta = metaSchema.safeParse(input.meta);
      if (!meta.success) throw new TallyError('draft_gone', {});
      const r = await recordDraft(deps.tally, {
        draftId: meta.data.draft,
        by: input.userId,
        ruleCode: input.ruleCode,
        amountFen,
      });
      const done = penaltyRecorded(tx, r, input.userId);
      // a modal has no channel to reply in: the lead's confirmation comes as a DM
      return { dms: [...(done.reply ? [{ to: input.userId, msg: done.reply }] : []), ...done.dms] };
    } catch (e) {
      // not recorded: the lead may correct the modal and submit the same draft again
      if (!isTallyError(e)) throw e;
      errors = { [input.ruleCode ? ID.pickRule : ID.pickAmount]: explain(tx, e) };
      return noEffects();
    }
  });
  return errors
    ? { errors, effects: noEffects() }
    : { effects: effects.reply ? { dms: [...effects.dms, { to: input.userId, msg: effects.reply }] } : effects };
}
