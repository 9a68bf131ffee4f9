// tally rank --day | --month [--track]
import type { Command } from 'commander';
import { periodLabel } from '../../core/dates.js';
import { TRACKS, type Track } from '../../core/policy.js';
import { lastFinishedMonth, scorePeriod } from '../../service/scores.js';
import { periodOption, trackOption } from '../args.js';
import { table } from '../output.js';
import type { CliContext } from '../program.js';

export const TRACK_NAMES: Record<Track, string> = { presales: 'pre-sales 售前', aftersales: 'after-sales 售后' };

export function registerRank(program: Command, { tally, print }: CliContext): void {
  program
    .command('rank')
    .description('the ranking of a day or a month, per track (default: the last finished month)')
    .option('--day <YYYY-MM-DD>', 'one day')
    .option('--month <YYYY-MM>', "one calendar month (default: last month, in the team's time zone)")
    .option('--track <track>', 'presales or aftersales')
    .option('--json', 'machine-readable output')
    .action(async (o: { day?: string; month?: string; track?: string; json?: boolean }, cmd: Command) => {
      // a period written wrong is said before the database is opened
      const given = o.day === undefined && o.month === undefined ? null : periodOption(cmd, o);
      const only = trackOption(o.track);
      const t = await tally();
      const period = given ?? { kind: 'month' as const, month: await lastFinishedMonth(t) };
      const scores = await scorePeriod(t, period);
      const tracks = only ? [only] : TRACKS;
      const rows = tracks.flatMap((tr) =>
        scores.tracks[tr].map((s) => ({
          slackId: s.member.slackId,
          name: s.member.name,
          track: tr,
          score: s.score.score,
          rank: s.score.rank,
        })),
      );
      print(o.json, { period: periodLabel(period), rows }, () =>
        tracks
          .map((tr) => {
            const list = rows.filter((r) => r.track === tr);
            const title = `Ranking ${periodLabel(period)}, ${TRACK_NAMES[tr]}`;
            return list.length
              ? `${title}\n${table(
                  ['Rank', 'Name', 'Slack ID', 'Score'],
                  list.map((r) => [String(r.rank), r.name, r.slackId, r.score.toFixed(2)]),
                  [0, 3],
                )}`
              : `${title}\n(no metrics for this period)`;
          })
          .join('\n\n'),
      );
    });
}
