// /penalty rules [page]: the rulebook, 20 rules a page.
import { formatFen } from '../../../core/money.js';
import { TallyError } from '../../../errors.js';
import { clip, context, header, linesToSections, message, type Effects } from '../../blocks.js';
import type { Team } from '../../context.js';
import { ruleName } from '../../render/penalty.js';
import type { Texts } from '../../text/index.js';

/** Rules per page of `/penalty rules`: 20 rules of two lines fit a message's 50 blocks with room to spare. */
export const RULES_PER_PAGE = 20;

export function rules(tx: Texts, team: Team, args: string[]): Effects {
  const { policy } = team;
  const active = Object.entries(policy.penalties.rules).filter(([, r]) => !r.retired);
  const pages = Math.max(1, Math.ceil(active.length / RULES_PER_PAGE));
  const asked = args[0] ?? '1';
  const page = /^\d{1,6}$/.test(asked) ? Number(asked) : NaN;
  if (!(page >= 1 && page <= pages)) throw new TallyError('no_such_page', { page: asked, pages });
  const lines = active.slice((page - 1) * RULES_PER_PAGE, page * RULES_PER_PAGE).map(([code, r]) => {
    const esc = r.escalations.map((e) => `${tx.ordinal(e.fromCount)}: ${tx.escalation[e.action]}`).join(', ');
    // one rule stays a few lines however long its names and however many aliases it has
    return `• *${clip(ruleName(tx, code, r.label), 200)}* ${formatFen(r.amountFen)}${r.addsLoss ? ` ${tx.addsLoss}` : ''}, -${r.points}${esc ? ` · ${clip(esc, 200)}` : ''}\n   _${clip(r.aliases.join(', '), 300)}_`;
  });
  const footer = pages > 1 ? [context(tx.penalty.rulesPage(page, pages, active.length))] : [];
  return {
    reply: message(tx.penalty.rulesTitle, [
      header(tx.penalty.rulesTitle),
      ...linesToSections(lines),
      ...footer,
      context(tx.penalty.help.split('\n')[0]!),
    ]),
    dms: [],
  };
}
