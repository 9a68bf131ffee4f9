// Leaderboards: one track's board, and its lines (shared with the daily post).
import type { KnownBlock } from '@slack/types';
import type { Track } from '../../core/policy.js';
import type { PeriodScores, Standing } from '../../service/scores.js';
import { context, escapeLine, header, linesToSections, message, section, type Msg } from '../blocks.js';
import type { Texts } from '../text/index.js';

/** One line of a board: 🥇 Name · 93.45 (ranks past third as "4."). */
export function boardLine(s: Standing): string {
  return `${['🥇', '🥈', '🥉'][s.score.rank - 1] ?? `${s.score.rank}.`} ${escapeLine(s.member.name)} · *${s.score.score.toFixed(2)}*`;
}

/** One track's board in at most `maxBlocks` blocks: everyone when it fits, else the top and a note. */
export function board(
  tx: Texts,
  track: Track,
  period: string,
  rows: readonly Standing[],
  maxBlocks: number,
): KnownBlock[] {
  const out: KnownBlock[] = [header(tx.board.title(tx.track[track], period))];
  if (!rows.length) return [...out, section(tx.board.empty)];
  const lines = rows.map(boardLine);
  const sections = linesToSections(lines);
  const room = maxBlocks - 2;
  if (sections.length <= room + 1) return [...out, ...sections];
  const kept = sections.slice(0, room);
  const shown = kept.reduce((n, b) => n + ((b.type === 'section' && b.text?.text.split('\n').length) || 0), 0);
  return [...out, ...kept, context(tx.board.more(shown, rows.length))];
}

/** /leaderboard: each asked track's board; one track gets room for more of its people. */
export function leaderboard(tx: Texts, v: { period: string; tracks: readonly Track[]; scores: PeriodScores }): Msg {
  const maxBlocks = v.tracks.length === 1 ? 45 : 22;
  const blocks = v.tracks.flatMap((tr) => board(tx, tr, v.period, v.scores.tracks[tr], maxBlocks));
  return message(tx.board.title(v.tracks.map((t) => tx.track[t]).join(' / '), v.period), blocks);
}
