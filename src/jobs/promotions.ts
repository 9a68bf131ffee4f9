// People over time in the scheduled jobs: at the close in a review month the deciders get the review's
// candidate list with Approve / Decline; when a trainee's probation ends they get a confirm prompt.
import { addMonths, type Day, type Month } from '../core/dates.js';
import { isReviewMonth } from '../core/promotions.js';
import type { Level, Policy, Role } from '../core/policy.js';
import { mayDecidePromotion } from '../core/standing.js';
import { teamToday, type Tally } from '../service/context.js';
import { enqueue } from '../service/outbox.js';
import { probationsDue, promotionCandidates, type DecisionView } from '../service/promotions.js';
import { activeWithRoles, type MemberView } from '../service/roster.js';
import { decisionMessages, probationPrompt, reviewMessages } from '../slack/render/promotions.js';
import { texts, type Texts } from '../slack/text/index.js';
import type { Item } from './outbox.js';

const DECIDERS: readonly Role[] = ['lead', 'supervisor'];

/** Leads and supervisors decide promotions; a team with neither asks its admins. */
async function deciders(t: Tally): Promise<MemberView[]> {
  const found = await activeWithRoles(t, DECIDERS);
  return found.length ? found : activeWithRoles(t, ['admin']);
}

/**
 * Who is asked about one person's move to `to`: the leads and supervisors who may decide it (above
 * them, and below the level given), else the admins; never the person themselves.
 */
async function decidersOf(t: Tally): Promise<(member: MemberView, to: Level) => MemberView[]> {
  const [staff, admins] = await Promise.all([activeWithRoles(t, DECIDERS), activeWithRoles(t, ['admin'])]);
  return (member, to) => {
    const may = (d: MemberView) => d.id !== member.id && mayDecidePromotion(d.role, member.role, to);
    const found = staff.filter(may);
    return found.length ? found : admins.filter(may);
  };
}

/**
 * The monthly run for `closed` (published on the close day in the month after): when that next month is a
 * review month, each decider gets its candidate list. Keys under the run's, so a run sends it once.
 */
export async function reviewItems(t: Tally, closed: Month, policy: Policy, tx: Texts, key: string): Promise<Item[]> {
  const review = addMonths(closed, 1);
  if (!isReviewMonth(policy, review)) return [];
  const list = await promotionCandidates(t, review);
  // each decider gets the candidates they may decide; a review without any tells every decider so
  const theirs = new Map<string, { to: MemberView; candidates: typeof list.candidates }>();
  if (!list.candidates.length) for (const d of await deciders(t)) theirs.set(d.slackId, { to: d, candidates: [] });
  const pick = await decidersOf(t);
  for (const c of list.candidates) {
    for (const d of pick(c.member, c.evaluation.to)) {
      const entry = theirs.get(d.slackId) ?? { to: d, candidates: [] };
      entry.candidates.push(c);
      theirs.set(d.slackId, entry);
    }
  }
  const byRoster = [...theirs.values()].sort((a, b) => a.to.id - b.to.id);
  return byRoster.flatMap(({ to: d, candidates }) =>
    reviewMessages(tx, { ...list, candidates }).map((msg, i) => ({
      key: `${key}:review:${review}:${d.slackId}:${i}`,
      channel: d.slackId,
      payload: { kind: 'message' as const, ...msg },
    })),
  );
}

/**
 * Trainees whose probation has ended by `day` and who are not decided yet: a prompt to each decider,
 * keyed by the trainee and the end of probation, so each is asked once whichever daily run finds it.
 */
export async function probationItems(t: Tally, day: Day, tx: Texts): Promise<Item[]> {
  const due = await probationsDue(t, day);
  if (!due.length) return [];
  const pick = await decidersOf(t);
  return due.flatMap((d) =>
    pick(d.member, 'regular').map((x) => ({
      key: `probation:${d.member.slackId}:${d.ends}:${x.slackId}`,
      channel: x.slackId,
      payload: { kind: 'message' as const, ...probationPrompt(tx, d) },
    })),
  );
}

/** A decision taken outside Slack (the CLI): the agent is told by DM through the outbox, once. */
export async function tellDecision(t: Tally, d: DecisionView): Promise<void> {
  const tx = texts((await teamToday(t)).policy.locale);
  const { toAgent } = decisionMessages(tx, d);
  await enqueue(t, [
    { key: `promotion-decision:${d.id}:agent`, channel: d.member.slackId, payload: { kind: 'message', ...toAgent } },
  ]);
}
