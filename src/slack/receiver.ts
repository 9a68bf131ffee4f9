// Bolt's HTTP receiver with what a public endpoint needs on top: Slack's timestamp window enforced
// both ways, and connections kept open longer than the load balancer in front keeps them.
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Server as HTTPSServer, ServerOptions as HTTPSServerOptions } from 'node:https';
import type { ListenOptions } from 'node:net';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';
import type { Logger } from 'pino';

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

export class TallyReceiver extends HTTPReceiver {
  constructor(opts: HTTPReceiverOptions, log: Logger) {
    super(opts);
    const next = this.requestListener;
    this.requestListener = (req: IncomingMessage, res: ServerResponse) => {
      // a request signed for the future would be replayable for as long as it is ahead: refuse it, unread
      if (req.method === 'POST' && !timestampInWindow(req.headers['x-slack-request-timestamp'], Date.now())) {
        log.warn(
          { timestamp: req.headers['x-slack-request-timestamp'] },
          `refused a Slack request stamped more than ${MAX_SKEW_SEC / 60} minutes from now`,
        );
        res.writeHead(401).end();
        return;
      }
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
