// People over time through the CLI: roster set and roster history (contracts, --json), a roster
// file's effective_from, an import that would turn one person into another, a hire-date correction,
// and a closed month read after a track change (tally score).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-history-'));
let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;

interface HistoryJson {
  slackId: string;
  name: string;
  assignments: Array<{ from: string; track: string; level: string; role: string; by: string | null }>;
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const history = async (slackId: string) => {
  const r = await tally('roster', 'history', slackId, '--json');
  expect(r.code).toBe(0);
  return r.json<HistoryJson>();
};

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  expect((await tally('metrics', 'import', 'examples/metrics.csv')).code).toBe(0);
  expect((await tally('month', 'close', '2026-10')).code).toBe(0);
});
afterAll(() => db.close());

describe('roster set and roster history', () => {
  it('records a change from a day and lists the history oldest first, exactly in the contract shape', async () => {
    const set = await tally(
      'roster',
      'set',
      'U00001001',
      '--level',
      'senior',
      '--from',
      '2026-11-01',
      '--by',
      'U0LEAD001',
      '--json',
    );
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({
      slackId: 'U00001001',
      name: '李超',
      from: '2026-11-01',
      track: 'presales',
      level: 'senior',
      role: 'agent',
      by: 'U0LEAD001',
    });
    expect(await history('U00001001')).toEqual({
      slackId: 'U00001001',
      name: '李超',
      assignments: [
        { from: '2025-05-20', track: 'presales', level: 'regular', role: 'agent', by: 'hire' },
        { from: '2026-11-01', track: 'presales', level: 'senior', role: 'agent', by: 'U0LEAD001' },
      ],
    });
    const text = await tally('roster', 'history', 'U00001001');
    expect(text.out).toMatch(/2026-11-01\s+presales\s+senior\s+agent\s+U0LEAD001/);
  });

  it('refuses a bad change in one line, exit 1, and writes nothing', async () => {
    const before = await history('U00001002');
    const cases: Array<[string[], RegExp]> = [
      [['--level', 'senior', '--from', '2025-10-06'], /^error: 2025-10-06 is before 张强 was hired \(2025-10-07\)$/],
      [['--level', 'boss', '--from', '2026-11-01'], /^error: "boss" is not a level; use trainee, regular/],
      [['--track', 'sales', '--from', '2026-11-01'], /^error: "sales" is not a track; use presales, aftersales$/],
      [
        ['--track', 'aftersales', '--from', '2026-10-15'],
        /^error: 2026-10 is closed: a change for U00001002 from 2026-10-15 is refused/,
      ],
      [['--level', 'regular', '--from', '2026-11-01'], /nothing changed$/],
      [['--from', '2026-11-01'], /^error: say what changes/],
    ];
    for (const [args, line] of cases) {
      const r = await tally('roster', 'set', 'U00001002', ...args, '--by', 'U0LEAD001');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(line);
      expect(r.err).not.toContain('\n');
    }
    const noFrom = await tally('roster', 'set', 'U00001002', '--level', 'senior', '--by', 'U0LEAD001');
    expect(noFrom.code).toBe(2);
    expect(await history('U00001002')).toEqual(before);
  });

  it('reads a closed month after a track change in the track it was frozen with', async () => {
    expect(
      (await tally('roster', 'set', 'U00001002', '--track', 'aftersales', '--from', '2026-11-01', '--by', 'U0LEAD001'))
        .code,
    ).toBe(0);
    const month = await tally('score', 'U00001002', '--month', '2026-10', '--json');
    expect(month.err).toBe('');
    expect(month.code).toBe(0);
    const json = month.json<{ track: string; rank: number | null; kpis: Array<{ key: string }> }>();
    expect(json.track).toBe('presales');
    expect(json.rank).not.toBeNull();
    expect(json.kpis.map((k) => k.key)).toContain('conversion');
    const text = await tally('score', 'U00001002', '--month', '2026-10');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/presales|pre-sales/i);
    const day = await tally('score', 'U00001002', '--day', '2026-10-20', '--json');
    expect(day.code).toBe(0);
    expect(day.json<{ track: string }>().track).toBe('presales');
    const bad = await tally('score', 'U00001002', '--month', '2026-13');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('error: "2026-13" is not a month (YYYY-MM)');
  });
});

