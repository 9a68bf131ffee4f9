// Regenerates examples/roster.csv and examples/metrics.csv: the demo team (src/demo/seed.ts) in
// September and October 2026. Run: npx tsx examples/generate.ts
import { writeFileSync } from 'node:fs';
import { demoTeam } from '../src/demo/seed.js';
import { metricsCsv, rosterCsv } from '../src/demo/team.js';

const { members, rows } = demoTeam('2026-09-01', '2026-10-31');
writeFileSync(new URL('./roster.csv', import.meta.url), rosterCsv(members));
writeFileSync(new URL('./metrics.csv', import.meta.url), metricsCsv(rows));
