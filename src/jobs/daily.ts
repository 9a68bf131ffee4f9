// The daily post: the day's top of each track, the biggest climbers, and a nudge for anyone
// without data. Which day it covers is the schedule's business (src/jobs/schedule.ts).
import { addDays, type Day } from '../core/dates.js';
import { TRACKS } from '../core/policy.js';
import type { Tally } from '../service/context.js';
import { scorePeriod } from '../service/scores.js';
import { escape, header, linesToSections, message, section } from '../slack/blocks.js';
import { boardLine } from '../slack/render/board.js';
import type { Texts } from '../slack/text/index.js';
import type { Item } from './outbox.js';

const MAX_NUDGE = 30;

export async function dailyItems(t: Tally, day: Day, tx: Texts, channel: string | null, key: string): Promise<Item[]> {
  if (!channel) return [];
  const [today, before] = await Promise.all([
    scorePeriod(t, { kind: 'day', day }),
    scorePeriod(t, { kind: 'day', day: addDays(day, -1) }),
  ]);
  const lines: string[] = [];
  for (const tr of TRACKS) {
    const top = today.tracks[tr].slice(0, 3);
    if (!top.length) continue;
    lines.push(tx.jobs.top(tx.track[tr]!), ...top.map(boardLine));
  }
  const previous = new Map(TRACKS.flatMap((tr) => before.tracks[tr]).map((s) => [s.member.id, s.score.rank]));
  const movers = TRACKS.flatMap((tr) => today.tracks[tr])
    .map((s) => ({ s, up: (previous.get(s.member.id) ?? s.score.rank) - s.score.rank }))
    .filter((m) => m.up >= 2)
    .sort((a, b) => b.up - a.up)
    .slice(0, 3);
  if (movers.length) lines.push(tx.jobs.movers(movers.map((m) => `${escape(m.s.member.name)} ↑${m.up}`).join(', ')));
  const scored = new Set(TRACKS.flatMap((tr) => today.tracks[tr]).map((s) => s.member.id));
  const missing = [...today.members.values()].filter(
    (m) => m.active && m.role === 'agent' && m.hiredOn <= day && !scored.has(m.id),
  );
  if (missing.length) {
    const names = missing
      .slice(0, MAX_NUDGE)
      .map((m) => `<@${m.slackId}>`)
      .join(' ');
    lines.push(
      tx.jobs.nudgeOn(day, missing.length > MAX_NUDGE ? `${names} ${tx.jobs.more(missing.length - MAX_NUDGE)}` : names),
    );
  }
  const title = tx.jobs.dailyTitle(day);
  const blocks = [header(title), ...(lines.length ? linesToSections(lines) : [section(tx.board.empty)])];
  return [{ key: `${key}:post`, channel, payload: { kind: 'message', ...message(title, blocks) } }];
}
