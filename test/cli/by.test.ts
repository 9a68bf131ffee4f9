// Issue 18, item 4: every --by names a person who may do it, exactly as in Slack. An agent, an id not
// on the roster, an inactive member or someone not above the member is refused in one line with
// nothing written; month reopen needs an admin named with --by; a lead makes nobody an admin.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const ADMIN = 'U0ADMIN01';
const SUPER = 'U0SUPER01';
const LEAD = 'U0LEAD001';
const LEAD2 = 'U0LEAD002';
const AGENT = 'U00001001';
const AGENT2 = 'U00001002';
const GONE = 'U0GONE001';

let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;
const dir = mkdtempSync(join(tmpdir(), 'tally-by-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const HEADER = 'slack_id,name,track,level,hired_on,role';

beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
  const roster = file(
    'team.csv',
    [
      HEADER,
      `${ADMIN},孙管理,presales,supervisor,2020-01-01,admin`,
      `${SUPER},周主管,presales,supervisor,2021-03-01,supervisor`,
      `${LEAD},郑组长,presales,lead,2022-05-16,lead`,
      `${LEAD2},冯组长,aftersales,lead,2022-08-01,lead`,
      `${AGENT},李超,presales,regular,2025-05-20,agent`,
      `${AGENT2},张强,presales,regular,2025-10-07,agent`,
      `${GONE},钱组长,presales,lead,2022-01-01,lead`,
      '',
    ].join('\n'),
  );
  expect((await tally('roster', 'import', roster)).code).toBe(0);
  // the operator at the terminal needs no --by here
  expect((await tally('roster', 'deactivate', GONE)).code).toBe(0);
});
afterAll(() => db.close());

/** What a refusal must leave: no assignment, audit entry, penalty, policy version or month change. */
const written = async () => ({
  assignments: await db.prisma.memberAssignment.count(),
  activity: await db.prisma.memberActivity.count(),
  audit: await db.prisma.auditLog.count(),
  penalties: await db.prisma.penalty.count(),
  policies: await db.prisma.policyVersion.count(),
  closes: await db.prisma.monthClose.findMany({ orderBy: { month: 'asc' } }),
  members: await db.prisma.member.findMany({ orderBy: { id: 'asc' } }),
});

/** Runs a command that must be refused with exactly `line` (exit 1), writing nothing. */
async function refused(line: string, ...argv: string[]): Promise<void> {
  const before = await written();
  const r = await tally(...argv);
  expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 1, err: `error: ${line}`, out: '' });
  expect(await written()).toEqual(before);
}

