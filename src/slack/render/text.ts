// Effects as plain text, for the local console and `tally say`: what Slack would show, readable in a terminal.
import type { KnownBlock, View } from '@slack/types';
import type { Effects } from '../blocks.js';
import { showEmoji } from '../text/emoji.js';

type Names = ReadonlyMap<string, string>;

function plain(text: string, names: Names): string {
  return (
    // a terminal shows emoji, not Slack's :shortcodes:
    showEmoji(text)
      .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names.get(id) ?? id}`)
      // a terminal shows no bold or strike-through: drop Slack's markers
      .replace(/\*([^*\n]+)\*/g, '$1')
      .replace(/~([^~\n]+)~/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  );
}

export function blocksToText(blocks: readonly KnownBlock[], names: Names = new Map()): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === 'header') out.push(`== ${showEmoji(b.text.text)} ==`);
    else if (b.type === 'section') {
      if (b.text) out.push(plain(b.text.text, names));
      if (b.fields) out.push(b.fields.map((f) => plain(f.text, names).replace('\n', ': ')).join('   '));
    } else if (b.type === 'context')
      out.push(b.elements.map((e) => ('text' in e ? `  ${plain(e.text, names)}` : '')).join(' '));
    else if (b.type === 'divider') out.push('----');
    else if (b.type === 'actions')
      out.push(
        b.elements
          .map((e) => (e.type === 'button' ? `[${e.text.text}: ${e.action_id} ${e.value ?? ''}]` : `[${e.type}]`))
          .join(' '),
      );
    else if (b.type === 'input') out.push(`[${b.label.text}]`);
  }
  return out.join('\n');
}

export function viewToText(view: View, names: Names = new Map()): string {
  const title = view.type === 'modal' ? `== ${view.title.text} ==\n` : '';
  return title + blocksToText(view.blocks as KnownBlock[], names);
}

export function renderEffects(effects: Effects, names: Names = new Map()): string {
  const parts: string[] = [];
  if (effects.reply) parts.push(blocksToText(effects.reply.blocks, names));
  if (effects.modal) parts.push(viewToText(effects.modal, names));
  for (const dm of effects.dms)
    parts.push(`[DM to @${names.get(dm.to) ?? dm.to}]\n${blocksToText(dm.msg.blocks, names)}`);
  return parts.join('\n\n');
}
