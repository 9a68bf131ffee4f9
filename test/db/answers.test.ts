// What the services get from the database is the same whichever database and wherever it runs (PGlite
// answers from a thread of its own): values of every kind, errors with their Postgres codes (what
// serial.ts retries and what becomes "already exists"), transactions that commit or roll back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.js';
import type { Database } from '../../src/db/open.js';
import { isConflict } from '../../src/service/serial.js';
import { freshDatabase } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.close());

/** A statement that fails with the given SQLSTATE. */
const failWith = (state: string) =>
  db.prisma.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'failed on purpose' USING ERRCODE = '${state}'; END $$`);

describe("the database's answers", () => {
  it('keeps big integers, JSON, timestamps and dates exact', async () => {
    const at = new Date('2026-10-31T16:00:00.123Z');
    const detail = { fen: 12345, names: ['张三', 'Ann'], nested: { ok: true, none: null } };
    const row = await db.prisma.auditLog.create({ data: { at, actor: 'U1', action: 'test', detail } });
    expect(await db.prisma.auditLog.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ at, detail });
    const [raw] = await db.prisma.$queryRawUnsafe<Array<{ big: bigint; day: Date; n: number }>>(
      `SELECT 9007199254740993::int8 AS big, '2026-02-28'::date AS day, 7::int AS n`,
    );
    expect(raw).toEqual({ big: 9007199254740993n, day: new Date('2026-02-28T00:00:00Z'), n: 7 });
  });

  it('gives each failure its Postgres code: a conflict is retried, a duplicate is P2002', async () => {
    for (const state of ['40001', '40P01']) {
      const e = await failWith(state).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
      expect(isConflict(e)).toBe(true);
    }
    expect(isConflict(await failWith('22012').catch((x: unknown) => x))).toBe(false);
    await db.prisma.slackRequest.create({ data: { key: 'twice' } });
    const dup = await db.prisma.slackRequest.create({ data: { key: 'twice' } }).catch((x: unknown) => x);
    expect(dup).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((dup as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
  });

  it('commits a transaction whole, and rolls it back whole when it fails', async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.slackRequest.create({ data: { key: 'kept-1' } });
      await tx.slackRequest.create({ data: { key: 'kept-2' } });
    });
    const failed = db.prisma.$transaction(async (tx) => {
      await tx.slackRequest.create({ data: { key: 'lost-1' } });
      await tx.slackRequest.create({ data: { key: 'kept-1' } });
    });
    await expect(failed).rejects.toThrow(Prisma.PrismaClientKnownRequestError);
    const keys = (await db.prisma.slackRequest.findMany({ where: { key: { in: ['kept-1', 'kept-2', 'lost-1'] } } }))
      .map((r) => r.key)
      .sort();
    expect(keys).toEqual(['kept-1', 'kept-2']);
  });

  it('answers queries sent all at once, each with its own rows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => db.prisma.$queryRawUnsafe<Array<{ i: number }>>(`SELECT ${i}::int AS i`)),
    );
    expect(answers.map(([r]) => r!.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
