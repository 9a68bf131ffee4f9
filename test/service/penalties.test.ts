// Two leads recording at the same moment: each penalty is counted once, and exactly one of them is
// told that it was the 4th of the month.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { recordPenalty } from '../../src/service/penalties.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  for (const [slackId, role] of [
    ['UA', 'agent'],
    ['UL1', 'lead'],
    ['UL2', 'lead'],
    ['UL3', 'lead'],
    ['UL4', 'lead'],
  ] as const) {
    await db.prisma.member.create({
      data: {
        slackId,
        name: slackId,
        track: 'presales',
        level: role === 'lead' ? 'lead' : 'regular',
        role,
        hiredOn: fromDay('2025-01-01'),
      },
    });
  }
});
afterAll(() => db.close());

it('counts concurrent penalties one by one: exactly one is the 4th', async () => {
  const t = tallyOn(db);
  const results = await Promise.all(
    ['UL1', 'UL2', 'UL3', 'UL4'].map((by) =>
      recordPenalty(t, { slackId: 'UA', by, text: 'buck_passing', on: '2026-11-02' }),
    ),
  );
  expect(results.map((r) => r.monthCount).sort()).toEqual([1, 2, 3, 4]);
  expect(results.filter((r) => r.triggered.length > 0)).toHaveLength(1);
});
