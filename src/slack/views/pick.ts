// The rule picker's submission: the lead chose a rule (or gave an amount for a free reason).
import { TallyError } from '../../errors.js';
import { parseYuan } from '../../core/money.js';
import { recordPenalty } from '../../service/penalties.js';
import { announce } from '../commands/penalty.js';
import { guarded, noEffects, type SlackDeps } from '../context.js';
import { explain } from '../text/index.js';
import { isTallyError } from '../../errors.js';
import { ID } from '../ids.js';
import type { ViewResult } from './appeal.js';

export interface PickInput {
  userId: string;
  meta: { slackId: string; words: string; on: string; lossFen?: number };
  ruleCode?: string;
  amount?: string;
}

export async function submitPick(deps: SlackDeps, input: PickInput): Promise<ViewResult> {
  let errors: Record<string, string> | undefined;
  const effects = await guarded(deps, { view: ID.pickModal, user: input.userId }, async (tx, team) => {
    try {
      const amount = input.amount?.trim();
      const amountFen = amount ? parseYuan(amount) : undefined;
      if (amountFen === null) throw new TallyError('bad_amount', `"${amount}" is not an amount`, { name: 'amount' });
      if (!input.ruleCode && amountFen === undefined) throw new TallyError('free_reason_needs_amount', 'pick a rule or give an amount', {});
      const text = input.ruleCode ? `${input.ruleCode} ${input.meta.words}` : input.meta.words;
      const r = await recordPenalty(deps.tally, {
        slackId: input.meta.slackId, by: input.userId, text, on: input.meta.on, lossFen: input.meta.lossFen,
        amountFen: input.ruleCode ? undefined : (amountFen ?? undefined),
      });
      const done = await announce(deps, tx, team.policy, r, input.userId);
      // a modal has no channel to reply in: the lead's confirmation comes as a DM
      return { dms: [...(done.reply ? [{ to: input.userId, msg: done.reply }] : []), ...done.dms] };
    } catch (e) {
      if (!isTallyError(e)) throw e;
      errors = { [input.ruleCode ? ID.pickRule : ID.pickAmount]: explain(tx, e) };
      return noEffects();
    }
  });
  return errors ? { errors, effects: noEffects() } : { effects: effects.reply ? { dms: [...effects.dms, { to: input.userId, msg: effects.reply }] } : effects };
}
