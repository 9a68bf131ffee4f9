// Promotions in Slack: the review's candidate list with Approve / Decline, a trainee's probation
// prompt, the decline modal, what each side is told, and one person's level, progress and trend
// (/myscore, App Home). Pure: (texts, what the services returned) → messages, blocks or a view.
import type { KnownBlock, View } from '@slack/types';
import type { MonthRecord, Progress } from '../../core/promotions.js';
import type { Policy } from '../../core/policy.js';
import type {
  CandidateList,
  CandidateView,
  DecisionView,
  PersonRecord,
  ProbationDue,
} from '../../service/promotions.js';
import { actions, button, context, escape, header, message, quote, section, type Msg } from '../blocks.js';
import { ID } from '../ids.js';
import type { Texts } from '../text/index.js';

/** candidates per message: two blocks each, well within Slack's 50 blocks */
export const CANDIDATES_PER_MESSAGE = 20;

/** What a decision button carries: who, in which month's review (or probation), of which kind. */
export interface DecisionRef {
  slackId: string;
  month: string;
  kind: 'promotion' | 'probation';
}

export const refValue = (r: DecisionRef) => JSON.stringify({ s: r.slackId, m: r.month, k: r.kind });

/** A score in hundredths as people read it: 8640 → "86.4", 8000 → "80". */
export const scoreText = (hundredths: number) => String(Number((hundredths / 100).toFixed(2)));

