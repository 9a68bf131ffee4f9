// tally say --as <slack_id|name> '<slash command line>': one command through the Slack handlers
import type { Command } from 'commander';
import pino from 'pino';
import { personNamed } from '../../service/roster.js';
import { runLine } from '../../slack/console.js';
import { EXIT_FAULT, ExitCode, type CliContext } from '../program.js';

export function registerSay(program: Command, { tally, print }: CliContext): void {
  program
    .command('say <command_line>')
    .description(
      "run one slash command through Tally's Slack handlers as a member, and print the reply: tally say --as U123 '/myscore' (exit 1 when it was refused)",
    )
    .requiredOption('--as <slack_id>', 'who types it: a Slack id, or a name on the roster')
    .option('--json', 'the effects (reply, DMs, modal) as Slack Block Kit JSON')
    .action(async (line: string, o: { as: string; json?: boolean }) => {
      const t = await tally();
      const as = await personNamed(t, o.as, 'as');
      const r = await runLine({ tally: t, log: pino({ level: 'warn' }, pino.destination(2)) }, as, line);
      print(o.json, r.effects ?? { text: r.text }, () => r.text);
      // what Slack would have shown is printed as it is; the exit code says it was a refusal
      if (r.failure) throw new ExitCode(r.failure === 'fault' ? EXIT_FAULT : r.failure === 'usage' ? 2 : 1);
    });
}
