// Pure Block Kit builders, and Slack's limits as a check every outgoing message and view passes.
import type { Button, KnownBlock, View } from '@slack/types';

export interface Msg {
  /** the notification and fallback text */
  text: string;
  blocks: KnownBlock[];
}

/** What a handler wants done: the adapter (Bolt, console, `tally say`) carries it out. */
export interface Effects {
  /** ephemeral, to the person who acted */
  reply?: Msg;
  /** direct messages, by Slack user id */
  dms: Array<{ to: string; msg: Msg }>;
  /** a modal to open with the interaction's trigger_id */
  modal?: View;
}

export const LIMITS = { blocks: 50, sectionText: 3000, fields: 10, header: 150, contextElements: 10, modalTitle: 24, buttonText: 75, actionsElements: 25 };

/** Text from people (reasons, comments, names) shown as typed: no mentions, links or markup. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text: clip(text, LIMITS.header), emoji: true } });
export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, LIMITS.sectionText) } });
export const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: clip(t, LIMITS.sectionText) })) });
/** A person's own words, shown verbatim (plain text, not mrkdwn). */
export const quote = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'plain_text', text: clip(text, LIMITS.sectionText), emoji: false }] });
export const divider = (): KnownBlock => ({ type: 'divider' });

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text: clip(text, LIMITS.buttonText) }, action_id: actionId, value, ...(style ? { style } : {}) };
}

export const actions = (blockId: string, ...elements: Button[]): KnownBlock => ({ type: 'actions', block_id: blockId, elements });

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Lines packed into as few sections as fit Slack's 3,000 characters each. */
export function linesToSections(lines: string[], max = LIMITS.sectionText - 100): KnownBlock[] {
  const out: KnownBlock[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > max && chunk.length) {
      out.push(section(chunk.join('\n')));
      chunk = [];
      size = 0;
    }
    chunk.push(line);
    size += line.length + 1;
  }
  if (chunk.length) out.push(section(chunk.join('\n')));
  return out;
}

export function message(text: string, blocks: KnownBlock[]): Msg {
  return { text: clip(text, 3000), blocks };
}

/** Every violation of Slack's limits in a message's or view's blocks (empty when it would be accepted). */
export function blockProblems(blocks: readonly KnownBlock[], where = 'message'): string[] {
  const problems: string[] = [];
  const max = where === 'home' ? 100 : LIMITS.blocks;
  if (blocks.length > max) problems.push(`${where}: ${blocks.length} blocks (max ${max})`);
  blocks.forEach((b, i) => {
    const at = `${where} block ${i} (${b.type})`;
    if (b.type === 'section') {
      if (b.text && b.text.text.length > LIMITS.sectionText) problems.push(`${at}: text ${b.text.text.length} chars`);
      if ((b.fields?.length ?? 0) > LIMITS.fields) problems.push(`${at}: ${b.fields!.length} fields`);
      if (!b.text && !b.fields?.length) problems.push(`${at}: empty`);
      if (b.text && b.text.text.length === 0) problems.push(`${at}: empty text`);
    }
    if (b.type === 'header' && b.text.text.length > LIMITS.header) problems.push(`${at}: ${b.text.text.length} chars`);
    if (b.type === 'context' && (b.elements.length > LIMITS.contextElements || b.elements.length === 0)) problems.push(`${at}: ${b.elements.length} elements`);
    if (b.type === 'actions' && (b.elements.length > LIMITS.actionsElements || b.elements.length === 0)) problems.push(`${at}: ${b.elements.length} elements`);
  });
  return problems;
}

export function viewProblems(view: View): string[] {
  const problems = blockProblems(view.blocks as KnownBlock[], view.type);
  if (view.type === 'modal') {
    if (view.title.text.length > LIMITS.modalTitle) problems.push(`modal title ${view.title.text.length} chars (max ${LIMITS.modalTitle})`);
    if (view.submit && view.submit.text.length > LIMITS.modalTitle) problems.push('modal submit text too long');
  }
  return problems;
}
