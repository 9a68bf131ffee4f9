// Regenerates examples/roster.csv and examples/metrics.csv (September and October 2026).
// Run: npx tsx examples/generate.ts
import { writeFileSync } from 'node:fs';
import { demoMetrics, demoRoster, metricsCsv, rosterCsv } from '../src/demo/team.js';

const members = demoRoster(12, { seed: 2026, hiredBefore: '2026-06-01' });
// one recent hire, not yet eligible for awards in October (hired_on + 3 months > 2026-10-01)
members.find((m) => m.slackId === 'U00001007')!.hiredOn = '2026-08-10';
writeFileSync(new URL('./roster.csv', import.meta.url), rosterCsv(members));
writeFileSync(
  new URL('./metrics.csv', import.meta.url),
  metricsCsv(demoMetrics(members, '2026-09-01', '2026-10-31', 2026)),
);
