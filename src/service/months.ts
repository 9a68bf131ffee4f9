// Month close: the monthly job freezes a month's scores, ranks, awards and pay as snapshots. A
// closed month refuses new metrics, penalties and revocations until an admin reopens it.
import { TallyError } from '../errors.js';
import { lastDay, type Month } from '../core/dates.js';
import { audit } from './audit.js';
import { monthStamp } from './cache.js';
import { checkMonth, CLOSE_LOCK, isClosed } from './closed.js';
import { teamToday, type Tally } from './context.js';
import { findActor, TERMINAL } from './roster.js';
import { payroll, type PayrollRow } from './scores.js';

/** A month can be closed once it is over in the team's calendar. */
export async function assertOver(t: Tally, month: Month): Promise<void> {
  const { today } = await teamToday(t);
  if (lastDay(month) >= today) throw new TallyError('month_not_over', { month, today });
}

export { TERMINAL };

/** Reopens a closed month: `by` is an active admin's Slack id (the CLI's --by is required: nobody reopens as `cli`). */
export async function reopenMonth(t: Tally, req: { month: string; by: string; why: string }): Promise<void> {
  const month = checkMonth(req.month);
  await findActor(t, req.by, 'reopen_month');
  const why = req.why.trim();
  if (!why) throw new TallyError('missing_reopen_reason', {});
  await t.db.$transaction(async (tx) => {
    const updated = await tx.monthClose.updateMany({
      where: { month, reopenedAt: null },
      data: { reopenedAt: t.clock.now(), reopenedBy: req.by, reopenWhy: why },
    });
    if (updated.count === 0) throw new TallyError('month_open', { month });
    await audit(tx, req.by, 'month.reopen', month, { why }, month);
  });
}

/**
 * Freezes a month: every payroll member's standing, penalties and payslip become snapshot rows, and
 * from then on payroll, awards and streaks read them. Returns the frozen payroll. A write that
 * commits while the month is being computed makes it compute again, so nothing slips through.
 */
export async function closeMonth(t: Tally, req: { month: string; by: string }): Promise<PayrollRow[]> {
  const month = checkMonth(req.month);
  await assertOver(t, month);
  for (let attempt = 1; ; attempt++) {
    if (await isClosed(t.db, month)) throw new TallyError('month_already_closed', { month });
    const stamp = await monthStamp(t.db, month);
    const { rows } = await payroll(t, month);
    const frozen = await t.db.$transaction(
      async (tx) => {
        // writers hold this lock shared while they check the month is open and write
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`);
        if (await isClosed(tx, month)) throw new TallyError('month_already_closed', { month });
        if ((await monthStamp(tx, month)) !== stamp) return false;
        // snapshots are derived results: a re-close after a reopen replaces them (the audit trail keeps why)
        await tx.scoreSnapshot.deleteMany({ where: { period: month } });
        // which members each of the month's writes changed: a closed month is read from its snapshots,
        // and a cache older than the close scores the month afresh once reopened (its changes are gone)
        await tx.$executeRawUnsafe('DELETE FROM month_change WHERE month = $1', month);
        // one statement with the rows as arrays: 2,000 snapshots through the ORM's createMany took seconds
        await tx.$executeRawUnsafe(
          `INSERT INTO score_snapshot (period, member_id, track, level, score, rank, award_rank, award_fen, streak,
             last_place, rotation_flag, total_fen, detail)
           SELECT $1, u.m, u.tr::"Track", u.lv::"Level", u.sc, u.rk, u.ar, u.af, u.st, u.lp, u.rf, u.tf::bigint, u.d::jsonb
           FROM unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::int[], $7::int[], $8::int[], $9::int[],
             $10::bool[], $11::bool[], $12::text[], $13::text[]) AS u(m, tr, lv, sc, rk, ar, af, st, lp, rf, tf, d)`,
          month,
          rows.map((r) => r.member.id),
          rows.map((r) => r.member.track),
          rows.map((r) => r.member.level),
          rows.map((r) => r.standing?.score.score ?? null),
          rows.map((r) => r.standing?.score.rank ?? null),
          rows.map((r) => r.standing?.award.awardRank ?? null),
          rows.map((r) => r.payslip.awardFen),
          rows.map((r) => r.standing?.award.streak ?? 0),
          rows.map((r) => r.standing?.award.lastPlace ?? false),
          rows.map((r) => r.standing?.award.rotationFlag ?? false),
          rows.map((r) => String(r.payslip.totalFen)),
          rows.map((r) => JSON.stringify({ standing: r.standing, penalties: r.penalties, payslip: r.payslip })),
        );
        const data = { closedAt: t.clock.now(), closedBy: req.by, reopenedAt: null, reopenedBy: null, reopenWhy: null };
        await tx.monthClose.upsert({
          where: { month },
          create: { month, ...data },
          update: { ...data, closes: { increment: 1 } },
        });
        await audit(tx, req.by, 'month.close', month, { members: rows.length }, month);
        return true;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    if (frozen) return rows;
    if (attempt >= 5) throw new TallyError('month_kept_changing', { month });
  }
}
