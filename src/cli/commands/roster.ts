// tally roster import | deactivate | activate | list | set | history
import type { Command } from 'commander';
import { readRosterRows, type RosterEntry } from '../../import/roster.js';
import {
  deciderNamed,
  findMember,
  importRoster,
  listMembers,
  personNamed,
  previewRoster,
  setActive,
  TERMINAL,
  type RosterPreview,
} from '../../service/roster.js';
import { assignmentHistory, correctHireDate, setAssignment } from '../../service/assignments.js';
import { isTallyError, TallyError } from '../../errors.js';
import { fileInput, usage } from '../args.js';
import { table } from '../output.js';
import { previewJson, previewText, problemMessage } from '../preview.js';
import type { CliContext } from '../program.js';
import { CliRefusal, plural } from '../text.js';

export function registerRoster(program: Command, { tally, print }: CliContext): void {
  const roster = program.command('roster').description('who is on the team');
  roster
    .command('import <file>')
    .description(
      'add or update members from a .csv or .xlsx: slack_id,name,track,level,hired_on,role,platform_account,effective_from (never deletes; every problem of the file is listed, and nothing is written while there is one)',
    )
    .option('--sheet <name>', "a workbook's sheet (default: the first)")
    .option('--dry-run', 'read and check the whole file against the roster, show how it was understood, write nothing')
    .option(
      '--by <slack_id>',
      'the lead, supervisor or admin importing it, by Slack id or name (default: the operator at this terminal, recorded as cli)',
      TERMINAL,
    )
    .option('--json', 'machine-readable output')
    .action(async (path: string, o: { by: string; json?: boolean; sheet?: string; dryRun?: boolean }) => {
      const source = fileInput(path);
      const { file, entries } = await readRosterRows(source, { sheet: o.sheet });
      // a roster is small: read whole, checked whole, then written (or not) whole
      const rows: Array<RosterEntry | TallyError> = [];
      for await (const row of entries) rows.push(row);
      const t = await tally();
      const by = await deciderNamed(t, o.by);
      const preview = await previewRoster(t, rows, { fileName: source.name, by });
      if (o.dryRun) {
        print(o.json, previewJson(preview, file), () => previewText(preview, file, rosterPreview(preview)));
        if (preview.problemCount)
          throw new CliRefusal(
            `${plural(preview.problemCount, 'problem')} in ${source.name}; nothing would be imported`,
          );
        return;
      }
      // one problem is the one line it has always been; several are listed under the count
      if (preview.problemCount === 1) throw preview.problems[0]!;
      if (preview.problemCount) {
        throw new CliRefusal(
          `${plural(preview.problemCount, 'problem')} in ${source.name}; nothing was imported:`,
          preview.problems.map(problemMessage),
        );
      }
      const r = await importRoster(
        t,
        rows.filter((row): row is RosterEntry => !isTallyError(row)),
        { fileName: source.name, by },
      );
      print(o.json, r, () =>
        [
          `Imported ${path}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.`,
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
      .option(
        '--by <slack_id>',
        'the lead, supervisor or admin doing it, above the member, by Slack id or name (default: the operator at this terminal, recorded as cli)',
        TERMINAL,
      )
      .option('--json', 'machine-readable output')
      .action(async (who: string, o: { by: string; json?: boolean }) => {
        const t = await tally();
        const m = await setActive(t, await personNamed(t, who), active, await deciderNamed(t, o.by));
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
  roster
    .command('set <slack_id>')
    .description(
      "change a member's track, level or role from a day on (the history is kept), or correct a hire date (--hired-on ... --correct)",
    )
    .option('--track <track>', 'presales or aftersales')
    .option('--level <level>', 'trainee, regular, senior, lead or supervisor')
    .option('--role <role>', 'agent, lead, supervisor or admin')
    .option('--from <YYYY-MM-DD>', 'the first day the change is in force')
    .option('--hired-on <YYYY-MM-DD>', 'the corrected hire date (with --correct)')
    .option('--correct', 'the hire date on the roster was wrong: correct it (audited; never in a closed month)')
    .option('--note <text>', 'why (kept with the change)')
    .requiredOption(
      '--by <slack_id>',
      'the lead, supervisor or admin making the change, above the member, by Slack id or name (an admin for --hired-on)',
    )
    .option('--json', 'machine-readable output')
    .action(
      async (
        who: string,
        o: {
          track?: string;
          level?: string;
          role?: string;
          from?: string;
          hiredOn?: string;
          correct?: boolean;
          note?: string;
          by: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const changes = o.track !== undefined || o.level !== undefined || o.role !== undefined;
        if (o.hiredOn !== undefined && (changes || o.from !== undefined))
          usage(cmd, 'correct a hire date on its own: --hired-on without --from, --track, --level or --role');
        if (o.hiredOn === undefined && !changes) throw new TallyError('assignment_empty', {});
        const fromWhen = 'say from when: --from YYYY-MM-DD';
        if (o.hiredOn === undefined && o.from === undefined) usage(cmd, fromWhen);
        const t = await tally();
        const slackId = await personNamed(t, who);
        const by = await personNamed(t, o.by, 'by');
        if (o.hiredOn !== undefined) {
          if (!o.correct) {
            const m = await findMember(t, slackId);
            throw new TallyError('hire_date_needs_correct', {
              slackId,
              name: m.name,
              hiredOn: m.hiredOn,
              value: o.hiredOn,
            });
          }
          const m = await correctHireDate(t, { slackId, hiredOn: o.hiredOn, by });
          print(
            o.json,
            { slackId: m.slackId, name: m.name, hiredOn: m.hiredOn },
            () => `${m.name} (${m.slackId}) hired on ${m.hiredOn} (corrected).`,
          );
          return;
        }
        if (o.from === undefined) usage(cmd, fromWhen);
        const a = await setAssignment(t, {
          slackId,
          ...(o.track === undefined ? {} : { track: o.track }),
          ...(o.level === undefined ? {} : { level: o.level }),
          ...(o.role === undefined ? {} : { role: o.role }),
          from: o.from,
          by,
          ...(o.note === undefined ? {} : { note: o.note }),
        });
        print(o.json, a, () => `${a.name} (${a.slackId}) from ${a.from}: ${a.track}, ${a.level}, ${a.role}.`);
      },
    );
  roster
    .command('history <slack_id>')
    .description("a member's tracks, levels and roles over time, oldest first")
    .option('--json', 'machine-readable output')
    .action(async (who: string, o: { json?: boolean }) => {
      const t = await tally();
      const h = await assignmentHistory(t, await personNamed(t, who));
      print(o.json, h, () =>
        [
          `${h.name} (${h.slackId})`,
          table(
            ['From', 'Track', 'Level', 'Role', 'By'],
            h.assignments.map((a) => [a.from, a.track, a.level, a.role, a.by ?? '']),
          ),
        ].join('\n'),
      );
    });
}

/** What a roster file would change, and its first rows as Tally understood them. */
function rosterPreview(p: RosterPreview): string[] {
  const accounts = p.sample.some((r) => r.platformAccount !== undefined);
  return [
    `${plural(p.rows, 'row')} for ${plural(p.members, 'member')}${p.from ? `, effective ${p.from} to ${p.to}` : ''}: ${p.added} new to the roster, ${p.replaced} changed, ${p.members - p.added - p.replaced} unchanged.`,
    ...(p.sample.length
      ? [
          `The first ${plural(p.sample.length, 'row')} as Tally understood them:`,
          table(
            [
              'Line',
              'Name',
              'Slack ID',
              'Track',
              'Level',
              'Role',
              'Hired',
              ...(accounts ? ['Platform account'] : []),
              'Change',
            ],
            p.sample.map((r) => [
              String(r.line),
              r.name,
              r.slackId,
              r.track,
              r.level,
              r.role,
              r.hiredOn,
              ...(accounts ? [r.platformAccount ?? ''] : []),
              r.change === 'changed' && r.from ? `changed from ${r.from}` : r.change,
            ]),
          ),
        ]
      : []),
  ];
}
