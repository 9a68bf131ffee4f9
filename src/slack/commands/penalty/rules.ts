// /penalty rules [page]: the rulebook, 20 rules a page.
import { TallyError } from '../../../errors.js';
import type { Effects } from '../../blocks.js';
import type { Team } from '../../context.js';
import { rulesPage } from '../../render/rules.js';
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
  const shown = active.slice((page - 1) * RULES_PER_PAGE, page * RULES_PER_PAGE);
  return { reply: rulesPage(tx, { rules: shown, page, pages, total: active.length }), dms: [] };
}
