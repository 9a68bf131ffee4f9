// `roster import` as a lead meets it: every problem of a file at once, by line and column, and
// nothing written while there is one; `--dry-run` (text and --json, in the shape of `metrics import
// --dry-run`); level and role refusals that name the Chinese words; and the example files, which the
// README promises import cleanly into a new database.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type RosterImportJson, type RosterListJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-roster-import-'));
const HEADER = 'slack_id,name,track,level,hired_on,role';
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function roster(): Promise<string[]> {
  const r = await tally('roster', 'list', '--all', '--json');
  expect(r.code).toBe(0);
  return r
    .json<RosterListJson>()
    .members.map((m) => `${m.slackId} ${m.name} ${m.track} ${m.level} ${m.role}`)
    .sort();
}

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
});
afterAll(() => db.close());

describe('roster import lists every problem of a file at once', () => {
  // problems of every kind: the file's own cells, and the file against the roster and the importer
  const bad = () =>
    file('team.csv', [
      HEADER,
      'U0NEW0001,新人甲,presales,expert,2026-11-01,agent',
      'U0NEW0002,新人乙,售前,正式,2026-11-01,boss',
      'bad,新人丙,warehouse,见习,2026-13-01,客服',
      'U0NEW0002,新人丁,售后,见习,2026-11-01,',
      // 吴晨 was hired on 2024-03-23: a row cannot make them someone else
      'U00001008,吴晨,presales,regular,2025-06-01,agent',
      // a lead may not make anyone an admin
      'U0NEW0003,新人戊,presales,regular,2026-11-01,管理员',
      'U0NEW0004,新人己,aftersales,trainee,2026-11-02,agent',
    ]);
  const problems = [
    'team.csv line 2, column level: "expert" is not a level; use trainee, regular, senior, lead or supervisor (见习/正式/资深/组长/主管)',
    'team.csv line 3, column role: "boss" is not a role; use agent, lead, supervisor or admin (客服/组长/主管/管理员)',
    'team.csv line 4, column slack_id: "bad" is not a Slack user id (like U024BE7LH)',
    'team.csv line 4, column track: "warehouse" is not a track; use presales or aftersales (售前/售后)',
    'team.csv line 4, column hired_on: "2026-13-01" is not a date that exists (YYYY-MM-DD)',
    'team.csv line 5, column slack_id: U0NEW0002 is already on line 3',
    'team.csv line 6, column hired_on: U00001008 (吴晨) was hired on 2024-03-23, not 2025-06-01: a roster row cannot make them someone else (a real correction: tally roster set U00001008 --hired-on 2025-06-01 --correct --by ...)',
    'team.csv line 7, column role: only an admin may make someone an admin',
  ];

  it('names each by line and column, under one count, and writes nothing', async () => {
    const before = await roster();
    const r = await tally('roster', 'import', bad(), '--by', 'U0LEAD001');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      'error: 8 problems in team.csv; nothing was imported:',
      ...problems.map((p) => `  ${p}`),
    ]);
    // all or nothing: the good row (新人己) is not written either
    expect(await roster()).toEqual(before);
  });

  it('a dry run prints the same problems with how the file was read, and writes nothing', async () => {
    const before = await roster();
    const r = await tally('roster', 'import', bad(), '--by', 'U0LEAD001', '--dry-run');
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: 8 problems in team.csv; nothing would be imported');
    expect(r.out.split('\n')).toEqual([
      'team.csv: read as',
      '  slack_id → slack_id',
      '  name → name',
      '  track → track',
      '  level → level',
      '  hired_on → hired_on',
      '  role → role',
      '7 rows for 1 member, effective 2026-11-02 to 2026-11-02: 1 new to the roster, 0 changed, 0 unchanged.',
      'The first 1 row as Tally understood them:',
      'Line  Name    Slack ID   Track       Level    Role   Hired       Change',
      '----  ------  ---------  ----------  -------  -----  ----------  ------',
      '8     新人己  U0NEW0004  aftersales  trainee  agent  2026-11-02  new',
      '8 problems:',
      ...problems.map((p) => `  ${p}`),
      'Dry run: nothing was written.',
    ]);
    expect(await roster()).toEqual(before);
  });

  it('one problem is the one line it always was', async () => {
    const r = await tally('roster', 'import', file('one.csv', [HEADER, 'U0NEW0005,新人庚,presales,boss,2026-11-01,']));
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'error: one.csv line 2, column level: "boss" is not a level; use trainee, regular, senior, lead or supervisor (见习/正式/资深/组长/主管)',
    );
  });
});

