// The local console: Tally's Slack handlers on the embedded database, typed at a prompt. Type
// /penalty @name buck_passing as the chosen member; /as <slack_id|name> switches who you are.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { seedDemo } from '../demo/seed.js';
import { teamToday } from '../service/context.js';
import { listMembers, STAFF_ROLES } from '../service/roster.js';
import type { Effects } from './blocks.js';
import { leaderboardCommand } from './commands/leaderboard.js';
import { myscoreCommand } from './commands/myscore.js';
import { penaltyCommand } from './commands/penalty/index.js';
import { teamTexts, type SlackDeps } from './context.js';
import { homeView } from './home.js';
import { renderEffects, viewToText } from './render/text.js';
import { openDecision, submitAppeal, submitDecision } from './views/appeal.js';

const HELP = `Commands: /penalty, /myscore, /leaderboard (as in Slack; mention people as @name or @U123).
  /as <name|slack_id>   act as someone else        /who      the roster
  /home                 your App Home              /appeal <penalty id> <comment>
  /accept <appeal id> <comment>   /reject <appeal id> <comment>   /help   /quit`;

/** One line as `as` would type it in Slack; returns what Slack would show, as text. */
export async function runLine(deps: SlackDeps, as: string, line: string): Promise<{ text: string; effects?: Effects }> {
  const members = await listMembers(deps.tally, { includeInactive: true });
  const names = new Map(members.map((m) => [m.slackId, m.name]));
  const byName = new Map(
    members.flatMap((m) => [
      [m.name.toLowerCase(), m.slackId],
      [m.slackId.toLowerCase(), m.slackId],
    ]),
  );
  // @name or @U123 → <@U123|name>, as Slack sends mentions with should_escape on
  const text = line.replace(/@([^\s@]+)/g, (whole, word: string) => {
    const id = byName.get(word.toLowerCase());
    return id ? `<@${id}|${names.get(id)}>` : whole;
  });
  const [command = '', ...rest] = text.trim().split(/\s+/);
  const args = text.trim().slice(command.length).trim();
  const input = { userId: as, text: args };
  let effects: Effects | undefined;
  switch (command) {
    case '/penalty':
      effects = await penaltyCommand(deps, input);
      break;
    case '/myscore':
      effects = await myscoreCommand(deps, input);
      break;
    case '/leaderboard':
      effects = await leaderboardCommand(deps, input);
      break;
    case '/appeal':
      effects = (await submitAppeal(deps, { userId: as, penaltyId: Number(rest[0]), comment: rest.slice(1).join(' ') }))
        .effects;
      break;
    case '/accept':
    case '/reject': {
      const accept = command === '/accept';
      await openDecision(deps, { userId: as, appealId: Number(rest[0]), accept });
      const r = await submitDecision(deps, {
        userId: as,
        appealId: Number(rest[0]),
        accept,
        comment: rest.slice(1).join(' '),
      });
      effects = r.errors
        ? {
            dms: [],
            reply: {
              text: '',
              blocks: [{ type: 'section', text: { type: 'mrkdwn', text: Object.values(r.errors).join('\n') } }],
            },
          }
        : r.effects;
      break;
    }
    case '/home':
      return { text: viewToText(await homeView(deps, as), names) };
    case '/who': {
      const tx = await teamTexts(deps.tally);
      return {
        text: members
          .map(
            (m) =>
              `${m.slackId}  ${m.name}  ${tx.track[m.track]}  ${tx.role[m.role]}${m.active ? '' : ` (${tx.inactive})`}`,
          )
          .join('\n'),
      };
    }
    default:
      return { text: HELP };
  }
  if (effects.modal) {
    // a terminal cannot show a modal: say what it asks and how to answer on one line instead
    return {
      text: `${renderEffects(effects, names)}\n(in the console, write the rule code, or add an amount like ¥50)`,
      effects,
    };
  }
  return { text: renderEffects(effects, names), effects };
}

export async function runConsole(
  deps: SlackDeps,
  io: { input: Readable; output: Writable; interactive: boolean },
): Promise<void> {
  const write = (s: string) => io.output.write(`${s}\n`);
  const t = deps.tally;
  if ((await listMembers(t, { includeInactive: true })).length === 0) {
    const seeded = await seedDemo(t, (await teamToday(t)).today);
    write(
      `First run: loaded a demo team of ${seeded.members} with ${seeded.rows} member-days of metrics (${seeded.from} to ${seeded.to}).`,
    );
  }
  const roster = () => listMembers(t, { includeInactive: true });
  const first = await roster();
  // you start as the first lead, supervisor or admin on the roster
  const lead = first.filter((m) => m.active && STAFF_ROLES.includes(m.role)).sort((a, b) => a.id - b.id)[0];
  let as = lead?.slackId ?? first[0]!.slackId;
  const nameOf = async (id: string) => (await roster()).find((m) => m.slackId === id)?.name ?? id;
  write(`Tally local console. You are ${await nameOf(as)} (${as}). ${HELP}`);
  const rl = createInterface({ input: io.input, terminal: io.interactive });
  const prompt = async () => io.interactive && io.output.write(`${await nameOf(as)}> `);
  await prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) {
      await prompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    if (line.startsWith('/as ')) {
      const who = line.slice(4).trim().replace(/^@/, '');
      const m = (await roster()).find((x) => x.slackId === who || x.name === who);
      write(
        m
          ? `You are now ${m.name} (${m.slackId}), ${m.role}.`
          : `Nobody called "${who}" is on the roster (/who lists them).`,
      );
      if (m) as = m.slackId;
    } else {
      write((await runLine(deps, as, line)).text);
    }
    write('');
    await prompt();
  }
  rl.close();
}
