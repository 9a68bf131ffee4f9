// A demo team with a month of data up to yesterday, for the local console's first run.
import { addDays, type Day } from '../core/dates.js';
import { importMetrics } from '../service/metrics.js';
import { importRoster } from '../service/roster.js';
import type { Tally } from '../service/context.js';
import { demoMetrics, demoRoster } from './team.js';

export async function seedDemo(t: Tally, today: Day): Promise<{ members: number; rows: number; from: Day; to: Day }> {
  const members = demoRoster(12, { seed: 2026, hiredBefore: addDays(today, -120) });
  const from = addDays(today, -35);
  const to = addDays(today, -1);
  await importRoster(
    t,
    members.map((m, i) => ({ ...m, line: i + 2 })),
    { fileName: 'demo', by: 'demo' },
  );
  const rows = demoMetrics(members, from, to, 2026);
  await importMetrics(
    t,
    rows.map((r, i) => ({ ...r, line: i + 2 })),
    { fileName: 'demo', by: 'demo' },
  );
  return { members: members.length, rows: rows.length, from, to };
}
