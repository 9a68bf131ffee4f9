// The load generator for the Slack benchmark, in a worker thread with its own event loop, so the
// timings are Tally's and not the client's. It also plays Slack: the fake Web API that receives
// the replies lives here. Protocol: posts {url} when ready; on {burst} fires the requests and posts
// back each one's ack and reply times.
import { parentPort } from 'node:worker_threads';
import { FakeSlack, sign } from '../test/support/slack.js';

const fake = await new FakeSlack().start();
let n = 0;

async function one(
  appUrl: string,
  userId: string,
  text: string,
): Promise<{ ack: number; reply: number; status: number }> {
  const id = `b${++n}`;
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
  const res = await fetch(appUrl, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
  });
  await res.text();
  const ack = performance.now() - start;
  await fake.waitFor((c) => c.respondId === id, 1, 60_000);
  return { ack, reply: performance.now() - start, status: res.status };
}

parentPort!.on(
  'message',
  async (m: { type: 'burst'; appUrl: string; users: string[]; text: string } | { type: 'stop' }) => {
    if (m.type === 'stop') {
      await fake.stop();
      parentPort!.close();
      return;
    }
    const runs = await Promise.all(m.users.map((u) => one(m.appUrl, u, m.text)));
    parentPort!.postMessage({ type: 'result', runs, problems: fake.problems.splice(0) });
  },
);
parentPort!.postMessage({ type: 'ready', url: fake.url });