describe('roster set --by', () => {
  const set = (member: string, ...rest: string[]) => ['roster', 'set', member, ...rest];

  it('refuses an agent making themselves an admin, an id not on the roster and an inactive member', async () => {
    // the example: an agent made themselves an admin
    await refused(
      '李超 (U00001001) is an agent; only a lead, supervisor or admin may change the roster',
      ...set(AGENT, '--role', 'admin', '--level', 'lead', '--from', '2026-11-20', '--by', AGENT),
    );
    await refused(
      'U404 is not on the roster',
      ...set(AGENT2, '--track', 'aftersales', '--from', '2026-11-20', '--by', 'U404'),
    );
    await refused(
      '钱组长 (U0GONE001) is no longer active on the roster',
      ...set(AGENT2, '--track', 'aftersales', '--from', '2026-11-20', '--by', GONE),
    );
    // `cli` names nobody when given: roster set always names a person
    await refused(
      'cli is not on the roster',
      ...set(AGENT2, '--level', 'senior', '--from', '2026-11-20', '--by', 'cli'),
    );
  });

  it('a lead may move an agent, but not make anyone a lead or admin, nor change a lead or themselves', async () => {
    await refused(
      'only an admin may make someone an admin',
      ...set(AGENT2, '--role', 'admin', '--from', '2026-11-20', '--by', LEAD),
    );
    await refused(
      'only a supervisor or admin may make someone a lead',
      ...set(AGENT2, '--role', 'lead', '--from', '2026-11-20', '--by', LEAD),
    );
    await refused(
      'only a supervisor or admin may give someone the level lead',
      ...set(AGENT2, '--level', 'lead', '--from', '2026-11-20', '--by', LEAD),
    );
    await refused(
      '冯组长 (U0LEAD002) is a lead: only a supervisor or admin may change their track, level, role or activity',
      ...set(LEAD2, '--track', 'presales', '--from', '2026-11-20', '--by', LEAD),
    );
    await refused(
      'nobody changes their own track, level or role; someone above them does',
      ...set(LEAD, '--role', 'supervisor', '--from', '2026-11-20', '--by', LEAD),
    );
    // a supervisor makes nobody a supervisor; an admin may change another admin's standing, not their own
    await refused(
      'only an admin may make someone a supervisor',
      ...set(LEAD, '--role', 'supervisor', '--from', '2026-11-20', '--by', SUPER),
    );
    await refused(
      'nobody changes their own track, level or role; someone above them does',
      ...set(ADMIN, '--track', 'aftersales', '--from', '2026-11-20', '--by', ADMIN),
    );

    const moved = await tally('roster', 'set', AGENT2, '--track', 'aftersales', '--from', '2026-11-20', '--by', LEAD);
    expect(moved.code, moved.err).toBe(0);
    const made = await tally(
      'roster',
      'set',
      AGENT,
      '--role',
      'lead',
      '--level',
      'lead',
      '--from',
      '2026-11-20',
      '--by',
      SUPER,
      '--json',
    );
    expect(made.code, made.err).toBe(0);
    expect(made.json()).toMatchObject({ slackId: AGENT, role: 'lead', level: 'lead', by: SUPER });
  });

  it("--hired-on --correct is an admin's", async () => {
    await refused(
      '郑组长 is a lead; only an admin may correct a hire date',
      ...set(AGENT2, '--hired-on', '2025-10-01', '--correct', '--by', LEAD),
    );
    await refused(
      'nobody corrects their own hire date; another admin does',
      ...set(ADMIN, '--hired-on', '2020-01-02', '--correct', '--by', ADMIN),
    );
    const fixed = await tally('roster', 'set', AGENT2, '--hired-on', '2025-10-01', '--correct', '--by', ADMIN);
    expect(fixed.code, fixed.err).toBe(0);
  });
});

describe('month reopen and close', () => {
  beforeAll(async () => {
    expect((await tally('month', 'close', '2026-09')).code).toBe(0);
  });

  it('reopen without --by is a usage mistake, and it is not done as cli', async () => {
    const before = await written();
    const r = await tally('month', 'reopen', '2026-09', '--why', 'late import');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/required option '--by <slack_id>' not specified/);
    expect(await written()).toEqual(before);
  });

  it('names the one role that may reopen: an agent, a lead or a supervisor is told only an admin may', async () => {
    const reopen = (by: string) => ['month', 'reopen', '2026-09', '--why', 'late import', '--by', by];
    await refused('张强 is an agent; only an admin may reopen a month', ...reopen(AGENT2));
    await refused('周主管 is a supervisor; only an admin may reopen a month', ...reopen(SUPER));
    await refused('U404 is not on the roster', ...reopen('U404'));
    await refused('钱组长 (U0GONE001) is no longer active on the roster', ...reopen(GONE));
    const ok = await tally(...reopen(ADMIN));
    expect(ok.code, ok.err).toBe(0);
    const row = await db.prisma.monthClose.findUniqueOrThrow({ where: { month: '2026-09' } });
    expect(row.reopenedBy).toBe(ADMIN);
  });

  it('close with --by names a lead, supervisor or admin; without it the operator closes', async () => {
    await refused(
      '张强 (U00001002) is an agent; only a lead, supervisor or admin may close a month by hand',
      'month',
      'close',
      '2026-09',
      '--by',
      AGENT2,
    );
    await refused('U404 is not on the roster', 'month', 'close', '2026-09', '--by', 'U404');
    const closed = await tally('month', 'close', '2026-09', '--by', LEAD);
    expect(closed.code, closed.err).toBe(0);
  });
});

