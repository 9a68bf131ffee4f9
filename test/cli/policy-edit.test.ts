// Editing the policy as a person does, with a text editor and `policy set`: a JSON slip is told at
// its line and column, a misnamed key with the key meant, money may be written in yuan; `policy
// versions` says what each version changed, `policy drop` takes back one not started yet, and a
// second version on the same day replaces the first only with --replace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type PolicyShowJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-policy-edit-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const LEAD = 'U0LEAD001';
const ADMIN = 'U0ADMIN01';

async function written(db: Database) {
  return { policies: await db.prisma.policyVersion.count(), audit: await db.prisma.auditLog.count() };
}

/** Sets a policy file's text and expects the one line of refusal, and nothing written. */
async function refused(db: Database, tally: (...a: string[]) => Promise<CliResult>, path: string): Promise<string> {
  const before = await written(db);
  const r = await tally('policy', 'set', path, '--from', '2026-12-01');
  expect(r.code).toBe(1);
  expect(r.err.split('\n')).toHaveLength(1);
  expect(await written(db)).toEqual(before);
  return r.err;
}

describe('policy set tells what is wrong with a file as an editor would show it', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
  });
  afterAll(() => db.close());

  const slips: Array<[string, string, string]> = [
    [
      'a missing comma',
      '{\n  "penalties": {\n    "rules": {\n      "buck_passing": {\n        "amountFen": 8000\n        "points": 3\n      }\n    }\n  }\n}\n',
      `:6:9: expected ',' or '}' after a value, found "points"`,
    ],
    [
      'a comma before the closing brace',
      '{\n  "pay": {\n    "mealAllowanceFen": 35000,\n  }\n}\n',
      `:4:3: a comma before '}' is not allowed in JSON; remove the comma, found '}'`,
    ],
    [
      'single quotes',
      "{\n  'timezone': 'Asia/Shanghai'\n}\n",
      `:2:3: expected a key in double quotes (JSON takes double quotes, not single), found ''timezone''`,
    ],
    [
      'a comment',
      '{\n  // the meal allowance\n  "pay": { "mealAllowanceFen": 35000 }\n}\n',
      `:2:3: expected a key in double quotes (JSON has no comments), found '//'`,
    ],
    [
      'a string not closed',
      '{\n  "locale": "en,\n  "timezone": "Asia/Shanghai"\n}\n',
      `:2:13: a string is not closed on its line (a missing '"'?), found "en,`,
    ],
    [
      'a word that is not a value, after Chinese text and an emoji (columns count characters)',
      '{ "penalties": { "rules": { "buck_passing": { "label": { "zh": "踢皮球🙂", "en": yes } } } } }',
      `:1:78: expected a value (text goes in double quotes; the words are true, false and null), found 'yes'`,
    ],
    [
      'a file cut short',
      '{\n  "pay": {\n    "mealAllowanceFen": 35000\n',
      `:4:1: expected ',' or '}' after a value, found the end of the file`,
    ],
    ['an empty file', '\n', ':2:1: the file is empty; expected a JSON value, found the end of the file'],
  ];
  for (const [what, text, told] of slips) {
    it(`says the line and column of ${what}, and the text found there`, async () => {
      const path = file('policy.json', text);
      expect(await refused(db, tally, path)).toBe(`error: ${path}${told}`);
    });
  }

  const keys: Array<[string, unknown, string]> = [
    [
      'amount for amountFen, with the value in fen',
      { penalties: { rules: { buck_passing: { amount: 80 } } } },
      'penalties.rules.buck_passing.amount: unknown key; did you mean amountFen (fen: ¥80 = 8000)?',
    ],
    ['a misspelt top-level key', { timezon: 'Asia/Shanghai' }, 'timezon: unknown key; did you mean timezone?'],
    [
      'two letters swapped in a KPI',
      { kpis: { presales: { service: { wieght: 35 } } } },
      'kpis.presales.service.wieght: unknown key; did you mean weight?',
    ],
    ['a word left out', { schedule: { closeDay: 5 } }, 'schedule.closeDay: unknown key; did you mean closeOnDay?'],
    [
      'a money setting without its unit',
      { pay: { mealAllowance: 350 } },
      'pay.mealAllowance: unknown key; did you mean mealAllowanceFen (fen: ¥350 = 35000)?',
    ],
    [
      'a key like no other: the keys taken there',
      { pay: { bonus: 1 } },
      'pay.bonus: unknown key; the keys here are baseFen, performanceBaseFen, commissionBasisPoints, mealAllowanceFen',
    ],
    [
      'a key of a new rule',
      { penalties: { rules: { late: { label: { zh: '迟到', en: 'Late' }, amountFen: 1000, point: 1 } } } },
      'penalties.rules.late.point: unknown key; did you mean points?',
    ],
  ];
  for (const [what, doc, told] of keys) {
    it(`suggests the key meant for ${what}`, async () => {
      const path = file('keys.json', JSON.stringify(doc));
      expect(await refused(db, tally, path)).toBe(`error: policy: ${told}`);
    });
  }
});

