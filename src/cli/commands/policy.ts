// tally policy show | set | versions | drop
import type { Command } from 'commander';
import { CliRefusal } from '../text.js';
import { jsonSyntaxError } from '../../core/json-text.js';
import { dropPolicy, policyInForce, policyVersions, setPolicy, type PolicyVersionView } from '../../service/policy.js';
import { deciderNamed, listMembers, TERMINAL } from '../../service/roster.js';
import type { Tally } from '../../service/context.js';
import { readInput } from '../args.js';
import { printJson } from '../output.js';
import type { CliContext } from '../program.js';

/** a whole policy is some 8 KB; retired rules stay in it, a thousand of them would be 200 KB */
const MAX_POLICY_BYTES = 1024 * 1024;

export function registerPolicy(program: Command, { tally, print, io }: CliContext): void {
  const policy = program.command('policy').description("the team's policy: KPI weights, rules, pay, awards");
  policy
    .command('show')
    .description('the policy in force on a day (default today), as JSON that policy set takes back')
    .option('--on <date>', 'the day')
    .option('--json', 'the policy document alone (no note on stderr)')
    .action(async (o: { on?: string; json?: boolean }) => {
      const p = await policyInForce(await tally(), o.on);
      // stdout stays a policy file (`policy show > policy.json`); which version it is goes beside it
      if (!o.json)
        io.err(
          `policy in force on ${p.on} (${p.effectiveFrom ? `version effective from ${p.effectiveFrom}` : 'the default policy'})`,
        );
      printJson(io, p.policy);
    });
  policy
    .command('set <file>')
    .description(
      'change the policy from a date on: the JSON file overrides any part of the policy in force (money in fen, or in yuan as "¥80")',
    )
    .requiredOption('--from <date>', 'the first day the new policy applies')
    .option('--backdate', 'allow a date in the past (rescores periods from then on)')
    .option('--replace', 'replace the version already set from that date (it stays in the audit trail)')
    .option(
      '--by <slack_id>',
      'the admin changing it, by Slack id or name (default: the operator at this terminal, recorded as cli)',
      TERMINAL,
    )
    .option('--json', 'machine-readable output')
    .action(
      async (file: string, o: { from: string; backdate?: boolean; replace?: boolean; by: string; json?: boolean }) => {
        const doc = readJson(file, new TextDecoder().decode(readInput(file, MAX_POLICY_BYTES)));
        const t = await tally();
        const r = await setPolicy(t, doc, {
          from: o.from,
          by: await deciderNamed(t, o.by),
          backdate: o.backdate,
          replace: o.replace,
        });
        print(
          o.json,
          { effectiveFrom: r.effectiveFrom, policy: r.policy },
          () =>
            `Policy from ${file} in force from ${r.effectiveFrom}${r.replaced ? ` (it replaces the version set before from that date)` : ''}.`,
        );
      },
    );
  policy
    .command('versions')
    .description('the policy versions: from when, set by whom and when, and what each changed from the one before')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      const { today, versions } = await policyVersions(t);
      if (o.json) return printJson(io, { versions });
      const text = versionsText(versions, today, await memberNames(t));
      return print(false, null, () => text);
    });
  policy
    .command('drop <YYYY-MM-DD>')
    .description('drop a policy version that has not started yet (kept in the audit trail)')
    .requiredOption('--by <slack_id>', 'the admin dropping it, by Slack id or name (an active admin on the roster)')
    .option('--json', 'machine-readable output')
    .action(async (from: string, o: { by: string; json?: boolean }) => {
      const t = await tally();
      const r = await dropPolicy(t, { from, by: await deciderNamed(t, o.by) });
      print(o.json, { from: r.from, dropped: true }, () =>
        [
          `Policy version from ${r.from} dropped (kept in the audit trail).`,
          ...(r.later.length
            ? [
                `The versions from ${r.later.join(', ')} start after it and keep their own settings (each version is a whole policy); see tally policy versions.`,
              ]
            : []),
        ].join('\n'),
      );
    });
}

async function memberNames(t: Tally): Promise<Map<string, string>> {
  return new Map((await listMembers(t, { includeInactive: true })).map((m) => [m.slackId, m.name]));
}

/** Each version: from when, whether it is in force, who set it and when, then what it changed. */
function versionsText(versions: PolicyVersionView[], today: string, names: Map<string, string>): string {
  if (!versions.length)
    return 'No policy version was set: the default policy is in force (tally policy show prints it).';
  return versions
    .flatMap((v, i) => {
      const next = versions[i + 1]?.from;
      const state =
        v.from > today ? 'not started yet' : next === undefined || next > today ? 'in force' : `until ${next}`;
      const who = v.setBy === null ? 'unknown' : names.has(v.setBy) ? `${names.get(v.setBy)} (${v.setBy})` : v.setBy;
      const head = `${v.from} (${state}), set by ${who} at ${v.setAt.slice(0, 10)} ${v.setAt.slice(11, 16)}:`;
      const changes = v.changes.length
        ? v.changes
        : [i === 0 ? 'the same as the default policy' : 'the same as the version before'];
      return [head, ...changes.map((c) => `  ${c}`)];
    })
    .join('\n');
}

/** A policy file's JSON; a syntax error is told as an editor shows it: file:line:column, what, and the text there. */
function readJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = jsonSyntaxError(text);
    // the reader above follows JSON's grammar; should the two ever disagree, JavaScript's words are kept
    if (!at) throw new CliRefusal(`${file}: not valid JSON (${(e as Error).message})`);
    throw new CliRefusal(`${file}:${at.line}:${at.column}: ${at.message}, found ${at.found}`);
  }
}
