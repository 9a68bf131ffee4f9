// tally policy show | set
import type { Command } from 'commander';
import { CliRefusal } from '../text.js';
import { policyInForce, setPolicy } from '../../service/policy.js';
import { deciderNamed, TERMINAL } from '../../service/roster.js';
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
    .description('change the policy from a date on: the JSON file overrides any part of the policy in force')
    .requiredOption('--from <date>', 'the first day the new policy applies')
    .option('--backdate', 'allow a date in the past (rescores periods from then on)')
    .option(
      '--by <slack_id>',
      'the admin changing it, by Slack id or name (default: the operator at this terminal, recorded as cli)',
      TERMINAL,
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { from: string; backdate?: boolean; by: string; json?: boolean }) => {
      let doc: unknown;
      try {
        doc = JSON.parse(new TextDecoder().decode(readInput(file, MAX_POLICY_BYTES)));
      } catch (e) {
        if (e instanceof CliRefusal) throw e;
        throw new CliRefusal(`${file}: not valid JSON (${(e as Error).message})`);
      }
      const t = await tally();
      const r = await setPolicy(t, doc, { from: o.from, by: await deciderNamed(t, o.by), backdate: o.backdate });
      print(o.json, r, () => `Policy from ${file} in force from ${r.effectiveFrom}.`);
    });
}
