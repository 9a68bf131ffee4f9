// Issue 10's ¥2,800: a member deactivated on 2026-09-10 and back on 2026-11-02 is not on the October
// payroll the monthly job closes after they came back, and gets no October payslip.
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
import { setActive } from '../../src/service/roster.js';
import { freshDatabase } from '../support/db.js';
import { FakeSlack, textOf } from '../support/slack.js';

const CHANNEL = 'C0TEAM01';
const log = pino({ level: 'silent' });
const fake = new FakeSlack();
let db: Database;
const at = (iso: string): Tally => ({ db: db.prisma, clock: fixedClock(iso) });

beforeAll(async () => {
  db = await freshDatabase();
  await fake.start();
  for (const [slackId, level, role] of [
    ['UA', 'regular', 'agent'],
    ['UD', 'regular', 'agent'],
    ['UL', 'lead', 'lead'],
  ] as const)
    await db.prisma.member.create({
      data: { slackId, name: `Name ${slackId}`, track: 'presales', level, role, hiredOn: fromDay('2025-01-01') },
    });
  const ids = Object.fromEntries((await db.prisma.member.findMany()).map((m) => [m.slackId, m.id]));
  const rows = [];
  for (let d: Day = '2026-09-01'; d <= '2026-10-31'; d = addDays(d, 1))
    rows.push({
      memberId: ids.UA!,
      day: fromDay(d),
      inquiries: 100,
      paidCustomers: 30,
      receptions: 100,
      serviceScore: 90,
    });
  await db.prisma.dailyMetric.createMany({ data: rows });
  await setPolicy(
    at('2026-09-01T09:00:00+08:00'),
    { schedule: { channel: CHANNEL } },
    { from: '2026-09-01', by: 'cli' },
  );
  await setActive(at('2026-09-10T18:00:00+08:00'), 'UD', false, 'UL');
  await setActive(at('2026-11-02T09:00:00+08:00'), 'UD', true, 'UL');
});
afterAll(async () => {
  await fake.stop();
  await db.close();
});

describe('the monthly close after a reactivation', () => {
  it('sends no payslip for a month the member was away all through, and leaves them off the payroll file', async () => {
    const t = at('2026-11-03T09:00:00+08:00');
    expect(await runJob(t, 'monthly', '2026-10', { owner: 'A' })).toMatchObject({ period: '2026-10', status: 'done' });
    const before = fake.calls.length;
    await drainOutbox(t, jobsClient('xoxb-test', `${fake.url}/api/`), { log, paceMs: 0 });
    const dms = fake.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' && c.body.channel !== CHANNEL)
      .map((c) => c.body.channel);
    expect(dms.sort()).toEqual(['UA', 'UL']);
    const lead = fake.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'UL');
    expect(textOf(lead!.body.blocks)).toMatch(/2026-10 工资表[\s\S]*共 2 人/);
    const frozen = await db.prisma.scoreSnapshot.findMany({ where: { period: '2026-10' }, include: { member: true } });
    expect(frozen.map((s) => s.member.slackId).sort()).toEqual(['UA', 'UL']);
  });
});
