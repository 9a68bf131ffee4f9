// Pure Block Kit builders, and Slack's limits as a check every outgoing message and view passes.
import type { Button, KnownBlock, View } from '@slack/types';
import { shownLine, shownText } from '../core/text.js';

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
  /** the message whose button was pressed, replaced by this (its buttons gone) */
  replace?: Msg;
}

/** Slack's Block Kit limits (docs.slack.dev, Block Kit reference: blocks, elements, composition objects, views). */
export const LIMITS = {
  /** blocks in a message; a modal or the Home tab takes viewBlocks */
  blocks: 50,
  viewBlocks: 100,
  /** block_id, action_id, callback_id, external_id */
  id: 255,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  /** options in a select menu, and option groups in one; each group holds up to `options` */
  options: 100,
  optionGroups: 100,
  overflowOptions: 5,
  checkOptions: 10,
  /** an option's text and description, and an option group's label */
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  /** an input block's label and hint */
  inputLabel: 2000,
  /** a plain_text_input's min_length and max_length */
  textInputLength: 3000,
  /** a modal's title, submit and close texts */
  modalTitle: 24,
  privateMetadata: 3000,
  altText: 2000,
};

/** Text from people (reasons, comments, names) shown as typed: no mentions, links, markup, controls or bidi marks. */
export function escape(text: string): string {
  return shownText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A name (or a label) on a line of its own making, as in a ranking: escaped, its line breaks as spaces. */
export function escapeLine(text: string): string {
  return escape(shownLine(text));
}

// every builder passes its text through shownText too: whatever a caller put together, no control
// character or right-to-left mark reaches Slack
export const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(shownLine(text), LIMITS.header), emoji: true },
});
export const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(shownText(text), LIMITS.sectionText) },
});
export const context = (...texts: string[]): KnownBlock => ({
  type: 'context',
  elements: texts
    .slice(0, LIMITS.contextElements)
    .map((t) => ({ type: 'mrkdwn', text: clip(shownText(t), LIMITS.sectionText) })),
});
/** A person's own words, shown verbatim (plain text, not mrkdwn); words of nothing but controls show as … (Slack refuses empty text). */
export const quote = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'plain_text', text: clip(shownText(text) || '…', LIMITS.sectionText), emoji: false }],
});
export const divider = (): KnownBlock => ({ type: 'divider' });

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(shownLine(text), LIMITS.buttonText) },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

export const actions = (blockId: string, ...elements: Button[]): KnownBlock => ({
  type: 'actions',
  block_id: blockId,
  elements,
});

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
  return { text: clip(shownText(text), 3000), blocks };
}

/** Every violation of Slack's limits in a message's or view's blocks (empty when it would be accepted). */
export function blockProblems(blocks: readonly KnownBlock[], where = 'message'): string[] {
  const problems: string[] = [];
  const max = where === 'home' || where === 'modal' ? LIMITS.viewBlocks : LIMITS.blocks;
  if (blocks.length > max) problems.push(`${where}: ${blocks.length} blocks (max ${max})`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `${where} block ${i} (${b.type})`;
    const say = (what: string) => problems.push(`${at}: ${what}`);
    if (b.block_id !== undefined) {
      tooLong(say, 'block_id', b.block_id, LIMITS.id);
      if (blockIds.has(b.block_id)) say(`block_id "${b.block_id}" used twice`);
      blockIds.add(b.block_id);
    }
    if (b.type === 'section') {
      if (b.text) textProblems(say, 'text', b.text, LIMITS.sectionText);
      if ((b.fields?.length ?? 0) > LIMITS.fields) say(`${b.fields!.length} fields (max ${LIMITS.fields})`);
      b.fields?.forEach((f, j) => textProblems(say, `field ${j}`, f, LIMITS.fieldText));
      if (!b.text && !b.fields?.length) say('empty');
      if (b.accessory) elementProblems(say, 'accessory', b.accessory);
    }
    if (b.type === 'header') textProblems(say, 'text', b.text, LIMITS.header);
    if (b.type === 'context') {
      if (b.elements.length > LIMITS.contextElements || b.elements.length === 0)
        say(`${b.elements.length} elements (1 to ${LIMITS.contextElements})`);
      b.elements.forEach((e, j) =>
        'text' in e && typeof e.text === 'string'
          ? textProblems(say, `element ${j}`, e as TextObject, LIMITS.sectionText)
          : undefined,
      );
    }
    if (b.type === 'actions') {
      if (b.elements.length > LIMITS.actionsElements || b.elements.length === 0)
        say(`${b.elements.length} elements (1 to ${LIMITS.actionsElements})`);
      const actionIds = new Set<string>();
      b.elements.forEach((e, j) => {
        elementProblems(say, `element ${j}`, e);
        const id = (e as { action_id?: string }).action_id;
        if (id !== undefined && actionIds.has(id)) say(`action_id "${id}" used twice`);
        if (id !== undefined) actionIds.add(id);
      });
    }
    if (b.type === 'input') {
      textProblems(say, 'label', b.label, LIMITS.inputLabel);
      if (b.hint) textProblems(say, 'hint', b.hint, LIMITS.inputLabel);
      elementProblems(say, 'element', b.element);
    }
    if (b.type === 'image') {
      tooLong(say, 'alt_text', b.alt_text, LIMITS.altText);
      if ('image_url' in b && b.image_url) tooLong(say, 'image_url', b.image_url, LIMITS.url);
      if (b.title) textProblems(say, 'title', b.title, LIMITS.altText);
    }
  });
  return problems;
}

