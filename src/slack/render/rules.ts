// /penalty rules: one page of the rulebook, each rule in a few lines, and where the next page is.
import { formatFen } from '../../core/money.js';
import type { Rule } from '../../core/policy.js';
import { clip, context, header, linesToSections, message, type Msg } from '../blocks.js';
import type { Texts } from '../text/index.js';
import { ruleName } from './penalty.js';

export function rulesPage(
  tx: Texts,
  v: { rules: ReadonlyArray<[string, Rule]>; page: number; pages: number; total: number },
): Msg {
  const lines = v.rules.map(([code, r]) => {
    const esc = r.escalations.map((e) => `${tx.ordinal(e.fromCount)}: ${tx.escalation[e.action]}`).join(', ');
    // one rule stays a few lines however long its names and however many aliases it has
    return `• *${clip(ruleName(tx, code, r.label), 200)}* ${formatFen(r.amountFen)}${r.addsLoss ? ` ${tx.addsLoss}` : ''}, -${r.points}${esc ? ` · ${clip(esc, 200)}` : ''}\n   _${clip(r.aliases.join(', '), 300)}_`;
  });
  const footer = v.pages > 1 ? [context(tx.penalty.rulesPage(v.page, v.pages, v.total))] : [];
  return message(tx.penalty.rulesTitle, [
    header(tx.penalty.rulesTitle),
    ...linesToSections(lines),
    ...footer,
    context(tx.penalty.help.split('\n')[0]!),
  ]);
}
