// The emoji Tally's words use, for screens that show no Slack shortcodes (the console, `tally say`).
export const EMOJI: ReadonlyMap<string, string> = new Map([
  ['no_entry_sign', '🚫'],
  ['warning', '⚠️'],
  ['rotating_light', '🚨'],
  ['white_check_mark', '✅'],
  ['hourglass', '⌛'],
]);

/** `:warning: ...` as `⚠️ ...`; a shortcode not in the table stays as written. */
export function showEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI.get(name) ?? whole);
}
