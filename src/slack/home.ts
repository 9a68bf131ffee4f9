// App Home: everyone sees this month's score, penalties and projected pay; leads also the team's
// boards and the appeals waiting for them.
import type { KnownBlock, View } from '@slack/types';
import { monthOf } from '../core/dates.js';
import { TRACKS } from '../core/policy.js';
import { pendingAppeals } from '../service/appeals.js';
import { teamToday } from '../service/context.js';
import { findMember, STAFF_ROLES } from '../service/roster.js';
import { memberScore, scorePeriod } from '../service/scores.js';
import { actions, button, divider, header, quote, section } from './blocks.js';
import { board } from './commands/leaderboard.js';
import { ruleName } from './commands/penalty.js';
import { scoreMessage } from './commands/myscore.js';
import { guarded, teamTexts, type SlackDeps } from './context.js';
import { ID } from './ids.js';

export async function homeView(deps: SlackDeps, userId: string): Promise<View> {
  const tx = await teamTexts(deps.tally);
  let blocks: KnownBlock[] = [];
  const effects = await guarded(deps, { event: 'app_home_opened', user: userId }, async () => {
    const me = await findMember(deps.tally, userId);
    const month = monthOf((await teamToday(deps.tally)).today);
    blocks = [header(`${tx.home.title} · ${tx.home.month(month)}`), ...scoreMessage(tx, await memberScore(deps.tally, me.slackId, { kind: 'month', month })).blocks];
    if (STAFF_ROLES.includes(me.role)) {
      blocks.push(divider(), header(tx.home.pending));
      const appeals = await pendingAppeals(deps.tally, me.slackId);
      if (!appeals.length) blocks.push(section(tx.home.noPending));
      for (const a of appeals.slice(0, 8)) {
        blocks.push(
          section(tx.appeal.request({ who: a.by, id: a.penalty.id, rule: ruleName(tx, a.penalty.ruleCode, a.penalty.ruleLabel), amountFen: a.penalty.amountFen })),
          quote(a.comment),
          actions(`home_appeal_${a.id}`, button(tx.appeal.accept, ID.acceptButton, String(a.id), 'primary'), button(tx.appeal.reject, ID.rejectButton, String(a.id), 'danger')),
        );
      }
      const scores = await scorePeriod(deps.tally, { kind: 'month', month });
      blocks.push(divider(), header(tx.home.team));
      for (const tr of TRACKS) blocks.push(...board(tx, tr, month, scores.tracks[tr], 20));
    }
    return { dms: [] };
  });
  if (effects.reply) blocks = effects.reply.blocks;
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