describe('roster import --dry-run', () => {
  const good = () =>
    file('good.csv', [
      HEADER + ',effective_from',
      // unchanged, a promotion from a day, and someone new
      'U00001001,李超,presales,regular,2025-05-20,agent,',
      'U00001002,张强,presales,senior,2025-10-07,agent,2026-11-01',
      'U0NEW0010,新人辛,售后,见习,2026-11-03,客服,',
    ]);

  it('shows what it would change and writes nothing; the import then does exactly that', async () => {
    const before = await roster();
    const r = await tally('roster', 'import', good(), '--dry-run');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      'good.csv: read as',
      '  slack_id → slack_id',
      '  name → name',
      '  track → track',
      '  level → level',
      '  hired_on → hired_on',
      '  role → role',
      '  effective_from → effective_from',
      '3 rows for 3 members, effective 2026-11-01 to 2026-11-03: 1 new to the roster, 1 changed, 1 unchanged.',
      'The first 3 rows as Tally understood them:',
      'Line  Name    Slack ID   Track       Level    Role   Hired       Change',
      '----  ------  ---------  ----------  -------  -----  ----------  -----------------------',
      '2     李超    U00001001  presales    regular  agent  2025-05-20  unchanged',
      '3     张强    U00001002  presales    senior   agent  2025-10-07  changed from 2026-11-01',
      '4     新人辛  U0NEW0010  aftersales  trainee  agent  2026-11-03  new',
      'No problems.',
      'Dry run: nothing was written.',
    ]);
    expect(await roster()).toEqual(before);

    const done = await tally('roster', 'import', good(), '--json');
    expect(done.err).toBe('');
    expect(done.json<RosterImportJson>()).toEqual({ added: 1, updated: 1, unchanged: 1, inactive: [] });
    expect(await roster()).toContain('U0NEW0010 新人辛 aftersales trainee agent');
  });

  it("--json has the shape of metrics import --dry-run's, problems included", async () => {
    const rosterFile = file('shape.csv', [HEADER, 'U0NEW0011,新人壬,presales,regular,2026-11-01,', 'U0X,,x,y,z,']);
    const metricsFile = file('shape-metrics.csv', [
      'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec',
      '2026-11-02,U00001001,10,5,12,100,0,,,90,30',
      '2026-11-02,U0NOBODY,10,5,12,100,0,,,90,30',
    ]);
    const r = await tally('roster', 'import', rosterFile, '--dry-run', '--json');
    const m = await tally('metrics', 'import', metricsFile, '--dry-run', '--json');
    expect([r.code, m.code]).toEqual([1, 1]);
    type Shape = Record<string, unknown> & { problems: Array<Record<string, unknown>>; sample: unknown[] };
    const rj = r.json<Shape>();
    const mj = m.json<Shape>();
    expect(Object.keys(rj)).toEqual(Object.keys(mj));
    expect(Object.keys(rj.problems[0]!)).toEqual(Object.keys(mj.problems[0]!));
    expect(rj).toMatchObject({
      kind: 'roster',
      file: 'shape.csv',
      rows: 2,
      members: 1,
      from: '2026-11-01',
      to: '2026-11-01',
      added: 1,
      replaced: 0,
      problemCount: 4,
      written: false,
      ignored: [],
    });
    expect(rj.sample).toEqual([
      {
        line: 2,
        slackId: 'U0NEW0011',
        name: '新人壬',
        track: 'presales',
        level: 'regular',
        role: 'agent',
        hiredOn: '2026-11-01',
        change: 'new',
      },
    ]);
    // every problem, each with its code, its line as the CLI says it, and its parameters
    expect(rj.problems.map((p) => [p.code, (p.params as { line: number }).line])).toEqual([
      ['csv_bad_name', 3],
      ['csv_bad_track', 3],
      ['csv_bad_level', 3],
      ['csv_bad_date', 3],
    ]);
    expect(rj.problems[2]!.message).toBe(
      'shape.csv line 3, column level: "y" is not a level; use trainee, regular, senior, lead or supervisor (见习/正式/资深/组长/主管)',
    );
    expect(await roster()).not.toContain('U0NEW0011 新人壬 presales regular agent');
  });
});

describe('the example files', () => {
  it('import cleanly into a new database, on any day after October 2026', async () => {
    const fresh = await freshDatabase();
    try {
      const cli = cliOn(fresh, { TALLY_NOW: '2027-03-01T10:00:00+08:00' });
      const dryRoster = await cli('roster', 'import', 'examples/roster.csv', '--dry-run');
      expect(dryRoster.code).toBe(0);
      expect(dryRoster.out).toContain('No problems.');
      expect((await cli('roster', 'import', 'examples/roster.csv')).out).toBe(
        'Imported examples/roster.csv: 15 added, 0 updated, 0 unchanged.',
      );
      const dryMetrics = await cli('metrics', 'import', 'examples/metrics.csv', '--dry-run');
      expect(dryMetrics.code).toBe(0);
      expect(dryMetrics.out).toContain('No problems.');
      const metrics = await cli('metrics', 'import', 'examples/metrics.csv');
      expect(metrics.err).toBe('');
      expect(metrics.out).toBe('Imported examples/metrics.csv: 695 rows for 12 members, 2026-09-01 to 2026-10-31.');
      // imported twice, the roster changes nothing
      expect((await cli('roster', 'import', 'examples/roster.csv')).out).toBe(
        'Imported examples/roster.csv: 0 added, 0 updated, 15 unchanged.',
      );
    } finally {
      await fresh.close();
    }
  });
});
