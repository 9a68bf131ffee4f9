// GET /healthz (HEAD too): 200 {"ok":true} once the database answers, 503 {"ok":false,"problem":...}
// otherwise. In HTTP mode the receiver answers it on PORT before any signature check (a load
// balancer or a supervisor cannot sign); in Socket Mode a listener of its own on HEALTH_PORT.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from '../service/health.js';

export const HEALTH_PATH = '/healthz';

export type HealthCheck = () => Promise<Health>;

/** Whether a request is the health probe (GET or HEAD on /healthz, any query string). */
export function isHealthProbe(req: IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  return path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD');
}

/** Answers the probe: asks the database, then 200 or 503, never cached. */
export async function answerHealth(req: IncomingMessage, res: ServerResponse, check: HealthCheck): Promise<void> {
  let health: Health;
  try {
    health = await check();
  } catch (e) {
    health = { ok: false, cause: 'failed', detail: String((e as Error)?.message ?? e) };
  }
  const body = JSON.stringify(health.ok ? { ok: true } : { ok: false, problem: problemOf(health) });
  res.writeHead(health.ok ? 200 : 503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The probe's one line for an operator: why the database counts as not answering. */
function problemOf(h: Exclude<Health, { ok: true }>): string {
  return h.cause === 'late'
    ? `the database did not answer within ${h.timeoutMs / 1000} s`
    : `the database did not answer: ${h.detail.slice(0, 200)}`;
}

/** Socket Mode's health listener: /healthz only, everything else 404. */
export async function startHealthServer(port: number, host: string | undefined, check: HealthCheck): Promise<Server> {
  const server = createServer((req, res) => {
    if (isHealthProbe(req)) return void answerHealth(req, res, check);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, ...(host ? { host } : {}) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Where a server listens, for the log line. */
export function whereListening(server: Server): { host: string; port: number } | null {
  const a = server.address() as AddressInfo | string | null;
  return a && typeof a === 'object' ? { host: a.address, port: a.port } : null;
}
