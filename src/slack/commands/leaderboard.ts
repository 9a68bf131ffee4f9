// /leaderboard [today|month|YYYY-MM] [presales|aftersales]: ranks and scores only. Money and
// penalties are private. Long boards are split across sections to stay within Slack's limits.
import { periodLabel } from '../../core/dates.js';
import { TallyError } from '../../errors.js';
import { TRACK_WORDS, TRACKS } from '../../core/policy.js';
import { findMember } from '../../service/roster.js';
import { scorePeriod } from '../../service/scores.js';
import type { Effects } from '../blocks.js';
import { guarded, type SlackDeps } from '../context.js';
import { namesSomeone, parseWhoAndWhen, periodFrom } from '../parse.js';
import { leaderboard } from '../render/board.js';
import type { CommandInput } from './input.js';

export function leaderboardCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(deps, { command: '/leaderboard', user: input.userId }, async (tx, team) => {
    await findMember(deps.tally, input.userId);
    // a person given here would be ignored: the board is whole tracks
    if (namesSomeone(input.text)) throw new TallyError('leaderboard_person', {});
    const { when, rest } = parseWhoAndWhen(input.text);
    const word = rest.trim().toLowerCase();
    const only = TRACK_WORDS.get(word);
    if (word && !only) throw new TallyError('unexpected_words', { command: 'leaderboard', words: rest });
    const period = periodFrom(team.today, when);
    const scores = await scorePeriod(deps.tally, period);
    return { reply: leaderboard(tx, { period: periodLabel(period), tracks: only ? [only] : TRACKS, scores }), dms: [] };
  });
}
