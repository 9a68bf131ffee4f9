// Who can decide: the guard against leaving a team with no active lead, supervisor or admin holds
// when two changes race, and does not stand in the way of a team that has none yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/open.js';
import { isTallyError } from '../../src/errors.js';
import { whoDecides } from '../../src/service/appeals.js';
import { setAssignment, writeAssignment } from '../../src/service/assignments.js';
import { assertDecidersRemain, importRoster, setActive } from '../../src/service/roster.js';
import { freshDatabase, tallyOn } from '../support/db.js';

let db: Database;
const t = () => tallyOn(db);

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.close());

const codeOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' ? (isTallyError(r.reason) ? r.reason.code : String(r.reason)) : 'ok';

const entry = (slackId: string, role: 'agent' | 'lead' | 'supervisor', line = 2) => ({
  line,
  slackId,
  name: slackId,
  track: 'presales' as const,
  level: role === 'agent' ? ('regular' as const) : role,
  role,
  hiredOn: '2025-01-01',
});

describe('assertDecidersRemain', () => {
  it('lets a new team import only agents (there is nobody to lose), then keeps its first lead', async () => {
    const r = await importRoster(t(), [entry('UA', 'agent')], { fileName: 'agents.csv', by: 'cli' });
    expect(r.added).toBe(1);
    await importRoster(t(), [entry('UL1', 'lead'), entry('UL2', 'lead')], { fileName: 'leads.csv', by: 'cli' });
    // a change naming nobody who decides is fine
    await expect(
      db.prisma.$transaction((tx) => assertDecidersRemain(tx, [{ slackId: 'UA', active: false }])),
    ).resolves.toBeUndefined();
  });

  it('two leads deactivated at the same moment: one goes, the other is refused as the last', async () => {
    const results = await Promise.allSettled([
      setActive(t(), 'UL1', false, 'cli'),
      setActive(t(), 'UL2', false, 'cli'),
    ]);
    expect(results.map(codeOf).sort()).toEqual(['last_decider', 'ok']);
    expect(await db.prisma.member.count({ where: { active: true, role: 'lead' } })).toBe(1);
  });

  it('roster set --role cannot demote the last one who decides, and writes nothing', async () => {
    const lead = await db.prisma.member.findFirstOrThrow({ where: { active: true, role: 'lead' } });
    const before = await db.prisma.memberAssignment.count({ where: { memberId: lead.id } });
    const demote = { slackId: lead.slackId, role: 'agent', level: 'regular', from: '2026-11-05' };
    // the last lead may not demote themselves (nobody changes their own role), and nobody else is above them
    await expect(setAssignment(t(), { ...demote, by: lead.slackId })).rejects.toMatchObject({ code: 'self_change' });
    await expect(setAssignment(t(), { ...demote, by: 'UA' })).rejects.toMatchObject({ code: 'staff_only' });
    // and the write itself keeps the guard, whoever calls it
    await expect(
      db.prisma.$transaction((tx) => writeAssignment(tx, '2026-11-05', { ...demote, by: 'cli' })),
    ).rejects.toMatchObject({ code: 'last_decider', params: { slackId: lead.slackId, change: 'demote' } });
    expect(await db.prisma.memberAssignment.count({ where: { memberId: lead.id } })).toBe(before);
    expect(await db.prisma.member.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ role: 'lead' });
  });

  it('a supervisor added in the same file lets the last lead be demoted', async () => {
    const lead = await db.prisma.member.findFirstOrThrow({ where: { active: true, role: 'lead' } });
    await expect(
      importRoster(t(), [entry(lead.slackId, 'agent')], { fileName: 'demote.csv', by: 'cli' }),
    ).rejects.toMatchObject({ code: 'last_decider', params: { slackId: lead.slackId, change: 'demote' } });
    await importRoster(t(), [entry(lead.slackId, 'agent'), entry('US', 'supervisor', 3)], {
      fileName: 'handover.csv',
      by: 'cli',
    });
    expect(await db.prisma.member.findUniqueOrThrow({ where: { slackId: lead.slackId } })).toMatchObject({
      role: 'agent',
    });
  });
});

describe('whoDecides', () => {
  const staff = [
    { slackId: 'UL1', role: 'lead' as const },
    { slackId: 'UL2', role: 'lead' as const },
  ];
  const agent = { slackId: 'UA', role: 'agent' as const };
  it('the recording lead, then supervisors and admins; the other leads only when none of them is active', () => {
    expect(whoDecides('UL1', agent, staff)).toEqual(['UL1']);
    expect(whoDecides('UL1', agent, [...staff, { slackId: 'US', role: 'supervisor' }])).toEqual(['UL1', 'US']);
    expect(whoDecides('UGONE', agent, [...staff, { slackId: 'US', role: 'supervisor' }])).toEqual(['US']);
    expect(whoDecides('UGONE', agent, staff)).toEqual(['UL1', 'UL2']);
    expect(whoDecides('UGONE', agent, [])).toEqual([]);
  });

  it('only someone above the one appealing, never themselves: a lead to supervisors and admins, a supervisor to admins', () => {
    const all = [
      ...staff,
      { slackId: 'US1', role: 'supervisor' as const },
      { slackId: 'US2', role: 'supervisor' as const },
      { slackId: 'UAD', role: 'admin' as const },
    ];
    expect(whoDecides('US1', { slackId: 'UL2', role: 'lead' }, all)).toEqual(['US1', 'US2', 'UAD']);
    expect(whoDecides('UAD', { slackId: 'US1', role: 'supervisor' }, all)).toEqual(['UAD']);
    // a lead's appeal with no supervisor or admin left: the other leads are peers, so nobody
    expect(whoDecides('UGONE', { slackId: 'UL2', role: 'lead' }, staff)).toEqual([]);
    // a supervisor recorded it and is now the one appealing something else: still not their own
    expect(whoDecides('US1', { slackId: 'US1', role: 'supervisor' }, all)).toEqual(['UAD']);
  });
});
