// App Home: one's month (score, penalties, projected pay); for staff also the appeals waiting for them,
// a page at a time, each month's state, and the team's boards. Pure: (texts, what the services
// returned) → the home view.
import type { KnownBlock, View } from '@slack/types';
import { TRACKS } from '../../core/policy.js';
import type { AppealView } from '../../service/appeals.js';
import type { MonthLine } from '../../service/month-list.js';
import type { Policy } from '../../core/policy.js';
import type { PersonRecord } from '../../service/promotions.js';
import type { MemberScoreResult, PeriodScores } from '../../service/scores.js';
import { actions, button, context, divider, header, quote, section } from '../blocks.js';
import { ID } from '../ids.js';
import type { Texts } from '../text/index.js';
import { appealLine, decisionButtons } from './appeal.js';
import { board } from './board.js';
import { monthsBlocks } from './months.js';
import { personBlocks } from './promotions.js';
import { scoreMessage } from './score.js';

export interface HomeData {
  month: string;
  score: MemberScoreResult;
  /** level, next level and trend */
  person?: { policy: Policy; record: PersonRecord };
  /** staff only */
  staff?: {
    appeals: { total: number; page: number; pages: number; perPage: number; appeals: AppealView[] };
    team: PeriodScores;
    /** each month's state, newest first */
    months: MonthLine[];
  };
}

export function appHome(tx: Texts, h: HomeData): View {
  const blocks: KnownBlock[] = [
    header(`${tx.home.title} · ${tx.home.month(h.month)}`),
    ...scoreMessage(tx, h.score).blocks,
    ...(h.person ? personBlocks(tx, h.person.policy, h.person.record) : []),
  ];
  if (h.staff) {
    const { total, page, pages, perPage, appeals } = h.staff.appeals;
    blocks.push(divider(), header(tx.home.pending));
    if (!appeals.length) blocks.push(section(tx.home.noPending));
    else blocks.push(context(tx.home.waiting(total, (page - 1) * perPage + 1, (page - 1) * perPage + appeals.length)));
    for (const a of appeals)
      blocks.push(section(appealLine(tx, a)), quote(a.comment), decisionButtons(tx, a, `home_appeal_${a.penalty.id}`));
    if (pages > 1) {
      const turn = [
        ...(page > 1 ? [button(tx.home.previous, ID.homeAppealsPrevious, String(page - 1))] : []),
        ...(page < pages ? [button(tx.home.next, ID.homeAppealsNext, String(page + 1))] : []),
      ];
      blocks.push(actions('home_appeals_pages', ...turn));
    }
    // before the boards: a long board is what gets cut if the tab runs out of blocks
    blocks.push(...monthsBlocks(tx, h.staff.months));
    blocks.push(divider(), header(tx.home.team));
    for (const tr of TRACKS) blocks.push(...board(tx, tr, h.month, h.staff.team.tracks[tr], 20));
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
