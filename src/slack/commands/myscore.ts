// /myscore [today|month|YYYY-MM|YYYY-MM-DD] [@agent]: one's own score; a lead may ask for anyone's.
import { TallyError } from '../../errors.js';
import { findStaff, peopleNamed } from '../../service/roster.js';
import { personRecord, trendMonths } from '../../service/promotions.js';
import { memberScore } from '../../service/scores.js';
import type { Effects } from '../blocks.js';
import { guarded, type SlackDeps } from '../context.js';
import { parseWhoAndWhen, periodFrom, plainMentions } from '../parse.js';
import { message } from '../blocks.js';
import { personBlocks } from '../render/promotions.js';
import { scoreMessage } from '../render/score.js';
import type { CommandInput } from './input.js';

export function myscoreCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(
    deps,
    { command: '/myscore', user: input.userId },
    async (tx, team) => {
      // `@吴晨` typed as text names that person too (no query when the text names nobody so)
      const people = await peopleNamed(deps.tally, plainMentions(input.text));
      const { slackId, when, rest } = parseWhoAndWhen(input.text, people);
      if (rest) throw new TallyError('unexpected_words', { command: 'myscore', words: rest });
      // one's own score needs no lookup of its own: memberScore reads the member with the month's stamp
      // someone else's score: an active lead, supervisor or admin only (the check Slack and the CLI share)
      if (slackId && slackId !== input.userId) await findStaff(deps.tally, input.userId, 'see_others_scores');
      const period = periodFrom(team.today, when);
      // one round trip: the member, the period's stamp, the trend months' stamps and the policy check
      const r = await memberScore(deps.tally, slackId ?? input.userId, period, {
        heads: team.heads,
        months: period.kind === 'month' ? trendMonths(team.policy, team.today) : [],
      });
      const reply = scoreMessage(tx, r);
      // a month's answer also shows the person's level, next level and trend, as of today
      if (r.period.kind !== 'month') return { reply, dms: [] };
      const person = await personRecord(deps.tally, r.member.slackId, team, r.today, r.stamps);
      return { reply: message(reply.text, [...reply.blocks, ...personBlocks(tx, team.policy, person)]), dms: [] };
    },
    { remembered: true },
  );
}
