// The daily post in the team channel: each track's top three, the biggest climbers, and a nudge
// naming whoever has no data for the day.
import type { Track } from '../../core/policy.js';
import type { Standing } from '../../service/scores.js';
import { escapeLine, header, linesToSections, message, section, type Msg } from '../blocks.js';
import type { Texts } from '../text/index.js';
import { boardLine } from './board.js';

/** Names in a nudge, at most; the rest are counted. */
const MAX_NUDGE = 30;

export interface DailyFacts {
  day: string;
  /** each track's top, best first (tracks without scores are left out) */
  top: Array<{ track: Track; standings: Standing[] }>;
  /** who climbed the most places since the day before */
  movers: Array<{ name: string; up: number }>;
  /** agents without data for the day, by Slack id */
  missing: string[];
}

export function dailyPost(tx: Texts, d: DailyFacts): Msg {
  const lines: string[] = [];
  for (const { track, standings } of d.top) lines.push(tx.jobs.top(tx.track[track]), ...standings.map(boardLine));
  if (d.movers.length) lines.push(tx.jobs.movers(d.movers.map((m) => `${escapeLine(m.name)} ↑${m.up}`).join(', ')));
  if (d.missing.length) {
    const names = d.missing
      .slice(0, MAX_NUDGE)
      .map((id) => `<@${id}>`)
      .join(' ');
    lines.push(
      tx.jobs.nudgeOn(
        d.day,
        d.missing.length > MAX_NUDGE ? `${names} ${tx.jobs.more(d.missing.length - MAX_NUDGE)}` : names,
      ),
    );
  }
  const title = tx.jobs.dailyTitle(d.day);
  return message(title, [header(title), ...(lines.length ? linesToSections(lines) : [section(tx.board.empty)])]);
}
