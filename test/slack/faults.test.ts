// Faults of what Tally runs on, met by the bot: the person is told in a line what happened and that
// nothing was saved, the log has the fault and the request (no stack), and the same action works once
// the fault is gone. On PostgreSQL the connection is cut as a penalty is written; on PGlite the disk
// fills up while a dropped file is imported.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { openDatabase } from '../../src/db/open.js';
import { databaseKind, freshDatabaseUrl, tallyOn } from '../support/db.js';
import { PgProxy } from '../support/pg-proxy.js';
import { buttonsOf, SlackHarness, textOf, type Call } from '../support/slack.js';

const NOW = '2026-11-05T10:00:00+08:00';
const LEAD = 'U0LEAD001';
const AGENT = 'U00001008';
const quiet = { out: () => {}, err: (s: string) => console.error(s), env: { TALLY_NOW: NOW } };

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The log line of a request that met a fault: what and whose, the fault, and no error with a stack. */
function faultLogged(slack: SlackHarness, kind: string) {
  const line = slack.logs.find((l) => l.msg === 'slack handler met a fault: nothing was saved');
  expect(line).toMatchObject({ fault: { kind } });
  expect(line).not.toHaveProperty('err');
  expect(slack.logs.filter((l) => l.msg === 'slack handler failed')).toEqual([]);
  return line!;
}

describe.skipIf(databaseKind() !== 'postgres')('the PostgreSQL connection cut under the bot', () => {
  it('/penalty while the connection drops at the write: "nothing was saved", no penalty; sent again, it is recorded', async () => {
    const url = await freshDatabaseUrl();
    const seed = await openDatabase(url);
    await runCli(['demo'], quiet, seed);
    await seed.close();
    const proxy = await new PgProxy(url).start();
    cleanup.push(() => proxy.stop());
    const db = await openDatabase(proxy.url);
    cleanup.push(() => db.close());
    const slack = await new SlackHarness(tallyOn(db, NOW)).start();
    cleanup.push(() => slack.stop());
    const penalties = () => db.prisma.penalty.count();
    const before = await penalties();

    proxy.cutOn('INSERT INTO "public"."penalty"', 'drop');
    const cut = await slack.command(LEAD, '/penalty', `<@${AGENT}|吴晨> buck_passing`);
    expect(proxy.cuts).toBe(1);
    expect(textOf(cut.reply.body.blocks)).toBe(
      '抱歉，系统与数据库的连接中断了。本次操作没有保存任何内容，请稍后再试。',
    );
    expect(faultLogged(slack, 'connection')).toMatchObject({ command: '/penalty', user: LEAD });
    expect(await penalties()).toBe(before);

    const again = await slack.command(LEAD, '/penalty', `<@${AGENT}|吴晨> buck_passing`);
    expect(textOf(again.reply.body.blocks)).toMatch(/已记录处罚/);
    expect(await penalties()).toBe(before + 1);
  });
});

// a small tmpfs under the data: root and mount, as CI runs
function mounted(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'tally-bot-disk-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=120m', 'tmpfs', dir]).status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return null;
}

describe.skipIf(databaseKind() !== 'pglite')('a full disk under the bot', () => {
  it('Import of a dropped file on a full disk: the lead is told the disk is full and nothing was saved; after space is freed, Import works', async (ctx) => {
    const disk = mounted();
    // without root and mount there is no disk to fill: the CLI's test (test/cli/faults.test.ts) says the same
    if (!disk) return ctx.skip();
    cleanup.push(() => {
      spawnSync('umount', [disk]);
      rmSync(disk, { recursive: true, force: true });
    });
    const dir = join(disk, 'data');
    cpSync((await freshDatabaseUrl()).slice('pglite:'.length), dir, { recursive: true });
    const db = await openDatabase(`pglite:${dir}`);
    cleanup.push(() => db.close());
    await runCli(['demo'], quiet, db);
    const slack = await new SlackHarness(tallyOn(db, NOW)).start();
    cleanup.push(() => slack.stop());

    // 100 more agents, and a file of 100 days of theirs: some 2 MB in the database
    const roster = join(disk, 'roster.csv');
    const members = Array.from({ length: 100 }, (_, i) => `U${30_000_000 + i}`);
    writeFileSync(
      roster,
      `slack_id,name,track,level,hired_on\n${members.map((u, i) => `${u},agent ${i},presales,regular,2024-01-01\n`).join('')}`,
    );
    expect(await runCli(['roster', 'import', roster], quiet, db)).toBe(0);
    const days = Array.from({ length: 100 }, (_, d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000)).map((d) =>
      d.toISOString().slice(0, 10),
    );
    const csv = [
      'date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec',
      ...days.flatMap((d) => members.map((u) => `${d},${u},40,12,50,1234.50,1,3,3,92.5,25`)),
    ].join('\n');
    const file = slack.fake.shareFile('history.csv', csv);
    await slack.event({
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel: `D${LEAD}`,
      user: LEAD,
      text: '',
      ts: '1700000001.000100',
      files: [file],
    });
    const [preview] = await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === LEAD);
    expect(textOf(preview!.body.blocks)).toContain('history.csv');
    const press = () => {
      const b = buttonsOf(preview!.body.blocks).find((x) => x.action_id === 'upload_import')!;
      return slack.interact({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: LEAD },
        api_app_id: 'A1',
        trigger_id: `t-${Math.random()}`,
        container: { type: 'message', channel_id: `D${LEAD}`, message_ts: '1700000000.000200', is_ephemeral: false },
        actions: [{ type: 'button', action_id: b.action_id, block_id: 'upload', value: b.value, action_ts: '1' }],
      });
    };
    const answered = async (after: number): Promise<Call> =>
      (await slack.fake.waitFor((c) => c.method.startsWith('chat.') && slack.fake.calls.indexOf(c) >= after))[0]!;
    const rows = () => db.prisma.dailyMetric.count({ where: { day: { lt: new Date('2025-09-01') } } });

    // everything but 1 MB taken by another program's files
    const { bavail, bsize } = statfsSync(disk);
    const ballast = join(disk, 'ballast');
    writeFileSync(ballast, Buffer.alloc(bavail * bsize - 1_048_576));
    let at = slack.fake.calls.length;
    await press();
    const told = await answered(at);
    expect(textOf(told.body.blocks)).toBe(
      '抱歉，数据库所在的磁盘已满。本次操作没有保存任何内容；已记录日志，请在管理员腾出空间后再试。',
    );
    expect(faultLogged(slack, 'disk_full')).toMatchObject({ action: 'upload_import', user: LEAD });
    expect(await rows()).toBe(0);

    rmSync(ballast);
    at = slack.fake.calls.length;
    await press();
    const imported = await answered(at);
    expect(textOf(imported.body.blocks)).toContain(`<@${LEAD}> 已导入。`);
    expect(await rows()).toBe(days.length * members.length);
  });
});
