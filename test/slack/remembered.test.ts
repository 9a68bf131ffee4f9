// /myscore reads the team's policy from memory and checks it in the same round trip as its answer:
// a policy changed since, by this replica or another, is seen by the very next request.
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { PolicyMoved, rememberedTeam, teamToday } from '../../src/service/context.js';
import { setPolicy } from '../../src/service/policy.js';
import { memberScore } from '../../src/service/scores.js';
import { myscoreCommand } from '../../src/slack/commands/myscore.js';
import { ACK_FIRST_MAX_MS, AckGate } from '../../src/slack/receiver.js';
import { databaseKind, freshDatabaseUrl, tallyOn } from '../support/db.js';

const log = pino({ level: 'silent' });
const AGENT = 'U00001008';
let a: Database;
let b: Database;

beforeAll(async () => {
  const url = await freshDatabaseUrl();
  a = await openDatabase(url);
  await runCli(['demo'], { out: () => {}, err: () => {}, env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } }, a);
  // PostgreSQL: a second replica with its own connections and memory; PGlite holds its directory alone
  b = databaseKind() === 'postgres' ? await openDatabase(url) : a;
});
afterAll(async () => {
  if (b !== a) await b.close();
  await a.close();
});

describe('the policy remembered by /myscore', () => {
  it('answers in the new language on the first request after another replica changes it', async () => {
    const mine = { tally: tallyOn(a), log };
    const first = await myscoreCommand(mine, { userId: AGENT, text: '2026-10' });
    expect(first.reply!.text).toMatch(/[\u4e00-\u9fff]/);
    // this replica now answers from the versions it remembers
    expect(await rememberedTeam(mine.tally)).not.toBeNull();
    await setPolicy(tallyOn(b), { locale: 'en' }, { from: '2026-11-01', by: 'cli', backdate: true });
    const second = await myscoreCommand(mine, { userId: AGENT, text: '2026-10' });
    expect(second.reply!.text).toBe(`Score of <@${AGENT}>, 2026-10`);
    // and its blocks are English through and through (the trend and level part too)
    expect(JSON.stringify(second.reply!.blocks)).not.toMatch(/[\u4e00-\u9fff]{2}/);
  });

  it('gives a refusal that comes before the checking read in the words of the policy in force now', async () => {
    const mine = { tally: tallyOn(a), log };
    await setPolicy(tallyOn(b), { locale: 'zh-CN' }, { from: '2026-11-02', by: 'cli', backdate: true });
    await myscoreCommand(mine, { userId: AGENT, text: '2026-10' }); // this replica remembers zh-CN
    expect((await rememberedTeam(mine.tally))!.policy.locale).toBe('zh-CN');
    await setPolicy(tallyOn(b), { locale: 'en' }, { from: '2026-11-03', by: 'cli', backdate: true });
    // a bad month is refused before any read checks the policy: still in today's English
    const refused = await myscoreCommand(mine, { userId: AGENT, text: '2026-13' });
    expect(refused.reply!.text).toContain('2026-13');
    expect(refused.reply!.text).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a read whose remembered versions are no longer the ones in force', async () => {
    const t = tallyOn(a);
    await teamToday(t);
    const known = (await rememberedTeam(t))!;
    await expect(
      memberScore(t, AGENT, { kind: 'month', month: '2026-10' }, { heads: `${known.heads},0:0` }),
    ).rejects.toBeInstanceOf(PolicyMoved);
    const r = await memberScore(
      t,
      AGENT,
      { kind: 'month', month: '2026-10' },
      {
        heads: known.heads,
        months: ['2026-08', '2026-09'],
      },
    );
    expect([...r.stamps.keys()].sort()).toEqual(['2026-08', '2026-09']);
  });
});

describe('acks before work', () => {
  it('lets work wait until every request taken in has been answered', async () => {
    const gate = new AckGate();
    const [one, two] = [new EventEmitter(), new EventEmitter()];
    gate.taken(one);
    gate.taken(two);
    let released = false;
    void gate.acksSent().then(() => (released = true));
    one.emit('finish');
    one.emit('close'); // one request answered and then closed counts once
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(false);
    two.emit('close'); // a client that hung up counts as answered
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(true);
    // nothing unanswered: no wait at all
    let again = false;
    void gate.acksSent().then(() => (again = true));
    await Promise.resolve();
    expect(again).toBe(true);
  });

  it('waits only for the requests taken in before it, so steady traffic does not hold every command up', async () => {
    const gate = new AckGate();
    const before = new EventEmitter();
    gate.taken(before);
    let released = false;
    void gate.acksSent().then(() => (released = true));
    const after = new EventEmitter();
    gate.taken(after); // came in while the first handler waits: not its business
    before.emit('finish');
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(true);
    expect(gate.waiters).toBe(0);
  });

  it('does not let a request that is never answered hold the work up for long', async () => {
    vi.useFakeTimers();
    try {
      const gate = new AckGate();
      gate.taken(new EventEmitter());
      let released = false;
      void gate.acksSent().then(() => (released = true));
      await vi.advanceTimersByTimeAsync(ACK_FIRST_MAX_MS - 1);
      expect(released).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(released).toBe(true);
      // and the handler that gave up waiting is not kept
      expect(gate.waiters).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
