// /penalty help (or /penalty alone): how to write each subcommand.
import type { Effects } from '../../blocks.js';
import { replyWith } from '../../context.js';
import type { Texts } from '../../text/index.js';

export function help(tx: Texts): Effects {
  return replyWith(tx.penalty.help);
}
