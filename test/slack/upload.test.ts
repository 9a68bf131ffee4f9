// Importing from Slack, end to end: a lead drops a file into the DM with Tally (a signed message.im
// event), Tally downloads it from the fake Slack with the bot token, previews it, and writes it only
// when the lead presses Import, once. Cancel discards it. Only staff may import.
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { UPLOAD_THREAD } from '../../src/service/uploads.js';
import { fromDay } from '../../src/db/dates.js';
import { threadsReading } from '../../src/import/table-thread.js';
import type { Database } from '../../src/db/open.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { buttonsOf, FakeSlack, manifestScopes, SlackHarness, textOf, type Call } from '../support/slack.js';
import { manyStrings, xlsxBomb } from '../support/zip.js';

const LEAD = 'U0LEAD001';
const AGENT = 'U00001008';
const OTHER = 'U00001002';
const NOW = '2026-11-05T10:00:00+08:00';

let db: Database;
let slack: SlackHarness;
const harnesses: SlackHarness[] = [];

async function harness(fake?: FakeSlack): Promise<SlackHarness> {
  const h = new SlackHarness(tallyOn(db, NOW));
  if (fake) h.fake = fake;
  harnesses.push(await h.start());
  return h;
}

beforeAll(async () => {
  db = await freshDatabase();
  await runCli(['demo'], { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: NOW } }, db);
  slack = await harness();
});
afterAll(async () => {
  for (const h of harnesses) await h.stop();
  await db.close();
});
afterEach(() => {
  for (const h of harnesses) expect(h.fake.problems).toEqual([]);
  // every file read was read in a thread, and every thread is gone once its file is answered
  expect(threadsReading()).toBe(0);
});

let ts = 0;
/** A file dropped into the DM with Tally; resolves with the message Tally answered there. */
async function drop(user: string, name: string, content: string | Uint8Array, h = slack): Promise<Call> {
  const at = h.fake.calls.length;
  const file = h.fake.shareFile(name, content);
  const sent = await h.event({
    type: 'message',
    subtype: 'file_share',
    channel_type: 'im',
    channel: `D${user}`,
    user,
    text: '',
    ts: `${1_700_000_000 + ++ts}.000100`,
    files: [file],
  });
  expect(sent.delivered).toBe(true);
  const [reply] = await h.fake.waitFor(
    (c) => c.method === 'chat.postMessage' && c.body.channel === user && h.fake.calls.indexOf(c) >= at,
  );
  return reply!;
}

/** A button of the preview pressed, from the DM message it sits in. */
function press(user: string, preview: Call, actionId: string, h = slack) {
  const b = buttonsOf(preview.body.blocks).find((x) => x.action_id === actionId)!;
  return h.interact({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: user },
    api_app_id: 'A1',
    trigger_id: `t-${Math.random()}`,
    container: { type: 'message', channel_id: `D${user}`, message_ts: '1700000000.000200', is_ephemeral: false },
    actions: [{ type: 'button', action_id: b.action_id, block_id: 'upload', value: b.value, action_ts: '1' }],
  });
}

const metricsRows = (days: string[], who: string[]) =>
  [
    'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec',
    ...days.flatMap((d) => who.map((u) => `${d},${u},40,12,50,1234.50,1,3,3,92.5,25`)),
  ].join('\n');

const metricsOf = (slackId: string, day: string) =>
  db.prisma.dailyMetric.findFirst({ where: { member: { slackId }, day: fromDay(day) } });

