// A file dropped into Tally's DM waits 48 hours of real time for Import, whatever TALLY_NOW says
// (the business clock stands still here, as it does in a demo).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import type { Tally } from '../../src/service/context.js';
import { importUpload, previewUpload } from '../../src/service/uploads.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
  await db.prisma.member.create({
    data: {
      slackId: 'UL',
      name: 'Lead',
      track: 'presales',
      level: 'lead',
      role: 'lead',
      hiredOn: fromDay('2025-01-01'),
    },
  });
});
afterAll(() => db.close());

/** TALLY_NOW fixed at 2026-11-05 10:00 in Shanghai; the real clock at `real` */
const at = (real: string): Tally => ({ ...tallyOn(db, '2026-11-05T10:00:00+08:00'), realClock: fixedClock(real) });
const roster = (slackId: string) =>
  new TextEncoder().encode(
    `slack_id,name,track,level,hired_on\n${slackId},New ${slackId},presales,regular,2025-06-01\n`,
  );

it('imports a preview within 48 hours and refuses an older one as gone', async () => {
  const kept = await previewUpload(at('2026-12-05T10:00:00Z'), { by: 'UL', fileName: 'a.csv', bytes: roster('U1') });
  const old = await previewUpload(at('2026-12-05T10:00:00Z'), { by: 'UL', fileName: 'b.csv', bytes: roster('U2') });
  expect(await importUpload(at('2026-12-07T09:59:00Z'), { id: kept.id!, by: 'UL' })).toMatchObject({ kind: 'roster' });
  await expect(importUpload(at('2026-12-07T10:01:00Z'), { id: old.id!, by: 'UL' })).rejects.toMatchObject({
    code: 'upload_gone',
  });
  expect(
    (await db.prisma.member.findMany({ select: { slackId: true }, orderBy: { id: 'asc' } })).map((m) => m.slackId),
  ).toEqual(['UL', 'U1']);
});
