// /penalty: record, revoke, list, rules, help. The first word picks the subcommand; anything else records.
import { PENALTY_SUBCOMMANDS } from '../../../core/penalties.js';
import type { Effects } from '../../blocks.js';
import { guarded, type SlackDeps } from '../../context.js';
import { checkLength } from '../../parse.js';
import type { CommandInput } from '../input.js';
import { help } from './help.js';
import { list } from './list.js';
import { record } from './record.js';
import { revoke } from './revoke.js';
import { rules } from './rules.js';

const SUB = PENALTY_SUBCOMMANDS;

export function penaltyCommand(deps: SlackDeps, input: CommandInput): Promise<Effects> {
  return guarded(deps, { command: '/penalty', user: input.userId }, async (tx, team) => {
    checkLength(input.text);
    const text = input.text.trim();
    const [first = '', ...rest] = text.split(/\s+/);
    const sub = first.toLowerCase();
    if (!text || SUB.help.includes(sub)) return help(tx);
    if (SUB.rules.includes(sub)) return rules(tx, team, rest);
    if (SUB.list.includes(sub)) return list(deps, tx, team, input.userId, rest.join(' '));
    if (SUB.revoke.includes(sub)) return revoke(deps, tx, input.userId, rest);
    return record(deps, tx, team, input, text);
  });
}
