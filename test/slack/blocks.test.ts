// The Block Kit limit check the fake Slack runs on every message and view it is sent: it must know
// each limit Tally relies on, or an end-to-end test passes with a view Slack would refuse.
import type { KnownBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { blockProblems, viewProblems } from '../../src/slack/blocks.js';

const option = (i: number, text = `Rule ${i}`, value = `rule_${i}`) => ({
  text: { type: 'plain_text' as const, text },
  value,
});
const select = (element: Record<string, unknown>): KnownBlock =>
  ({
    type: 'input',
    block_id: 'pick',
    label: { type: 'plain_text', text: 'Rule' },
    element: { type: 'static_select', action_id: 'value', ...element },
  }) as KnownBlock;
const modal = (blocks: KnownBlock[], extra: Partial<View> = {}): View =>
  ({
    type: 'modal',
    callback_id: 'cb',
    title: { type: 'plain_text', text: 'Which rule?' },
    submit: { type: 'plain_text', text: 'Record' },
    blocks,
    ...extra,
  }) as View;
const button = (text: string, value = '1', action_id = 'a') => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text },
  action_id,
  value,
});

describe('the Block Kit limit check', () => {
  it('accepts a select of 100 options, and 100 groups of 100', () => {
    expect(viewProblems(modal([select({ options: Array.from({ length: 100 }, (_, i) => option(i)) })]))).toEqual([]);
    const groups = Array.from({ length: 100 }, (_, g) => ({
      label: { type: 'plain_text', text: `Group ${g}` },
      options: Array.from({ length: 100 }, (_, i) => option(g * 100 + i)),
    }));
    expect(viewProblems(modal([select({ option_groups: groups })]))).toEqual([]);
  });

  it('refuses what Slack refuses in a select menu', () => {
    const problems = (element: Record<string, unknown>) => viewProblems(modal([select(element)])).join('\n');
    expect(problems({ options: Array.from({ length: 101 }, (_, i) => option(i)) })).toMatch(/101 options \(max 100\)/);
    expect(problems({ options: [option(1, 'x'.repeat(76))] })).toMatch(/option 0 text 76 chars \(max 75\)/);
    expect(problems({ options: [option(1, 'a', 'v'.repeat(151))] })).toMatch(/option 0 value 151 chars \(max 150\)/);
    expect(problems({ options: [option(1), option(2, 'b', 'rule_1')] })).toMatch(/used twice/);
    const group = (n: number, label = 'G') => ({
      label: { type: 'plain_text', text: label },
      options: Array.from({ length: n }, (_, i) => option(i + n * 1000)),
    });
    expect(
      problems({ option_groups: Array.from({ length: 101 }, (_, g) => ({ ...group(1), options: [option(g)] })) }),
    ).toMatch(/101 option groups \(max 100\)/);
    expect(problems({ option_groups: [group(101)] })).toMatch(/group 0: 101 options/);
    expect(problems({ option_groups: [group(1, 'L'.repeat(76))] })).toMatch(/group 0 label 76 chars/);
    const empty = problems({ options: [], placeholder: { type: 'plain_text', text: 'p'.repeat(151) } });
    expect(empty).toMatch(/no options/);
    expect(empty).toMatch(/placeholder 151 chars \(max 150\)/);
  });

  it('refuses long ids, metadata, titles and button texts', () => {
    const long = (n: number) => 'x'.repeat(n);
    expect(viewProblems(modal([], { private_metadata: long(3001) })).join()).toMatch(
      /private_metadata 3001 chars \(max 3000\)/,
    );
    expect(viewProblems(modal([], { private_metadata: long(3000) }))).toEqual([]);
    expect(viewProblems(modal([], { title: { type: 'plain_text', text: long(25) } })).join()).toMatch(
      /title 25 chars \(max 24\)/,
    );
    expect(viewProblems(modal([], { submit: { type: 'plain_text', text: long(25) } })).join()).toMatch(
      /submit 25 chars/,
    );
    expect(viewProblems(modal([], { close: { type: 'plain_text', text: long(25) } })).join()).toMatch(/close 25 chars/);
    expect(viewProblems(modal([], { callback_id: long(256) })).join()).toMatch(/callback_id 256 chars/);
    const actions = (...elements: ReturnType<typeof button>[]): KnownBlock => ({
      type: 'actions',
      block_id: 'b',
      elements,
    });
    expect(blockProblems([actions(button(long(76)))]).join()).toMatch(/element 0 text 76 chars \(max 75\)/);
    expect(blockProblems([actions(button('ok', long(2001)))]).join()).toMatch(
      /element 0 value 2001 chars \(max 2000\)/,
    );
    expect(blockProblems([actions(button('ok', '1', long(256)))]).join()).toMatch(/action_id 256 chars \(max 255\)/);
    expect(
      blockProblems([actions(...Array.from({ length: 26 }, (_, i) => button('ok', '1', `a${i}`)))]).join(),
    ).toMatch(/26 elements/);
    expect(
      blockProblems([{ type: 'section', block_id: long(256), text: { type: 'mrkdwn', text: 'hi' } }]).join(),
    ).toMatch(/block_id 256 chars/);
    expect(blockProblems([actions(button('a')), actions(button('b'))]).join()).toMatch(/block_id "b" used twice/);
    expect(
      blockProblems([
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'x' })) },
      ]).join(),
    ).toMatch(/11 elements/);
  });

  it('counts blocks per surface: 50 in a message, 100 in a modal or the Home tab', () => {
    const blocks: KnownBlock[] = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(blockProblems(blocks).join()).toMatch(/51 blocks \(max 50\)/);
    expect(viewProblems(modal(blocks))).toEqual([]);
    expect(viewProblems({ type: 'home', blocks: [...blocks, ...blocks] }).join()).toMatch(/102 blocks \(max 100\)/);
  });

  it('refuses input labels and text inputs past their limits', () => {
    const input = (label: string, element: Record<string, unknown>): KnownBlock =>
      ({
        type: 'input',
        block_id: 'i',
        label: { type: 'plain_text', text: label },
        element: { type: 'plain_text_input', action_id: 'value', ...element },
      }) as KnownBlock;
    expect(viewProblems(modal([input('x'.repeat(2001), {})])).join()).toMatch(/label 2001 chars \(max 2000\)/);
    expect(viewProblems(modal([input('ok', { max_length: 3001 })])).join()).toMatch(/max_length 3001/);
    expect(viewProblems(modal([input('ok', { max_length: 3000 })]))).toEqual([]);
    expect(viewProblems(modal([input('ok', {})], { submit: undefined })).join()).toMatch(/needs a submit button/);
  });
});
