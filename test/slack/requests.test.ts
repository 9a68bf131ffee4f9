// Slack's HTTP requests as they arrive in the wild: replayed and retried, stamped by clocks that are
// off, on connections a load balancer keeps open. Signed requests into the real Bolt receiver.
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { databaseKind, freshDatabaseUrl, tallyOn } from '../support/db.js';
import { sign, SlackHarness, textOf } from '../support/slack.js';

const LEAD = 'U0LEAD001';
const AGENT = 'U00001008';

let url: string;
let db: Database;
let slack: SlackHarness;

beforeAll(async () => {
  url = await freshDatabaseUrl();
  db = await openDatabase(url);
  await runCli(
    ['demo'],
    { out: () => {}, err: (s) => console.error(s), env: { TALLY_NOW: '2026-11-05T10:00:00+08:00' } },
    db,
  );
  // a request seen two hours ago: pruned by the first request of this process
  await db.prisma
    .$executeRaw`INSERT INTO slack_request (key, seen_at) VALUES ('trigger:old', now() - interval '2 hours')`;
  slack = await new SlackHarness(tallyOn(db)).start();
});
afterAll(async () => {
  await slack.stop();
  await db.close();
});
afterEach(() => {
  expect(slack.fake.problems).toEqual([]);
});

const penalties = () => db.prisma.penalty.count();
const dmsTo = (s: SlackHarness, user: string) =>
  s.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === user);
const ignored = (s: SlackHarness) => s.logs.filter((l) => l.msg === 'ignored a repeated Slack request').length;
const form = 'application/x-www-form-urlencoded';

