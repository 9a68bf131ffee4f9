// Keys from outside (rule codes, policy keys, column headers, roster words, emoji shortcodes) are data
// or refused in one line: never JavaScript's own `constructor`, `toString` or `__proto__`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import {
  cliOn,
  type CliResult,
  type MetricsImportJson,
  type PayrollJson,
  type PenaltyAddJson,
  type PenaltyListJson,
  type SayJson,
  type ScoreJson,
} from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-keys-'));
function file(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const LEAD = 'U0LEAD001';
const AGENT = 'U00001011';

async function written(db: Database) {
  return {
    policies: await db.prisma.policyVersion.count(),
    audit: await db.prisma.auditLog.count(),
    members: await db.prisma.member.count(),
  };
}

describe('a rule coded "constructor", added mid-month, works like any other rule', () => {
  let db: Database;
  let november: (...argv: string[]) => Promise<CliResult>;
  let december: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    november = cliOn(db);
    december = cliOn(db, { TALLY_NOW: '2026-12-03T10:00:00+08:00' });
    expect((await november('roster', 'import', 'examples/roster.csv')).code).toBe(0);
    const constructor = {
      label: { zh: '构造', en: 'Construct' },
      amountFen: 1000,
      points: 1,
      escalations: [{ fromCount: 2, action: 'forfeit_commission' }],
    };
    // in force from the 5th: the rulebook of November's 1st has no such rule, December's has
    const set = await november(
      'policy',
      'set',
      file('constructor.json', { penalties: { rules: { constructor } } }),
      '--from',
      '2026-11-05',
    );
    expect(set.code, set.err).toBe(0);
  });
  afterAll(() => db.close());

  it("in its first month: each penalty recorded once and counted, no escalation (the month's rulebook has none)", async () => {
    for (const [n, note] of [
      [1, ''],
      [2, 'again'],
    ] as const) {
      const r = await november('penalty', 'add', AGENT, 'constructor', ...(note ? [note] : []), '--by', LEAD, '--json');
      expect(r.code, r.err).toBe(0);
      expect(r.json<PenaltyAddJson>()).toMatchObject({
        ruleCode: 'constructor',
        ruleLabel: { zh: '构造', en: 'Construct' },
        reason: note || '构造',
        amountFen: 1000,
        monthCount: n,
        triggered: [],
      });
    }
    const list = (await november('penalty', 'list', '--member', AGENT, '--json')).json<PenaltyListJson>();
    expect(list.penalties.map((p) => [p.ruleCode, p.status])).toEqual([
      ['constructor', 'active'],
      ['constructor', 'active'],
    ]);
    // what the lead was told is what payroll applies
    const score = (await november('score', AGENT, '--month', '2026-11', '--json')).json<ScoreJson>();
    expect(score.penalties).toMatchObject({
      count: 2,
      moneyFen: 2000,
      points: 2,
      commissionForfeited: false,
      escalations: [],
    });
  });

  it('from the next month: the 2nd forfeits the commission, in the notice, /myscore, payroll and the closed month', async () => {
    const first = await december('penalty', 'add', AGENT, 'constructor', '--by', LEAD, '--json');
    expect(first.code, first.err).toBe(0);
    expect(first.json<PenaltyAddJson>()).toMatchObject({ monthCount: 1, triggered: [] });
    // the 2nd through Slack's handler: the lead is told the count and the forfeiture, the agent gets the DM
    const slack = await december('say', '--as', LEAD, `/penalty @${AGENT} constructor`, '--json');
    expect(slack.code, slack.err).toBe(0);
    const effects = slack.json<SayJson>();
    expect(effects.reply?.text).toMatch(/#\d+/);
    expect(JSON.stringify(effects.reply)).toContain('第 2 次构造（constructor）：当月提成全部扣除');
    expect(effects.dms?.map((d) => d.to)).toContain(AGENT);
    const score = (await december('score', AGENT, '--month', '2026-12', '--json')).json<ScoreJson>();
    expect(score.penalties).toMatchObject({
      count: 2,
      moneyFen: 2000,
      commissionForfeited: true,
      escalations: [{ ruleCode: 'constructor', count: 2, action: 'forfeit_commission' }],
    });
    const said = await december('say', '--as', AGENT, '/myscore month');
    expect(said.code, said.err).toBe(0);
    // the team's language is the default zh-CN
    expect(said.out).toContain('处罚：2 次，扣 2 分，¥20.00');
    expect(said.out).toContain('本月提成已扣除');
    const row = (await december('payroll', '--month', '2026-12', '--json'))
      .json<PayrollJson>()
      .rows.find((r) => r.slackId === AGENT)!;
    expect(row).toMatchObject({ penaltyFen: 2000, commissionForfeited: true });

    const january = cliOn(db, { TALLY_NOW: '2027-01-04T10:00:00+08:00' });
    for (const month of ['2026-11', '2026-12']) {
      const close = await january('month', 'close', month);
      expect(close.code, close.err).toBe(0);
    }
    const frozen = async (month: string) =>
      (await january('payroll', '--month', month, '--json')).json<PayrollJson>().rows.find((r) => r.slackId === AGENT)!;
    expect(await frozen('2026-11')).toMatchObject({ penaltyFen: 2000, commissionForfeited: false });
    expect(await frozen('2026-12')).toMatchObject({ penaltyFen: 2000, commissionForfeited: true });
  });
});

