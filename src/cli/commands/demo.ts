// tally demo: the demo team from examples/ into an empty database
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliRefusal } from '../text.js';
import { parseMetrics } from '../../import/metrics.js';
import { parseRoster } from '../../import/roster.js';
import { teamToday } from '../../service/context.js';
import { importMetrics } from '../../service/metrics.js';
import { importRoster, rosterIsEmpty } from '../../service/roster.js';
import type { CliContext } from '../program.js';

export function registerDemo(program: Command, { tally, print }: CliContext): void {
  program
    .command('demo')
    .description('load the demo team from examples/ (roster, September and October 2026) into an empty database')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      if (!(await rosterIsEmpty(t)))
        throw new CliRefusal('the roster is not empty: the demo team only goes into a new database');
      const dir = new URL('../../../examples/', import.meta.url);
      const rosterRows = parseRoster('roster.csv', readFileSync(new URL('roster.csv', dir)));
      const metricRows = parseMetrics('metrics.csv', readFileSync(new URL('metrics.csv', dir)));
      // all or nothing: refuse before writing the roster if the metrics would be refused after it
      const { today } = await teamToday(t);
      const last = metricRows.reduce((d, r) => (r.day > d ? r.day : d), '');
      if (last > today)
        throw new CliRefusal(`the demo data runs to ${last}, after today (${today}); set TALLY_NOW to a later date`);
      const roster = await importRoster(t, rosterRows, { fileName: 'roster.csv', by: 'demo' });
      const metrics = await importMetrics(t, metricRows, { fileName: 'metrics.csv', by: 'demo' });
      print(
        o.json,
        { roster, metrics },
        () =>
          `Demo team loaded: ${roster.added} members, ${metrics.rows} days of metrics (${metrics.from} to ${metrics.to}).\nTry: tally rank --month 2026-10`,
      );
    });
}
