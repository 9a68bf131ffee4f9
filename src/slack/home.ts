// App Home: everyone sees this month's score, penalties and projected pay; leads also the team's
// boards and the appeals waiting for them.
import type { KnownBlock, View } from '@slack/types';
import { monthOf } from '../core/dates.js';
import { TRACKS } from '../core/policy.js';
import type { AppealView } from '../service/appeals.js';
import { teamToday, type Tally } from '../service/context.js';
import { listPenaltiesById } from '../service/penalties.js';
import { findMember, STAFF_ROLES, type MemberView } from '../service/roster.js';
import { memberScore, scorePeriod } from '../service/scores.js';
import { actions, button, context, divider, header, quote, section } from './blocks.js';
import { board } from './render/board.js';
import { ruleName } from './render/penalty.js';
import { scoreMessage } from './render/score.js';
import { guarded, teamTexts, type SlackDeps } from './context.js';
import { ID } from './ids.js';

/** Appeals per page of App Home (three blocks each, well within the tab's 100 blocks). */
export const APPEALS_PER_PAGE = 8;

/** The appeals waiting for a lead (theirs) or a supervisor or admin (all), one page at a time, with how many wait in all. */
async function waitingAppeals(
  t: Tally,
  me: MemberView,
  page: number,
): Promise<{ total: number; page: number; pages: number; appeals: AppealView[] }> {
  const where =
    me.role === 'lead'
      ? { status: 'pending' as const, penalty: { recordedBy: { slackId: me.slackId } } }
      : { status: 'pending' as const };
  const total = await t.db.appeal.count({ where });
  const pages = Math.max(1, Math.ceil(total / APPEALS_PER_PAGE));
  // a page that emptied since its button was drawn shows the last one that has appeals
  const shown = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const rows = await t.db.appeal.findMany({
    where,
    include: { member: true },
    orderBy: { id: 'asc' },
    skip: (shown - 1) * APPEALS_PER_PAGE,
    take: APPEALS_PER_PAGE,
  });
  const penalties = new Map(
    (
      await listPenaltiesById(
        t,
        rows.map((r) => r.penaltyId),
      )
    ).map((p) => [p.id, p]),
  );
  const appeals = rows.map((r) => ({
    id: r.id,
    status: r.status,
    comment: r.comment,
    by: r.member.slackId,
    decidedBy: null,
    decision: null,
    penalty: penalties.get(r.penaltyId)!,
  }));
  return { total, page: shown, pages, appeals };
}

export async function homeView(deps: SlackDeps, userId: string, opts: { appealsPage?: number } = {}): Promise<View> {
  const tx = await teamTexts(deps.tally);
  let blocks: KnownBlock[] = [];
  const effects = await guarded(deps, { event: 'app_home_opened', user: userId }, async () => {
    const me = await findMember(deps.tally, userId);
    const month = monthOf((await teamToday(deps.tally)).today);
    blocks = [
      header(`${tx.home.title} · ${tx.home.month(month)}`),
      ...scoreMessage(tx, await memberScore(deps.tally, me.slackId, { kind: 'month', month })).blocks,
    ];
    if (STAFF_ROLES.includes(me.role)) {
      blocks.push(divider(), header(tx.home.pending));
      const { total, page, pages, appeals } = await waitingAppeals(deps.tally, me, opts.appealsPage ?? 1);
      if (!appeals.length) blocks.push(section(tx.home.noPending));
      else
        blocks.push(
          context(
            tx.home.waiting(total, (page - 1) * APPEALS_PER_PAGE + 1, (page - 1) * APPEALS_PER_PAGE + appeals.length),
          ),
        );
      for (const a of appeals) {
        blocks.push(
          section(
            tx.appeal.request({
              who: a.by,
              id: a.penalty.id,
              rule: ruleName(tx, a.penalty.ruleCode, a.penalty.ruleLabel),
              amountFen: a.penalty.amountFen,
            }),
          ),
          quote(a.comment),
          actions(
            `home_appeal_${a.id}`,
            button(tx.appeal.accept, ID.acceptButton, String(a.id), 'primary'),
            button(tx.appeal.reject, ID.rejectButton, String(a.id), 'danger'),
          ),
        );
      }
      if (pages > 1) {
        const turn = [
          ...(page > 1 ? [button(tx.home.previous, ID.homeAppealsPrevious, String(page - 1))] : []),
          ...(page < pages ? [button(tx.home.next, ID.homeAppealsNext, String(page + 1))] : []),
        ];
        blocks.push(actions('home_appeals_pages', ...turn));
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
