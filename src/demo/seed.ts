// The demo team: the same twelve agents and three staff for the local console's first run, `tally demo`
// and examples/ (its first two months), with metrics from the 1st of the month before last up to
// yesterday, so this month's leaderboard has data whatever the date.
import { addDays, addMonths, firstDay, monthOf, type Day } from '../core/dates.js';
import { importMetrics } from '../service/metrics.js';
import { importRoster } from '../service/roster.js';
import type { Tally } from '../service/context.js';
import { demoMetrics, demoRoster, type DemoMember, type DemoMetric } from './team.js';

const SEED = 2026;

/** The demo's days on `today`: this month so far and the two months before it. */
export function demoRange(today: Day): { from: Day; to: Day } {
  return { from: firstDay(addMonths(monthOf(today), -2)), to: addDays(today, -1) };
}

/** The demo team with its metrics from `from` to `to`; its hire dates follow `from`, so everyone has history. */
export function demoTeam(from: Day, to: Day): { members: DemoMember[]; rows: DemoMetric[] } {
  // hired at least three months before the data begins (award-eligible), but for one recent hire who is not
  const members = demoRoster(12, { seed: SEED, hiredBefore: addDays(from, -92) });
  members.find((m) => m.slackId === 'U00001007')!.hiredOn = addDays(from, -22);
  return { members, rows: demoMetrics(members, from, to, SEED) };
}

/** Loads the demo team into an empty roster. */
export async function seedDemo(t: Tally, today: Day) {
  const { from, to } = demoRange(today);
  const { members, rows } = demoTeam(from, to);
  const roster = await importRoster(
    t,
    members.map((m, i) => ({ ...m, line: i + 2 })),
    { fileName: 'demo', by: 'demo' },
  );
  const metrics = await importMetrics(
    t,
    rows.map((r, i) => ({ ...r, line: i + 2 })),
    { fileName: 'demo', by: 'demo' },
  );
  // `tally demo --json` prints the two imports as it always has
  return { roster, metrics, members: members.length, rows: rows.length, from, to };
}
