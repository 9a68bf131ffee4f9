// tally roster import | deactivate | activate | list
import type { Command } from 'commander';
import { readRoster } from '../../import/roster.js';
import { importRoster, listMembers, setActive } from '../../service/roster.js';
import { fileInput } from '../args.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';

export function registerRoster(program: Command, { tally, print }: CliContext): void {
  const roster = program.command('roster').description('who is on the team');
  roster
    .command('import <file>')
    .description(
      'add or update members from a .csv or .xlsx: slack_id,name,track,level,hired_on,role,platform_account (never deletes)',
    )
    .option('--sheet <name>', "a workbook's sheet (default: the first)")
    .option('--by <slack_id>', 'who imports (for the audit trail)', 'cli')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { by: string; json?: boolean; sheet?: string }) => {
      const source = fileInput(file);
      const entries = await readRoster(source, { sheet: o.sheet });
      const r = await importRoster(await tally(), entries, { fileName: source.name, by: o.by });
      print(o.json, r, () =>
        [
          `Imported ${file}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.`,
          ...(r.inactive.length ? [`Still deactivated (roster activate to bring back): ${r.inactive.join(', ')}`] : []),
        ].join('\n'),
      );
    });
  for (const [name, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    roster
      .command(`${name} <slack_id>`)
      .description(
        active ? 'bring a deactivated member back' : 'take a member off the active roster (their history stays)',
      )
      .option('--by <slack_id>', 'who does it (for the audit trail)', 'cli')
      .option('--json', 'machine-readable output')
      .action(async (slackId: string, o: { by: string; json?: boolean }) => {
        const m = await setActive(await tally(), slackId, active, o.by);
        print(o.json, m, () => `${m.name} (${m.slackId}) ${active ? 'is active again' : 'deactivated'}.`);
      });
  }
  roster
    .command('list')
    .description('the roster')
    .option('--all', 'include deactivated members')
    .option('--json', 'machine-readable output')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const members = await listMembers(await tally(), { includeInactive: o.all });
      print(o.json, { members }, () =>
        table(
          ['Slack ID', 'Name', 'Track', 'Level', 'Role', 'Hired', 'Active', 'Platform account'],
          members.map((m) => [
            m.slackId,
            m.name,
            m.track,
            m.level,
            m.role,
            m.hiredOn,
            m.active ? 'yes' : 'no',
            m.platformAccount ?? '',
          ]),
        ),
      );
    });
}
