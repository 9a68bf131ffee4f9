// tally metrics import
import { plural } from '../text.js';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { parseMetrics } from '../../import/metrics.js';
import { importMetrics } from '../../service/metrics.js';
import { readInput } from '../args.js';
import type { CliContext } from '../program.js';

export function registerMetrics(program: Command, { tally, print }: CliContext): void {
  program
    .command('metrics')
    .description('daily KPI data')
    .command('import <file>')
    .description(
      'import daily rows: date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec',
    )
    .option('--by <slack_id>', 'who imports (for the audit trail)', 'cli')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { by: string; json?: boolean }) => {
      const entries = parseMetrics(file, readInput(file));
      const r = await importMetrics(await tally(), entries, { fileName: basename(file), by: o.by });
      print(
        o.json,
        r,
        () =>
          `Imported ${file}: ${plural(r.rows, 'row')} for ${plural(r.members, 'member')}${r.from ? `, ${r.from} to ${r.to}` : ''}.`,
      );
    });
}
