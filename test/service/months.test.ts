// Month close against concurrent writes: nothing may slip in between computing a month and freezing it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { closeMonth } from '../../src/service/months.js';
import { recordPenalty } from '../../src/service/penalties.js';
import { payroll } from '../../src/service/scores.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  for (const [slackId, role] of [
    ['UA', 'agent'],
    ['UL', 'lead'],
  ] as const) {
    const m = await db.prisma.member.create({
      data: {
        slackId,
        name: slackId,
        track: 'presales',
        level: role === 'lead' ? 'lead' : 'regular',
        role,
        hiredOn: fromDay('2025-01-01'),
      },
    });
    if (role === 'agent')
      await db.prisma.dailyMetric.create({
        data: {
          memberId: m.id,
          day: fromDay('2026-10-10'),
          inquiries: 10,
          paidCustomers: 3,
          receptions: 10,
          gmvFen: 100_000n,
          serviceScore: 90,
        },
      });
  }
});
afterAll(() => db.close());

it('recomputes when a penalty lands while the month is being computed, so the frozen payroll has it', async () => {
  const t = tallyOn(db, '2026-11-02T10:00:00+08:00');
  let injected = false;
  // the first metrics query of the close (the month's rollup) is where a lead's penalty sneaks in, committed at once
  const racing = new Proxy(db.prisma, {
    get(target, key) {
      if (key !== '$queryRawUnsafe') return Reflect.get(target, key);
      return async (...args: [string, ...unknown[]]) => {
        if (!injected && /FROM (daily_metric|metric_month)\b/.test(args[0])) {
          injected = true;
          await recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'store_deduction', on: '2026-10-20' });
        }
        return target.$queryRawUnsafe(...args);
      };
    },
  }) as typeof db.prisma;
  const rows = await closeMonth({ db: racing, clock: t.clock }, { month: '2026-10', by: 'UL' });
  expect(injected).toBe(true);
  expect(rows.find((r) => r.member.slackId === 'UA')!.payslip.penaltyFen).toBe(50_000);
  const frozen = await payroll(t, '2026-10');
  expect(frozen.closed).toBe(true);
  expect(frozen.rows.find((r) => r.member.slackId === 'UA')!.payslip.penaltyFen).toBe(50_000);
  // and once closed, the same write is refused
  await expect(
    recordPenalty(t, { slackId: 'UA', by: 'UL', text: 'store_deduction', on: '2026-10-21' }),
  ).rejects.toMatchObject({ code: 'month_closed', params: { month: '2026-10', write: 'penalty', on: '2026-10-21' } });
});
