// Issue 18, item 4: the promotion review's candidates go to whom may decide each (above the candidate,
// and giving no level at or above their own standing, except an admin): a lead is sent a regular's
// promotion to senior, not a senior's to lead nor their own to supervisor; a supervisor the senior's;
// the admins the lead's, which no lead or supervisor may decide. Approving follows the same rule.
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Level, Role } from '../../src/core/policy.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { runJob } from '../../src/jobs/run.js';
import { isTallyError } from '../../src/errors.js';
import { approvePromotion } from '../../src/service/promotions.js';
import { freshDatabase, tallyOn } from '../support/db.js';
import { textOf } from '../support/slack.js';

const JAN = '2027-01-01T10:00:00+08:00';
const LEAD = 'U0LEAD001';
const SUPER = 'U0SUPER01';
const ADMIN = 'U0ADMIN01';
/** regular → senior */
const AMY = 'U0AMY0001';
/** senior → lead */
const SAM = 'U0SAM0001';
/** a lead, lead → supervisor */
const LEO = 'U0LEO0001';

let db: Database;

async function member(slackId: string, hiredOn: string, level: Level, role: Role = 'agent') {
  const m = await db.prisma.member.create({
    data: { slackId, name: slackId, track: 'presales', level, role, hiredOn: fromDay(hiredOn) },
  });
  return m.id;
}

async function months(id: number) {
  for (const month of ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'])
    await db.prisma.dailyMetric.create({
      data: {
        memberId: id,
        day: fromDay(`${month}-10`),
        inquiries: 100,
        paidCustomers: 20,
        receptions: 100,
        gmvFen: 1_000_000n,
        refundCustomers: 2,
        serviceScore: 100,
      },
    });
}

beforeAll(async () => {
  db = await freshDatabase();
  await member(SUPER, '2020-01-01', 'supervisor', 'supervisor');
  await member(ADMIN, '2019-01-01', 'supervisor', 'admin');
  await member(LEAD, '2024-01-01', 'lead', 'lead');
  await months(await member(AMY, '2025-06-01', 'regular'));
  await months(await member(SAM, '2025-01-01', 'senior'));
  await months(await member(LEO, '2024-06-01', 'lead', 'lead'));
  const r = await runJob(tallyOn(db, JAN), 'monthly', '2026-12', { owner: 'test' });
  expect(r.status).toBe('done');
});
afterAll(() => db.close());

/** Whom each decider's review names, by the Slack ids in it. */
async function reviewed(): Promise<Record<string, string[]>> {
  const rows = await db.prisma.outbox.findMany({ where: { key: { contains: ':review:2027-01:' } } });
  const out: Record<string, string[]> = {};
  for (const row of rows) {
    const text = textOf((row.payload as unknown as { blocks: KnownBlock[] }).blocks);
    const named = [AMY, SAM, LEO].filter((id) => text.includes(`<@${id}>`));
    out[row.channel] = [...(out[row.channel] ?? []), ...named].sort();
  }
  return out;
}

it('sends each decider the candidates they may decide, and the admins those nobody else may', async () => {
  expect(await reviewed()).toEqual({
    [LEAD]: [AMY],
    [LEO]: [AMY],
    [SUPER]: [AMY, SAM].sort(),
    [ADMIN]: [LEO],
  });
});

it('approving follows the same rule, in one line naming who may', async () => {
  const t = tallyOn(db, JAN);
  const refusal = async (p: Promise<unknown>) =>
    p.then(
      () => 'no refusal',
      (e: unknown) => (isTallyError(e) ? `${e.code} ${JSON.stringify(e.params)}` : Promise.reject(e)),
    );
  expect(await refusal(approvePromotion(t, SAM, LEAD))).toBe(
    'cannot_give {"what":"level","value":"lead","may":["supervisor","admin"]}',
  );
  expect(await refusal(approvePromotion(t, LEO, SUPER))).toBe(
    'cannot_give {"what":"level","value":"supervisor","may":["admin"]}',
  );
  expect(await refusal(approvePromotion(t, LEO, LEAD))).toBe(
    `outranked {"action":"decide_promotion","slackId":"${LEO}","name":"${LEO}","role":"lead","may":["supervisor","admin"]}`,
  );
  expect((await approvePromotion(t, SAM, SUPER)).to).toBe('lead');
  expect((await approvePromotion(t, LEO, ADMIN)).to).toBe('supervisor');
});
