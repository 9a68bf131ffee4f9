// The local console: Tally's Slack handlers on the embedded database, typed at a prompt. Type
// /penalty @name buck_passing as the chosen member; /as <slack_id|name> switches who you are.
// It says what Slack would say: refusals, the rule picker (as a numbered list) and every DM.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { KnownBlock, PlainTextOption, View } from '@slack/types';
import { shownLine, shownText } from '../core/text.js';
import { seedDemo } from '../demo/seed.js';
import { teamToday } from '../service/context.js';
import { listMembers, personNamed, STAFF_ROLES, type MemberView } from '../service/roster.js';
import { isTallyError, type TallyError } from '../errors.js';
import { message, section, type Effects } from './blocks.js';
import { leaderboardCommand } from './commands/leaderboard.js';
import { myscoreCommand } from './commands/myscore.js';
import { penaltyCommand } from './commands/penalty/index.js';
import { failed, failureOf, teamTexts, type Failure, type SlackDeps } from './context.js';
import { homeView } from './home.js';
import { ID } from './ids.js';
import { renderEffects, viewToText } from './render/text.js';
import type { Texts } from './text/index.js';
import {
  openAppeal,
  openDecision,
  readMetadata,
  submitAppeal,
  submitDecision,
  type ViewResult,
} from './views/appeal.js';
import { submitPick } from './views/pick.js';
import { freezeFinishedMonths } from '../jobs/freeze.js';

/** A rule picker waiting for its answer in the console: the modal's metadata and the rules it offers, in order. */
export interface PendingPick {
  meta: Record<string, unknown>;
  codes: string[];
}

export interface LineResult {
  text: string;
  effects?: Effects;
  /** set when the line opened the rule picker: the console takes the next line as its answer */
  pick?: PendingPick;
  /** the line was refused, or failed (what it printed says why); `usage`: not a command, or one written wrong */
  failure?: Failure | 'usage';
}

type Names = Map<string, string>;

/** A refusal shown inside a modal (Slack's field errors), or what the submission did. */
function viewEffects(r: ViewResult): Effects {
  if (!r.errors) return r.effects;
  const text = Object.values(r.errors).join('\n');
  return failed({ reply: message(text, [section(text)]), dms: [] }, 'refused');
}

/** The rules a picker modal offers, in the order Slack shows them. */
function pickChoices(view: View): Array<{ text: string; code: string }> {
  const block = (view.blocks as KnownBlock[]).find((b) => b.type === 'input' && b.block_id === ID.pickRule);
  const element = block?.type === 'input' && block.element.type === 'static_select' ? block.element : undefined;
  const options = [
    ...(element?.options ?? []),
    ...(element?.option_groups ?? []).flatMap((g) => g.options),
  ] as PlainTextOption[];
  return options.map((o) => ({ text: o.text.text, code: o.value ?? '' }));
}

/** A picker as text: its question, the rules numbered, and how to answer here. */
function pickText(tx: Texts, view: View, names: Names, inConsole: boolean): { text: string; pick: PendingPick } {
  const choices = pickChoices(view);
  const intro = view.blocks.filter((b) => b.type !== 'input');
  const list = choices.map((c, i) => `${i + 1}. ${c.text}`).join('\n');
  const how = inConsole ? tx.console.pickHow : tx.console.pickRetype;
  const text = [renderEffects({ dms: [], modal: { ...view, blocks: intro } }, names), list, how]
    .filter(Boolean)
    .join('\n');
  // a picker Tally built always carries JSON; anything else reads as empty and is refused as stale when answered
  return { text, pick: { meta: readMetadata(view.private_metadata), codes: choices.map((c) => c.code) } };
}

const PICK_NUMBER = /^\d{1,5}$/;
const PICK_AMOUNT = /^[¥￥]\s*\S+$|^\S+\s*元$/;

/** The console's answer to a waiting rule picker (a number, or an amount like ¥50); null when the line is something else. */
export async function answerPick(
  deps: SlackDeps,
  as: string,
  pick: PendingPick,
  line: string,
): Promise<LineResult | null> {
  const answer = line.trim();
  if (!PICK_NUMBER.test(answer) && !PICK_AMOUNT.test(answer)) return null;
  const members = await listMembers(deps.tally, { includeInactive: true });
  const names: Names = new Map(members.map((m) => [m.slackId, shownLine(m.name)]));
  if (PICK_NUMBER.test(answer)) {
    const n = Number(answer);
    const code = pick.codes[n - 1];
    if (!code) return { text: (await teamTexts(deps.tally)).console.noSuchChoice(n, pick.codes.length), pick };
    const r = await submitPick(deps, { userId: as, meta: pick.meta, ruleCode: code });
    return { text: renderEffects(viewEffects(r), names), effects: viewEffects(r), pick: r.errors ? pick : undefined };
  }
  const r = await submitPick(deps, { userId: as, meta: pick.meta, amount: answer });
  return { text: renderEffects(viewEffects(r), names), effects: viewEffects(r), pick: r.errors ? pick : undefined };
}

