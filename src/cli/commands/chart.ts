// tally chart --month YYYY-MM --out <dir>: the month's chart per track as PNG files, the ones the
// monthly job posts to the team channel, drawn whether or not the team has a channel.
import type { Command } from 'commander';
import { addMonths, isMonth, monthOf } from '../../core/dates.js';
import { teamToday } from '../../service/context.js';
import { outDir, writeMonthFiles, writtenText } from '../month-files.js';
import { CliRefusal } from '../text.js';
import type { CliContext } from '../program.js';

export function registerChart(program: Command, { tally, print }: CliContext): void {
  program
    .command('chart')
    .description(
      "write a month's ranking chart per track (PNG: ranks, award winners, who is not eligible for an award and why) into a directory",
    )
    .option('--month <YYYY-MM>', 'the month (default last month); a month not closed yet is marked provisional')
    .requiredOption('--out <dir>', 'the directory to write into (created if missing)')
    .option('--json', 'machine-readable output')
    .action(async (o: { month?: string; out: string; json?: boolean }) => {
      if (o.month !== undefined && !isMonth(o.month))
        throw new CliRefusal(`--month "${o.month}": not a month (YYYY-MM)`);
      const dir = outDir(o.out);
      const t = await tally();
      const month = o.month ?? addMonths(monthOf((await teamToday(t)).today), -1);
      const w = await writeMonthFiles(t, month, dir, false);
      print(o.json, { month, dir: w.dir, files: w.files, provisional: w.provisional }, () => writtenText(w, month));
    });
}
