// The load generator for the Slack benchmark, in a worker thread with its own event loop, so the
// timings are Tally's and not the client's. It also plays Slack: the fake Web API that receives
// the replies lives here. Protocol: posts {url} when ready; on {burst} fires the requests and posts
// back each one's ack and reply times.
import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { FakeSlack, sign } from '../test/support/slack.js';

const fake = await new FakeSlack().start();
// Slack keeps its connections to an app open; a light client (node:http, not fetch) keeps the
// client's own time out of the figures
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
let n = 0;
// trigger ids unique across runs: a database kept from an earlier run remembers the old ones as repeats
const run = Date.now().toString(36);

async function one(
  appUrl: string,
  userId: string,
  text: string,
  /** only the ack: the server answering is not Tally and sends no reply */
  ackOnly = false,
): Promise<{ ack: number; reply: number; status: number }> {
  const id = `b${run}-${++n}`;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: userId,
    command: '/myscore',
    text,
    api_app_id: 'A1',
    response_url: fake.responseUrl(id),
    trigger_id: `t-${id}`,
  }).toString();
  const start = performance.now();
  const status = await post(appUrl, body, sign(body));
  const ack = performance.now() - start;
  if (ackOnly) return { ack, reply: ack, status };
  await fake.waitFor((c) => c.respondId === id, 1, 60_000);
  return { ack, reply: performance.now() - start, status };
}

parentPort!.on(
  'message',
  async (m: { type: 'burst'; appUrl: string; users: string[]; text: string; ackOnly?: boolean } | { type: 'stop' }) => {
    if (m.type === 'stop') {
      await fake.stop();
      parentPort!.close();
      return;
    }
    const runs = await Promise.all(m.users.map((u) => one(m.appUrl, u, m.text, m.ackOnly)));
    parentPort!.postMessage({ type: 'result', runs, problems: fake.problems.splice(0) });
  },
);
parentPort!.postMessage({ type: 'ready', url: fake.url });
