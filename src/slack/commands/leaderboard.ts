// /leaderboard [today|month|YYYY-MM] [presales|aftersales]: ranks and scores only. Money and
// penalties are private. Long boards are split across sections to stay within Slack's limits.
import type { KnownBlock } from '@slack/types';
import { periodLabel } from '../../core/dates.js';
import { TRACKS, type Track } from '../../core/policy.js';
import { findMember } from '../../service/roster.js';
import { scorePeriod, type Standing } from '../../service/scores.js';
import { context, escape, header, linesToSections, message, section, type Effects } from '../blocks.js';
import { guarded, type SlackDeps } from '../context.js';
import { parseWhoAndWhen } from '../parse.js';
import type { Texts } from '../text/index.js';
import { periodFrom } from './myscore.js';
import type { CommandInput } from './penalty.js';

const TRACK_WORDS: Record<string, Track> = {
  presales: 'presales',
  售前: 'presales',
  aftersales: 'aftersales',
  售后: 'aftersales',
};

export function leaderboardCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(deps, { command: '/leaderboard', user: input.userId }, async (tx, team) => {
    await findMember(deps.tally, input.userId);
    const { when, rest } = parseWhoAndWhen(input.text);
    const only = TRACK_WORDS[rest.trim().toLowerCase()];
    const period = periodFrom(team.today, when);
    const scores = await scorePeriod(deps.tally, period);
    const tracks = only ? [only] : TRACKS;
    const blocks = tracks.flatMap((tr) => board(tx, tr, periodLabel(period), scores.tracks[tr], only ? 45 : 22));
    return {
      reply: message(tx.board.title(tracks.map((t) => tx.track[t]).join(' / '), periodLabel(period)), blocks),
      dms: [],
    };
  });
}

/** One line of a board: 🥇 Name · 93.45 (ranks past third as "4."). */
export function boardLine(s: Standing): string {
  return `${['🥇', '🥈', '🥉'][s.score.rank - 1] ?? `${s.score.rank}.`} ${escape(s.member.name)} · *${s.score.score.toFixed(2)}*`;
}

/** One track's board in at most `maxBlocks` blocks: everyone when it fits, else the top and a note. */
export function board(
  tx: Texts,
  track: Track,
  period: string,
  rows: readonly Standing[],
  maxBlocks: number,
): KnownBlock[] {
  const out: KnownBlock[] = [header(tx.board.title(tx.track[track]!, period))];
  if (!rows.length) return [...out, section(tx.board.empty)];
  const lines = rows.map(boardLine);
  const sections = linesToSections(lines);
  const room = maxBlocks - 2;
  if (sections.length <= room + 1) return [...out, ...sections];
  const kept = sections.slice(0, room);
  const shown = kept.reduce((n, b) => n + ((b.type === 'section' && b.text?.text.split('\n').length) || 0), 0);
  return [...out, ...kept, context(tx.board.more(shown, rows.length))];
}
