import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/slack/app.js';

it('manifest.yml declares every command the app handles, with escaped mentions, and the events it listens to', () => {
  const m = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));
  const commands = m.features.slash_commands as Array<{ command: string; should_escape: boolean }>;
  expect(commands.map((c) => c.command).sort()).toEqual(Object.keys(COMMANDS).sort());
  expect(commands.every((c) => c.should_escape === true)).toBe(true);
  expect(m.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  expect(m.settings.interactivity.is_enabled).toBe(true);
  expect(m.features.app_home.home_tab_enabled).toBe(true);
  // leads drop files into the DM with Tally: people may write there, and Tally hears it
  expect(m.features.app_home.messages_tab_enabled).toBe(true);
  expect(m.features.app_home.messages_tab_read_only_enabled).toBe(false);
  expect(m.settings.event_subscriptions.bot_events).toContain('message.im');
  expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write']));
});
