// tally metrics import [--sheet] [--dry-run]
import type { Command } from 'commander';
import { formatFen } from '../../core/money.js';
import { METRIC_FIELDS, type MetricField } from '../../core/policy.js';
import type { CsvFile } from '../../import/csv.js';
import { FIELD_COLUMN, readMetrics } from '../../import/metrics.js';
import { importMetrics, metricsMapping, previewMetrics, type MetricsPreview } from '../../service/metrics.js';
import { deciderNamed, TERMINAL } from '../../service/roster.js';
import { fileInput } from '../args.js';
import { table } from '../output.js';
import { tidyHeap } from '../../memory.js';
import { progress } from '../progress.js';
import type { CliContext } from '../program.js';
import { previewJson, previewText } from '../preview.js';
import { CliRefusal, plural } from '../text.js';

export function registerMetrics(program: Command, { tally, print, io }: CliContext): void {
  program
    .command('metrics')
    .description('daily KPI data')
    .command('import <file>')
    .description(
      'import daily rows from a .csv or .xlsx: date, slack_id or platform_account, inquiries, paid_customers, receptions, gmv, refund_customers, cases, resolved, service_score, avg_response_sec (or the headers the policy maps: import.columns)',
    )
    .option('--sheet <name>', "a workbook's sheet (default: the first)")
    .option('--dry-run', 'read and check the whole file, show how it was understood, write nothing')
    .option(
      '--by <slack_id>',
      'the lead, supervisor or admin importing it, by Slack id or name (default: the operator at this terminal, recorded as cli)',
      TERMINAL,
    )
    .option('--json', 'machine-readable output')
    .action(async (path: string, o: { by: string; json?: boolean; sheet?: string; dryRun?: boolean }) => {
      const source = fileInput(path);
      const t = await tally();
      const by = await deciderNamed(t, o.by);
      const mapping = await metricsMapping(t);
      const shown = o.dryRun ? undefined : progress(io, o.json, source.size);
      let file: CsvFile | undefined;
      const rows = async () => {
        const read = await readMetrics(source, { sheet: o.sheet, mapping, onBytes: shown?.onBytes });
        file = read.file;
        return read.entries;
      };
      if (o.dryRun) {
        const preview = await previewMetrics(t, rows, { fileName: source.name });
        printPreview(o.json, preview, file!);
        if (preview.problemCount) {
          throw new CliRefusal(
            `${plural(preview.problemCount, 'problem')} in ${source.name}; nothing would be imported`,
          );
        }
        return;
      }
      const tidy = tidyHeap();
      try {
        const r = await importMetrics(t, rows, {
          fileName: source.name,
          by,
          onProgress: (p) => {
            tidy();
            shown?.onProgress(p);
          },
        });
        shown?.done();
        print(
          o.json,
          r,
          () =>
            `Imported ${path}: ${plural(r.rows, 'row')} for ${plural(r.members, 'member')}${r.from ? `, ${r.from} to ${r.to}` : ''}.`,
        );
      } catch (e) {
        shown?.done();
        throw e;
      }
    });

  function printPreview(json: boolean | undefined, p: MetricsPreview, file: CsvFile): void {
    print(json, previewJson(p, file), () => {
      const shownFields = METRIC_FIELDS.filter((f) => p.sample.some((r) => r[f] !== null));
      return previewText(p, file, [
        `${plural(p.rows, 'row')} for ${plural(p.members, 'member')}${p.from ? `, ${p.from} to ${p.to}` : ''}: ${p.added} new member-days, ${p.replaced} replaced.`,
        ...(p.sample.length
          ? [
              `The first ${plural(p.sample.length, 'row')} as Tally understood them:`,
              table(
                ['Line', 'Date', 'Member', 'Slack ID', ...shownFields.map((f) => FIELD_COLUMN[f])],
                p.sample.map((r) => [
                  String(r.line),
                  r.day,
                  r.name,
                  r.slackId,
                  ...shownFields.map((f) => value(f, r[f])),
                ]),
              ),
            ]
          : []),
      ]);
    });
  }
}

function value(f: MetricField, v: number | null): string {
  if (v === null) return '—';
  return f === 'gmvFen' ? formatFen(v) : String(v);
}