describe('penalties: who records and revokes, and on whom', () => {
  const add = (member: string, by: string) => ['penalty', 'add', member, 'buck_passing', '--by', by];

  it('refuses an agent, an id not on the roster and an inactive member', async () => {
    await refused(
      '张强 (U00001002) is an agent; only a lead, supervisor or admin may record penalties',
      ...add(AGENT, AGENT2),
    );
    await refused('U404 is not on the roster', ...add(AGENT2, 'U404'));
    await refused('钱组长 (U0GONE001) is no longer active on the roster', ...add(AGENT2, GONE));
  });

  it('only from above: a lead penalises no lead, a supervisor no supervisor, and nobody an admin', async () => {
    await refused('冯组长 (U0LEAD002) is a lead: only a supervisor or admin may penalise them', ...add(LEAD2, LEAD));
    await refused('孙管理 (U0ADMIN01) is an admin: nobody may penalise them', ...add(ADMIN, SUPER));
    const onLead = await tally(...add(LEAD2, SUPER), '--json');
    expect(onLead.code, onLead.err).toBe(0);
    const id = onLead.json<{ id: number }>().id;
    // a lead may not take back what they could not have recorded
    await refused(
      '冯组长 (U0LEAD002) is a lead: only a supervisor or admin may revoke their penalties',
      'penalty',
      'revoke',
      String(id),
      '--by',
      LEAD,
      '--why',
      'mistake',
    );
    expect((await tally('penalty', 'revoke', String(id), '--by', ADMIN, '--why', 'mistake')).code).toBe(0);
  });
});

describe('policy set, roster activate, deactivate and import with --by', () => {
  const policy = () => file('policy.json', JSON.stringify({ pay: { mealAllowanceFen: 32_000 } }));

  it('policy set --by names an admin; without --by the operator sets it', async () => {
    const set = (by: string) => ['policy', 'set', policy(), '--from', '2026-12-01', '--by', by];
    await refused('周主管 is a supervisor; only an admin may change the policy', ...set(SUPER));
    await refused('U404 is not on the roster', ...set('U404'));
    expect((await tally(...set(ADMIN))).code).toBe(0);
    expect((await tally('policy', 'set', policy(), '--from', '2026-12-02')).code).toBe(0);
  });

  it('deactivate --by: staff above the member, never oneself', async () => {
    await refused(
      '冯组长 (U0LEAD002) is a lead: only a supervisor or admin may change their track, level, role or activity',
      'roster',
      'deactivate',
      LEAD2,
      '--by',
      LEAD,
    );
    await refused(
      '张强 (U00001002) is an agent; only a lead, supervisor or admin may change the roster',
      'roster',
      'deactivate',
      AGENT,
      '--by',
      AGENT2,
    );
    await refused(
      'nobody deactivates or reactivates themselves; someone above them does',
      'roster',
      'deactivate',
      LEAD,
      '--by',
      LEAD,
    );
    await refused('U404 is not on the roster', 'roster', 'activate', GONE, '--by', 'U404');
    expect((await tally('roster', 'activate', GONE, '--by', SUPER)).code).toBe(0);
  });

  it('import --by: a lead adds agents, but a row making someone a supervisor is refused with its line', async () => {
    const rows = file(
      'promote.csv',
      [
        HEADER,
        'U00001003,刘军,aftersales,regular,2024-03-02,agent',
        `${AGENT2},张强,presales,regular,2025-10-01,supervisor`,
        '',
      ].join('\n'),
    );
    await refused(
      'promote.csv line 3, column role: only an admin may make someone a supervisor',
      'roster',
      'import',
      rows,
      '--by',
      LEAD,
    );
    await refused(
      '张强 (U00001002) is an agent; only a lead, supervisor or admin may import files',
      'roster',
      'import',
      rows,
      '--by',
      AGENT2,
    );
    const agents = file('agents.csv', [HEADER, 'U00001003,刘军,aftersales,regular,2024-03-02,agent', ''].join('\n'));
    const ok = await tally('roster', 'import', agents, '--by', LEAD);
    expect(ok.code, ok.err).toBe(0);
  });
});