describe('policy set takes money in yuan wherever fen is taken, exactly', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
  });
  afterAll(() => db.close());

  it('converts each amount to fen without floating point: ¥80.50 is 8050, ¥0.29 is 29, ¥1.15 is 115', async () => {
    // 0.29 × 100 and 1.15 × 100 are 28.999999999999996 and 114.99999999999999 in floating point
    const doc = {
      penalties: {
        rules: { buck_passing: { amount: '¥80.50' }, fraud: { amountFen: '¥0.29' } },
        maxAmount: '¥100000',
        alertSupervisorsFromFen: '￥1.15',
      },
      pay: { baseFen: { trainee: '1800元' }, mealAllowanceFen: '¥0.1' },
      awards: { rankFen: { '1': '¥1,000.07' }, streakFen: [{ minMonths: 2, fen: '¥2.01' }] },
    };
    const set = await tally('policy', 'set', file('yuan.json', JSON.stringify(doc)), '--from', '2026-12-01');
    expect(set.code, set.err).toBe(0);
    const shown = (await tally('policy', 'show', '--on', '2026-12-01', '--json')).json<PolicyShowJson>();
    // kept in fen, as policy show prints it
    expect(shown.penalties.rules.buck_passing!.amountFen).toBe(8050);
    expect(shown.penalties.rules.fraud!.amountFen).toBe(29);
    expect(shown.penalties.maxAmountFen).toBe(10_000_000);
    expect(shown.penalties.alertSupervisorsFromFen).toBe(115);
    expect(shown.pay.baseFen.trainee).toBe(180_000);
    expect(shown.pay.mealAllowanceFen).toBe(10);
    expect(shown.awards.rankFen).toEqual({ '1': 100_007, '2': 5_000 });
    expect(shown.awards.streakFen).toEqual([{ minMonths: 2, fen: 201 }]);
    // the key given in yuan is stored under its …Fen name only
    expect(Object.keys(shown.penalties.rules.buck_passing!)).not.toContain('amount');
  });

  const wrong: Array<[string, unknown, string]> = [
    [
      'three decimals',
      { penalties: { rules: { buck_passing: { amount: '¥80.505' } } } },
      'penalties.rules.buck_passing.amount: "¥80.505" is not an amount in yuan: write it like "¥80" or "¥80.50" (not negative, at most 2 decimals)',
    ],
    [
      'a negative amount',
      { pay: { mealAllowanceFen: '-¥5' } },
      'pay.mealAllowanceFen: "-¥5" is not an amount in yuan: write it like "¥80" or "¥80.50" (not negative, at most 2 decimals)',
    ],
    [
      'a number in quotes without a yuan sign (fen or yuan?)',
      { penalties: { rules: { buck_passing: { amountFen: '8000' } } } },
      'penalties.rules.buck_passing.amountFen: "8000": write fen as a number (8000) or yuan with its sign ("¥80", "¥80.50")',
    ],
    [
      'both amount and amountFen',
      { penalties: { rules: { buck_passing: { amount: '¥80', amountFen: 8000 } } } },
      'penalties.rules.buck_passing.amount: give amount (in yuan) or amountFen (in fen), not both',
    ],
    [
      'more than a setting may be',
      { pay: { mealAllowanceFen: '¥1,000,000.01' } },
      'pay.mealAllowanceFen: at most 100000000 fen (¥1,000,000)',
    ],
  ];
  for (const [what, doc, told] of wrong) {
    it(`refuses ${what} in one line`, async () => {
      expect(await refused(db, tally, file('wrong.json', JSON.stringify(doc)))).toBe(`error: policy: ${told}`);
    });
  }
});

