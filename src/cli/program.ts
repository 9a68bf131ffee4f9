// `tally <command>`: the admin CLI. Every command parses its arguments, calls a service, and prints
// either an aligned table or, with --json, a stable JSON shape.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { runLine } from '../slack/console.js';
import { readSlackEnv } from '../slack/config.js';
import { jobsClient } from '../jobs/client.js';
import { drainOutbox } from '../jobs/outbox.js';
import { JOBS, runJob, type JobName } from '../jobs/run.js';
import { listRuns } from '../jobs/runs.js';
import { clockFromEnv } from '../clock.js';
import { readEnv } from '../config.js';
import { isDay, isMonth, monthOf, periodLabel } from '../core/dates.js';
import { formatFen, parseYuan, sumFen } from '../core/money.js';
import { TRACKS, trackKpis, type Track } from '../core/policy.js';
import { openDatabase, type Database } from '../db/open.js';
import { payrollFile } from '../export/payroll-file.js';
import { parseMetrics } from '../import/metrics.js';
import { parseRoster } from '../import/roster.js';
import { formatKpiValue, formatPoints, formatRatio, table } from '../present.js';
import { teamToday, type Tally } from '../service/context.js';
import { importMetrics } from '../service/metrics.js';
import { listPenalties, recordPenalty, revokePenalty, type PenaltyView } from '../service/penalties.js';
import { closeMonth, reopenMonth, TERMINAL } from '../service/months.js';
import { checkMonth } from '../service/closed.js';
import { policyInForce, setPolicy } from '../service/policy.js';
import { importRoster, listMembers, setActive } from '../service/roster.js';
import { isConflict } from '../service/serial.js';
import { CliRefusal, cliRefusal, plural } from './text.js';
import { memberScore, parsePeriod, payroll, scorePeriod, type PayrollRow } from '../service/scores.js';

