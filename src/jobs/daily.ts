// The daily post: the day's top of each track, the biggest climbers, and a nudge for anyone
// without data. Which day it covers is the schedule's business (src/jobs/schedule.ts); its words
// and blocks are src/slack/render/daily.ts's.
import { addDays, type Day } from '../core/dates.js';
import { TRACKS } from '../core/policy.js';
import type { Tally } from '../service/context.js';
import { scorePeriod } from '../service/scores.js';
import { dailyPost } from '../slack/render/daily.js';
import type { Texts } from '../slack/text/index.js';
import type { Item } from './outbox.js';

export async function dailyItems(t: Tally, day: Day, tx: Texts, channel: string | null, key: string): Promise<Item[]> {
  if (!channel) return [];
  const [today, before] = await Promise.all([
    scorePeriod(t, { kind: 'day', day }),
    scorePeriod(t, { kind: 'day', day: addDays(day, -1) }),
  ]);
  const top = TRACKS.map((track) => ({ track, standings: today.tracks[track].slice(0, 3) })).filter(
    (x) => x.standings.length,
  );
  const previous = new Map(TRACKS.flatMap((tr) => before.tracks[tr]).map((s) => [s.member.id, s.score.rank]));
  const movers = TRACKS.flatMap((tr) => today.tracks[tr])
    .map((s) => ({ name: s.member.name, up: (previous.get(s.member.id) ?? s.score.rank) - s.score.rank }))
    .filter((m) => m.up >= 2)
    .sort((a, b) => b.up - a.up)
    .slice(0, 3);
  const scored = new Set(TRACKS.flatMap((tr) => today.tracks[tr]).map((s) => s.member.id));
  const missing = [...today.members.values()]
    .filter((m) => m.active && m.role === 'agent' && m.hiredOn <= day && !scored.has(m.id))
    .map((m) => m.slackId);
  const post = dailyPost(tx, { day, top, movers, missing });
  return [{ key: `${key}:post`, channel, payload: { kind: 'message', ...post } }];
}
