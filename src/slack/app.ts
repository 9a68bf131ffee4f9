// The Bolt app: builds it for HTTP or Socket Mode and registers every listener. Listeners ack at
// once, call a handler (which returns effects), and carry the effects out with the Web API.
import { createHash } from 'node:crypto';
import { App, LogLevel, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { alertMissingScope, missingScope } from '../jobs/outbox.js';
import { databaseAnswers } from '../service/health.js';
import { firstDelivery, forgetDelivery } from '../service/requests.js';
import type { Effects } from './blocks.js';
import { leaderboardCommand } from './commands/leaderboard.js';
import { myscoreCommand } from './commands/myscore.js';
import type { CommandInput } from './commands/input.js';
import { penaltyCommand } from './commands/penalty/index.js';
import { replyWith, teamTexts, type SlackDeps } from './context.js';
import { homeView } from './home.js';
import { ID } from './ids.js';
import { TallyReceiver } from './receiver.js';
import type { InFlight } from '../stop.js';
import {
  openAppeal,
  openDecision,
  readMetadata,
  submitAppeal,
  submitDecision,
  type ViewResult,
} from './views/appeal.js';
import { submitPick } from './views/pick.js';
import { approvePressed, declinePressed, submitDecline } from './views/promotions.js';
import type { Msg } from './blocks.js';
import { cancelPressed, fileShared, importPressed, type SharedFile } from './events/upload.js';
import { slackDownloader } from './files.js';

export interface AppOptions {
  mode:
    { kind: 'http'; botToken: string; signingSecret: string } | { kind: 'socket'; botToken: string; appToken: string };
  apiUrl?: string;
  /** Web API retries (tests lower them so a broken fake cannot hang a run) */
  retries?: number;
  /** keeps every request's handling until it ends, so that a stop can let it finish (src/stop.ts) */
  inFlight?: InFlight;
}

/**
 * Carries out a handler's effects: the modal first (its trigger expires in 3 s), then the DMs, then
 * the reply, so a lead's confirmation means the agent has been told. One failed DM is logged and
 * does not stop the others.
 */
export async function perform(
  client: WebClient,
  deps: SlackDeps,
  effects: Effects,
  via: { respond?: RespondFn; triggerId?: string; userId: string; message?: { channel: string; ts: string } },
): Promise<void> {
  if (effects.modal && via.triggerId) await client.views.open({ trigger_id: via.triggerId, view: effects.modal });
  if (effects.replace && via.message)
    await client.chat.update({
      channel: via.message.channel,
      ts: via.message.ts,
      text: effects.replace.text,
      blocks: effects.replace.blocks,
    });
  const dms = effects.reply && !via.respond ? [...effects.dms, { to: via.userId, msg: effects.reply }] : effects.dms;
  for (const dm of dms) {
    try {
      await client.chat.postMessage({ channel: dm.to, text: dm.msg.text, blocks: dm.msg.blocks });
    } catch (err) {
      deps.log.error({ err, to: dm.to }, 'could not send a direct message');
      await tellAdminsOfScope(deps, err);
    }
  }
  if (effects.reply && via.respond)
    await via.respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: effects.reply.text,
      blocks: effects.reply.blocks,
    });
}

/** Slack refused for want of a bot scope: the admins are told which one to add, not only the log. */
async function tellAdminsOfScope(deps: SlackDeps, err: unknown): Promise<void> {
  const scope = missingScope(err);
  if (scope)
    await alertMissingScope(deps.tally, scope).catch((e: unknown) =>
      deps.log.error({ err: e, scope }, 'could not alert the admins of a missing scope'),
    );
}

export const COMMANDS: Record<string, (deps: SlackDeps, input: CommandInput) => Promise<Effects>> = {
  '/penalty': penaltyCommand,
  '/myscore': myscoreCommand,
  '/leaderboard': leaderboardCommand,
};

/** Commands that only read: their answer may be computed while the request is being recorded. */
const READ_ONLY = new Set(['/myscore', '/leaderboard']);

/**
 * What makes a Slack request the same request again: an event's id; a command's or click's
 * trigger_id; for a modal submission (and anything else) its whole body, since a corrected
 * resubmission of the same modal is a new request.
 */
