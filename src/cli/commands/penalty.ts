// tally penalty add | revoke | list
import type { Command } from 'commander';
import { isDay } from '../../core/dates.js';
import { formatFen } from '../../core/money.js';
import { CliRefusal } from '../text.js';
import {
  listPenalties,
  recordPenalty,
  revokePenalty,
  type ListedPenalty,
  type PenaltyView,
} from '../../service/penalties.js';
import { personNamed } from '../../service/roster.js';
import { texts } from '../../slack/text/index.js';
import { yuanOption } from '../args.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';

// the CLI speaks English: 1st, 2nd, 3rd, 4th
const { ordinal } = texts('en');

export function registerPenalty(program: Command, { tally, print }: CliContext): void {
  const penalty = program.command('penalty').description('record, revoke and list penalties');
  penalty
    .command('add <slack_id> <rule_or_reason...>')
    .description(
      'record a penalty: a rule code or alias (optionally followed by a note), or a free reason with --amount',
    )
    .requiredOption('--by <slack_id>', 'the lead, supervisor or admin recording it, by Slack id or name')
    .option('--amount <yuan>', 'amount for a free reason, in yuan')
    .option('--loss <yuan>', 'the loss added to order_change_missed, in yuan')
    .option('--on <date>', 'the day it happened (default today)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        who: string,
        words: string[],
        o: { by: string; amount?: string; loss?: string; on?: string; json?: boolean },
      ) => {
        if (o.on !== undefined && !isDay(o.on))
          throw new CliRefusal(`--on "${o.on}": not a date that exists (YYYY-MM-DD)`);
        const amountFen = yuanOption('amount', o.amount);
        const lossFen = yuanOption('loss', o.loss);
        const t = await tally();
        const r = await recordPenalty(t, {
          slackId: await personNamed(t, who),
          by: await personNamed(t, o.by, 'by'),
          text: words.join(' '),
          amountFen,
          lossFen,
          on: o.on,
        });
        const p = r.penalty;
        print(o.json, { ...p, monthCount: r.monthCount, triggered: r.triggered }, () => {
          const what = p.ruleCode
            ? `${p.ruleCode} (${p.ruleLabel?.zh}), ${ordinal(r.monthCount)} this month`
            : `"${p.reason}"`;
          const lines = [
            `Penalty #${p.id} recorded: ${p.name} (${p.slackId}), ${what}, ${formatFen(p.amountFen)}, ${p.points} points, on ${p.occurredOn}.`,
          ];
          for (const e of r.triggered) {
            lines.push(
              e.action === 'forfeit_commission'
                ? `→ ${r.month} commission forfeited.`
                : `→ flagged for dismissal (${ordinal(e.fromCount)} ${p.ruleCode} in ${r.month}).`,
            );
          }
          return lines.join('\n');
        });
      },
    );
  penalty
    .command('revoke <id>')
    .description('revoke a penalty (it stays on record as revoked)')
    .requiredOption('--by <slack_id>', 'the lead, supervisor or admin revoking it, by Slack id or name')
    .requiredOption('--why <text>', 'why it is revoked')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { by: string; why: string; json?: boolean }) => {
      if (!/^\d+$/.test(id)) throw new CliRefusal(`"${id}" is not a penalty id (a number, as shown by penalty list)`);
      const t = await tally();
      const p = await revokePenalty(t, { id: Number(id), by: await personNamed(t, o.by, 'by'), why: o.why });
      print(o.json, p, () => `Penalty #${p.id} (${p.name}, ${formatFen(p.amountFen)}) revoked: ${p.revokeReason}`);
    });
  penalty
    .command('list')
    .description('penalties, revoked ones included, each with its appeal (waiting, accepted, rejected or closed)')
    .option('--member <slack_id>', 'one member only (a Slack id or a name)')
    .option('--month <YYYY-MM>', 'one month only (by the day it happened)')
    .option('--json', 'machine-readable output')
    .action(async (o: { member?: string; month?: string; json?: boolean }) => {
      const t = await tally();
      const slackId = o.member === undefined ? undefined : await personNamed(t, o.member, 'member');
      const rows = await listPenalties(t, { slackId, month: o.month });
      print(o.json, { penalties: rows }, () =>
        rows.length
          ? table(
              ['ID', 'Date', 'Member', 'Rule', 'Amount', 'Points', 'Status', 'Appeal', 'Reason'],
              rows.map((p) => {
                const line = penaltyLine(p);
                return [...line.slice(0, 7), appealText(p), ...line.slice(7)];
              }),
              [4, 5],
            )
          : 'No penalties.',
      );
    });
}

/** What became of a penalty's appeal, for its row (the row's id names it: /accept 12). */
function appealText(p: ListedPenalty): string {
  const a = p.appeal;
  if (!a) return '';
  const by = a.decidedBy && `${a.decidedByName ?? ''} (${a.decidedBy})`;
  switch (a.status) {
    case 'pending':
      return 'waiting';
    case 'closed':
      return 'closed (revoked)';
    default:
      return `${a.status}${by ? ` by ${by}` : ''}${a.decision ? `: ${a.decision}` : ''}`;
  }
}

/** One penalty as a table row (also under `tally score`). */
export function penaltyLine(p: PenaltyView): string[] {
  const rule = p.ruleCode ? `${p.ruleCode} ${p.ruleLabel?.zh ?? ''}`.trim() : '(free reason)';
  return [
    `#${p.id}`,
    p.occurredOn,
    `${p.name} (${p.slackId})`,
    rule,
    formatFen(p.amountFen),
    String(p.points),
    p.status === 'active' ? 'active' : `revoked: ${p.revokeReason}`,
    p.reason,
  ];
}
