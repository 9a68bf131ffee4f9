// Which failures are faults of the machine (src/faults.ts), from the errors the real drivers give:
// PostgreSQL's codes as they come through Prisma and its adapter (on PGlite's thread as on a server),
// and on PostgreSQL the connection itself dropped, ended by the server, or refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/open.js';
import { TallyError } from '../src/errors.js';
import { faultOf } from '../src/faults.js';
import { databaseKind, freshDatabase, freshDatabaseUrl } from './support/db.js';
import { PgProxy, type Cut } from './support/pg-proxy.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.close());

/** What the database answers a statement that fails with this SQLSTATE and message, outside and inside a transaction. */
async function failures(state: string, message = 'failed on purpose'): Promise<unknown[]> {
  const sql = `DO $$ BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = '${state}'; END $$`;
  const plain = await db.prisma.$executeRawUnsafe(sql).catch((e: unknown) => e);
  const inTx = await db.prisma.$transaction((tx) => tx.$executeRawUnsafe(sql)).catch((e: unknown) => e);
  return [plain, inTx];
}

describe('faults, from the database', () => {
  it.each([
    ['53100', 'disk_full'],
    ['53200', 'out_of_memory'],
    ['25006', 'read_only'],
    ['42501', 'permission'],
    ['57P01', 'connection'],
    ['08006', 'connection'],
    ['53300', 'connection'],
  ])("SQLSTATE %s is %s, with the database's words as the problem", async (state, kind) => {
    for (const e of await failures(state)) expect(faultOf(e)).toEqual({ kind, problem: 'failed on purpose' });
  });

  it('a file PostgreSQL may not write because the disk is read-only is read_only, not a missing grant', async () => {
    for (const e of await failures('42501', 'could not create file "base/5/1": Read-only file system'))
      expect(faultOf(e)?.kind).toBe('read_only');
  });

  it('refusals, conflicts, bad data and bugs are not faults', async () => {
    for (const state of ['22012', '40P01', '40001', '23505', 'XX000', '42P01'])
      for (const e of await failures(state)) expect(faultOf(e)).toBeNull();
    const dup = await db.prisma.slackRequest
      .createMany({ data: [{ key: 'same' }, { key: 'same' }] })
      .catch((e: unknown) => e);
    expect(faultOf(dup)).toBeNull();
    expect(faultOf(new TallyError('not_on_roster', { slackId: 'U1' }))).toBeNull();
    expect(faultOf(new Error('connection reset'))).toBeNull();
    expect(faultOf(new TypeError("Cannot read properties of undefined (reading 'code')"))).toBeNull();
  });
});

describe.skipIf(databaseKind() !== 'postgres')('faults, from a PostgreSQL connection', () => {
  let url: string;
  let proxy: PgProxy;
  let through: Database;
  beforeAll(async () => {
    url = await freshDatabaseUrl();
    proxy = await new PgProxy(url).start();
    through = await openDatabase(proxy.url);
  });
  afterAll(async () => {
    await through.close();
    await proxy.stop();
  });

  // each way Prisma reaches the server: the ORM and raw SQL, on their own and inside a transaction
  const ways = {
    orm: (p: Database['prisma']) => p.member.findMany({ where: { name: 'cut here' } }),
    raw: (p: Database['prisma']) => p.$queryRawUnsafe(`SELECT 'cut here'`),
    'orm in a transaction': (p: Database['prisma']) =>
      p.$transaction((tx) => tx.member.findMany({ where: { name: 'cut here' } })),
    'raw in a transaction': (p: Database['prisma']) => p.$transaction((tx) => tx.$queryRawUnsafe(`SELECT 'cut here'`)),
  };

  for (const how of ['drop', 'terminate'] as Cut[])
    for (const [way, query] of Object.entries(ways))
      it(`the connection ${how === 'drop' ? 'dropped' : 'ended by the server'} under ${way}: connection`, async () => {
        proxy.cutOn('cut here', how);
        const e = await query(through.prisma).then(
          () => null,
          (x: unknown) => x,
        );
        expect(e).not.toBeNull();
        expect(faultOf(e)).toMatchObject({ kind: 'connection' });
        // and the next query gets a new connection
        expect(await through.prisma.member.count()).toBe(0);
      });

  it('a server that refuses connections: connection, naming where', async () => {
    const gone = await new PgProxy(url).start();
    const opened = await openDatabase(gone.url);
    await gone.stop();
    try {
      const e = await opened.prisma.member.count().catch((x: unknown) => x);
      expect(faultOf(e)).toEqual({ kind: 'connection', problem: expect.stringMatching(/127\.0\.0\.1/) as string });
    } finally {
      await opened.close();
    }
  });
});
