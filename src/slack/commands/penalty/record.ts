// /penalty @agent <rule or reason> [¥amount] [loss ¥x] [date]: records it. Ambiguous input opens a rule
// picker instead of guessing.
import { matchRule } from '../../../core/penalties.js';
import { policyOn } from '../../../core/policy.js';
import { TallyError } from '../../../errors.js';
import { saveDraft } from '../../../service/drafts.js';
import { recordPenalty } from '../../../service/penalties.js';
import { assertOver, findMember, findStaff, peopleNamed } from '../../../service/roster.js';
import type { Effects } from '../../blocks.js';
import type { SlackDeps, Team } from '../../context.js';
import { parsePenaltyText, plainMentions } from '../../parse.js';
import { penaltyRecorded } from '../../render/penalty.js';
import { pickModal } from '../../render/pick.js';
import type { Texts } from '../../text/index.js';
import type { CommandInput } from '../input.js';

export async function record(
  deps: SlackDeps,
  tx: Texts,
  team: Team,
  input: CommandInput,
  text: string,
): Promise<Effects> {
  const t = deps.tally;
  const parsed = parsePenaltyText(text, await peopleNamed(t, plainMentions(text)));
  const me = await findStaff(t, input.userId, 'record_penalties');
  const { today } = team;
  // the rules of the penalty's own day: a rule that starts on the 1st is offered for the 2nd, and one
  // retired on the 1st still for the 30th before
  const on = parsed.on ?? today;
  const policy = policyOn(team.versions, on);
  const match = matchRule(policy, parsed.words);
  const needsPick = match.kind === 'ambiguous' || (match.kind === 'free' && parsed.amountFen === undefined);
  if (needsPick && input.triggerId && parsed.words) {
    // check everything else first, so the modal is not opened for a request that would be refused anyway
    const member = await findMember(t, parsed.slackId);
    if (!member.active) throw new TallyError('inactive_member', { slackId: member.slackId, name: member.name });
    if (member.id === me.id) throw new TallyError('self_penalty', {});
    assertOver('penalise', me, member);
    if (on > today) throw new TallyError('future_date', { value: on, today });
    // a reason the penalty could not hold is refused now, not after the lead has picked a rule
    const max = policy.penalties.maxReasonLength;
    if (parsed.words.length > max)
      throw new TallyError('reason_too_long', { length: parsed.words.length, max, text: 'reason' });
    const draft = await saveDraft(t, {
      by: input.userId,
      slackId: member.slackId,
      words: parsed.words,
      on,
      lossFen: parsed.lossFen,
    });
    return {
      dms: [],
      modal: pickModal(tx, policy, draft, parsed.words, match.kind === 'ambiguous' ? match.codes : []),
    };
  }
  const r = await recordPenalty(t, {
    slackId: parsed.slackId,
    by: input.userId,
    text: parsed.words,
    amountFen: parsed.amountFen,
    lossFen: parsed.lossFen,
    on: parsed.on,
  });
  return penaltyRecorded(tx, r, input.userId);
}
