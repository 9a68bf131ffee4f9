// The rule picker offers the rules in force on the penalty's own day, not today's: a rule that
// starts on the 1st is offered for the 2nd and not for the 30th before, a rule retired on the 1st
// still for the 30th. Typed in the console, which shows the picker as Slack would, numbered.
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { toDay } from '../../src/db/dates.js';
import { setPolicy } from '../../src/service/policy.js';
import { runConsole } from '../../src/slack/console.js';
import type { SlackDeps } from '../../src/slack/context.js';
import { cliOn } from '../support/cli.js';
import { freshDatabase, tallyOn } from '../support/db.js';

const NOW = '2026-12-02T10:00:00+08:00';
const AGENT = 'U00001001'; // 李超

let db: Database;
let deps: SlackDeps;

async function typed(...lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (d: Buffer) => (out += d.toString('utf8')));
  input.end(`${lines.join('\n')}\n/quit\n`);
  await runConsole(deps, { input, output, interactive: false });
  return out;
}

/** The rules a picker listed, by code, in its order ("3. 迟到（late_login） ¥10.00"). */
const offered = (out: string) => [...out.matchAll(/\n(\d+)\. .+?（(\w+)） ¥/g)].map((m) => m[2]!);

beforeAll(async () => {
  db = await freshDatabase();
  expect((await cliOn(db, { TALLY_NOW: NOW })('roster', 'import', 'examples/roster.csv')).code).toBe(0);
  deps = { tally: tallyOn(db, NOW), log: pino({ level: 'silent' }) };
  // from December 1st: a new rule, personal chat retired, buck passing ¥80 instead of ¥50
  await setPolicy(
    deps.tally,
    {
      penalties: {
        rules: {
          late_login: { label: { zh: '迟到', en: 'Late login' }, amountFen: 1000, points: 1 },
          personal_chat: { retired: true },
          buck_passing: { amountFen: 8000 },
        },
      },
    },
    { from: '2026-12-01', by: 'cli', backdate: true },
  );
});
afterAll(() => db.close());

describe('the rule picker for a penalty dated on another day', () => {
  it('offers the rules of November 30th for a penalty dated then: the retired rule, not the new one', async () => {
    const asked = await typed(`/penalty @${AGENT} 上班玩手机 2026-11-30`);
    const codes = offered(asked);
    expect(codes).toContain('personal_chat');
    expect(codes).not.toContain('late_login');
    expect(asked).toMatch(/（buck_passing） ¥50\.00\n/);
    // picked by its number, it is recorded under that rule on that day
    const out = await typed(`/penalty @${AGENT} 上班玩手机 2026-11-30`, String(codes.indexOf('personal_chat') + 1));
    expect(out).toMatch(/已记录处罚 \*?#\d+/);
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(p).toMatchObject({ ruleCode: 'personal_chat', amountFen: 5000, reason: '上班玩手机' });
    expect(toDay(p.occurredOn)).toBe('2026-11-30');
  });

  it('offers the rule that started on the 1st for a penalty dated the 2nd (and today)', async () => {
    for (const dated of [' 2026-12-02', '']) {
      const asked = await typed(`/penalty @${AGENT} 上班玩手机${dated}`);
      const codes = offered(asked);
      expect(codes).toContain('late_login');
      expect(asked).toMatch(/（buck_passing） ¥80\.00\n/);
      expect(codes).not.toContain('personal_chat');
    }
    const codes = offered(await typed(`/penalty @${AGENT} 上班玩手机 2026-12-02`));
    await typed(`/penalty @${AGENT} 上班玩手机 2026-12-02`, String(codes.indexOf('late_login') + 1));
    const p = await db.prisma.penalty.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(p).toMatchObject({ ruleCode: 'late_login', amountFen: 1000 });
    expect(toDay(p.occurredOn)).toBe('2026-12-02');
  });

  it('refuses a penalty dated in the future before opening the picker', async () => {
    const out = await typed(`/penalty @${AGENT} 上班玩手机 2026-12-03`);
    expect(offered(out)).toEqual([]);
    expect(out).toMatch(/2026-12-03/);
    expect(await db.prisma.penaltyDraft.count({ where: { on: new Date('2026-12-03T00:00:00Z') } })).toBe(0);
  });
});
