// The rule picker's drafts: what a lead typed waits two days for their choice, then is refused and pruned.
// Two days of real time: TALLY_NOW (the business clock) stands still here, as it does in a demo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import type { Tally } from '../../src/service/context.js';
import { recordDraft, saveDraft } from '../../src/service/drafts.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  for (const [slackId, role] of [
    ['UA', 'agent'],
    ['UL', 'lead'],
  ] as const) {
    await db.prisma.member.create({
      data: { slackId, name: slackId, track: 'presales', level: 'regular', role, hiredOn: fromDay('2025-01-01') },
    });
  }
});
afterAll(() => db.close());

/** TALLY_NOW fixed at 2026-11-05 10:00 in Shanghai; the real clock at `real` */
const at = (real: string): Tally => ({ ...tallyOn(db, '2026-11-05T10:00:00+08:00'), realClock: fixedClock(real) });

const draft = { by: 'UL', slackId: 'UA', words: 'broke the headset', on: '2026-11-05' } as const;

describe('penalty drafts', () => {
  it('records a draft picked within two days, once', async () => {
    const id = await saveDraft(at('2026-12-05T10:00:00Z'), draft);
    const later = at('2026-12-07T09:00:00Z');
    const r = await recordDraft(later, { draftId: id, by: 'UL', amountFen: 8000 });
    expect(r.penalty.amountFen).toBe(8000);
    await expect(recordDraft(later, { draftId: id, by: 'UL', amountFen: 8000 })).rejects.toMatchObject({
      code: 'draft_used',
    });
  });

  it('refuses a draft older than two days as gone, and prunes it when the next one is saved', async () => {
    const id = await saveDraft(at('2026-12-05T10:00:00Z'), draft);
    const late = at('2026-12-07T10:01:00Z');
    await expect(recordDraft(late, { draftId: id, by: 'UL', amountFen: 8000 })).rejects.toMatchObject({
      code: 'draft_gone',
    });
    const fresh = await saveDraft(late, draft);
    expect((await db.prisma.penaltyDraft.findMany({ select: { id: true } })).map((d) => d.id)).toEqual([fresh]);
  });
});
