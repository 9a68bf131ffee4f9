// Upgrading: a database the previous release made (f1f51f6, test/fixtures/upgrade/, rebuilt by its
// make.sh) opens with this code, which applies its migrations at start, and pays the same to the fen.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/db/migrate.js';
import { openDatabase, openSession } from '../../src/db/open.js';
import { cliOn, type PenaltyAddJson } from '../support/cli.js';
import { emptyDatabaseUrl } from '../support/db.js';

const FIXTURE = new URL('../fixtures/upgrade/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURE), 'utf8');

/** The old release's database, loaded as `psql -f` would load its pg_dump (psql's own \ commands aside). */
async function previousReleaseDatabase(): Promise<string> {
  const url = await emptyDatabaseUrl();
  const sql = fixture('tally-f1f51f6.sql')
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
  const db = await openSession(url);
  try {
    await db.session.exec(sql);
  } finally {
    await db.close();
  }
  return url;
}

describe('a database made by the previous release', () => {
  it('opens with this release (its migrations applied at start), pays the same to the fen, and takes new writes', async () => {
    const url = await previousReleaseDatabase();
    const db = await openDatabase(url);
    try {
      const applied = await db.prisma.$queryRawUnsafe<Array<{ name: string }>>(
        'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name',
      );
      expect(applied.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
      const tally = cliOn(db);
      const payroll = await tally('payroll', '--month', '2026-10', '--json');
      expect(payroll.err).toBe('');
      expect(payroll.raw).toBe(fixture('payroll-2026-10.json'));
      // the same people with the same values; this release lists them in track, role, name order
      const bySlackId = (j: string) =>
        (JSON.parse(j) as { members: Array<{ slackId: string }> }).members.sort((a, b) =>
          a.slackId < b.slackId ? -1 : 1,
        );
      expect(bySlackId((await tally('roster', 'list', '--json')).raw)).toEqual(bySlackId(fixture('roster.json')));
      // a new penalty continues the old ids (the old release recorded #1 to #7), and October stays as it was
      const added = await tally(
        'penalty',
        'add',
        'U00001010',
        'buck_passing',
        '--on',
        '2026-11-04',
        '--by',
        'U0LEAD001',
        '--json',
      );
      expect(added.err).toBe('');
      expect(added.json<PenaltyAddJson>()).toMatchObject({ id: 8, slackId: 'U00001010', amountFen: 5000 });
      expect((await tally('payroll', '--month', '2026-10', '--json')).raw).toBe(fixture('payroll-2026-10.json'));
    } finally {
      await db.close();
    }
  });
});
