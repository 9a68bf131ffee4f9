// Appeals and revokes racing each other: one appeal per penalty, a revoke closes a waiting appeal,
// and a revoke and an accept at the same moment leave exactly one of them done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromDay } from '../../src/db/dates.js';
import type { Database } from '../../src/db/open.js';
import { isTallyError } from '../../src/errors.js';
import { decideAppeal, fileAppeal } from '../../src/service/appeals.js';
import { recordPenalty, revokePenalty } from '../../src/service/penalties.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const t = () => tallyOn(db);

beforeAll(async () => {
  db = await freshDatabase();
  for (const [slackId, name, role] of [
    ['UA', 'Amy', 'agent'],
    ['UL', 'Lee', 'lead'],
    ['US', 'Sam', 'supervisor'],
  ] as const) {
    await db.prisma.member.create({
      data: {
        slackId,
        name,
        track: 'presales',
        level: role === 'agent' ? 'regular' : role,
        role,
        hiredOn: fromDay('2025-01-01'),
      },
    });
  }
});
afterAll(() => db.close());

async function appealedPenalty(): Promise<{ penaltyId: number; appealId: number }> {
  const r = await recordPenalty(t(), { slackId: 'UA', by: 'UL', text: 'personal_chat', on: '2026-11-02' });
  const { appeal } = await fileAppeal(t(), { penaltyId: r.penalty.id, by: 'UA', comment: 'I was helping a customer' });
  return { penaltyId: r.penalty.id, appealId: appeal.id };
}

const codeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' ? (isTallyError(r.reason) ? r.reason.code : String(r.reason)) : 'ok';
const revokes = (penaltyId: number) =>
  db.prisma.auditLog.count({ where: { action: 'penalty.revoke', detail: { path: ['penaltyId'], equals: penaltyId } } });

describe('filing an appeal', () => {
  it('six identical submissions at once file one appeal; the other five are told it was already appealed', async () => {
    const r = await recordPenalty(t(), { slackId: 'UA', by: 'UL', text: 'buck_passing', on: '2026-11-02' });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => fileAppeal(t(), { penaltyId: r.penalty.id, by: 'UA', comment: 'not me' })),
    );
    expect(results.map(codeOf).sort()).toEqual([
      'already_appealed',
      'already_appealed',
      'already_appealed',
      'already_appealed',
      'already_appealed',
      'ok',
    ]);
    const refused = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'already_appealed', params: { id: r.penalty.id, status: 'pending' } });
    expect(await db.prisma.appeal.count({ where: { penaltyId: r.penalty.id } })).toBe(1);
    expect(
      await db.prisma.auditLog.count({
        where: { action: 'appeal.file', detail: { path: ['penaltyId'], equals: r.penalty.id } },
      }),
    ).toBe(1);
  });
});

describe('revoking a penalty whose appeal is waiting', () => {
  it('closes the appeal; deciding it afterwards is refused, naming who revoked the penalty', async () => {
    const { penaltyId, appealId } = await appealedPenalty();
    const revoked = await revokePenalty(t(), { id: penaltyId, by: 'UL', why: 'wrong agent' });
    expect(revoked.closedAppealId).toBe(appealId);
    expect(await db.prisma.appeal.findUniqueOrThrow({ where: { id: appealId } })).toMatchObject({
      status: 'closed',
      decision: 'penalty revoked: wrong agent',
    });
    for (const accept of [true, false]) {
      await expect(decideAppeal(t(), { penaltyId, by: 'US', accept, comment: 'ok' })).rejects.toMatchObject({
        code: 'appeal_penalty_revoked',
        params: { id: penaltyId, by: 'UL', byName: 'Lee' },
      });
    }
    expect(await revokes(penaltyId)).toBe(1);
    expect(await db.prisma.appeal.findUniqueOrThrow({ where: { id: appealId } })).toMatchObject({ status: 'closed' });
  });

  it('a penalty without an appeal is revoked as before, with no appeal closed', async () => {
    const r = await recordPenalty(t(), { slackId: 'UA', by: 'UL', text: 'named_complaint', on: '2026-11-03' });
    expect((await revokePenalty(t(), { id: r.penalty.id, by: 'US', why: 'duplicate' })).closedAppealId).toBeNull();
  });

  it('a revoke and an accept at the same moment: exactly one wins, and the penalty is revoked once', async () => {
    const rounds = 8;
    const winners: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const { penaltyId, appealId } = await appealedPenalty();
      // alternate which call starts first, so both orders are exercised
      const calls = [
        () => revokePenalty(t(), { id: penaltyId, by: 'UL', why: 'wrong agent' }),
        () => decideAppeal(t(), { penaltyId, by: 'US', accept: true, comment: 'agreed' }),
      ];
      const [revoke, accept] =
        i % 2
          ? await Promise.allSettled([calls[0]!(), calls[1]!()])
          : (await Promise.allSettled([calls[1]!(), calls[0]!()])).reverse();
      const outcome = [codeOf(revoke!), codeOf(accept!)];
      expect([
        ['ok', 'appeal_penalty_revoked'],
        ['already_revoked', 'ok'],
      ]).toContainEqual(outcome);
      winners.push(outcome[0] === 'ok' ? 'revoke' : 'accept');
      const appeal = await db.prisma.appeal.findUniqueOrThrow({ where: { id: appealId } });
      expect(appeal.status).toBe(outcome[0] === 'ok' ? 'closed' : 'accepted');
      expect((await db.prisma.penalty.findUniqueOrThrow({ where: { id: penaltyId } })).status).toBe('revoked');
      expect(await revokes(penaltyId)).toBe(1);
    }
    expect(winners).toHaveLength(rounds);
  });
});
