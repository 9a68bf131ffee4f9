// What the CLI prints for people: a policy that can be fed back to `policy set`, job runs in the
// team's own time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { cliOn, type CliResult, type JobsListJson } from '../support/cli.js';
import { freshDatabase } from '../support/db.js';

let db: Database;
let tally: (...argv: string[]) => Promise<CliResult>;
beforeAll(async () => {
  db = await freshDatabase();
  tally = cliOn(db);
});
afterAll(() => db.close());

describe('policy show', () => {
  it('prints plain JSON that policy set takes back, and says which version is in force on stderr', async () => {
    const shown = await tally('policy', 'show');
    expect(shown.code).toBe(0);
    expect(shown.err).toBe('policy in force on 2026-11-05 (the default policy)');
    // `tally policy show > policy.json; tally policy set policy.json --from ...`
    const path = join(mkdtempSync(join(tmpdir(), 'tally-show-')), 'policy.json');
    writeFileSync(path, shown.raw);
    const set = await tally('policy', 'set', path, '--from', '2026-12-01');
    expect({ code: set.code, err: set.err }).toEqual({ code: 0, err: '' });
    const again = await tally('policy', 'show', '--on', '2026-12-01');
    expect(again.err).toBe('policy in force on 2026-12-01 (version effective from 2026-12-01)');
    expect(JSON.parse(again.out)).toEqual(JSON.parse(shown.out));
    expect(again.out).toBe((await tally('policy', 'show', '--on', '2026-12-01', '--json')).out);
  });
});

describe('jobs list', () => {
  it("shows when each run started in the team's time zone, named once; JSON keeps the instant", async () => {
    // 2026-11-05 10:00 in Shanghai is 02:00 UTC
    expect((await tally('jobs', 'run', 'daily', '--period', '2026-11-04')).code).toBe(0);
    const list = await tally('jobs', 'list');
    expect(list.out.match(/Asia\/Shanghai/g)).toHaveLength(1);
    expect(list.out).toMatch(/daily\s+2026-11-04\s+done\s+2026-11-05 10:00\b/);
    expect((await tally('jobs', 'list', '--json')).json<JobsListJson>().runs[0]!.startedAt).toBe(
      '2026-11-05T02:00:00.000Z',
    );
  });
});