interface TextObject {
  type: string;
  text: string;
}

function tooLong(say: (what: string) => void, name: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) say(`${name} ${value.length} chars (max ${max})`);
}

function textProblems(say: (what: string) => void, name: string, t: TextObject, max: number): void {
  if (!t.text) say(`${name}: empty text`);
  tooLong(say, name, t.text, max);
}

/** The fields of an interactive element the checker reads, as Slack's JSON has them. */
interface OptionJson {
  text: TextObject;
  value?: string;
  description?: TextObject;
}
interface ElementJson {
  type?: string;
  action_id?: string;
  placeholder?: TextObject;
  text: TextObject;
  value?: string;
  url?: string;
  options?: OptionJson[];
  option_groups?: Array<{ label: TextObject; options?: OptionJson[] }>;
  min_length?: number;
  max_length?: number;
  initial_value?: string;
}

/** Buttons, selects and text inputs: Slack refuses the whole message or view for one bad element. */
function elementProblems(say: (what: string) => void, name: string, element: object): void {
  const e = element as ElementJson;
  tooLong(say, `${name} action_id`, e.action_id, LIMITS.id);
  if (e.placeholder) textProblems(say, `${name} placeholder`, e.placeholder, LIMITS.placeholder);
  if (e.type === 'button') {
    textProblems(say, `${name} text`, e.text, LIMITS.buttonText);
    tooLong(say, `${name} value`, e.value, LIMITS.buttonValue);
    tooLong(say, `${name} url`, e.url, LIMITS.url);
  }
  if (
    e.type === 'static_select' ||
    e.type === 'multi_static_select' ||
    e.type === 'overflow' ||
    e.type === 'radio_buttons' ||
    e.type === 'checkboxes'
  ) {
    const options = e.options;
    const groups = e.option_groups;
    if (options && groups) say(`${name}: both options and option_groups`);
    if (!options?.length && !groups?.length) say(`${name}: no options`);
    const maxOptions =
      e.type === 'overflow'
        ? LIMITS.overflowOptions
        : e.type === 'static_select' || e.type === 'multi_static_select'
          ? LIMITS.options
          : LIMITS.checkOptions;
    if (options && options.length > maxOptions) say(`${name}: ${options.length} options (max ${maxOptions})`);
    if (groups && groups.length > LIMITS.optionGroups)
      say(`${name}: ${groups.length} option groups (max ${LIMITS.optionGroups})`);
    const values = new Set<string>();
    const option = (o: OptionJson, where: string) => {
      textProblems(say, `${where} text`, o.text, LIMITS.optionText);
      tooLong(say, `${where} value`, o.value, LIMITS.optionValue);
      if (o.description) textProblems(say, `${where} description`, o.description, LIMITS.optionText);
      if (o.value !== undefined && values.has(o.value)) say(`${where}: value "${o.value}" used twice`);
      if (o.value !== undefined) values.add(o.value);
    };
    options?.forEach((o, i) => option(o, `${name} option ${i}`));
    groups?.forEach((g, i) => {
      textProblems(say, `${name} group ${i} label`, g.label, LIMITS.optionText);
      if (!g.options?.length || g.options.length > LIMITS.options)
        say(`${name} group ${i}: ${g.options?.length ?? 0} options (1 to ${LIMITS.options})`);
      g.options?.forEach((o, j) => option(o, `${name} group ${i} option ${j}`));
    });
  }
  if (e.type === 'plain_text_input') {
    for (const k of ['min_length', 'max_length'] as const) {
      const n = e[k];
      if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > LIMITS.textInputLength))
        say(`${name} ${k} ${n} (0 to ${LIMITS.textInputLength})`);
    }
    if (e.max_length === 0) say(`${name} max_length 0`);
    if (e.initial_value !== undefined && e.max_length !== undefined && e.initial_value.length > e.max_length)
      say(`${name} initial_value longer than max_length`);
  }
}

export function viewProblems(view: View): string[] {
  const problems = blockProblems(view.blocks as KnownBlock[], view.type);
  const say = (what: string) => problems.push(`${view.type}: ${what}`);
  tooLong(say, 'private_metadata', view.private_metadata, LIMITS.privateMetadata);
  tooLong(say, 'callback_id', view.callback_id, LIMITS.id);
  tooLong(say, 'external_id', view.external_id, LIMITS.id);
  if (view.type === 'modal') {
    textProblems(say, 'title', view.title, LIMITS.modalTitle);
    if (view.submit) textProblems(say, 'submit', view.submit, LIMITS.modalTitle);
    if (view.close) textProblems(say, 'close', view.close, LIMITS.modalTitle);
    if (!view.submit && view.blocks.some((b) => b.type === 'input')) say('an input block needs a submit button');
  }
  return problems;
}
