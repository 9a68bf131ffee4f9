// A finished month before it closes: on the 1st the channel gets its provisional standings (no
// awards, payslips or payroll file: those come with the close on schedule.closeOnDay), and the
// leads, supervisors and admins are told whose data for the month's last days has not come yet.
// At the close they are told again who is still missing (src/jobs/run.ts).
import { dayIn, timeIn } from '../clock.js';
import type { Month } from '../core/dates.js';
import { STAFF_ROLES, TRACKS, type Policy } from '../core/policy.js';
import type { Tally } from '../service/context.js';
import { missingAtMonthEnd } from '../service/month-end.js';
import { activeWithRoles } from '../service/roster.js';
import { monthResults } from '../service/scores.js';
import { missingDataMessage, provisionalPost } from '../slack/render/monthly.js';
import type { Texts } from '../slack/text/index.js';
import type { Item } from './outbox.js';
import { closesOn } from './schedule.js';

/** When the month closes, as the posts say it ("3 Dec at 09:00"). */
export function closeTime(tx: Texts, month: Month, policy: Policy): string {
  const { at } = closesOn(month, policy);
  return tx.jobs.closeTime(dayIn(at, policy.timezone), timeIn(at, policy.timezone));
}

export async function provisionalItems(
  t: Tally,
  month: Month,
  policy: Policy,
  tx: Texts,
  channel: string | null,
  key: string,
): Promise<Item[]> {
  const closes = closeTime(tx, month, policy);
  const items: Item[] = [];
  if (channel) {
    const results = await monthResults(t, month);
    const tracks = TRACKS.map((track) => ({ track, ranked: results.tracks[track] })).filter((x) => x.ranked.length);
    const post = provisionalPost(tx, { month, closes, tracks });
    items.push({ key: `${key}:post`, channel, payload: { kind: 'message', ...post } });
  }
  items.push(...(await missingDataItems(t, month, tx, key, closes)));
  return items;
}

/**
 * A DM to each active lead, supervisor and admin naming the agents without data for the month's last
 * days: before the close (`closes` says when it is) or at it (null). Nothing when nobody is missing.
 */
export async function missingDataItems(
  t: Tally,
  month: Month,
  tx: Texts,
  key: string,
  closes: string | null,
): Promise<Item[]> {
  const data = await missingAtMonthEnd(t, month);
  if (!data.missing.length) return [];
  const msg = missingDataMessage(tx, { month, data, closes });
  return (await activeWithRoles(t, STAFF_ROLES)).map((s) => ({
    key: `${key}:missing:${s.slackId}`,
    channel: s.slackId,
    payload: { kind: 'message', ...msg },
  }));
}
