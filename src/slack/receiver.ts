// Bolt's HTTP receiver with what a public endpoint needs on top: Slack's timestamp window enforced
// both ways, and connections kept open longer than the load balancer in front keeps them.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Server as HTTPSServer, ServerOptions as HTTPSServerOptions } from 'node:https';
import type { ListenOptions } from 'node:net';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';
import type { Logger } from 'pino';
import { answerHealth, isHealthProbe, type HealthCheck } from './health.js';

/** a signed request more than this far from now, before or after, is refused (Bolt checks only the past) */
export const MAX_SKEW_SEC = 5 * 60;
/** above common load-balancer idle timeouts (60 s): the balancer closes an idle connection first, never Tally */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = 66_000;

/** Whether a request's x-slack-request-timestamp is within Slack's 5 minutes of now. */
export function timestampInWindow(header: string | string[] | undefined, nowMs: number): boolean {
  const ts = Number(header);
  return typeof header === 'string' && Number.isInteger(ts) && Math.abs(Math.floor(nowMs / 1000) - ts) <= MAX_SKEW_SEC;
}

/** the longest a handler's work waits for other requests' acks (a client trickling its body must not hold everyone up) */
export const ACK_FIRST_MAX_MS = 200;

/**
 * Knows the requests taken in and not answered yet, so that a handler's work can wait for the acks
 * of the requests that came in before it: a burst of commands is then acked before any of them is
 * worked on, and no ack queues behind another request's work on this thread. Requests taken in
 * later never hold it up, so steady overlapping traffic does not make every command wait.
 */
export class AckGate {
  private taken_ = 0;
  /** the sequence numbers of the requests not answered yet */
  private open = new Set<number>();
  private waiting = new Set<{ upTo: number; wake: () => void }>();

  /** A request taken in: answered once its response has finished or its connection closed. */
  taken(res: Pick<EventEmitter, 'once'>): void {
    const seq = this.taken_++;
    this.open.add(seq);
    const done = () => {
      if (!this.open.delete(seq)) return;
      for (const w of this.waiting) if (this.answeredUpTo(w.upTo)) w.wake();
    };
    res.once('finish', done);
    res.once('close', done);
  }

  private answeredUpTo(upTo: number): boolean {
    for (const seq of this.open) if (seq < upTo) return false;
    return true;
  }

  /** Resolves once every request taken in so far has been answered, or after ACK_FIRST_MAX_MS. */
  acksSent(): Promise<void> {
    const upTo = this.taken_;
    if (this.answeredUpTo(upTo)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        upTo,
        wake: () => {
          clearTimeout(timer);
          this.waiting.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, ACK_FIRST_MAX_MS);
      this.waiting.add(waiter);
    });
  }

  /** handlers still waiting (a waiter that timed out is gone) */
  get waiters(): number {
    return this.waiting.size;
  }
}

export class TallyReceiver extends HTTPReceiver {
  /** handlers wait here after their ack (see AckGate) */
  readonly acks = new AckGate();

  /** `health`: answers GET /healthz (src/slack/health.ts), unsigned, before anything else */
  constructor(opts: HTTPReceiverOptions, log: Logger, health?: HealthCheck) {
    super(opts);
    const next = this.requestListener;
    this.requestListener = (req: IncomingMessage, res: ServerResponse) => {
      if (health && isHealthProbe(req)) return void answerHealth(req, res, health);
      // a request signed for the future would be replayable for as long as it is ahead: refuse it, unread
      if (req.method === 'POST' && !timestampInWindow(req.headers['x-slack-request-timestamp'], Date.now())) {
        log.warn(
          { timestamp: req.headers['x-slack-request-timestamp'] },
          `refused a Slack request stamped more than ${MAX_SKEW_SEC / 60} minutes from now`,
        );
        res.writeHead(401).end();
        return;
      }
      this.acks.taken(res);
      next(req, res);
    };
  }

  override start(port: number): Promise<Server>;
  override start(port: string): Promise<Server>;
  override start(portOrListenOptions: number | string | ListenOptions, serverOptions?: ServerOptions): Promise<Server>;
  override start(
    portOrListenOptions: number | string | ListenOptions,
    httpsOptions?: HTTPSServerOptions,
  ): Promise<HTTPSServer>;
  override async start(
    portOrListenOptions: number | string | ListenOptions,
    options?: ServerOptions | HTTPSServerOptions,
  ): Promise<Server | HTTPSServer> {
    const server = await super.start(portOrListenOptions, options as ServerOptions);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    return server;
  }
}
