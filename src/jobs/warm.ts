// When the bot starts: the months a /myscore shows (this month, and the trend's months before it)
// are scored once in the background, so the first burst of requests after a start or a deploy
// reads them from memory like every later one, instead of fifty people waiting on the same months.
import { monthOf, type Month } from '../core/dates.js';
import type { Tally } from '../service/context.js';
import { teamToday } from '../service/context.js';
import { trendMonths } from '../service/promotions.js';
import { awardsKept, monthsResults } from '../service/scores.js';

/** Scores (or reads frozen) the months /myscore shows today; returns them, oldest first. */
export async function warmResults(t: Tally): Promise<Month[]> {
  const { today, policy } = await teamToday(t);
  const months = [...trendMonths(policy, today), monthOf(today)];
  await monthsResults(t, months);
  await awardsKept(t);
  return months;
}