describe('"__proto__" anywhere in a policy is refused in one line naming it', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  });
  afterAll(() => db.close());

  const rule = '{"label":{"zh":"甲","en":"A"},"amountFen":100,"points":1}';
  // written as text: JSON.stringify of an object literal would drop the key
  const documents: Array<[string, string, string]> = [
    ['a root key', '{"__proto__":{"locale":"en"}}', '__proto__'],
    ['a rule code', `{"penalties":{"rules":{"__proto__":${rule}}}}`, 'penalties.rules.__proto__'],
    ['a mapped column', '{"import":{"columns":{"__proto__":"date"}}}', 'import.columns.__proto__'],
    ['a KPI', '{"kpis":{"presales":{"__proto__":{"weight":5}}}}', 'kpis.presales.__proto__'],
    ['an award rank', '{"awards":{"rankFen":{"__proto__":{"1":5}}}}', 'awards.rankFen.__proto__'],
    [
      'a key inside a rule',
      '{"penalties":{"rules":{"fraud":{"__proto__":{"amountFen":1}}}}}',
      'penalties.rules.fraud.__proto__',
    ],
    [
      'a key inside a list',
      '{"awards":{"streakFen":[{"minMonths":2,"fen":1,"__proto__":{}}]}}',
      'awards.streakFen.0.__proto__',
    ],
  ];
  for (const [what, doc, path] of documents) {
    it(`as ${what}: exit 1, one line, nothing written`, async () => {
      const before = await written(db);
      const r = await tally('policy', 'set', file('proto.json', doc), '--from', '2026-12-01');
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toEqual([
        `error: policy: ${path}: "__proto__" is a reserved word and cannot be a name in a policy`,
      ]);
      expect(await written(db)).toEqual(before);
    });
  }

  it('a rule coded "toString" is refused for what it is: not a lower_snake_case code', async () => {
    const before = await written(db);
    const r = await tally(
      'policy',
      'set',
      file('tostring.json', `{"penalties":{"rules":{"toString":${rule}}}}`),
      '--from',
      '2026-12-01',
    );
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual(['error: policy: penalties.rules.toString: rule codes are lower_snake_case']);
    expect(await written(db)).toEqual(before);
  });

  it('other names JavaScript objects carry are ordinary: a mapped "constructor" header reads the date', async () => {
    const set = await tally(
      'policy',
      'set',
      file('columns.json', { import: { columns: { constructor: 'date', toString: 'ignore', valueOf: 'slack_id' } } }),
      '--from',
      '2026-11-05',
    );
    expect(set.code, set.err).toBe(0);
    const csv = [
      'constructor,valueOf,toString,inquiries,paid_customers,receptions,gmv,refund_customers,service_score',
      '2026-11-04,U00001001,whatever,30,10,40,500.00,0,90',
    ].join('\n');
    const r = await tally('metrics', 'import', file('mapped.csv', csv), '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.json<MetricsImportJson>()).toMatchObject({ rows: 1 });
  });

  it('a header named like one is an unknown column, not a crash', async () => {
    // the policy above maps constructor, toString and valueOf; hasOwnProperty is nobody's column
    const csv = 'constructor,valueOf,hasOwnProperty\n2026-11-04,U00001001,1\n';
    const r = await tally('metrics', 'import', file('unknown.csv', csv));
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/column 3: unknown column "hasOwnProperty"/);
  });
});

describe('roster words and emoji shortcodes named like JavaScript machinery', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  });
  afterAll(() => db.close());

  const header = 'slack_id,name,track,level,hired_on,role';
  const rows: Array<[string, string, RegExp]> = [
    [
      'track "constructor"',
      'U00009001,甲,constructor,regular,2026-01-05,agent',
      /column track: "constructor" is not a track/,
    ],
    ['level "toString"', 'U00009001,甲,presales,toString,2026-01-05,agent', /column level: "toString" is not a level/],
    [
      'role "__proto__"',
      'U00009001,甲,presales,regular,2026-01-05,__proto__',
      /column role: "__proto__" is not a role/,
    ],
    [
      'track "hasOwnProperty"',
      'U00009001,甲,hasOwnProperty,regular,2026-01-05,agent',
      /"hasOwnProperty" is not a track/,
    ],
  ];
  for (const [what, row, message] of rows) {
    it(`refuses the ${what} in one line`, async () => {
      const before = await written(db);
      const r = await tally('roster', 'import', file('roster.csv', `${header}\n${row}\n`));
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(await written(db)).toEqual(before);
    });
  }

  it('a reason with :constructor: in it is shown as typed, not as a JavaScript function', async () => {
    const r = await tally('say', '--as', LEAD, '/penalty @U00001001 :constructor: broke the till ¥20');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(':constructor:');
    expect(r.out).not.toContain('function');
  });
});
