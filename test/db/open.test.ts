import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';

describe('opening the database', () => {
  it('lets one process own an embedded database: a second open is refused until the first closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-lock-'));
    const first = await openDatabase(`pglite:${dir}`);
    await expect(openDatabase(`pglite:${dir}`)).rejects.toThrow(/already open in this process/);
    await first.close();
    const again = await openDatabase(`pglite:${dir}`);
    await again.close();
  });

  it('names the other process that holds it, and takes over a lock left by a dead one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-lock-'));
    writeFileSync(join(dir, 'tally.lock'), String(process.ppid));
    await expect(openDatabase(`pglite:${dir}`)).rejects.toThrow(new RegExp(`in use by another Tally process \\(pid ${process.ppid}\\)`));
    writeFileSync(join(dir, 'tally.lock'), '999999999');
    const db = await openDatabase(`pglite:${dir}`);
    await db.close();
  });

  it('says in one line what is wrong with DATABASE_URL or the server', async () => {
    await expect(openDatabase('mysql://x')).rejects.toThrow(ConfigError);
    await expect(openDatabase('mysql://x')).rejects.toThrow(/DATABASE_URL must be postgresql:\/\/\.\.\., pglite:<dir> or pglite:memory/);
    const down = openDatabase('postgresql://postgres@127.0.0.1:1/test');
    await expect(down).rejects.toThrow(ConfigError);
    await expect(openDatabase('postgresql://postgres@127.0.0.1:1/test')).rejects.toThrow(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test: /);
  });
});
