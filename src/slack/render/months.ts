// Each month's state on App Home for staff: one line a month, newest first, a dozen at most.
import type { KnownBlock } from '@slack/types';
import type { MonthLine } from '../../service/month-list.js';
import { context, divider, escape, header, section } from '../blocks.js';
import type { Texts } from '../text/index.js';

/** Months App Home lists (one section: well within its 3,000 characters). */
export const HOME_MONTHS = 12;

/** Who closed or reopened a month: the schedule, the terminal or the console in words, a person as a mention. */
export function closer(tx: Texts, by: string, person: (slackId: string) => string): string {
  if (Object.hasOwn(tx.months.by, by)) return tx.months.by[by]!;
  return person(by);
}

const mention = (id: string) => (/^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escape(id));

export function monthsBlocks(tx: Texts, months: readonly MonthLine[]): KnownBlock[] {
  if (!months.length) return [];
  const shown = months.slice(0, HOME_MONTHS);
  const lines = shown.map((m) =>
    tx.months.line(m.month, m.state, { ...m, by: m.by === null ? '—' : closer(tx, m.by, mention) }),
  );
  return [
    divider(),
    header(tx.months.title),
    section(lines.join('\n')),
    ...(months.length > shown.length ? [context(tx.months.earlier(months.length - shown.length))] : []),
  ];
}