describe('a metrics file dropped into the DM', () => {
  it('is previewed, written only on Import, once; the preview then says what was written', async () => {
    // 11-03 already has the demo's data for both; 11-04 for both too: all replaced. A new day would be new.
    const before = await metricsOf(AGENT, '2026-11-03');
    const preview = await drop(LEAD, 'daily.csv', metricsRows(['2026-11-03', '2026-11-04'], [AGENT, OTHER]));
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('daily.csv：每日数据');
    expect(shown).toContain('4 行，2 人');
    expect(shown).toContain('2026-11-03 至 2026-11-04：新增 0 人日，覆盖之前导入的 4 人日');
    expect(buttonsOf(preview.body.blocks).map((b) => b.text.text)).toEqual(['导入', '取消']);
    // downloaded with the bot token
    expect(slack.fake.calls.filter((c) => c.method === 'files.download')).toHaveLength(1);
    // nothing written yet
    expect(await metricsOf(AGENT, '2026-11-03')).toEqual(before);

    let at = slack.fake.calls.length;
    await press(LEAD, preview, 'upload_import');
    const [updated] = await slack.fake.waitFor((c) => c.method === 'chat.update' && slack.fake.calls.indexOf(c) >= at);
    expect(updated!.body).toMatchObject({ channel: `D${LEAD}`, ts: '1700000000.000200' });
    expect(textOf(updated!.body.blocks)).toContain(`<@${LEAD}> 已导入。`);
    expect(textOf(updated!.body.blocks)).toContain('4 行，2 人，2026-11-03 至 2026-11-04。');
    expect(buttonsOf(updated!.body.blocks)).toEqual([]);
    const after = await metricsOf(AGENT, '2026-11-03');
    expect(after).toMatchObject({ inquiries: 40, paidCustomers: 12, gmvFen: 123450n, serviceScore: 92.5 });
    const batches = await db.prisma.importBatch.count({ where: { fileName: 'daily.csv' } });
    expect(batches).toBe(1);

    // a second press (a double click, or the old message): nothing more is written or said
    at = slack.fake.calls.length;
    const audits = await db.prisma.auditLog.count();
    await press(LEAD, preview, 'upload_import');
    await press(LEAD, preview, 'upload_cancel');
    await slack.fake.waitFor(() => true); // let the handlers run
    await new Promise((r) => setTimeout(r, 300));
    expect(await db.prisma.importBatch.count({ where: { fileName: 'daily.csv' } })).toBe(1);
    expect(await db.prisma.auditLog.count()).toBe(audits);
    expect(slack.fake.calls.slice(at).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('lists the first problems by row and column as the file wrote them, and offers no Import', async () => {
    const rows = [
      '日期,客服ID,询单人数,成交人数,接待人数,销售额,退款人数,处理数,解决数,服务得分,平均响应时间',
      '2026-11-04,U00001008,40,12,50,100,1,3,3,90,20',
      '2026-11-04,U404,40,12,50,100,1,3,3,90,20', // not on the roster
      '2026-11-31,U00001002,40,12,50,100,1,3,3,90,20', // no such day
      '2026-11-04,U00001003,ten,12,50,100,1,3,3,90,20', // not a count
      '2026-11-04,U00001004,10,12,50,100,1,3,3,90,20', // paid over inquiries
    ].join('\n');
    const preview = await drop(LEAD, 'bad.csv', rows);
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('有 4 个问题');
    expect(shown).toMatch(/bad\.csv 第 4 行，列 日期/);
    expect(shown).toMatch(/bad\.csv 第 5 行，列 询单人数/);
    expect(shown).toMatch(/bad\.csv 第 6 行，列 成交人数/);
    expect(shown).toMatch(/bad\.csv 第 3 行，列 客服ID/);
    expect(buttonsOf(preview.body.blocks)).toEqual([]);
    expect(await db.prisma.pendingUpload.count({ where: { fileName: 'bad.csv' } })).toBe(0);
  });

  it('shows at most 10 problems and says there are more', async () => {
    const rows = ['date,slack_id,inquiries', ...Array.from({ length: 25 }, (_, i) => `2026-11-04,U404${i},1`)];
    const shown = textOf((await drop(LEAD, 'many.csv', rows.join('\n'))).body.blocks);
    expect(shown.match(/• /g)).toHaveLength(10);
    expect(shown).toContain('只显示前 10 个');
  });
});

describe('an Excel workbook dropped into the DM', () => {
  it('is read from its first sheet with Chinese headers and real dates, and imported on Import', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('十一月');
    sheet.addRow([
      '日期',
      '客服ID',
      '询单人数',
      '成交人数',
      '接待人数',
      '销售额',
      '退款人数',
      '处理数',
      '解决数',
      '服务得分',
      '平均响应时间',
    ]);
    sheet.addRow([new Date(Date.UTC(2026, 10, 4)), OTHER, 77, 20, 80, 5000.25, 2, 4, 4, 95, 18]);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const preview = await drop(LEAD, '业绩.xlsx', bytes);
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('业绩.xlsx：每日数据');
    expect(shown).toContain('1 行，1 人');
    const at = slack.fake.calls.length;
    await press(LEAD, preview, 'upload_import');
    await slack.fake.waitFor((c) => c.method === 'chat.update' && slack.fake.calls.indexOf(c) >= at);
    expect(await metricsOf(OTHER, '2026-11-04')).toMatchObject({ inquiries: 77, gmvFen: 500025n, serviceScore: 95 });
  });
});

/** The process's memory while `work` runs, sampled: its peak RSS (every thread) and this thread's peak heap, over before. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; rssMb: number; heapMb: number }> {
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 5);
  try {
    const result = await work();
    return { result, rssMb: (rss - before.rss) / 1024 / 1024, heapMb: (heap - before.heapUsed) / 1024 / 1024 };
  } finally {
    clearInterval(sample);
  }
}

describe('a zip bomb dropped into the DM', () => {
  it('is refused in one line before anything is unpacked, and the bot goes on answering', async () => {
    // under 1 MB in the DM; its shared strings unpack to 300 MB (the one reported: 7.8 MB to 3 GB)
    const bomb = await xlsxBomb(300);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { result: reply, rssMb, heapMb } = await peakMemory(() => drop(LEAD, 'bomb.xlsx', bomb));
    console.log(`zip bomb refused: peak RSS +${rssMb.toFixed(1)} MB, peak bot heap +${heapMb.toFixed(1)} MB`);
    expect(reply.body.text).toBe(
      ':no_entry_sign: bomb.xlsx：工作簿解压后超过 200 兆，超出单个文件的限度，没有读取。请另存为 CSV，或按月拆分后分别发送。',
    );
    expect(buttonsOf(reply.body.blocks ?? [])).toEqual([]);
    expect(await db.prisma.pendingUpload.count({ where: { fileName: 'bomb.xlsx' } })).toBe(0);
    // the file never reached the bot's heap (unpacked, it is 300 MB of strings)
    expect(heapMb).toBeLessThan(64);
    // the bot is alive and answers
    const score = await slack.command(AGENT, '/myscore', '2026-10');
    expect(textOf(score.reply.body.blocks)).toMatch(/绩效，2026-10/);
  });

  it('a file within the limits that its reader cannot hold kills only the thread reading it', async () => {
    // 600,000 short strings pass every limit; in a thread of 16 MB (the bot's is 256) they cannot be held
    const heavy = await manyStrings(600_000);
    const memoryMb = UPLOAD_THREAD.memoryMb;
    UPLOAD_THREAD.memoryMb = 16;
    try {
      const { result: reply, rssMb, heapMb } = await peakMemory(() => drop(LEAD, 'strings.xlsx', heavy));
      console.log(`thread out of memory: peak RSS +${rssMb.toFixed(1)} MB, peak bot heap +${heapMb.toFixed(1)} MB`);
      expect(reply.body.text).toBe(
        ':no_entry_sign: strings.xlsx：读取它用的内存超过 16 兆，超出单个文件的限度，没有写入任何数据。请另存为 CSV，或按月拆分后分别发送。',
      );
    } finally {
      UPLOAD_THREAD.memoryMb = memoryMb;
    }
    const score = await slack.command(AGENT, '/myscore', '2026-10');
    expect(textOf(score.reply.body.blocks)).toMatch(/绩效，2026-10/);
  });
});

describe('a roster file dropped into the DM', () => {
  it('is taken for a roster, counts who is new, and Cancel discards it', async () => {
    const roster = [
      'slack_id,name,track,level,hired_on',
      'U0NEW0001,新人甲,presales,trainee,2026-11-01',
      `${AGENT},吴晨,presales,regular,2024-03-23`,
    ].join('\n');
    const preview = await drop(LEAD, 'roster.csv', roster);
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('roster.csv：花名册');
    expect(shown).toContain('1 人新加入花名册，1 人已在花名册上');
    const at = slack.fake.calls.length;
    await press(LEAD, preview, 'upload_cancel');
    const [updated] = await slack.fake.waitFor((c) => c.method === 'chat.update' && slack.fake.calls.indexOf(c) >= at);
    expect(textOf(updated!.body.blocks)).toBe('roster.csv：已取消，没有导入任何数据。');
    // Import after Cancel: refused, nothing written
    const at2 = slack.fake.calls.length;
    await press(LEAD, preview, 'upload_import');
    const [refusal] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === LEAD && slack.fake.calls.indexOf(c) >= at2,
    );
    expect(refusal!.body.text).toBe(':no_entry_sign: 这个文件已不在等待导入：请重新发送。');
    expect(await db.prisma.member.count({ where: { slackId: 'U0NEW0001' } })).toBe(0);
  });

  it('refuses a name holding a control character by row and column, and shows no bidi mark from the file', async () => {
    const roster = [
      'slack_id,name,track,level,hired_on',
      'U0NEW0002,"新人\v乙",presales,trainee,2026-11-01',
      'U0NEW0003,"\u202E新人丙\u202C",presales,trainee,2026-11-01',
    ].join('\n');
    const preview = await drop(LEAD, 'roster\u202Evsc.csv', roster);
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('有 1 个问题');
    expect(shown).toContain(
      'rostervsc.csv 第 2 行，列 name：姓名含有控制字符（U+000B），例如换行：姓名只能是一行可打印的文字。',
    );
    expect(JSON.stringify(preview.body)).not.toMatch(/\\u202[a-e]|\u202E/i);
    expect(buttonsOf(preview.body.blocks)).toEqual([]);
  });

  it('a lead cannot import a preview another lead was sent', async () => {
    const preview = await drop(
      LEAD,
      'roster2.csv',
      'slack_id,name,track,level,hired_on\nU0NEW0002,新人乙,presales,trainee,2026-11-01',
    );
    const at = slack.fake.calls.length;
    await press('U0SUPER01', preview, 'upload_import');
    await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'U0SUPER01' && slack.fake.calls.indexOf(c) >= at,
    );
    expect(await db.prisma.member.count({ where: { slackId: 'U0NEW0002' } })).toBe(0);
  });

  it("a lead's file may not make anyone a lead or admin: the preview names the row, offers no Import, writes nothing", async () => {
    const preview = await drop(
      LEAD,
      'promote.csv',
      ['slack_id,name,track,level,hired_on,role', `${AGENT},吴晨,presales,lead,2024-03-23,lead`].join('\n'),
    );
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('有 1 个问题');
    expect(shown).toContain('promote.csv 第 2 行，列 role：只有主管或管理员可以把人设为组长。');
    expect(buttonsOf(preview.body.blocks)).toEqual([]);
    expect(await db.prisma.member.findUniqueOrThrow({ where: { slackId: AGENT } })).toMatchObject({
      role: 'agent',
      level: 'regular',
    });
  });

  it("lists every problem of a roster file at once, the file's own and those against the roster, by row", async () => {
    // twelve bad rows, more than a metrics preview shows: a roster's preview shows them all
    const rows = Array.from({ length: 10 }, (_, i) => `U0BAD00${i},新人${i},presales,expert,2026-11-01,agent`);
    const roster = [
      'slack_id,name,track,level,hired_on,role',
      ...rows,
      // a hire date other than the roster's, and a role a lead may not give
      `${AGENT},吴晨,presales,regular,2025-06-01,agent`,
      'U0NEW0009,新人己,售前,正式,2026-11-01,管理员',
    ].join('\n');
    const preview = await drop(LEAD, 'many.csv', roster);
    const shown = textOf(preview.body.blocks);
    expect(shown).toContain('有 12 个问题');
    expect(shown).not.toContain('只显示前');
    for (let line = 2; line <= 11; line++)
      expect(shown).toContain(
        `many.csv 第 ${line} 行，列 level："expert" 不是级别，请写 见习、正式、资深、组长、主管。`,
      );
    expect(shown).toContain('many.csv 第 12 行，列 hired_on：<@U00001008> 的入职日期是 2024-03-23，不是 2025-06-01');
    expect(shown).toMatch(/many\.csv 第 13 行，列 role：.*管理员/);
    expect(buttonsOf(preview.body.blocks)).toEqual([]);
    expect(await db.prisma.member.count({ where: { slackId: { startsWith: 'U0BAD' } } })).toBe(0);
  });
});

describe('refusals', () => {
  it('an agent is told only staff import, and the file is not even downloaded', async () => {
    const downloads = slack.fake.calls.filter((c) => c.method.startsWith('files.download')).length;
    const reply = await drop(AGENT, 'daily.csv', metricsRows(['2026-11-04'], [AGENT]));
    expect(reply.body.text).toBe(':no_entry_sign: 只有组长、主管或管理员可以导入文件。');
    expect(slack.fake.calls.filter((c) => c.method.startsWith('files.download'))).toHaveLength(downloads);
  });

  it('a file that is not a table, and one whose header is neither kind, get one line each', async () => {
    expect((await drop(LEAD, 'payroll.pdf', '%PDF-1.7')).body.text).toBe(
      ':no_entry_sign: payroll.pdf 不是能导入的文件：请把花名册或每日数据另存为逗号分隔的表格文件再发来。',
    );
    expect((await drop(LEAD, 'notes.csv', 'foo,bar\n1,2')).body.text).toMatch(/notes\.csv 既不是花名册也不是每日数据/);
    // a roster missing a column is told which
    expect((await drop(LEAD, 'r.csv', 'slack_id,name,track,level\nU1,a,presales,regular')).body.text).toMatch(
      /缺少列 hired_on/,
    );
  });

  it('a plain message in the DM gets a hint, not silence', async () => {
    const at = slack.fake.calls.length;
    await slack.event({ type: 'message', channel_type: 'im', channel: `D${LEAD}`, user: LEAD, text: 'hi', ts: '1.1' });
    const [hint] = await slack.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === LEAD && slack.fake.calls.indexOf(c) >= at,
    );
    expect(hint!.body.text).toContain('.csv');
  });

  it('without files:read Slack hands over its sign-in page: the lead is told, the admins are told the scope', async () => {
    await db.prisma.member.create({
      data: {
        slackId: 'U0ADMIN01',
        name: '管理员',
        track: 'presales',
        level: 'supervisor',
        role: 'admin',
        hiredOn: fromDay('2025-01-01'),
      },
    });
    const h = await harness(new FakeSlack({ scopes: manifestScopes().filter((s) => s !== 'files:read') }));
    const reply = await drop(LEAD, 'daily.csv', metricsRows(['2026-11-04'], [AGENT]), h);
    expect(reply.body.text).toBe(':no_entry_sign: 没能取到文件 daily.csv，请稍后重新发送。');
    expect(h.fake.calls.some((c) => c.method === 'files.download:signin')).toBe(true);
    // the admins' alert goes out through the outbox, naming the scope to add
    const alert = await db.prisma.outbox.findFirstOrThrow({
      where: { channel: 'U0ADMIN01', key: { contains: 'files:read' } },
    });
    expect(JSON.stringify(alert.payload)).toContain('files:read');
  });

  it('without im:history or the message.im subscription Slack never delivers the file at all', async () => {
    const h = await harness(new FakeSlack({ scopes: manifestScopes().filter((s) => s !== 'im:history') }));
    const file = h.fake.shareFile('daily.csv', 'x');
    const sent = await h.event({
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      user: LEAD,
      files: [file],
    });
    expect(sent.delivered).toBe(false);
    // what Slack does deliver still arrives
    const at = h.fake.calls.length;
    expect((await h.event({ type: 'app_home_opened', user: LEAD, tab: 'home', channel: `D${LEAD}` })).delivered).toBe(
      true,
    );
    await h.fake.waitFor((c) => c.method === 'views.publish' && h.fake.calls.indexOf(c) >= at);
  });
});