describe('policy versions, drop and --replace', () => {
  let db: Database;
  let tally: (...argv: string[]) => Promise<CliResult>;
  /** the same database a day later, 09:30, and two days later, 08:00 */
  let later: (...argv: string[]) => Promise<CliResult>;
  let third: (...argv: string[]) => Promise<CliResult>;
  beforeAll(async () => {
    db = await freshDatabase();
    tally = cliOn(db);
    later = cliOn(db, { TALLY_NOW: '2026-11-06T09:30:00+08:00' });
    third = cliOn(db, { TALLY_NOW: '2026-11-07T08:00:00+08:00' });
    expect((await tally('roster', 'import', 'examples/roster.csv')).code).toBe(0);
    const admin = file(
      'admin.csv',
      'slack_id,name,track,level,hired_on,role\nU0ADMIN01,孙管理,presales,supervisor,2026-11-01,admin\n',
    );
    expect((await tally('roster', 'import', admin)).code).toBe(0);
  });
  afterAll(() => db.close());

  it('says when no version was ever set', async () => {
    expect((await tally('policy', 'versions')).out).toBe(
      'No policy version was set: the default policy is in force (tally policy show prints it).',
    );
    expect((await tally('policy', 'versions', '--json')).json()).toEqual({ versions: [] });
  });

  it('lists each version: from, set by, when, and what changed from the one before', async () => {
    const meal = file('meal.json', '{ "pay": { "mealAllowanceFen": 35000 } }');
    expect((await tally('policy', 'set', meal, '--from', '2026-11-01', '--backdate', '--by', ADMIN)).code).toBe(0);
    const buck = file('buck.json', '{ "penalties": { "rules": { "buck_passing": { "amount": "¥80" } } } }');
    const r = await later('policy', 'set', buck, '--from', '2026-12-01');
    expect(r.code, r.err).toBe(0);
    expect((await later('policy', 'versions', '--json')).json()).toEqual({
      versions: [
        {
          from: '2026-11-01',
          setBy: ADMIN,
          setAt: '2026-11-05T10:00:00+08:00',
          changes: ['pay.mealAllowanceFen: 30000 -> 35000'],
        },
        {
          from: '2026-12-01',
          setBy: 'cli',
          setAt: '2026-11-06T09:30:00+08:00',
          changes: ['penalties.rules.buck_passing.amountFen: 5000 -> 8000'],
        },
      ],
    });
    expect((await later('policy', 'versions')).out).toBe(
      [
        '2026-11-01 (in force), set by 孙管理 (U0ADMIN01) at 2026-11-05 10:00:',
        '  pay.mealAllowanceFen: 30000 -> 35000',
        '2026-12-01 (not started yet), set by cli at 2026-11-06 09:30:',
        '  penalties.rules.buck_passing.amountFen: 5000 -> 8000',
      ].join('\n'),
    );
  });

  it('refuses a second version on the same day unless --replace confirms it', async () => {
    const before = await written(db);
    const buck = file('buck90.json', '{ "penalties": { "rules": { "buck_passing": { "amountFen": 9000 } } } }');
    const r = await tally('policy', 'set', buck, '--from', '2026-12-01');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'error: policy: a version from 2026-12-01 is already set (by cli, 2026-11-06 09:30); pass --replace to replace it',
    );
    expect(await written(db)).toEqual(before);
    expect(
      (await tally('policy', 'show', '--on', '2026-12-01', '--json')).json<PolicyShowJson>().penalties.rules
        .buck_passing!.amountFen,
    ).toBe(8000);

    const ok = await third('policy', 'set', buck, '--from', '2026-12-01', '--replace', '--by', ADMIN);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe(
      `Policy from ${buck} in force from 2026-12-01 (it replaces the version set before from that date).`,
    );
    const versions = (await tally('policy', 'versions', '--json')).json<{ versions: Array<{ changes: string[] }> }>();
    expect(versions.versions).toHaveLength(2);
    expect(versions.versions[1]).toEqual({
      from: '2026-12-01',
      setBy: ADMIN,
      setAt: '2026-11-07T08:00:00+08:00',
      changes: ['penalties.rules.buck_passing.amountFen: 5000 -> 9000'],
    });
    // the version replaced is kept in the audit trail
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'policy.set' },
      orderBy: { id: 'desc' },
    });
    expect(audit.detail).toMatchObject({
      replacedSetBy: 'cli',
      replaced: { penalties: { rules: { buck_passing: { amountFen: 8000 } } } },
    });
  });

  it('drops only a version not started yet, by an admin, and keeps it in the audit trail', async () => {
    const before = await written(db);
    const refusals: Array<[string[], string]> = [
      [['2026-12-01', '--by', LEAD], 'error: 郑组长 is a lead; only an admin may drop a policy version'],
      [
        ['2026-11-01', '--by', ADMIN],
        'error: policy: the version from 2026-11-01 has started (today is 2026-11-05); only a version that has not started yet can be dropped: set a new version to change it',
      ],
      [
        ['2026-12-02', '--by', ADMIN],
        'error: policy: no version starts on 2026-12-02 (the versions start on 2026-11-01, 2026-12-01; see tally policy versions)',
      ],
    ];
    for (const [args, told] of refusals) {
      const r = await tally('policy', 'drop', ...args);
      expect(r.code).toBe(1);
      expect(r.err).toBe(told);
    }
    // --by is the decider, as for month reopen
    expect((await tally('policy', 'drop', '2026-12-01')).code).toBe(2);
    expect(await written(db)).toEqual(before);

    const r = await tally('policy', 'drop', '2026-12-01', '--by', ADMIN);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('Policy version from 2026-12-01 dropped (kept in the audit trail).');
    expect(
      (await tally('policy', 'versions', '--json'))
        .json<{ versions: Array<{ from: string }> }>()
        .versions.map((v) => v.from),
    ).toEqual(['2026-11-01']);
    // December is back on the version in force before it
    expect(
      (await tally('policy', 'show', '--on', '2026-12-01', '--json')).json<PolicyShowJson>().penalties.rules
        .buck_passing!.amountFen,
    ).toBe(5000);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'policy.drop' } });
    expect(audit).toMatchObject({ actor: ADMIN, subject: '2026-12-01' });
    expect(audit.detail).toMatchObject({
      setBy: ADMIN,
      policy: { penalties: { rules: { buck_passing: { amountFen: 9000 } } } },
    });
  });

  it("refuses to drop the team's first version, even before it starts", async () => {
    const other = await freshDatabase();
    try {
      const t = cliOn(other);
      expect(
        (
          await t(
            'roster',
            'import',
            file(
              'admin2.csv',
              'slack_id,name,track,level,hired_on,role\nU0ADMIN01,孙管理,presales,supervisor,2026-11-01,admin\n',
            ),
          )
        ).code,
      ).toBe(0);
      expect(
        (await t('policy', 'set', file('m.json', '{"pay":{"mealAllowance":"¥350"}}'), '--from', '2026-12-01')).code,
      ).toBe(0);
      const r = await t('policy', 'drop', '2026-12-01', '--by', ADMIN);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        "error: policy: the version from 2026-12-01 is the team's first; it cannot be dropped (set a new version to change it)",
      );
    } finally {
      await other.close();
    }
  });
});
