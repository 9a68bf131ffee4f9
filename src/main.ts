// `npm start`. Until the Slack app lands this opens (and migrates) the database, says what is in it,
// and shows how to use the CLI.
import { clockFromEnv } from './clock.js';
import { ConfigError, readEnv } from './config.js';
import { openDatabase } from './db/open.js';
import { runCli } from './cli/program.js';
import { teamToday } from './service/context.js';

try {
  const env = readEnv();
  const database = await openDatabase(env.DATABASE_URL);
  try {
    const t = { db: database.prisma, clock: clockFromEnv(env.TALLY_NOW) };
    const { today, policy } = await teamToday(t);
    const [members, days, penalties] = await Promise.all([
      database.prisma.member.count({ where: { active: true } }),
      database.prisma.dailyMetric.count(),
      database.prisma.penalty.count({ where: { status: 'active' } }),
    ]);
    console.log(`Tally: database ready (${database.kind}, ${database.where}).`);
    console.log(`Today is ${today} in ${policy.timezone}.`);
    console.log(`${members} active members, ${days} member-days of metrics, ${penalties} active penalties.`);
    if (members === 0) {
      console.log('\nThe roster is empty. Load the demo team (September and October 2026) with:\n  npm run -s tally -- demo\nthen try:\n  npm run -s tally -- rank --month 2026-10\n  npm run -s tally -- payroll --month 2026-10');
    }
    console.log('');
    await runCli(['--help'], { out: (s) => console.log(s), err: (s) => console.error(s), env: process.env }, database);
  } finally {
    await database.close();
  }
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
}