export function requestKey(payload: object): string {
  const body = payload as Record<string, unknown>;
  if (typeof body.event_id === 'string' && body.event_id) return `event:${body.event_id}`;
  if (body.type !== 'view_submission' && typeof body.trigger_id === 'string' && body.trigger_id)
    return `trigger:${body.trigger_id}`;
  return `body:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
}

type InputValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null }>
>;

const inputValue = (values: InputValues, block: string) => values[block]?.[ID.input];

export function buildApp(deps: SlackDeps, opts: AppOptions): App {
  const clientOptions = { slackApiUrl: opts.apiUrl, retryConfig: { retries: opts.retries ?? 10 } };
  const common = { token: opts.mode.botToken, logLevel: LogLevel.WARN, clientOptions, ignoreSelf: true };
  const receiver =
    opts.mode.kind === 'http'
      ? new TallyReceiver(
          { signingSecret: opts.mode.signingSecret, processBeforeResponse: false, logLevel: LogLevel.WARN },
          deps.log,
          () => databaseAnswers(deps.tally),
        )
      : null;
  const app =
    opts.mode.kind === 'socket'
      ? new App({ ...common, appToken: opts.mode.appToken, socketMode: true, installerOptions: { clientOptions } })
      : new App({ ...common, receiver: receiver! });
  if (opts.inFlight) {
    // both receivers hand each request to processEvent, which settles once its listeners have finished
    const process = app.processEvent.bind(app);
    const inFlight = opts.inFlight;
    app.processEvent = (event) => inFlight.track(process(event));
  }
  /** after an ack: lets the other requests that have come in be acked before this one is worked on */
  const acksFirst = () => receiver?.acks.acksSent() ?? Promise.resolve();
  const log = deps.log;
  /** a replay or a retry of a request already taken (by any replica) does nothing */
  const repeated = async (body: object): Promise<boolean> => {
    const key = requestKey(body);
    try {
      if (await firstDelivery(deps.tally, key)) return false;
    } catch (err) {
      // better twice than never: a database that cannot record the key will fail the handler anyway
      log.error({ err, key }, 'could not record a Slack request; handling it');
      return false;
    }
    log.warn({ key }, 'ignored a repeated Slack request');
    return true;
  };

  for (const [name, handler] of Object.entries(COMMANDS)) {
    app.command(name, async ({ ack, command, body, respond, client }) => {
      await ack();
      await acksFirst();
      const input = { userId: command.user_id, text: command.text ?? '', triggerId: command.trigger_id };
      let effects: Effects;
      if (READ_ONLY.has(name)) {
        // nothing is written: the answer is read while the request is recorded, and dropped if it was a repeat
        const [again, answer] = await Promise.all([repeated(body), handler(deps, input)]);
        if (again) return;
        effects = answer;
      } else {
        if (await repeated(body)) return;
        effects = await handler(deps, input);
      }
      await perform(client, deps, effects, { respond, triggerId: command.trigger_id, userId: command.user_id });
    });
  }

  app.action(ID.appealButton, async ({ ack, body, action, client }) => {
    await ack();
    if (await repeated(body)) return;
    const value = 'value' in action ? Number(action.value) : NaN;
    const b = body as { trigger_id: string; user: { id: string } };
    const effects = await openAppeal(deps, { userId: b.user.id, penaltyId: value });
    await perform(client, deps, effects, { triggerId: b.trigger_id, userId: b.user.id });
  });
  for (const [id, accept, names] of [
    [ID.acceptButton, true, 'penaltyId'],
    [ID.rejectButton, false, 'penaltyId'],
    [ID.acceptAppealButton, true, 'appealId'],
    [ID.rejectAppealButton, false, 'appealId'],
  ] as const) {
    app.action(id, async ({ ack, body, action, client }) => {
      await ack();
      if (await repeated(body)) return;
      const b = body as { trigger_id: string; user: { id: string } };
      const value = 'value' in action ? Number(action.value) : NaN;
      const effects = await openDecision(deps, {
        userId: b.user.id,
        ...(names === 'penaltyId' ? { penaltyId: value } : { appealId: value }),
        accept,
      });
      await perform(client, deps, effects, { triggerId: b.trigger_id, userId: b.user.id });
    });
  }

  const submitted = (
    run: (
      userId: string,
      meta: Record<string, unknown>,
      values: InputValues,
      rawMetadata: string | undefined,
    ) => Promise<ViewResult>,
  ) =>
    (async ({ ack, body, view, client }) => {
      if (await repeated(body)) return ack();
      const result = await run(
        body.user.id,
        readMetadata(view.private_metadata),
        view.state.values,
        view.private_metadata,
      );
      if (result.errors) {
        // nothing was taken: the same form sent again unchanged must get the same answer, not silence
        await forgetDelivery(deps.tally, requestKey(body)).catch((err: unknown) =>
          log.error({ err }, 'could not forget a refused submission'),
        );
        return ack({ response_action: 'errors', errors: result.errors });
      }
      await ack();
      await perform(client, deps, result.effects, { userId: body.user.id });
    }) as Parameters<App['view']>[1];
  app.view(
    ID.appealModal,
    submitted((userId, meta, values) =>
      submitAppeal(deps, {
        userId,
        penaltyId: Number(meta.penaltyId),
        comment: inputValue(values, ID.appealComment)?.value ?? '',
      }),
    ),
  );
  app.view(
    ID.decideModal,
    submitted((userId, meta, values) =>
      submitDecision(deps, {
        userId,
        // a form opened before appeals were named by their penalty carries the appeal's id
        ...(Object.hasOwn(meta, 'appealId') && !Object.hasOwn(meta, 'penaltyId')
          ? { appealId: Number(meta.appealId) }
          : { penaltyId: Number(meta.penaltyId) }),
        accept: meta.accept === true,
        comment: inputValue(values, ID.appealComment)?.value ?? '',
      }),
    ),
  );
  app.view(
    ID.pickModal,
    submitted((userId, meta, values) =>
      submitPick(deps, {
        userId,
        meta,
        ruleCode: inputValue(values, ID.pickRule)?.selected_option?.value,
        amount: inputValue(values, ID.pickAmount)?.value ?? undefined,
      }),
    ),
  );

  // promotions: Approve / Confirm decide at once (the pressed message loses that person's buttons),
  // Decline opens a modal for the reason
  for (const id of [ID.promotionApprove, ID.probationConfirm]) {
    app.action(id, async ({ ack, body, action, client }) => {
      await ack();
      if (await repeated(body)) return;
      const b = body as {
        user: { id: string };
        container?: { channel_id?: string; message_ts?: string };
        message?: Partial<Msg>;
      };
      const original =
        b.message?.blocks && b.message.text !== undefined
          ? { text: b.message.text, blocks: b.message.blocks }
          : undefined;
      const effects = await approvePressed(deps, {
        userId: b.user.id,
        value: 'value' in action ? String(action.value) : '',
        ...(original ? { original } : {}),
      });
      const message =
        b.container?.channel_id && b.container.message_ts
          ? { channel: b.container.channel_id, ts: b.container.message_ts }
          : undefined;
      await perform(client, deps, effects, { userId: b.user.id, message });
    });
  }
  app.action(ID.promotionDecline, async ({ ack, body, action, client }) => {
    await ack();
    if (await repeated(body)) return;
    const b = body as { trigger_id: string; user: { id: string } };
    const effects = await declinePressed(deps, {
      userId: b.user.id,
      value: 'value' in action ? String(action.value) : '',
    });
    await perform(client, deps, effects, { triggerId: b.trigger_id, userId: b.user.id });
  });
  app.view(
    ID.promotionDeclineModal,
    submitted((userId, _meta, values, raw) =>
      submitDecline(deps, { userId, meta: raw, why: inputValue(values, ID.promotionWhy)?.value ?? '' }),
    ),
  );

  for (const id of [ID.homeAppealsPrevious, ID.homeAppealsNext]) {
    app.action(id, async ({ ack, body, action, client }) => {
      await ack();
      const page = 'value' in action ? Number(action.value) : 1;
      await client.views.publish({
        user_id: body.user.id,
        view: await homeView(deps, body.user.id, { appealsPage: page }),
      });
    });
  }

  // a file dropped into the DM with Tally: previewed, imported on Import (see events/upload.ts)
  const download = slackDownloader(opts.mode.botToken, { apiUrl: opts.apiUrl });
  const downloadOrAlert = async (url: string) => {
    try {
      return await download(url);
    } catch (err) {
      const scope = (err as { missingScope?: string }).missingScope;
      if (scope)
        await alertMissingScope(deps.tally, scope).catch((e: unknown) =>
          log.error({ err: e, scope }, 'could not alert the admins of a missing scope'),
        );
      throw err;
    }
  };
  app.event('message', async ({ event, body, client }) => {
    const e = event as {
      channel_type?: string;
      subtype?: string;
      user?: string;
      bot_id?: string;
      files?: SharedFile[];
    };
    if (e.channel_type !== 'im' || !e.user || e.bot_id) return;
    if (e.subtype !== undefined && e.subtype !== 'file_share') return;
    if (await repeated(body)) return;
    const file = e.files?.[0];
    const effects = file
      ? await fileShared(deps, { userId: e.user, file }, downloadOrAlert)
      : replyWith((await teamTexts(deps.tally)).upload.hint);
    await perform(client, deps, effects, { userId: e.user });
  });
  for (const [id, pressed] of [
    [ID.uploadImport, importPressed],
    [ID.uploadCancel, cancelPressed],
  ] as const) {
    app.action(id, async ({ ack, body, action, client }) => {
      await ack();
      if (await repeated(body)) return;
      const b = body as { user: { id: string }; container?: { channel_id?: string; message_ts?: string } };
      const value = 'value' in action ? String(action.value) : '';
      const effects = await pressed(deps, { userId: b.user.id, id: value });
      const message =
        b.container?.channel_id && b.container.message_ts
          ? { channel: b.container.channel_id, ts: b.container.message_ts }
          : undefined;
      await perform(client, deps, effects, { userId: b.user.id, message });
    });
  }

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home' || (await repeated(body))) return;
    await client.views.publish({ user_id: event.user, view: await homeView(deps, event.user) });
  });

  app.error(async (error) => {
    log.error({ err: error }, 'bolt error');
    await tellAdminsOfScope(deps, error);
  });
  return app;
}
