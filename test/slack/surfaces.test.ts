// Big teams, the English locale, `tally say` and the local console (through its real stdin).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { setPolicy } from '../../src/service/policy.js';
import { blockProblems } from '../../src/slack/blocks.js';
import { leaderboardCommand } from '../../src/slack/commands/leaderboard.js';
import { myscoreCommand } from '../../src/slack/commands/myscore.js';
import { penaltyCommand } from '../../src/slack/commands/penalty/index.js';
import { homeView } from '../../src/slack/home.js';
import pino from 'pino';
import { cliOn, type SayJson } from '../support/cli.js';
import { freshDatabase, freshDatabaseUrl, tallyOn } from '../support/db.js';

let db: Database;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  db = await freshDatabase();
  // 500 pre-sales agents with one day of October metrics each, one lead
  const lead = await db.prisma.member.create({
    data: {
      slackId: 'ULEAD',
      name: 'Lena Lead',
      track: 'presales',
      level: 'lead',
      role: 'lead',
      hiredOn: fromDay('2024-01-01'),
    },
  });
  await db.prisma.member.createMany({
    data: Array.from({ length: 500 }, (_, i) => ({
      slackId: `U${String(i).padStart(6, '0')}`,
      name: `Agent with a fairly long name number ${i}`,
      track: 'presales' as const,
      level: 'regular' as const,
      role: 'agent' as const,
      hiredOn: fromDay('2024-01-01'),
    })),
  });
  const ids = await db.prisma.member.findMany({ where: { role: 'agent' }, select: { id: true } });
  await db.prisma.dailyMetric.createMany({
    data: ids.map((m, i) => ({
      memberId: m.id,
      day: fromDay('2026-10-15'),
      inquiries: 100,
      paidCustomers: 10 + (i % 40),
      receptions: 100 + i,
      gmvFen: 1_000_000n,
      refundCustomers: 1,
      serviceScore: 80 + (i % 20),
    })),
  });
  expect(lead.id).toBeGreaterThan(0);
});
afterAll(() => db.close());

describe('a team of 500', () => {
  it("fits the whole leaderboard, or the top with a note, within Slack's limits", async () => {
    const e = await leaderboardCommand({ tally: tallyOn(db), log }, { userId: 'ULEAD', text: '2026-10 presales' });
    const blocks = e.reply!.blocks;
    expect(blockProblems(blocks)).toEqual([]);
    const lines = blocks.flatMap((b) => (b.type === 'section' && b.text ? b.text.text.split('\n') : []));
    const note = blocks.find((b) => b.type === 'context');
    // either everyone is listed, or the note says how many are
    if (note) expect(JSON.stringify(note)).toMatch(new RegExp(`/ 500|of 500`));
    else expect(lines).toHaveLength(500);
    expect(lines[0]).toMatch(/^🥇/);
  });

  it("fits the lead's App Home within the home tab's 100 blocks", async () => {
    const view = await homeView({ tally: tallyOn(db), log }, 'ULEAD');
    expect(blockProblems(view.blocks as KnownBlock[], 'home')).toEqual([]);
    expect(view.blocks.length).toBeGreaterThan(5);
  });

  it("speaks English when the team's policy says so", async () => {
    const t = tallyOn(db);
    await setPolicy(t, { locale: 'en' }, { from: '2026-11-01', by: 'cli', backdate: true });
    const e = await myscoreCommand({ tally: t, log }, { userId: 'U000007', text: '2026-10' });
    expect(e.reply!.text).toBe('Score of <@U000007>, 2026-10');
    const refused = await penaltyCommand({ tally: t, log }, { userId: 'U000007', text: '<@U000008|x> buck_passing' });
    expect(refused.reply!.text).toBe(':no_entry_sign: Only a lead, supervisor or admin may record penalties.');
  });
});

describe('tally say', () => {
  it('runs one slash command through the Slack handlers and prints the reply and DMs', async () => {
    const tally = cliOn(db);
    const r = await tally('say', '--as', 'ULEAD', '/penalty @U000003 buck_passing left a customer waiting');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^Penalty #\d+ recorded for @Agent with a fairly long name number 3: Buck passing \(buck_passing\), ¥50\.00/,
    );
    expect(r.out).toMatch(
      /\[DM to @Agent with a fairly long name number 3\][\s\S]*left a customer waiting[\s\S]*\[Appeal: appeal_open \d+\]/,
    );
    const json = (await tally('say', '--as', 'U000003', '/myscore 2026-10', '--json')).json<SayJson>();
    expect(json.reply!.blocks.length).toBeGreaterThan(3);
  });
});

describe('local console', () => {
  it('seeds a demo team on first run and answers commands typed on stdin, as the chosen member', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: await freshDatabaseUrl(),
      TALLY_NOW: '2026-11-20T10:00:00+08:00',
      SLACK_BOT_TOKEN: '',
      SLACK_APP_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
    };
    const child = spawn('npx', ['tsx', 'src/main.ts'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.stdin.write('/leaderboard presales\n/as U00001008\n/myscore\n/penalty @U00001002 buck_passing\n/quit\n');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, out).toBe(0);
    expect(out).toMatch(/首次运行：已载入 15 人的演示团队和 \d+ 条每日数据（2026-09-01 至 2026-11-19）/);
    expect(out).toMatch(/你现在是 周主管（U0SUPER01）/);
    expect(out).toMatch(/== 2026-11 排行榜，售前 ==\n🥇 .+ · [\d.]+\n/);
    expect(out).toMatch(/你现在是 吴晨（U00001008），客服。/);
    expect(out).toMatch(/@吴晨 的绩效，2026-11/);
    expect(out).toMatch(/只有组长、主管或管理员可以记录处罚/);
  }, 60_000);
});