/** One line as `as` would type it in Slack; returns what Slack would show, as text (`tally say` prints it). */
export async function runLine(
  deps: SlackDeps,
  as: string,
  line: string,
  opts: { console?: boolean } = {},
): Promise<LineResult> {
  const tx = await teamTexts(deps.tally);
  const members = await listMembers(deps.tally, { includeInactive: true });
  const names: Names = new Map(members.map((m) => [m.slackId, shownLine(m.name)]));
  // `@吴晨` goes to the handlers as typed: they read a plain @name the same way whether it came over
  // HTTP, Socket Mode or from here
  const text = line.trim();
  const [command = '', ...rest] = text.split(/\s+/);
  const args = text.slice(command.length).trim();
  // a trigger, as Slack gives every command: the rule picker opens here too
  const input = { userId: as, text: args, triggerId: 'console' };
  const id = /^#?\d+$/.test(rest[0] ?? '') ? Number(rest[0]!.replace(/^#/, '')) : null;
  const comment = rest.slice(1).join(' ');
  let effects: Effects;
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
    case '/appeal': {
      // the Appeal button, then its modal: each refuses as it would in Slack
      if (id === null) return { text: tx.console.appealUsage, failure: 'usage' };
      const opened = await openAppeal(deps, { userId: as, penaltyId: id });
      effects = opened.modal ? viewEffects(await submitAppeal(deps, { userId: as, penaltyId: id, comment })) : opened;
      break;
    }
    case '/accept':
    case '/reject': {
      if (id === null) return { text: tx.console.decideUsage, failure: 'usage' };
      const accept = command === '/accept';
      const opened = await openDecision(deps, { userId: as, penaltyId: id, accept });
      effects = opened.modal
        ? viewEffects(await submitDecision(deps, { userId: as, penaltyId: id, accept, comment }))
        : opened;
      break;
    }
    case '/home':
      return { text: viewToText(await homeView(deps, as), names) };
    case '/who':
      return {
        text: members
          .map(
            (m) =>
              `${m.slackId}  ${shownLine(m.name)}  ${tx.track[m.track]}  ${tx.role[m.role]}${m.active ? '' : ` (${tx.inactive})`}`,
          )
          .join('\n'),
      };
    case '/help':
      return { text: tx.console.help };
    default:
      return { text: tx.console.help, failure: 'usage' };
  }
  if (effects.modal && effects.modal.callback_id === ID.pickModal) {
    // a terminal cannot show a modal: the same choice as a numbered list
    const { text: asked, pick } = pickText(tx, effects.modal, names, opts.console === true);
    return {
      text: [renderEffects({ ...effects, modal: undefined }, names), asked].filter(Boolean).join('\n'),
      effects,
      pick,
    };
  }
  const failure = failureOf(effects);
  return { text: renderEffects(effects, names), effects, ...(failure ? { failure } : {}) };
}

/**
 * Whom `/as <who>` names (the same reading as the CLI's --by and --as: a Slack id, or a name only one
 * person has, in any case), or what to say when nobody or several people are called so.
 */
async function someoneNamed(deps: SlackDeps, tx: Texts, who: string): Promise<MemberView | string> {
  const person = (p: { name: string; slackId: string }) => tx.console.person(shownLine(p.name), p.slackId);
  try {
    const id = await personNamed(deps.tally, who);
    return (
      (await listMembers(deps.tally, { includeInactive: true })).find((m) => m.slackId === id) ??
      tx.console.nobody(who, [])
    );
  } catch (e) {
    if (!isTallyError(e)) throw e;
    if (e.code === 'unknown_person')
      return tx.console.nobody(who, ((e as TallyError<'unknown_person'>).params.near ?? []).map(person));
    if (e.code === 'ambiguous_person')
      return tx.console.several(who, ((e as TallyError<'ambiguous_person'>).params.matches ?? []).map(person));
    throw e;
  }
}

export async function runConsole(
  deps: SlackDeps,
  io: { input: Readable; output: Writable; interactive: boolean },
): Promise<void> {
  // names from the roster go to a terminal: no escape sequence of theirs is run
  const write = (s: string) => io.output.write(`${shownText(s)}\n`);
  const t = deps.tally;
  const tx = await teamTexts(t);
  if ((await listMembers(t, { includeInactive: true })).length === 0) {
    const seeded = await seedDemo(t, (await teamToday(t)).today);
    write(tx.console.firstRun(seeded.members, seeded.rows, seeded.from, seeded.to));
  }
  // no scheduler runs here: finished months are frozen at start, as the monthly job would
  for (const month of await freezeFinishedMonths(t, { by: 'console' })) write(tx.console.froze(month));
  const roster = () => listMembers(t, { includeInactive: true });
  const first = await roster();
  // you start as the first lead, supervisor or admin on the roster
  const lead = first.filter((m) => m.active && STAFF_ROLES.includes(m.role)).sort((a, b) => a.id - b.id)[0];
  let as = lead?.slackId ?? first[0]!.slackId;
  const nameOf = async (id: string) => (await roster()).find((m) => m.slackId === id)?.name ?? id;
  write(`${tx.console.start(await nameOf(as), as)}\n${tx.console.help}`);
  const rl = createInterface({ input: io.input, terminal: io.interactive });
  const prompt = async () => io.interactive && io.output.write(`${shownLine(await nameOf(as))}> `);
  let pick: PendingPick | undefined;
  await prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) {
      await prompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    const answered = pick ? await answerPick(deps, as, pick, line) : null;
    if (answered) {
      pick = answered.pick;
      write(answered.text);
    } else if (line.startsWith('/as ')) {
      pick = undefined;
      const who = line.slice(4).trim().replace(/^@/, '');
      const m = await someoneNamed(deps, tx, who);
      write(typeof m === 'string' ? m : tx.console.nowYou(m.name, m.slackId, tx.role[m.role]));
      if (typeof m !== 'string') as = m.slackId;
    } else {
      const r = await runLine(deps, as, line, { console: true });
      pick = r.pick;
      write(r.text);
    }
    write('');
    await prompt();
  }
  rl.close();
}
