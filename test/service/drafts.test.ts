// The rule picker's drafts: what a lead typed waits two days for their choice, then is refused and pruned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
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

const draft = { by: 'UL', slackId: 'UA', words: 'broke the headset', on: '2026-11-05' } as const;

describe('penalty drafts', () => {
  it('records a draft picked within two days, once', async () => {
    const id = await saveDraft(tallyOn(db, '2026-11-05T10:00:00+08:00'), draft);
    const later = tallyOn(db, '2026-11-07T09:00:00+08:00');
    const r = await recordDraft(later, { draftId: id, by: 'UL', amountFen: 8000 });
    expect(r.penalty.amountFen).toBe(8000);
    await expect(recordDraft(later, { draftId: id, by: 'UL', amountFen: 8000 })).rejects.toMatchObject({
      code: 'draft_used',
    });
  });

  it('refuses a draft older than two days as gone, and prunes it when the next one is saved', async () => {
    const id = await saveDraft(tallyOn(db, '2026-11-05T10:00:00+08:00'), draft);
    const late = tallyOn(db, '2026-11-07T10:01:00+08:00');
    await expect(recordDraft(late, { draftId: id, by: 'UL', amountFen: 8000 })).rejects.toMatchObject({
      code: 'draft_gone',
    });
    const fresh = await saveDraft(late, draft);
    expect((await db.prisma.penaltyDraft.findMany({ select: { id: true } })).map((d) => d.id)).toEqual([fresh]);
  });
});
