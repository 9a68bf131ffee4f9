// tally backup <file> / tally restore <file>, as an operator types them: each command opens the database
// DATABASE_URL names on its own (no database held open by the test), as the real CLI does.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { openDatabase } from '../../src/db/open.js';
import { cliOn, type PenaltyAddJson, type PenaltyListJson } from '../support/cli.js';
import { databaseKind, emptyDatabaseUrl, freshDatabaseUrl } from '../support/db.js';

const NOW = '2026-11-05T10:00:00+08:00';

/** `tally ...` with DATABASE_URL=url, each run opening and closing the database itself. */
function tallyAt(url: string) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      env: { TALLY_NOW: NOW, DATABASE_URL: url },
    });
    const text = out.join('\n');
    return { code, out: text, err: err.join('\n'), json: <T>() => JSON.parse(text) as T };
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tally-backup-'));
let source: string;
let file: string;

/** What a lead would compare before and after: October's pay, the roster, October's penalties (one open for the three). */
async function views(url: string) {
  const db = await openDatabase(url);
  try {
    const tally = cliOn(db);
    const payroll = await tally('payroll', '--month', '2026-10', '--json');
    const roster = await tally('roster', 'list', '--json');
    const penalties = await tally('penalty', 'list', '--month', '2026-10', '--json');
    expect([payroll.code, roster.code, penalties.code], payroll.err + roster.err + penalties.err).toEqual([0, 0, 0]);
    return { payroll: payroll.out, roster: roster.out, penalties: penalties.out };
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  source = await freshDatabaseUrl();
  const tally = tallyAt(source);
  expect((await tally('demo')).code).toBe(0);
  for (const [who, rule, on] of [
    ['U00001001', 'buck_passing', '2026-10-08'],
    ['U00001002', 'personal_chat', '2026-10-12'],
    ['U00001009', 'named_complaint', '2026-10-15'],
  ] as const)
    expect((await tally('penalty', 'add', who, rule, '--on', on, '--by', 'U0LEAD001')).code).toBe(0);
  expect((await tally('penalty', 'revoke', '2', '--by', 'U0SUPER01', '--why', 'wrong agent')).code).toBe(0);
  expect((await tally('month', 'close', '2026-10', '--by', 'U0SUPER01')).code).toBe(0);
  file = join(dir, 'tally-backup.gz');
  const backup = await tally('backup', file);
  expect(backup.err).toBe('');
  expect(backup.out).toMatch(
    /^Backed up .* to .*tally-backup\.gz: \d+ rows in \d+ tables, schema \d+_\w+, [\d.]+ KB\.$/,
  );
}, 240_000);