describe('roster import over time', () => {
  const header = 'slack_id,name,track,level,hired_on,role,effective_from\n';

  it('applies a changed level from effective_from (生效日期), and the same file again changes nothing', async () => {
    const path = file('promote.csv', `${header}U00001005,杨丽,presales,senior,2025-11-10,agent,2026-11-03\n`);
    const first = await tally('roster', 'import', path, '--json');
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect((await history('U00001005')).assignments.map((a) => [a.from, a.level])).toEqual([
      ['2025-11-10', 'regular'],
      ['2026-11-03', 'senior'],
    ]);
    const again = await tally('roster', 'import', path, '--json');
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    const zh = file(
      '晋升.csv',
      '客服ID,姓名,岗位,级别,入职日期,生效日期\nU00001005,杨丽,售前,资深,2025-11-10,2026-11-03\n',
    );
    expect((await tally('roster', 'import', zh, '--json')).json()).toMatchObject({ unchanged: 1 });
    expect((await history('U00001005')).assignments).toHaveLength(2);
  });

  it('dates a change without effective_from today, and a new member from their hire date', async () => {
    const path = file(
      'today.csv',
      `${header}U00001003,刘军,aftersales,senior,2024-03-02,agent,\nU00009001,新人,presales,trainee,2026-11-02,agent,\n`,
    );
    expect((await tally('roster', 'import', path, '--json')).json()).toMatchObject({ added: 1, updated: 1 });
    expect((await history('U00001003')).assignments.at(-1)).toMatchObject({ from: '2026-11-05', level: 'senior' });
    expect((await history('U00009001')).assignments).toEqual([
      { from: '2026-11-02', track: 'presales', level: 'trainee', role: 'agent', by: 'hire' },
    ]);
  });

  it('takes a new name as a rename and refuses another hire date (a different person), writing nothing', async () => {
    const rename = file('rename.csv', `${header}U00001004,陈明明,presales,trainee,2026-05-31,agent,\n`);
    expect((await tally('roster', 'import', rename, '--json')).json()).toMatchObject({ updated: 1 });
    expect((await history('U00001004')).name).toBe('陈明明');
    expect((await history('U00001004')).assignments).toHaveLength(1);
    const before = await tally('roster', 'list', '--all', '--json');
    const other = file(
      'other.csv',
      `${header}U00001001,王五,aftersales,lead,2026-08-01,agent,\nU00009002,另一个,presales,regular,2026-01-01,agent,\n`,
    );
    const r = await tally('roster', 'import', other);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'error: other.csv line 2, column hired_on: U00001001 (李超) was hired on 2025-05-20, not 2026-08-01: a roster row cannot make them someone else (a real correction: tally roster set U00001001 --hired-on 2026-08-01 --correct --by ...)',
    );
    expect((await tally('roster', 'list', '--all', '--json')).out).toBe(before.out);
  });

  it('refuses a change dated in a closed month from a file', async () => {
    const path = file('closed.csv', `${header}U00001002,张强,presales,senior,2025-10-07,agent,2026-10-20\n`);
    const r = await tally('roster', 'import', path);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: 2026-10 is closed/);
  });
});

describe('metrics import after a track change', () => {
  it('checks a row against the track of its day', async () => {
    const set = await tally(
      'roster',
      'set',
      'U00001005',
      '--track',
      'aftersales',
      '--from',
      '2026-11-04',
      '--by',
      'U0LEAD001',
    );
    expect(set.code).toBe(0);
    // a pre-sales file (no after-sales columns) for a day before the move
    const path = file(
      'presales-day.csv',
      'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,service_score\n2026-11-03,U00001005,50,20,60,2000,0,90\n',
    );
    const r = await tally('metrics', 'import', path);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('hire-date corrections', () => {
  it('needs --correct, is audited, and never reaches into a closed month', async () => {
    // only an admin corrects a hire date: the example team gets one
    const admin = file(
      'admin.csv',
      'slack_id,name,track,level,hired_on,role\nU0ADMIN01,孙管理,presales,supervisor,2026-11-01,admin\n',
    );
    expect((await tally('roster', 'import', admin)).code).toBe(0);
    const lead = await tally(
      'roster',
      'set',
      'U00009001',
      '--hired-on',
      '2026-11-01',
      '--correct',
      '--by',
      'U0SUPER01',
    );
    expect(lead.err).toBe('error: 周主管 is a supervisor; only an admin may correct a hire date');
    const plain = await tally('roster', 'set', 'U00009001', '--hired-on', '2026-11-01', '--by', 'U0ADMIN01');
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/add --correct$/);
    const ok = await tally(
      'roster',
      'set',
      'U00009001',
      '--hired-on',
      '2026-11-01',
      '--correct',
      '--by',
      'U0ADMIN01',
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual({ slackId: 'U00009001', name: '新人', hiredOn: '2026-11-01' });
    expect((await history('U00009001')).assignments[0]!.from).toBe('2026-11-01');
    const audit = await db.prisma.auditLog.findFirst({ where: { action: 'roster.hire_date', subject: 'U00009001' } });
    expect(audit).toMatchObject({ actor: 'U0ADMIN01', detail: { from: '2026-11-02', to: '2026-11-01' } });
    const closed = await tally(
      'roster',
      'set',
      'U00009001',
      '--hired-on',
      '2026-10-30',
      '--correct',
      '--by',
      'U0ADMIN01',
    );
    expect(closed.code).toBe(1);
    expect(closed.err).toMatch(/^error: 2026-10 is closed/);
  });
});
