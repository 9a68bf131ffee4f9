// `npm start` as production runs it: the compiled bot (dist/, built by `npm install` or `npm run build`)
// when the build is there and no source file is newer, else the TypeScript through tsx. Each test runs
// bin/start.mjs in a copy of the checkout's layout (src/, prisma/ and node_modules/ linked) that has a
// build of its own: dist/ copied when it is fresh (a fresh clone: postinstall built it), else compiled
// there, so the checkout's own dist/ is never written while other tests run from it.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module without types (bin/ runs before anything is compiled)
import { fresh } from '../bin/latest.mjs';
import { freshDatabaseUrl } from './support/db.js';
import { FakeSlack, SECRET, sign, textOf } from './support/slack.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOW = '2026-11-20T10:00:00+08:00';
let copy: string;
let url: string;
const fake = new FakeSlack();

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'tally-start-'));
  for (const dir of ['src', 'prisma', 'node_modules']) symlinkSync(join(ROOT, dir), join(copy, dir));
  copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
  mkdirSync(join(copy, 'bin'));
  for (const f of ['start.mjs', 'latest.mjs']) copyFileSync(join(ROOT, 'bin', f), join(copy, 'bin', f));
  if ((fresh as (entry: string) => boolean)('main'))
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  else
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(copy, 'dist'),
    ]);
  url = await freshDatabaseUrl();
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
  rmSync(copy, { recursive: true, force: true });
});

/** Runs `npm start`'s script (bin/start.mjs) of the copy, from an empty directory. */
function start(env: Record<string, string>, stdin: 'pipe' | 'ignore' = 'ignore') {
  const cwd = mkdtempSync(join(tmpdir(), 'tally-start-cwd-'));
  return spawn(process.execPath, [join(copy, 'bin/start.mjs')], {
    cwd,
    env: { ...process.env, DATABASE_URL: url, TALLY_NOW: NOW, TALLY_TSX: '', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** Starts the bot in HTTP mode; resolves with its "Tally is running" log line once it listens. */
async function startHttp() {
  const child = start({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: `${fake.url}/api/`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  });
  const closed = new Promise<number | null>((r) => child.on('close', r));
  let err = '';
  const running = await new Promise<{ port: number; code: string }>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      for (const line of err.split('\n')) if (line.includes('"Tally is running"')) resolve(JSON.parse(line));
    });
    void closed.then((code) => reject(new Error(`the bot exited with ${code}: ${err}`)));
  });
  return { ...running, stop: () => (child.kill('SIGTERM'), closed) };
}

/** A signed /myscore from 吴晨 of the demo team; the reply Slack got at its response_url. */
async function myscore(port: number, id: string): Promise<string> {
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'U00001008',
    command: '/myscore',
    text: '2026-10',
    api_app_id: 'A1',
    response_url: fake.responseUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
  });
  expect(res.status).toBe(200);
  const [reply] = await fake.waitFor((c) => c.respondId === id);
  return textOf(reply!.body.blocks);
}

describe('npm start', () => {
  it('runs the compiled console and the compiled bot in HTTP mode, which answer', async () => {
    // the console (no Slack settings): seeds the demo team on this database, answers on stdin
    const local = start({ SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '' }, 'pipe');
    let out = '';
    local.stdout!.on('data', (d) => (out += d));
    local.stderr!.on('data', (d) => (out += d));
    local.stdin!.end('/leaderboard presales\n/quit\n');
    expect(await new Promise((r) => local.on('close', r)), out).toBe(0);
    expect(out).toMatch(/首次运行：已载入 15 人的演示团队/);
    expect(out).toMatch(/== 2026-11 排行榜，售前 ==\n🥇 .+ · [\d.]+\n/);

    const bot = await startHttp();
    try {
      expect(bot.code).toBe('compiled');
      expect(await myscore(bot.port, 'compiled')).toMatch(/<@U00001008> 的绩效，2026-10/);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 180_000);

  it('runs the TypeScript through tsx when a source file is newer than the build', async () => {
    // on the database the console above seeded with the demo team
    // the build from before the last edit
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(join(copy, 'dist/main.js'), old, old);
    const bot = await startHttp();
    try {
      expect(bot.code).toBe('typescript');
      expect(await myscore(bot.port, 'typescript')).toMatch(/<@U00001008> 的绩效，2026-10/);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 180_000);
});
