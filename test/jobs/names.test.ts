// Names an older database may hold (written before names were checked on the way in): a line feed,
// a vertical tab, a right-to-left override, U+FFFE. The month's run still closes, draws its chart,
// queues every payslip and the payroll workbook, and the channel post carries no bidi mark.
import ExcelJS from 'exceljs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { addDays, type Day } from '../../src/core/dates.js';
import { fromDay } from '../../src/db/dates.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { jobsClient } from '../../src/jobs/client.js';
import { drainOutbox } from '../../src/jobs/outbox.js';
import { runJob } from '../../src/jobs/run.js';
import { setPolicy } from '../../src/service/policy.js';
import type { Tally } from '../../src/service/context.js';
import { freshDatabaseUrl } from '../support/db.js';
import { FakeSlack, textOf } from '../support/slack.js';

const CHANNEL = 'C0TEAM01';
const log = pino({ level: 'silent' });
let db: Database;
const fake = new FakeSlack();
const t = (now: string): Tally => ({ db: db.prisma, clock: fixedClock(now) });

const NAMES: Record<string, string> = {
  UA: 'Line\nFeed',
  UB: 'Vertical\x0bTab',
  UC: '\u202Eevil\u202C Name',
  UD: 'Non\uFFFEcharacter',
};

beforeAll(async () => {
  db = await openDatabase(await freshDatabaseUrl());
  await fake.start();
  // straight into the table, as an old database holds them: no import checks these
  for (const [slackId, name] of Object.entries(NAMES))
    await db.prisma.member.create({
      data: { slackId, name, track: 'presales', level: 'regular', role: 'agent', hiredOn: fromDay('2025-01-01') },
    });
  await db.prisma.member.create({
    data: {
      slackId: 'UL',
      name: 'Lead\u202E',
      track: 'presales',
      level: 'lead',
      role: 'lead',
      hiredOn: fromDay('2025-01-01'),
    },
  });
  const ids = Object.fromEntries((await db.prisma.member.findMany()).map((m) => [m.slackId, m.id]));
  const rows = [];
  for (let d: Day = '2026-10-01'; d <= '2026-10-31'; d = addDays(d, 1))
    for (const [who, paid] of Object.entries({ UA: 40, UB: 30, UC: 35, UD: 20 }))
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
  await db.prisma.dailyMetric.createMany({ data: rows });
  await setPolicy(
    t('2026-10-01T10:00:00+08:00'),
    { schedule: { channel: CHANNEL } },
    { from: '2026-10-01', by: 'cli' },
  );
});
afterAll(async () => {
  await fake.stop();
  await db.close();
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe('the monthly run with names an old database holds', () => {
  it('closes the month, draws the chart, queues every payslip and a workbook that opens', async () => {
    const r = await runJob(t('2026-11-01T09:00:00+08:00'), 'monthly', '2026-10', { owner: 'A' });
    expect(r).toMatchObject({ period: '2026-10', status: 'done' });
    const items = await db.prisma.outbox.findMany({ where: { key: { startsWith: 'monthly:2026-10:' } } });
    const keys = items.map((i) => i.key);
    for (const id of Object.keys(NAMES)) expect(keys).toContain(`monthly:2026-10:payslip:${id}`);
    const payload = (key: string) =>
      items.find((i) => i.key === key)!.payload as { base64: string; filename: string; text?: string };

    const chart = Buffer.from(payload('monthly:2026-10:chart:presales').base64, 'base64');
    expect(chart.subarray(0, 8)).toEqual(PNG);
    // IHDR: the chart's width and height, big-endian
    // a bar per agent, the axis, and one line of legend (everyone eligible: winners and the others)
    expect([chart.readUInt32BE(16), chart.readUInt32BE(20)]).toEqual([900, 60 + 28 * 4 + 40 + 22 + 16]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(payload('monthly:2026-10:csv:UL').base64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('售前')!;
    const names: string[] = [];
    // under the title and header rows, down to the totals row (which has no Slack ID)
    for (let n = 3; sheet.getRow(n).getCell(1).value; n++) names.push(String(sheet.getRow(n).getCell(2).value));
    expect(names.sort()).toEqual(['Lead', 'Line\nFeed', 'Noncharacter', 'VerticalTab', 'evil Name'].sort());
  });

  it('posts a ranking with every name on its line and no bidi mark', async () => {
    await drainOutbox(t('2026-11-01T09:05:00+08:00'), jobsClient('xoxb-test', `${fake.url}/api/`), { log, paceMs: 0 });
    const post = fake.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL)!;
    const text = textOf(post.body.blocks);
    expect(text).not.toMatch(BIDI);
    expect(text).not.toMatch(/[\v\uFFFE]/);
    expect(text).toMatch(/1\. Line Feed · \*/);
    expect(text).toMatch(/2\. evil Name · \*/);
    expect(text).toMatch(/3\. VerticalTab · \*/);
    for (const c of fake.calls.filter((x) => x.method === 'chat.postMessage'))
      expect(JSON.stringify(c.body)).not.toMatch(/\\u202[a-e]|\u202E/i);
  });
});
