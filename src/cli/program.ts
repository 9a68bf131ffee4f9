// `tally <command>`: the admin CLI. Each command (src/cli/commands/) parses its arguments, calls a
// service, and prints either text for people or, with --json, a stable JSON shape (src/cli/output.ts).
import { Command, CommanderError } from 'commander';
import { clockFromEnv } from '../clock.js';
import { ConfigError, readEnv } from '../config.js';
import { faultOf, type DatabaseNotice } from '../faults.js';
import { openTally, tallyOver, type Database, type Tally } from '../service/context.js';
import { isConflict } from '../service/serial.js';
import { shownLine } from '../core/text.js';
import { printer, type Print } from './output.js';
import { CliRefusal, cliFault, cliNotice, cliOutputFault, cliRefusal, OutputFailed } from './text.js';

export interface CliIo {
  /** one line or block of output (a newline follows) */
  out(text: string): void;
  /** output as it is, for files written to stdout (`payroll --csv > payroll.csv`); out() without it */
  write?(text: string): void;
  err(text: string): void;
  /** a status line on stderr, rewritten in place (progress); only given when stdout and stderr are terminals */
  status?(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** What every command gets: where to print, and the services' context (the database opens on first use). */
export interface CliContext {
  io: CliIo;
  tally(): Promise<Tally>;
  print: Print;
}

/** Ends a command that printed what it had to say with this exit code (`say` of a refused command: 1). */
export class ExitCode extends Error {
  override name = 'ExitCode';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** sysexits' EX_TEMPFAIL: nothing was written and the same command may be run again once the fault is gone */
export const EXIT_FAULT = 75;

/** Runs one command line; resolves to the process exit code (0 ok, 1 refused input, 2 usage, 75 a fault of the machine). */
export async function runCli(argv: string[], io: CliIo, opened?: Database): Promise<number> {
  const env = readEnv(io.env);
  const clock = clockFromEnv(env.TALLY_NOW);
  // tests pass an open database to run many commands on one; otherwise each run opens and closes its own
  let session: { tally: Tally; close?: () => Promise<void> } | undefined = opened && {
    tally: tallyOver(opened, clock),
  };
  // a one-shot import streams a file: the embedded database then keeps a small page cache (memory over speed)
  const lean = argv[0] === 'metrics' || argv[0] === 'roster';
  const onNotice = (n: DatabaseNotice) => io.err(`note: ${cliNotice(n)}`);
  const tally = async (): Promise<Tally> =>
    (session ??= await openTally(env.DATABASE_URL, clock, { lean, onNotice })).tally;
  const program = await buildProgram({ io, tally, print: printer(io) }, argv[0]);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportFailure(e, io);
  } finally {
    await session?.close?.();
  }
}

/** The one place a failure becomes a line on stderr and an exit code; anything unexpected is rethrown. */
function reportFailure(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof ExitCode) return e.code;
  const refused = cliRefusal(e);
  if (refused !== null) {
    // one line, whatever the file or the command line put in it (a line break, a terminal's escape sequence)
    io.err(`error: ${shownLine(refused)}`);
    if (e instanceof CliRefusal) for (const line of e.details) io.err(`  ${shownLine(line)}`);
    // a database server down or starting up when the command began: a fault, worth running again
    return e instanceof ConfigError && faultOf(e.cause) ? EXIT_FAULT : 1;
  }
  // a deadlock with another writer is an expected condition, not a crash: the transaction was rolled back
  if (isConflict(e)) {
    io.err(
      'error: another change to the same data got in the way (the database reported a deadlock); this change was not saved, run the command again',
    );
    return 1;
  }
  const fault = faultOf(e);
  if (fault) {
    io.err(`error: ${e instanceof OutputFailed ? cliOutputFault(fault) : cliFault(fault)}`);
    return EXIT_FAULT;
  }
  throw e;
}

type Register = (program: Command, cli: CliContext) => void;

/**
 * Each command's module, loaded when it is needed, in the order `tally --help` lists them: a command
 * loads only what it uses (`metrics import` neither the Excel writer nor the chart renderer, Slack's
 * words or the scheduler), which keeps a big import's process small and every command quicker to start.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  roster: async () => (await import('./commands/roster.js')).registerRoster,
  metrics: async () => (await import('./commands/metrics.js')).registerMetrics,
  penalty: async () => (await import('./commands/penalty.js')).registerPenalty,
  rank: async () => (await import('./commands/rank.js')).registerRank,
  payroll: async () => (await import('./commands/payroll.js')).registerPayroll,
  chart: async () => (await import('./commands/chart.js')).registerChart,
  score: async () => (await import('./commands/score.js')).registerScore,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  say: async () => (await import('./commands/say.js')).registerSay,
  month: async () => (await import('./commands/month.js')).registerMonth,
  jobs: async () => (await import('./commands/jobs.js')).registerJobs,
  policy: async () => (await import('./commands/policy.js')).registerPolicy,
  promotions: async () => (await import('./commands/promotions.js')).registerPromotions,
  backup: async () => (await import('./commands/backup.js')).registerBackup,
  restore: async () => (await import('./commands/backup.js')).registerRestore,
};

/** The program with the named command, or with all of them (help, a mistyped command, no command). */
async function buildProgram(cli: CliContext, first: string | undefined): Promise<Command> {
  // subcommands copy these settings when created, so they come first: never process.exit() in-process
  const program = new Command('tally')
    .description("Tally: the customer-service team's penalties, scores, rankings, awards and pay")
    .exitOverride()
    .configureOutput({ writeOut: (s) => cli.io.out(s.trimEnd()), writeErr: (s) => cli.io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');
  const wanted = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) register(program, cli);
  return program;
}