/** ▁▂▃▄▅▆▇█ from the lowest to the highest of the scored months shown (all equal: ▄); no score: · */
export function sparkline(records: readonly MonthRecord[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const scored = records.map((r) => r.scoreHundredths).filter((s): s is number => s !== null);
  const lo = Math.min(...scored);
  const hi = Math.max(...scored);
  return records
    .map((r) =>
      r.scoreHundredths === null ? '·' : bars[hi === lo ? 3 : Math.round(((r.scoreHundredths - lo) / (hi - lo)) * 7)]!,
    )
    .join('');
}

/** A window of months in one line: "Jul 86 #2/5 · Aug — · …" */
export function recordLine(tx: Texts, records: readonly MonthRecord[]): string {
  return records
    .map((r) =>
      tx.promotions.trendMonth(
        tx.promotions.monthShort(r.month),
        r.scoreHundredths === null ? null : scoreText(r.scoreHundredths),
        r.rank,
        r.ranked,
      ),
    )
    .join(' · ');
}

function decisionLine(tx: Texts, d: DecisionView): string {
  return d.decision === 'approved'
    ? tx.promotions.approved(d.by, d.effectiveFrom ?? '')
    : `${tx.promotions.declined(d.by)}: ${escape(d.why ?? '')}`;
}

function candidateBlocks(tx: Texts, month: string, c: CandidateView): KnownBlock[] {
  const e = c.evaluation;
  const line = tx.promotions.candidate({
    who: c.member.slackId,
    from: e.from,
    to: e.to,
    months: e.monthsAtLevel,
    average: scoreText(e.record.averageHundredths ?? 0),
    scored: e.record.monthsScored,
  });
  const value = refValue({ slackId: c.member.slackId, month, kind: 'promotion' });
  return [
    section(`${line}\n\`${sparkline(c.records)}\` ${recordLine(tx, c.records)}`),
    c.decision
      ? context(decisionLine(tx, c.decision))
      : actions(
          `promotion_${c.member.slackId}`,
          button(tx.promotions.approve, ID.promotionApprove, value, 'primary'),
          button(tx.promotions.decline, ID.promotionDecline, value, 'danger'),
        ),
  ];
}

/** The review's candidate list for leads and supervisors, a message per CANDIDATES_PER_MESSAGE candidates. */
export function reviewMessages(tx: Texts, list: CandidateList): Msg[] {
  const title = tx.promotions.reviewTitle(list.month);
  if (!list.candidates.length) {
    const none = tx.promotions.noCandidates(list.month);
    return [message(none, [header(title), section(none)])];
  }
  const p = list.policy.people;
  const intro = tx.promotions.reviewIntro(list.candidates.length, {
    window: p.reviewWindowMonths,
    min: p.minAverageScore,
    scored: p.minScoredMonths,
  });
  const out: Msg[] = [];
  for (let i = 0; i < list.candidates.length; i += CANDIDATES_PER_MESSAGE) {
    const chunk = list.candidates.slice(i, i + CANDIDATES_PER_MESSAGE);
    const blocks: KnownBlock[] = i === 0 ? [header(title), context(intro)] : [];
    for (const c of chunk) blocks.push(...candidateBlocks(tx, list.month, c));
    out.push(message(i === 0 ? `${title}: ${intro}` : title, blocks));
  }
  return out;
}

/** A trainee's probation has ended: their leads are asked to confirm them as regular. */
export function probationPrompt(tx: Texts, due: ProbationDue): Msg {
  const text = tx.promotions.probationPrompt(due.member.slackId, due.ends, due.since);
  const value = refValue({ slackId: due.member.slackId, month: due.ends.slice(0, 7), kind: 'probation' });
  return message(text, [
    header(tx.promotions.probationTitle),
    section(text),
    actions(
      `probation_${due.member.slackId}`,
      button(tx.promotions.confirm, ID.probationConfirm, value, 'primary'),
      button(tx.promotions.decline, ID.promotionDecline, value, 'danger'),
    ),
  ]);
}

/** The decider's modal for a decline: a required reason the agent will read. */
export function declineModal(tx: Texts, ref: DecisionRef): View {
  return {
    type: 'modal',
    callback_id: ID.promotionDeclineModal,
    private_metadata: refValue(ref),
    title: { type: 'plain_text', text: tx.promotions.declineTitle },
    submit: { type: 'plain_text', text: tx.promotions.decline },
    blocks: [
      section(`<@${ref.slackId}>`),
      {
        type: 'input',
        block_id: ID.promotionWhy,
        label: { type: 'plain_text', text: tx.promotions.declineLabel },
        element: { type: 'plain_text_input', action_id: ID.input, multiline: true, max_length: 500 },
      },
    ],
  };
}

/** The agent hears the decision (a decline with its reason); the decider gets a one-line receipt. */
export function decisionMessages(tx: Texts, d: DecisionView): { toAgent: Msg; toDecider: Msg } {
  const p = tx.promotions;
  const receipt = p.receipt(d.member.slackId, d.decision === 'approved', d.to, d.effectiveFrom);
  let toAgent: Msg;
  if (d.decision === 'approved') {
    const said =
      d.kind === 'probation'
        ? p.toAgentConfirmed(d.effectiveFrom!, d.by)
        : p.toAgentPromoted(d.to, d.effectiveFrom!, d.by);
    toAgent = message(said, [section(said)]);
  } else {
    const said = d.kind === 'probation' ? p.toAgentNotConfirmed(d.by) : p.toAgentDeclined(d.to, d.by);
    toAgent = message(`${said} ${escape(d.why ?? '')}`, [section(said), quote(d.why ?? '')]);
  }
  return { toAgent, toDecider: message(receipt, [section(receipt)]) };
}

function nextLine(tx: Texts, policy: Policy, p: Progress): string {
  const t = tx.promotions;
  if (p.kind === 'none') return t.top;
  if (p.kind === 'probation') return t.probation(p.ends, p.ended);
  const team = p.time.counts === 'team';
  const parts = [
    p.time.met
      ? t.timeMet(p.time.needed, p.level, team)
      : t.timeNotMet(p.time.months, p.time.needed, p.level, team, p.time.metOn),
  ];
  const r = p.record;
  if (!r.enoughMonths) parts.push(t.fewMonths(r.monthsScored, policy.people.minScoredMonths));
  else
    parts.push(
      (r.averageMet ? t.averageMet : t.averageNotMet)(
        scoreText(r.averageHundredths ?? 0),
        policy.people.minAverageScore,
      ),
    );
  if (r.dismissal) parts.push(t.dismissal);
  if (p.review) parts.push(t.review(p.review));
  return t.next(p.to, parts.join(t.sep));
}

/** Level, time at level, what the next level needs and how far they are, and the last months' trend. */
export function personBlocks(tx: Texts, policy: Policy, r: PersonRecord): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const p = r.progress;
  if (p) blocks.push(section(`${tx.promotions.level(p.level, p.monthsAtLevel, p.since)}\n${nextLine(tx, policy, p)}`));
  blocks.push(section(`${tx.promotions.trend(r.trend.length)} \`${sparkline(r.trend)}\`\n${recordLine(tx, r.trend)}`));
  return blocks;
}
