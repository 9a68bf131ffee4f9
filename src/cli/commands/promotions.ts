// tally promotions [--month YYYY-MM] | approve | decline: the promotion review from the command line.
import type { Command } from 'commander';
import { monthOf } from '../../core/dates.js';
import { tellDecision } from '../../jobs/promotions.js';
import { teamToday } from '../../service/context.js';
import {
  approvePromotion,
  declinePromotion,
  promotionCandidates,
  type DecisionView,
} from '../../service/promotions.js';
import { personNamed } from '../../service/roster.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';

const decisionJson = (d: DecisionView) => ({
  slackId: d.member.slackId,
  name: d.member.name,
  month: d.month,
  kind: d.kind,
  decision: d.decision,
  from: d.from,
  to: d.to,
  effectiveFrom: d.effectiveFrom,
  why: d.why,
  by: d.by,
});

export function registerPromotions(program: Command, { tally, print }: CliContext): void {
  const promotions = program
    .command('promotions')
    .description("the promotion review: a month's candidates (any month), and approving or declining one")
    .option('--month <YYYY-MM>', 'the review month (default: this month)')
    .option('--json', 'machine-readable output')
    .action(async (o: { month?: string; json?: boolean }) => {
      const t = await tally();
      const month = o.month ?? monthOf((await teamToday(t)).today);
      const list = await promotionCandidates(t, month);
      const candidates = list.candidates.map((c) => ({
        slackId: c.member.slackId,
        name: c.member.name,
        from: c.evaluation.from,
        to: c.evaluation.to,
        monthsAtLevel: c.evaluation.monthsAtLevel,
        averageScore: (c.evaluation.record.averageHundredths ?? 0) / 100,
        monthsScored: c.evaluation.record.monthsScored,
      }));
      print(o.json, { month, candidates }, () =>
        candidates.length
          ? table(
              ['Slack ID', 'Name', 'From', 'To', 'Months at level', 'Average', 'Months scored', 'Decision'],
              list.candidates.map((c, i) => {
                const x = candidates[i]!;
                const d = c.decision;
                return [
                  x.slackId,
                  x.name,
                  x.from,
                  x.to,
                  String(x.monthsAtLevel),
                  x.averageScore.toFixed(2),
                  String(x.monthsScored),
                  d ? `${d.decision} by ${d.by}${d.effectiveFrom ? ` from ${d.effectiveFrom}` : ''}` : '',
                ];
              }),
            )
          : `No promotion candidates in ${month}.`,
      );
    });
  promotions
    .command('approve <slack_id>')
    .description(
      "approve a candidate of this month's review, or confirm a trainee after probation (from the 1st of next month)",
    )
    .requiredOption('--by <slack_id>', 'the lead, supervisor or admin deciding, by Slack id or name')
    .option('--from <YYYY-MM-DD>', 'the first day at the new level (default: the 1st of next month)')
    .option('--month <YYYY-MM>', "the review whose candidate this is (default: this month's)")
    .option('--json', 'machine-readable output')
    .action(async (who: string, _o: unknown, cmd: Command) => {
      // --json and --month are the parent's options too: commander may hand them to either
      const o = cmd.optsWithGlobals<{ by: string; from?: string; month?: string; json?: boolean }>();
      const t = await tally();
      const d = await approvePromotion(t, await personNamed(t, who), await personNamed(t, o.by, 'by'), {
        ...(o.from !== undefined ? { from: o.from } : {}),
        ...(o.month !== undefined ? { month: o.month } : {}),
      });
      await tellDecision(t, d);
      print(
        o.json,
        decisionJson(d),
        () =>
          `${d.member.name} (${d.member.slackId}) is ${d.to} from ${d.effectiveFrom} (was ${d.from}); they will be told in Slack.`,
      );
    });
  promotions
    .command('decline <slack_id>')
    .description(
      "decline a candidate of this month's review (or a trainee's confirmation), with the reason they will read",
    )
    .requiredOption('--by <slack_id>', 'the lead, supervisor or admin deciding, by Slack id or name')
    .requiredOption('--why <text>', 'why (the agent reads it; kept in the audit trail)')
    .option('--month <YYYY-MM>', "the review whose candidate this is (default: this month's)")
    .option('--json', 'machine-readable output')
    .action(async (who: string, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ by: string; why: string; month?: string; json?: boolean }>();
      const t = await tally();
      const d = await declinePromotion(
        t,
        await personNamed(t, who),
        await personNamed(t, o.by, 'by'),
        o.why,
        o.month !== undefined ? { month: o.month } : {},
      );
      await tellDecision(t, d);
      print(
        o.json,
        decisionJson(d),
        () =>
          `${d.member.name} (${d.member.slackId}) stays ${d.from}: declined (${d.why}); they will be told in Slack.`,
      );
    });
}
