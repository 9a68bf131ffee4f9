// tally demo: the demo team (src/demo/) into an empty database: the same team and days as the local
// console's first run, from the 1st of the month before last up to yesterday in the team's calendar.
import type { Command } from 'commander';
import { CliRefusal } from '../text.js';
import { seedDemo } from '../../demo/seed.js';
import { teamToday } from '../../service/context.js';
import { rosterIsEmpty } from '../../service/roster.js';
import type { CliContext } from '../program.js';

export function registerDemo(program: Command, { tally, print }: CliContext): void {
  program
    .command('demo')
    .description(
      'load the demo team (metrics from the 1st of the month before last up to yesterday) into an empty database',
    )
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      if (!(await rosterIsEmpty(t)))
        throw new CliRefusal('the roster is not empty: the demo team only goes into a new database');
      const seeded = await seedDemo(t, (await teamToday(t)).today);
      print(
        o.json,
        { roster: seeded.roster, metrics: seeded.metrics },
        () =>
          `Demo team loaded: ${seeded.members} members, ${seeded.rows} days of metrics (${seeded.from} to ${seeded.to}).\nTry: tally rank --month ${seeded.from.slice(0, 7)}`,
      );
    });
}
