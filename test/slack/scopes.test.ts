// The Slack app's bot scopes: manifest.yml grants exactly what Tally calls, and an install that lacks
// one tells the admins which scope to add instead of retrying in silence. The fake Slack answers
// missing_scope as Slack does, from the scopes it is installed with.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { addDays, type Day } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { jobsClient } from '../../src/jobs/client.js';
import { drainOutbox } from '../../src/jobs/outbox.js';
import { runJob } from '../../src/jobs/run.js';
import type { Tally } from '../../src/service/context.js';
import { setPolicy } from '../../src/service/policy.js';
import { freshDatabase } from '../support/db.js';
import { FakeSlack, manifestScopes, METHOD_SCOPES, SlackHarness } from '../support/slack.js';

const CHANNEL = 'C0TEAM01';
const log = pino({ level: 'silent' });
let db: Database;
const t = (): Tally => ({ db: db.prisma, clock: fixedClock('2026-11-01T09:00:00+08:00') });
const fakes: FakeSlack[] = [];

async function fakeSlack(scopes?: string[]): Promise<FakeSlack> {
  const fake = await new FakeSlack({ scopes }).start();
  fakes.push(fake);
  return fake;
}

/** Closes a month and sends everything it enqueued (and any alert that came of it). */
async function closeAndSend(month: string, fake: FakeSlack): Promise<void> {
  expect((await runJob(t(), 'monthly', month, { owner: 'test' })).status).toBe('done');
  const client = jobsClient('xoxb-test', `${fake.url}/api/`);
  await drainOutbox(t(), client, { log, paceMs: 0 });
  await drainOutbox(t(), client, { log, paceMs: 0 });
}

beforeAll(async () => {
  db = await freshDatabase();
  const people = [
    ['UA', 'agent'],
    ['UB', 'agent'],
    ['UL', 'lead'],
    ['UAD', 'admin'],
  ] as const;
  for (const [slackId, role] of people) {
    await db.prisma.member.create({
      data: {
        slackId,
        name: `Name ${slackId}`,
        track: 'presales',
        level: role === 'agent' ? 'regular' : 'lead',
        role,
        hiredOn: fromDay('2025-01-01'),
      },
    });
  }
  const ids = Object.fromEntries((await db.prisma.member.findMany()).map((m) => [m.slackId, m.id]));
  const rows = [];
  for (let d: Day = '2026-09-01'; d <= '2026-10-31'; d = addDays(d, 1)) {
    for (const [who, paid] of [
      ['UA', 40],
      ['UB', 30],
    ] as const) {
      rows.push({
        memberId: ids[who]!,
        day: fromDay(d),
        inquiries: 100,
        paidCustomers: paid,
        receptions: 100,
        gmvFen: BigInt(paid * 10_000),
        refundCustomers: 1,
        serviceScore: 90,
      });
    }
  }
  await db.prisma.dailyMetric.createMany({ data: rows });
  await setPolicy(t(), { schedule: { channel: CHANNEL } }, { from: '2026-09-01', by: 'cli', backdate: true });
});
afterAll(async () => {
  for (const f of fakes) await f.stop();
  await db.close();
});

describe('bot scopes', () => {
  it('manifest.yml grants exactly the scopes of the Web API methods Tally calls, and the commands', async () => {
    const fake = await fakeSlack();
    await closeAndSend('2026-09', fake);
    const methods = new Set(fake.calls.map((c) => c.method).filter((m) => m !== 'upload'));
    expect([...methods].filter((m) => m.includes(':'))).toEqual([]);
    // the month close makes every kind of call the bot makes on its own: posts, DMs, a DM opened for a file, uploads
    expect([...methods].sort()).toEqual([
      'chat.postMessage',
      'conversations.open',
      'files.completeUploadExternal',
      'files.getUploadURLExternal',
    ]);
    const needed = new Set([...methods].map((m) => METHOD_SCOPES[m]).filter((s): s is string => !!s));
    // and what importing a file dropped into the DM needs, which test/slack/upload.test.ts shows failing
    // without each: the message.im event (im:history) and the file's download (files:read)
    expect(['commands', ...needed, 'im:history', 'files:read'].sort()).toEqual([...manifestScopes()].sort());
    expect(manifestScopes()).not.toContain('users:read');
  });

  it('without files:write, the chart and payroll uploads fail at once with missing_scope, the rest is sent, and the admins are told the scope to add', async () => {
    const fake = await fakeSlack(manifestScopes().filter((s) => s !== 'files:write'));
    await closeAndSend('2026-10', fake);
    expect(fake.calls.filter((c) => c.method === 'files.getUploadURLExternal:missing_scope').length).toBeGreaterThan(0);
    expect(fake.calls.filter((c) => c.method === 'files.completeUploadExternal')).toEqual([]);
    const rows = await db.prisma.outbox.findMany({ where: { key: { startsWith: 'monthly:2026-10:' } } });
    const files = rows.filter((r) => r.kind === 'file');
    expect(files.map((r) => r.key).sort()).toEqual([
      'monthly:2026-10:chart:presales',
      'monthly:2026-10:csv:UAD',
      'monthly:2026-10:csv:UL',
    ]);
    // undeliverable at once: no retry can succeed until the app is reinstalled with the scope
    expect(
      files.every((r) => r.status === 'failed' && r.attempts === 1 && r.lastError === 'missing_scope: files:write'),
    ).toBe(true);
    expect(rows.filter((r) => r.kind === 'message').every((r) => r.status === 'sent')).toBe(true);
    const alert = fake.calls.find(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'UAD' && /无法送达/.test(c.body.text ?? ''),
    );
    expect(alert?.body.text).toMatch(
      /有 3 条消息无法送达[\s\S]*<@UL>: missing_scope files:write[\s\S]*缺少机器人权限 files:write[\s\S]*重新安装/,
    );
  });

  it('tells the admins when Slack refuses a reply for want of a scope, once a day', async () => {
    const slack = await new SlackHarness(t()).start();
    try {
      slack.fake.scopes = manifestScopes().filter((s) => s !== 'chat:write');
      for (const text of ['buck_passing', 'personal_chat']) await slack.command('UL', '/penalty', `<@UA|a> ${text}`);
      await slack.fake.waitFor((c) => c.method === 'chat.postMessage:missing_scope', 2);
      await expect.poll(() => db.prisma.outbox.count({ where: { key: { startsWith: 'alert:scope:' } } })).toBe(1);
      const alert = await db.prisma.outbox.findFirstOrThrow({ where: { key: { startsWith: 'alert:scope:' } } });
      expect(alert).toMatchObject({ channel: 'UAD', status: 'pending' });
      expect((alert.payload as { text: string }).text).toMatch(/缺少机器人权限 chat:write/);
    } finally {
      await slack.stop();
    }
  });
});