export interface CliIo {
  /** one line or block of output (a newline follows) */
  out(text: string): void;
  /** output as it is, for files written to stdout (`payroll --csv > payroll.csv`); out() without it */
  write?(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

const TRACK_NAMES: Record<Track, string> = { presales: 'pre-sales 售前', aftersales: 'after-sales 售后' };

/** Runs one command line; resolves to the process exit code (0 ok, 1 refused input, 2 usage). */
export async function runCli(argv: string[], io: CliIo, opened?: Database): Promise<number> {
  // tests pass an open database to run many commands on one; otherwise each run opens and closes its own
  let database: Database | undefined = opened;
  const env = readEnv(io.env);
  const clock = clockFromEnv(env.TALLY_NOW);
  const tally = async (): Promise<Tally> => {
    database ??= await openDatabase(env.DATABASE_URL);
    return { db: database.prisma, clock };
  };
  const print = (json: boolean | undefined, value: unknown, human: () => string) =>
    io.out(json ? JSON.stringify(value, null, 2) : human());
  const program = buildProgram(tally, print, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const refused = cliRefusal(e);
    if (refused !== null) {
      io.err(`error: ${refused}`);
      return 1;
    }
    // a deadlock with another writer is an expected condition, not a crash: the transaction was rolled back
    if (isConflict(e)) {
      io.err(
        'error: another change to the same data got in the way (the database reported a deadlock); this change was not saved, run the command again',
      );
      return 1;
    }
    throw e;
  } finally {
    if (!opened) await database?.close();
  }
}

type Print = (json: boolean | undefined, value: unknown, human: () => string) => void;

async function sendQueued(t: Tally) {
  const slack = readSlackEnv();
  if (!slack.SLACK_BOT_TOKEN) throw new CliRefusal('sending needs SLACK_BOT_TOKEN (and SLACK_API_URL for a proxy)');
  return drainOutbox(t, jobsClient(slack.SLACK_BOT_TOKEN, slack.SLACK_API_URL), {
    log: pino({ level: 'warn' }, pino.destination(2)),
  });
}

function yuanOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const fen = parseYuan(value);
  if (fen === null)
    throw new CliRefusal(
      `--${name} "${value}": write an amount in yuan of 0 or more with at most 2 decimals, like 50 or 35.50`,
    );
  return fen;
}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliRefusal(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

function trackOption(value: string | undefined): Track | undefined {
  if (value === undefined) return undefined;
  if (!(TRACKS as readonly string[]).includes(value))
    throw new CliRefusal(`--track "${value}": use presales or aftersales`);
  return value as Track;
}

function penaltyLine(p: PenaltyView): string[] {
  const rule = p.ruleCode ? `${p.ruleCode} ${p.ruleLabel?.zh ?? ''}`.trim() : '(free reason)';
  return [
    `#${p.id}`,
    p.occurredOn,
    `${p.name} (${p.slackId})`,
    rule,
    formatFen(p.amountFen),
    String(p.points),
    p.status === 'active' ? 'active' : `revoked: ${p.revokeReason}`,
    p.reason,
  ];
}

function buildProgram(tally: () => Promise<Tally>, print: Print, io: CliIo): Command {
  // subcommands copy these settings when created, so they come first: never process.exit() in-process
  const program = new Command('tally')
    .description("Tally: the customer-service team's penalties, scores, rankings, awards and pay")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');

  const roster = program.command('roster').description('who is on the team');
  roster
    .command('import <file>')
    .description('add or update members from a CSV: slack_id,name,track,level,hired_on,role (never deletes)')
    .option('--by <slack_id>', 'who imports (for the audit trail)', 'cli')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { by: string; json?: boolean }) => {
      const entries = parseRoster(file, readInput(file));
      const r = await importRoster(await tally(), entries, { fileName: basename(file), by: o.by });
      print(o.json, r, () =>
        [
          `Imported ${file}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.`,
          ...(r.inactive.length ? [`Still deactivated (roster activate to bring back): ${r.inactive.join(', ')}`] : []),
        ].join('\n'),
      );
    });
  for (const [name, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    roster
      .command(`${name} <slack_id>`)
      .description(
        active ? 'bring a deactivated member back' : 'take a member off the active roster (their history stays)',
      )
      .option('--by <slack_id>', 'who does it (for the audit trail)', 'cli')
      .option('--json', 'machine-readable output')
      .action(async (slackId: string, o: { by: string; json?: boolean }) => {
        const m = await setActive(await tally(), slackId, active, o.by);
        print(o.json, m, () => `${m.name} (${m.slackId}) ${active ? 'is active again' : 'deactivated'}.`);
      });
  }
  roster
    .command('list')
    .description('the roster')
    .option('--all', 'include deactivated members')
    .option('--json', 'machine-readable output')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const members = await listMembers(await tally(), { includeInactive: o.all });
      print(o.json, { members }, () =>
        table(
          ['Slack ID', 'Name', 'Track', 'Level', 'Role', 'Hired', 'Active'],
          members.map((m) => [m.slackId, m.name, m.track, m.level, m.role, m.hiredOn, m.active ? 'yes' : 'no']),
        ),
      );
    });

  program
    .command('metrics')
    .description('daily KPI data')
    .command('import <file>')
    .description(
      'import daily rows: date,slack_id,inquiries,paid_customers,receptions,gmv,refund_customers,cases,resolved,service_score,avg_response_sec',
    )
    .option('--by <slack_id>', 'who imports (for the audit trail)', 'cli')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { by: string; json?: boolean }) => {
      const entries = parseMetrics(file, readInput(file));
      const r = await importMetrics(await tally(), entries, { fileName: basename(file), by: o.by });
      print(
        o.json,
        r,
        () =>
          `Imported ${file}: ${plural(r.rows, 'row')} for ${plural(r.members, 'member')}${r.from ? `, ${r.from} to ${r.to}` : ''}.`,
      );
    });

  const penalty = program.command('penalty').description('record, revoke and list penalties');
  penalty
    .command('add <slack_id> <rule_or_reason...>')
    .description(
      'record a penalty: a rule code or alias (optionally followed by a note), or a free reason with --amount',
    )
    .requiredOption('--by <slack_id>', 'the lead, supervisor or admin recording it')
    .option('--amount <yuan>', 'amount for a free reason, in yuan')
    .option('--loss <yuan>', 'the loss added to order_change_missed, in yuan')
    .option('--on <date>', 'the day it happened (default today)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        slackId: string,
        words: string[],
        o: { by: string; amount?: string; loss?: string; on?: string; json?: boolean },
      ) => {
        if (o.on !== undefined && !isDay(o.on))
          throw new CliRefusal(`--on "${o.on}": not a date that exists (YYYY-MM-DD)`);
        const r = await recordPenalty(await tally(), {
          slackId,
          by: o.by,
          text: words.join(' '),
          amountFen: yuanOption('amount', o.amount),
          lossFen: yuanOption('loss', o.loss),
          on: o.on,
        });
        const p = r.penalty;
        print(o.json, { ...p, monthCount: r.monthCount, triggered: r.triggered }, () => {
          const what = p.ruleCode
            ? `${p.ruleCode} (${p.ruleLabel?.zh}), ${ordinal(r.monthCount)} this month`
            : `"${p.reason}"`;
          const lines = [
            `Penalty #${p.id} recorded: ${p.name} (${p.slackId}), ${what}, ${formatFen(p.amountFen)}, ${p.points} points, on ${p.occurredOn}.`,
          ];
          for (const e of r.triggered) {
            lines.push(
              e.action === 'forfeit_commission'
                ? `→ ${r.month} commission forfeited.`
                : `→ flagged for dismissal (${ordinal(e.fromCount)} ${p.ruleCode} in ${r.month}).`,
            );
          }
          return lines.join('\n');
        });
      },
    );
  penalty
    .command('revoke <id>')
    .description('revoke a penalty (it stays on record as revoked)')
    .requiredOption('--by <slack_id>', 'the lead, supervisor or admin revoking it')
    .requiredOption('--why <text>', 'why it is revoked')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { by: string; why: string; json?: boolean }) => {
      if (!/^\d+$/.test(id)) throw new CliRefusal(`"${id}" is not a penalty id (a number, as shown by penalty list)`);
      const p = await revokePenalty(await tally(), { id: Number(id), by: o.by, why: o.why });
      print(o.json, p, () => `Penalty #${p.id} (${p.name}, ${formatFen(p.amountFen)}) revoked: ${p.revokeReason}`);
    });
  penalty
    .command('list')
    .description('penalties, revoked ones included')
    .option('--member <slack_id>', 'one member only')
    .option('--month <YYYY-MM>', 'one month only (by the day it happened)')
    .option('--json', 'machine-readable output')
    .action(async (o: { member?: string; month?: string; json?: boolean }) => {
      const rows = await listPenalties(await tally(), { slackId: o.member, month: o.month });
      print(o.json, { penalties: rows }, () =>
        rows.length
          ? table(
              ['ID', 'Date', 'Member', 'Rule', 'Amount', 'Points', 'Status', 'Reason'],
              rows.map(penaltyLine),
              [4, 5],
            )
          : 'No penalties.',
      );
    });

  program
    .command('rank')
    .description('the ranking of a day or a month, per track')
    .option('--day <YYYY-MM-DD>', 'one day')
    .option('--month <YYYY-MM>', 'one calendar month')
    .option('--track <track>', 'presales or aftersales')
    .option('--json', 'machine-readable output')
    .action(async (o: { day?: string; month?: string; track?: string; json?: boolean }) => {
      const period = parsePeriod(o);
      const only = trackOption(o.track);
      const scores = await scorePeriod(await tally(), period);
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

  program
    .command('payroll')
    .description("the month's pay for everyone on the roster")
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--json', 'machine-readable output')
    .option('--csv', 'CSV output, amounts in yuan')
    .action(async (o: { month: string; json?: boolean; csv?: boolean }) => {
      if (!isMonth(o.month)) throw new CliRefusal(`--month "${o.month}": not a month (YYYY-MM)`);
      const t = await tally();
      const p = await payroll(t, o.month);
      const rows = p.rows.map(payrollJson);
      if (o.csv) {
        // the same file the leads get from the monthly job, in the team's language
        const file = payrollFile(p.rows, (await teamToday(t)).policy.locale);
        return io.write ? io.write(file) : io.out(file.replace(/\r\n$/, ''));
      }
      print(o.json, { month: p.month, rows, closed: p.closed }, () => {
        // exact past 2^53, where adding doubles drops fen
        const total = sumFen(rows.map((r) => r.totalFen));
        const flags = (r: (typeof rows)[number]) =>
          [
            r.commissionForfeited && 'commission forfeited',
            r.dismissalFlag && 'DISMISSAL',
            r.rotationFlag && 'warehouse rotation',
          ]
            .filter(Boolean)
            .join(', ');
        return [
          `Payroll ${p.month}`,
          table(
            [
              'Name',
              'Slack ID',
              'Score',
              'Base',
              'Performance',
              'Commission',
              'Award',
              'Meal',
              'Penalties',
              'Total',
              'Flags',
            ],
            rows.map((r) => [
              r.name,
              r.slackId,
              r.score === null ? '—' : r.score.toFixed(2),
              formatFen(r.baseFen),
              formatFen(r.performanceFen),
              formatFen(r.commissionFen),
              formatFen(r.awardFen),
              formatFen(r.mealFen),
              r.penaltyFen ? `-${formatFen(r.penaltyFen)}` : formatFen(0),
              formatFen(r.totalFen),
              flags(r),
            ]),
            [2, 3, 4, 5, 6, 7, 8, 9],
          ),
          `${rows.length} people, ${formatFen(total)} in all.${p.closed ? ' Closed: these figures are frozen.' : ' Not closed yet: figures may still change.'}`,
        ].join('\n');
      });
    });

  program
    .command('score <slack_id>')
    .description("one member's score: per-KPI breakdown, penalties, rank (and payslip for a month)")
    .option('--day <YYYY-MM-DD>', 'one day')
    .option('--month <YYYY-MM>', 'one calendar month')
    .option('--json', 'machine-readable output')
    .action(async (slackId: string, o: { day?: string; month?: string; json?: boolean }) => {
      const period = parsePeriod(o);
      const t = await tally();
      const r = await memberScore(t, slackId, period);
      const items = (
        await listPenalties(t, { slackId, month: period.kind === 'month' ? period.month : monthOf(period.day) })
      ).filter((p) => period.kind === 'month' || p.occurredOn === period.day);
      const defs = Object.fromEntries(trackKpis(r.policy, r.member.track));
      const s = r.standing;
      const json = {
        period: periodLabel(period),
        slackId: r.member.slackId,
        name: r.member.name,
        track: r.member.track,
        level: r.member.level,
        score: s?.score.score ?? null,
        rank: s?.score.rank ?? null,
        ranked: r.ranked,
        kpiPoints: s ? round4(s.score.kpiPoints) : 0,
        penaltyPoints: r.penalties.points,
        kpis: (s?.score.kpis ?? []).map((k) => ({
          key: k.key,
          label: k.label,
          weight: k.weight,
          cap: k.cap,
          actual: k.actual,
          target: k.target,
          ratio: k.ratio,
          points: round4(k.points),
        })),
        penalties: {
          count: r.penalties.active.length,
          moneyFen: r.penalties.moneyFen,
          points: r.penalties.points,
          commissionForfeited: r.penalties.commissionForfeited,
          dismissalFlag: r.penalties.dismissalFlag,
          escalations: r.penalties.escalations,
          items,
        },
        award: s && 'award' in s ? s.award : null,
        payslip: r.payslip,
      };
      print(o.json, json, () => {
        const out = [
          `${r.member.name} (${r.member.slackId}), ${TRACK_NAMES[r.member.track]}, ${r.member.level}, ${periodLabel(period)}`,
        ];
        if (!s) out.push('No metrics for this period: not scored.');
        else {
          out.push(`Score ${s.score.score.toFixed(2)}, rank ${s.score.rank} of ${r.ranked}`);
          out.push(
            table(
              ['KPI', 'Actual', 'Target', 'Ratio', 'Weight', 'Points'],
              s.score.kpis.map((k) => [
                k.label.en,
                formatKpiValue(defs[k.key]!.actual, k.actual),
                formatKpiValue(defs[k.key]!.actual, k.target),
                formatRatio(k),
                String(k.weight),
                formatPoints(k.points),
              ]),
              [1, 2, 3, 4, 5],
            ),
          );
        }
        out.push(
          `Penalties: ${r.penalties.active.length} active, -${r.penalties.points} points, ${formatFen(r.penalties.moneyFen)}${r.penalties.commissionForfeited ? ', commission forfeited' : ''}${r.penalties.dismissalFlag ? ', FLAGGED FOR DISMISSAL' : ''}`,
        );
        for (const p of items) out.push(`  ${penaltyLine(p).slice(0, 7).join('  ')}`);
        if (s && 'award' in s && s.award.awardFen > 0)
          out.push(
            `Award: rank ${s.award.awardRank} among eligible${s.award.streak > 1 ? `, first ${s.award.streak} months running` : ''}, ${formatFen(s.award.awardFen)}`,
          );
        if (r.payslip) {
          const ps = r.payslip;
          out.push(
            `Payslip: base ${formatFen(ps.baseFen)} + performance ${formatFen(ps.performanceFen)} + commission ${formatFen(ps.commissionFen)} + award ${formatFen(ps.awardFen)} + meal ${formatFen(ps.mealFen)} - penalties ${formatFen(ps.penaltyFen)} = ${formatFen(ps.totalFen)}`,
          );
        }
        return out.join('\n');
      });
    });

  program
    .command('demo')
    .description('load the demo team from examples/ (roster, September and October 2026) into an empty database')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      if ((await t.db.member.count()) > 0)
        throw new CliRefusal('the roster is not empty: the demo team only goes into a new database');
      const dir = new URL('../../examples/', import.meta.url);
      const rosterRows = parseRoster('roster.csv', readFileSync(new URL('roster.csv', dir)));
      const metricRows = parseMetrics('metrics.csv', readFileSync(new URL('metrics.csv', dir)));
      // all or nothing: refuse before writing the roster if the metrics would be refused after it
      const { today } = await teamToday(t);
      const last = metricRows.reduce((d, r) => (r.day > d ? r.day : d), '');
      if (last > today)
        throw new CliRefusal(`the demo data runs to ${last}, after today (${today}); set TALLY_NOW to a later date`);
      const roster = await importRoster(t, rosterRows, { fileName: 'roster.csv', by: 'demo' });
      const metrics = await importMetrics(t, metricRows, { fileName: 'metrics.csv', by: 'demo' });
      print(
        o.json,
        { roster, metrics },
        () =>
          `Demo team loaded: ${roster.added} members, ${metrics.rows} days of metrics (${metrics.from} to ${metrics.to}).\nTry: tally rank --month 2026-10`,
      );
    });

  program
    .command('say <command_line>')
    .description(
      "run one slash command through Tally's Slack handlers as a member, and print the reply: tally say --as U123 '/myscore'",
    )
    .requiredOption('--as <slack_id>', 'who types it')
    .option('--json', 'the effects (reply, DMs, modal) as Slack Block Kit JSON')
    .action(async (line: string, o: { as: string; json?: boolean }) => {
      const t = await tally();
      const r = await runLine({ tally: t, log: pino({ level: 'warn' }, pino.destination(2)) }, o.as, line);
      print(o.json, r.effects ?? { text: r.text }, () => r.text);
    });

  const months = program.command('month').description('close a month (freeze its results) or reopen it');
  months
    .command('close <YYYY-MM>')
    .description("freeze a finished month's scores, ranks, awards and pay (the monthly job does this on the 1st)")
    .option('--by <slack_id>', 'who closes it (for the audit trail)', TERMINAL)
    .option('--json', 'machine-readable output')
    .action(async (month: string, o: { by: string; json?: boolean }) => {
      const t = await tally();
      const rows = await closeMonth(t, { month, by: o.by });
      // a month whose results were posted before it was reopened: closing it again publishes a correction
      if (await t.db.jobRun.findFirst({ where: { job: 'monthly', period: month, status: 'done' } })) {
        const r = await runJob(t, 'monthly', checkMonth(month), { owner: `cli:${process.pid}`, by: o.by });
        return print(
          o.json,
          { month, closed: true, members: rows.length, correction: r.period },
          () =>
            `${month} closed again: ${rows.length} people's results recomputed and frozen; a correction (${r.enqueued} messages) is queued.`,
        );
      }
      print(
        o.json,
        { month, closed: true, members: rows.length },
        () => `${month} closed: ${rows.length} people's results frozen.`,
      );
    });
  months
    .command('reopen <YYYY-MM>')
    .description(
      'reopen a closed month so imports and penalties for it are accepted again; closing it again recomputes it',
    )
    .requiredOption('--why <text>', 'why (kept in the audit trail)')
    .option('--by <slack_id>', 'the admin reopening it', TERMINAL)
    .option('--json', 'machine-readable output')
    .action(async (month: string, o: { why: string; by: string; json?: boolean }) => {
      await reopenMonth(await tally(), { month, by: o.by, why: o.why });
      print(
        o.json,
        { month, closed: false },
        () =>
          `${month} reopened: ${o.why}\nMake the changes, then close it again: tally month close ${month} (recomputes it and posts a correction).`,
      );
    });

  const jobs = program
    .command('jobs')
    .description('the scheduled posts: run one by hand, list past runs, send what is queued');
  jobs
    .command('run <job>')
    .description(
      'run the daily or monthly job now through the same code as the scheduler (once per period: a second run is skipped)',
    )
    .option('--period <period>', 'YYYY-MM-DD for daily (default today), YYYY-MM for monthly (default last month)')
    .option('--send', 'also send what it queued (needs SLACK_BOT_TOKEN)')
    .option('--force', "run today's daily before its time (the evening run is then skipped)")
    .option('--json', 'machine-readable output')
    .action(async (job: string, o: { period?: string; send?: boolean; force?: boolean; json?: boolean }) => {
      if (!(JOBS as readonly string[]).includes(job)) throw new CliRefusal(`"${job}" is not a job: daily or monthly`);
      const t = await tally();
      const r = await runJob(t, job as JobName, o.period, {
        owner: `cli:${process.pid}`,
        by: TERMINAL,
        force: o.force,
      });
      const sent = o.send ? await sendQueued(t) : undefined;
      print(
        o.json,
        { ...r, ...(sent ? { sent } : {}) },
        () =>
          (r.status === 'done'
            ? `${job} ${r.period}: done${r.correction ? ' (a correction)' : ''}, ${r.enqueued} messages queued${r.reason ? ` (${r.reason})` : ''}.`
            : `${job} ${r.period}: skipped, ${r.reason}.`) +
          (sent ? ` Sent ${sent.sent}, ${sent.retrying} to retry, ${sent.failed} failed.` : ''),
      );
    });
  jobs
    .command('list')
    .description('past runs, their status and their messages')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const runs = await listRuns(await tally());
      print(o.json, { runs }, () =>
        runs.length
          ? table(
              ['ID', 'Job', 'Period', 'Status', 'Late', 'Started', 'Sent', 'Pending', 'Failed', 'Error'],
              runs.map((r) => [
                String(r.id),
                r.job,
                r.period,
                r.status,
                r.late ? 'late' : '',
                r.startedAt.slice(0, 16),
                String(r.messages.sent),
                String(r.messages.pending),
                String(r.messages.failed),
                r.error ?? '',
              ]),
              [0, 6, 7, 8],
            )
          : 'No runs yet.',
      );
    });
  jobs
    .command('retry')
    .description('queue again the messages that failed (after fixing a channel or a token, for example)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = await tally();
      const r = await t.db.outbox.updateMany({
        where: { status: 'failed' },
        data: { status: 'pending', attempts: 0, nextAttemptAt: t.clock.now(), createdAt: t.clock.now() },
      });
      print(o.json, { requeued: r.count }, () => `${r.count} failed messages queued again.`);
    });
  jobs
    .command('send')
    .description('send the queued messages that are due (the running bot does this every few seconds)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await sendQueued(await tally());
      print(o.json, r, () => `Sent ${r.sent}, ${r.retrying} to retry later, ${r.failed} failed (admins are told).`);
    });

  const policy = program.command('policy').description("the team's policy: KPI weights, rules, pay, awards");
  policy
    .command('show')
    .description('the policy in force on a day (default today), as JSON')
    .option('--on <date>', 'the day')
    .option('--json', 'machine-readable output (the policy document alone)')
    .action(async (o: { on?: string; json?: boolean }) => {
      const p = await policyInForce(await tally(), o.on);
      print(
        o.json,
        p.policy,
        () =>
          `# policy in force on ${p.on} (${p.effectiveFrom ? `version effective from ${p.effectiveFrom}` : 'the default policy'})\n${JSON.stringify(p.policy, null, 2)}`,
      );
    });
  policy
    .command('set <file>')
    .description('change the policy from a date on: the JSON file overrides any part of the policy in force')
    .requiredOption('--from <date>', 'the first day the new policy applies')
    .option('--backdate', 'allow a date in the past (rescores periods from then on)')
    .option('--by <slack_id>', 'who changes it (for the audit trail)', 'cli')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { from: string; backdate?: boolean; by: string; json?: boolean }) => {
      let doc: unknown;
      try {
        doc = JSON.parse(new TextDecoder().decode(readInput(file)));
      } catch (e) {
        if (e instanceof CliRefusal) throw e;
        throw new CliRefusal(`${file}: not valid JSON (${(e as Error).message})`);
      }
      const r = await setPolicy(await tally(), doc, { from: o.from, by: o.by, backdate: o.backdate });
      print(o.json, r, () => `Policy from ${file} in force from ${r.effectiveFrom}.`);
    });

  return program;
}

function payrollJson(r: PayrollRow) {
  const ps = r.payslip;
  return {
    slackId: r.member.slackId,
    name: r.member.name,
    baseFen: ps.baseFen,
    performanceFen: ps.performanceFen,
    commissionFen: ps.commissionFen,
    awardFen: ps.awardFen,
    mealFen: ps.mealFen,
    penaltyFen: ps.penaltyFen,
    totalFen: ps.totalFen,
    commissionForfeited: r.penalties.commissionForfeited,
    dismissalFlag: r.penalties.dismissalFlag,
    rotationFlag: r.standing?.award.rotationFlag ?? false,
    track: r.member.track,
    level: r.member.level,
    score: r.standing?.score.score ?? null,
    rank: r.standing?.score.rank ?? null,
    awardRank: r.standing?.award.awardRank ?? null,
    streak: r.standing?.award.streak ?? 0,
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function ordinal(n: number): string {
  const s =
    n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
}