describe('tally backup / tally restore', () => {
  it('restores into an empty database: the same pay to the fen, the same roster and penalties, and new ids continue', async () => {
    const target = await freshDatabaseUrl();
    const restore = await tallyAt(target)('restore', file, '--json');
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.json<{ rows: number; upgraded: string[] }>()).toMatchObject({ upgraded: [] });
    expect(await views(target)).toEqual(await views(source));
    // the next penalty on the copy gets the id the original would give it: no collision with a restored one
    const [copy, original] = await Promise.all(
      [target, source].map((url) =>
        tallyAt(url)(
          'penalty',
          'add',
          'U00001003',
          'buck_passing',
          '--on',
          '2026-11-03',
          '--by',
          'U0LEAD002',
          '--json',
        ),
      ),
    );
    expect(copy!.json<PenaltyAddJson>().id).toBe(4);
    expect(copy!.json<PenaltyAddJson>().id).toBe(original!.json<PenaltyAddJson>().id);
    const listed = (await tallyAt(target)('penalty', 'list', '--month', '2026-11', '--json')).json<PenaltyListJson>();
    expect(listed.penalties.map((p) => p.id)).toEqual([4]);
  });

  it(
    "restores into a database nothing has set up (a new directory or a new PostgreSQL database): Tally's schema comes with it",
    { timeout: 120_000 },
    async () => {
      const target = await emptyDatabaseUrl();
      const restore = await tallyAt(target)('restore', file);
      expect(restore.err).toBe('');
      expect(restore.out).toMatch(/^Restored .*tally-backup\.gz into .*: \d+ rows in \d+ tables, schema \d+_\w+\.$/);
      expect(await views(target)).toEqual(await views(source));
    },
  );

  it.runIf(databaseKind() === 'postgres')(
    'a backup of PostgreSQL restores into the embedded database, and back',
    { timeout: 180_000 },
    async () => {
      const embedded = `pglite:${join(dir, 'embedded')}`;
      expect((await tallyAt(embedded)('restore', file)).code).toBe(0);
      const again = join(dir, 'from-embedded.gz');
      expect((await tallyAt(embedded)('backup', again)).code).toBe(0);
      const server = await freshDatabaseUrl();
      expect((await tallyAt(server)('restore', again)).code).toBe(0);
      const expected = await views(source);
      expect(await views(embedded)).toEqual(expected);
      expect(await views(server)).toEqual(expected);
    },
  );

  it('refuses to restore into a database that holds data, in one line, and changes nothing', async () => {
    const before = await views(source);
    const refused = await tallyAt(source)('restore', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^error: the database at .* holds data \(.*member.*\): restore only into an empty database .*; nothing was restored$/,
    );
    expect(await views(source)).toEqual(before);
  });

  it('refuses a file that is not a Tally backup, in one line, before touching the database', async () => {
    const target = await freshDatabaseUrl();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'slack_id,name\nU1,someone\n');
    const gz = join(dir, 'other.gz');
    writeFileSync(gz, gzipSync('{"hello":"world"}\n'));
    const tally = tallyAt(target);
    expect(await tally('restore', text)).toMatchObject({
      code: 1,
      err: `error: ${text} is not a Tally backup (not a gzip file); nothing was restored`,
    });
    expect(await tally('restore', gz)).toMatchObject({
      code: 1,
      err: `error: ${gz} is not a Tally backup (its first line is not a Tally backup header); nothing was restored`,
    });
    expect(await tally('restore', join(dir, 'missing.gz'))).toMatchObject({
      code: 1,
      err: `error: cannot use ${join(dir, 'missing.gz')}: no such file or directory`,
    });
    // the database is as it was: empty, so the real backup still goes in
    expect((await tally('restore', file)).code).toBe(0);
  });

  it('refuses a cut-short backup in one line and restores nothing of it: the same database then takes the whole file', async () => {
    const target = await freshDatabaseUrl();
    const whole = readFileSync(file);
    const cut = join(dir, 'cut.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
    // cut at a line: the gzip is whole but the backup's last lines are missing
    const lines = gunzipSync(whole).toString('utf8').split('\n');
    const short = join(dir, 'short.gz');
    writeFileSync(short, gzipSync(lines.slice(0, Math.floor(lines.length * 0.7)).join('\n') + '\n'));
    const tally = tallyAt(target);
    for (const f of [cut, short])
      expect(await tally('restore', f)).toMatchObject({
        code: 1,
        err: `error: ${f} is incomplete (it ends before the backup's end: cut short or damaged); nothing was restored`,
      });
    expect((await tally('roster', 'list', '--json')).json<{ members: unknown[] }>().members).toEqual([]);
    expect((await tally('restore', file)).code).toBe(0);
    expect(await views(target)).toEqual(await views(source));
  });

  it('refuses a backup made by a newer Tally, in one line', async () => {
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    const header = JSON.parse(lines[0]!) as { migrations: string[] };
    header.migrations.push('29991231000000_from_the_future');
    const newer = join(dir, 'newer.gz');
    writeFileSync(newer, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));
    expect(await tallyAt(await freshDatabaseUrl())('restore', newer)).toMatchObject({
      code: 1,
      err: `error: ${newer} was made by a newer Tally (its database has migration 29991231000000_from_the_future, unknown to this one): upgrade Tally, then restore`,
    });
  });

  it('says there is nothing to back up where no Tally database is, and creates nothing there', async () => {
    const nowhere = join(dir, 'mistyped');
    expect(await tallyAt(`pglite:${nowhere}`)('backup', join(dir, 'nothing.gz'))).toMatchObject({
      code: 1,
      err: `error: there is no Tally database at ${nowhere} to back up (it has never been opened by Tally)`,
    });
    expect(existsSync(nowhere)).toBe(false);
    expect(existsSync(join(dir, 'nothing.gz'))).toBe(false);
  });

  it('never overwrites a file: a backup to an existing name is refused', async () => {
    const refused = await tallyAt(source)('backup', file);
    expect(refused).toMatchObject({
      code: 1,
      err: `error: ${file} already exists: name a new file (a backup never overwrites one)`,
    });
  });
});
