// What every Slack handler starts from: who is asking, in which language, and how a refusal is told.
import type { Logger } from 'pino';
import { isTallyError } from '../errors.js';
import { faultOf } from '../faults.js';
import { PolicyMoved, rememberedTeam, teamToday, type Tally } from '../service/context.js';
import { message, section, type Effects } from './blocks.js';
import { explain, texts, type Texts } from './text/index.js';

export interface SlackDeps {
  tally: Tally;
  log: Logger;
}

export type Team = Awaited<ReturnType<typeof teamToday>>;

export async function teamTexts(t: Tally): Promise<Texts> {
  return texts((await teamToday(t)).policy.locale);
}

export const noEffects = (): Effects => ({ dms: [] });

/** How a handler failed: refused (a TallyError), a fault of the machine, or anything else (apologised for). */
export type Failure = 'refused' | 'fault' | 'failed';

/** The replies guarded() made of a failure: `tally say` exits non-zero on them; Slack sees the same objects unchanged. */
const failures = new WeakMap<Effects, Failure>();

/** Marks effects as telling the user of a failure (a reply guarded() made, or a modal's refusal shown as a reply). */
export function failed(effects: Effects, how: Failure): Effects {
  failures.set(effects, how);
  return effects;
}

/** Whether these effects are a refusal or a failure guarded() told the user about; undefined when the handler did its work. */
export const failureOf = (effects: Effects): Failure | undefined => failures.get(effects);
export const replyWith = (text: string): Effects => ({ reply: message(text, [section(text)]), dms: [] });

/**
 * Runs a handler; a refusal (TallyError) becomes one ephemeral line in the team's language, a fault
 * of the machine (src/faults.ts) a short apology that says what happened, any other failure is
 * logged with its context and the user gets a short apology, never a stack trace.
 */
export async function guarded(
  deps: SlackDeps,
  what: Record<string, unknown>,
  run: (tx: Texts, team: Team & { heads?: string }) => Promise<Effects>,
  /**
   * remembered: the team as this process read it last, with no query of its own; `run` must pass
   * team.heads to a read that checks them (memberScore's ReadAlso), and runs again on a change
   */
  opts: { remembered?: boolean } = {},
): Promise<Effects> {
  let tx: Texts | undefined;
  try {
    // today, the policy in force and its language: read once per request
    const known = opts.remembered ? await rememberedTeam(deps.tally) : null;
    if (known) {
      // an unexpected failure is apologised for in these words
      tx = texts(known.policy.locale);
      try {
        return await run(tx, known);
      } catch (e) {
        // a policy changed since (PolicyMoved), or a refusal given before the read that checks it
        // (a bad date, staff only): asked again with the policy read now, it is told in today's words
        if (!(e instanceof PolicyMoved) && !isTallyError(e)) throw e;
      }
    }
    const team = await teamToday(deps.tally);
    tx = texts(team.policy.locale);
    return await run(tx, team);
  } catch (e) {
    if (isTallyError(e)) return failed(replyWith(explain(tx ?? texts('zh-CN'), e)), 'refused');
    // the database out of reach, its disk full: logged as what it is (no stack), and said as such
    const fault = faultOf(e);
    if (fault) {
      deps.log.error({ fault, ...what }, 'slack handler met a fault: nothing was saved');
      return failed(replyWith((tx ?? texts('zh-CN')).fault[fault.kind]), 'fault');
    }
    deps.log.error({ err: e, ...what }, 'slack handler failed');
    return failed(replyWith((tx ?? texts('zh-CN')).apology), 'failed');
  }
}
