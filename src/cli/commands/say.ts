// tally say --as <slack_id> '<slash command line>': one command through the Slack handlers
import type { Command } from 'commander';
import pino from 'pino';
import { runLine } from '../../slack/console.js';
import type { CliContext } from '../program.js';

export function registerSay(program: Command, { tally, print }: CliContext): void {
  program
    .command('say <command_line>')
    .description(
      "run one slash command through Tally's Slack handlers as a member, and print the reply: tally say --as U123 '/myscore'",
    )
    .requiredOption('--as <slack_id>', 'who types it')
    .option('--json', 'the effects (reply, DMs, modal) as Slack Block Kit JSON')
    .action(async (line: string, o: { as: string; json?: boolean }) => {
      const t = await tally();
      const r = await runLine({ tally: t, log: pino({ level: 'warn' }, pino.destination(2)) }, o.as, line);
      print(o.json, r.effects ?? { text: r.text }, () => r.text);
    });
}
