// App Home: everyone sees this month's score, penalties and projected pay; leads also the team's
// boards, the appeals waiting for them and each month's state. Built by render/home.ts from what the
// services return.
import type { View } from '@slack/types';
import { monthOf } from '../core/dates.js';
import { waitingAppeals } from '../service/appeals.js';
import { monthLines } from '../service/month-list.js';
import { findMember, STAFF_ROLES } from '../service/roster.js';
import { personRecord } from '../service/promotions.js';
import { memberScore, scorePeriod } from '../service/scores.js';
import { guarded, teamTexts, type SlackDeps } from './context.js';
import { appHome } from './render/home.js';

/** Appeals per page of App Home (three blocks each, well within the tab's 100 blocks). */
export const APPEALS_PER_PAGE = 8;

export async function homeView(deps: SlackDeps, userId: string, opts: { appealsPage?: number } = {}): Promise<View> {
  const tx = await teamTexts(deps.tally);
  let view: View | undefined;
  const effects = await guarded(deps, { event: 'app_home_opened', user: userId }, async (_tx, team) => {
    const t = deps.tally;
    const me = await findMember(t, userId);
    const month = monthOf(team.today);
    const score = await memberScore(t, me.slackId, { kind: 'month', month });
    const person = await personRecord(t, me.slackId, team, score.today);
    // a lead who has left sees their own score, not the team's appeals and boards
    const staff =
      me.active && STAFF_ROLES.includes(me.role)
        ? {
            appeals: {
              ...(await waitingAppeals(t, me.slackId, opts.appealsPage ?? 1, APPEALS_PER_PAGE)),
              perPage: APPEALS_PER_PAGE,
            },
            team: await scorePeriod(t, { kind: 'month', month }),
            months: await monthLines(t),
          }
        : undefined;
    view = appHome(tx, { month, score, person: { policy: team.policy, record: person }, staff });
    return { dms: [] };
  });
  // a refusal (not on the roster) or an apology is shown in the tab instead
  return view ?? { type: 'home', blocks: effects.reply?.blocks ?? [] };
}