describe('replays and retries', () => {
  it('records a /penalty sent three times (the last a retry) once: one penalty, one DM, one reply', async () => {
    const before = { penalties: await penalties(), dms: dmsTo(slack, AGENT).length, ignored: ignored(slack) };
    const { body, id } = slack.commandBody(LEAD, '/penalty', `<@${AGENT}|x> buck_passing replayed`);
    const headers = sign(body);
    const [a, b] = await Promise.all([slack.send(body, form, headers), slack.send(body, form, headers)]);
    const c = await slack.send(body, form, {
      ...headers,
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    // every copy is acknowledged; only the first does anything
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    await slack.fake.waitFor((call) => call.respondId === id);
    await slack.fake.waitFor(
      (call) => call.method === 'chat.postMessage' && call.body.channel === AGENT,
      before.dms + 1,
    );
    await expect.poll(() => ignored(slack)).toBe(before.ignored + 2);
    expect(await penalties()).toBe(before.penalties + 1);
    expect(dmsTo(slack, AGENT)).toHaveLength(before.dms + 1);
    expect(slack.fake.calls.filter((call) => call.respondId === id)).toHaveLength(1);
    // the first request pruned what was older than an hour
    expect(await db.prisma.slackRequest.count({ where: { key: 'trigger:old' } })).toBe(0);
  });

  it('answers a /myscore sent twice once (its answer is read while the request is recorded)', async () => {
    const before = ignored(slack);
    const { body, id } = slack.commandBody(AGENT, '/myscore', '2026-10');
    const headers = sign(body);
    const [a, b] = await Promise.all([slack.send(body, form, headers), slack.send(body, form, headers)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await slack.fake.waitFor((call) => call.respondId === id);
    await expect.poll(() => ignored(slack)).toBe(before + 1);
    expect(slack.fake.calls.filter((call) => call.respondId === id)).toHaveLength(1);
  });

  it('shares what it has seen between two replicas on one database', async () => {
    // PostgreSQL: a second app with its own connections. PGlite belongs to one process: a second app in it.
    const other = databaseKind() === 'postgres' ? await openDatabase(url) : db;
    const replica = await new SlackHarness(tallyOn(other)).start();
    try {
      const before = {
        penalties: await penalties(),
        dms: dmsTo(slack, AGENT).length + dmsTo(replica, AGENT).length,
        ignored: ignored(slack),
      };
      const { body, id } = slack.commandBody(LEAD, '/penalty', `<@${AGENT}|x> personal_chat twice`);
      const headers = sign(body);
      // the load balancer sent it to one replica, Slack's retry to the other
      const [a, b] = await Promise.all([
        slack.send(body, form, headers),
        fetch(replica.url, {
          method: 'POST',
          body,
          headers: { 'content-type': form, ...headers, 'x-slack-retry-num': '1' },
        }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await slack.fake.waitFor((call) => call.respondId === id);
      await expect.poll(() => ignored(slack) + ignored(replica)).toBe(before.ignored + 1);
      expect(await penalties()).toBe(before.penalties + 1);
      expect(dmsTo(slack, AGENT).length + dmsTo(replica, AGENT).length).toBe(before.dms + 1);
    } finally {
      await replica.stop();
      if (other !== db) await other.close();
    }
  });

  it('takes a modal submission once, and answers a refused one the same way each time it is sent', async () => {
    const p = await db.prisma.penalty.findFirstOrThrow({
      where: { member: { slackId: AGENT }, status: 'active' },
      orderBy: { id: 'desc' },
    });
    const submission = (comment: string) => ({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: AGENT },
      api_app_id: 'A1',
      token: 'legacy',
      view: {
        id: 'V7',
        type: 'modal',
        callback_id: 'appeal_submit',
        private_metadata: JSON.stringify({ penaltyId: p.id }),
        state: { values: { appeal_comment: { value: { type: 'plain_text_input', value: comment } } } },
      },
    });
    // an empty comment is refused in the modal, and again when the same form is sent again
    for (let i = 0; i < 2; i++) {
      const empty = await slack.interact(submission(' '));
      expect(JSON.parse(empty.text)).toMatchObject({ response_action: 'errors' });
    }
    const before = {
      appeals: await db.prisma.appeal.count(),
      ignored: ignored(slack),
      asks: dmsTo(slack, LEAD).length,
    };
    const first = await slack.interact(submission('the customer asked for it'));
    const again = await slack.interact(submission('the customer asked for it'));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.text).toBe('');
    expect(ignored(slack)).toBe(before.ignored + 1);
    expect(await db.prisma.appeal.count()).toBe(before.appeals + 1);
    await slack.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === LEAD, before.asks + 1);
  });
});

describe('request timestamps', () => {
  const attempt = async (offsetSec: number) => {
    const { body, id } = slack.commandBody(LEAD, '/penalty', `<@${AGENT}|x> personal_chat stamped ${offsetSec}`);
    const res = await slack.send(body, form, sign(body, Math.floor(Date.now() / 1000) + offsetSec));
    return { status: res.status, id };
  };

  it('refuses a signed request stamped a day or a year ahead, or 6 minutes ago, and runs nothing', async () => {
    const before = await penalties();
    const ids: string[] = [];
    for (const offset of [24 * 3600, 365 * 24 * 3600, 6 * 60 + 5, -(6 * 60)]) {
      const r = await attempt(offset);
      expect(r.status).toBe(401);
      ids.push(r.id);
    }
    expect(await penalties()).toBe(before);
    expect(
      slack.fake.calls.filter((c) => ids.includes(c.respondId ?? '') || /stamped/.test(JSON.stringify(c.body))),
    ).toEqual([]);
  });

  it('accepts one stamped 4 minutes ago or 4 minutes ahead (clocks differ)', async () => {
    const before = await penalties();
    for (const offset of [-4 * 60, 4 * 60]) {
      const r = await attempt(offset);
      expect(r.status).toBe(200);
      const [reply] = await slack.fake.waitFor((c) => c.respondId === r.id);
      expect(textOf(reply!.body.blocks)).toMatch(/已记录处罚/);
    }
    expect(await penalties()).toBe(before + 2);
  });
});

describe('connections', () => {
  it('answers on a keep-alive connection left idle for 6 s (load balancers keep them 60 s)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    const post = (text: string) =>
      new Promise<{ status: number; reused: boolean; id: string }>((resolve, reject) => {
        const { body, id } = slack.commandBody(LEAD, '/myscore', text);
        const req = request(
          slack.url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': form, 'content-length': Buffer.byteLength(body), ...sign(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket, id }));
          },
        );
        req.on('socket', (s) => sockets.add(s));
        req.on('error', reject);
        req.end(body);
      });
    try {
      const first = await post('2026-10');
      await slack.fake.waitFor((c) => c.respondId === first.id);
      // a real idle wait: Node closes an idle connection after 5 s unless told otherwise
      await new Promise((r) => setTimeout(r, 6_000));
      const second = await post('2026-10');
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.reused).toBe(true);
      expect(sockets.size).toBe(1);
      await slack.fake.waitFor((c) => c.respondId === second.id);
    } finally {
      agent.destroy();
    }
  });
});
