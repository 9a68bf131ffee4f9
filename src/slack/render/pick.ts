// The rule picker: every active rule (or the candidates a lead's words matched), and an amount for a free reason.
import type { KnownBlock, PlainTextOption, View } from '@slack/types';
import { formatFen } from '../../core/money.js';
import type { Policy, Rule } from '../../core/policy.js';
import { clip, context, escape, LIMITS, section } from '../blocks.js';
import { ID } from '../ids.js';
import type { Texts } from '../text/index.js';
import { ruleTitle } from './penalty.js';

/** The most options one select menu can hold: 100 groups of 100. */
const MAX_OPTIONS = LIMITS.optionGroups * LIMITS.options;

/** The picker for a draft: every active rule (or only the candidates), grouped by 100 when there are more. */
export function pickModal(tx: Texts, policy: Policy, draftId: string, words: string, candidates: string[]): View {
  const all = Object.entries(policy.penalties.rules)
    // a code longer than an option's value cannot be picked here; it can still be typed
    .filter(
      ([code, r]) =>
        !r.retired && (candidates.length === 0 || candidates.includes(code)) && code.length <= LIMITS.optionValue,
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rules = all.slice(0, MAX_OPTIONS);
  const option = ([code, r]: [string, Rule]): PlainTextOption => ({
    text: {
      type: 'plain_text',
      text: clip(`${ruleTitle(tx, code, r.label)} ${formatFen(r.amountFen)}`, LIMITS.optionText),
    },
    value: code,
  });
  const groups = [];
  for (let i = 0; i < rules.length; i += LIMITS.options) groups.push(rules.slice(i, i + LIMITS.options));
  const menu =
    rules.length <= LIMITS.options
      ? { options: rules.map(option) }
      : {
          option_groups: groups.map((g) => ({
            label: { type: 'plain_text' as const, text: clip(`${g[0]![0]} … ${g.at(-1)![0]}`, LIMITS.optionText) },
            options: g.map(option),
          })),
        };
  const blocks: KnownBlock[] = [section(tx.penalty.pickHint(escape(words)))];
  if (all.length > rules.length) blocks.push(context(tx.penalty.pickTooMany(rules.length, all.length)));
  if (rules.length) {
    blocks.push({
      type: 'input',
      block_id: ID.pickRule,
      optional: true,
      label: { type: 'plain_text', text: tx.penalty.pickLabel },
      element: { type: 'static_select', action_id: ID.input, ...menu },
    });
  }
  blocks.push({
    type: 'input',
    block_id: ID.pickAmount,
    optional: true,
    label: { type: 'plain_text', text: tx.penalty.amountLabel },
    element: { type: 'plain_text_input', action_id: ID.input, placeholder: { type: 'plain_text', text: '50' } },
  });
  return {
    type: 'modal',
    callback_id: ID.pickModal,
    private_metadata: JSON.stringify({ draft: draftId }),
    title: { type: 'plain_text', text: tx.penalty.pickTitle },
    submit: { type: 'plain_text', text: tx.penalty.pickSubmit },
    blocks,
  };
}
