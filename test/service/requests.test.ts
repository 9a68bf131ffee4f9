// A burst of Slack requests is recorded in one statement, and each key is still taken exactly once.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { firstDelivery } from '../../src/service/requests.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.close());

it('records the keys of requests arriving together in one statement, each first once', async () => {
  const t = tallyOn(db);
  await firstDelivery(t, 'trigger:before'); // recorded earlier: a repeat now
  const spy = vi.spyOn(t.db, '$queryRawUnsafe');
  try {
    const keys = [...Array.from({ length: 20 }, (_, i) => `trigger:burst-${i}`), 'trigger:burst-3', 'trigger:before'];
    const firsts = await Promise.all(keys.map((k) => firstDelivery(t, k)));
    // the 20 new keys are first; the same key twice in the burst is first once; the old one is a repeat
    expect(firsts.slice(0, 20)).toEqual(Array(20).fill(true));
    expect(firsts.slice(20)).toEqual([false, false]);
    expect(spy.mock.calls.filter(([sql]) => String(sql).startsWith('INSERT INTO slack_request'))).toHaveLength(1);
  } finally {
    spy.mockRestore();
  }
  expect(await db.prisma.slackRequest.count({ where: { key: { startsWith: 'trigger:burst-' } } })).toBe(20);
  // and a later one on its own is recorded on its own
  expect(await firstDelivery(t, 'trigger:burst-3')).toBe(false);
  expect(await firstDelivery(t, 'trigger:later')).toBe(true);
});
