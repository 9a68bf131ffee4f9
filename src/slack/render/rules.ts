// /penalty rules: one page of the rulebook, each rule in a few lines, and where the next page is.
import type { Rule } from '../../core/policy.js';
import { clip, context, escape, escapeLine, header, linesToSections, message, type Msg } from '../blocks.js';
import type { Texts } from '../text/index.js';
import { ruleTitle } from './penalty.js';

export function rulesPage(
  tx: Texts,
  v: { rules: ReadonlyArray<[string, Rule]>; page: number; pages: number; total: number },
): Msg {
  const lines = v.rules.map(([code, r]) => {
    const escalations = r.escalations.map((e) => tx.penalty.escalation(e.fromCount, e.action)).join(', ');
    // one rule stays a few lines however long its names and however many aliases it has
    const line = tx.penalty.ruleLine({
      name: escape(clip(ruleTitle(tx, code, r.label), 200)),
      amountFen: r.amountFen,
      addsLoss: r.addsLoss,
      points: r.points,
      escalations: clip(escalations, 200),
    });
    return `• ${line}\n   _${clip(r.aliases.map(escapeLine).join(', '), 300)}_`;
  });
  const footer = v.pages > 1 ? [context(tx.penalty.rulesPage(v.page, v.pages, v.total))] : [];
  return message(tx.penalty.rulesTitle, [
    header(tx.penalty.rulesTitle),
    ...linesToSections(lines),
    ...footer,
    context(tx.penalty.help.split('\n')[0]!),
  ]);
}
