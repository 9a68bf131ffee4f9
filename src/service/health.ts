// Whether the database answers, for the health endpoint (src/slack/health.ts): one cheap query with
// a short bound, so a probe never hangs on a database that is gone or stuck.
import type { Tally } from './context.js';

/** how long the health query may take before the database counts as not answering */
export const HEALTH_TIMEOUT_MS = 3_000;

export type Health = { ok: true } | { ok: false; problem: string };

/** `SELECT 1` on the database within `timeoutMs`: ok, or what went wrong in one line. */
export async function databaseAnswers(t: Tally, timeoutMs = HEALTH_TIMEOUT_MS): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Health>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, problem: `the database did not answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
  });
  const asked = t.db.$queryRawUnsafe('SELECT 1').then(
    (): Health => ({ ok: true }),
    (e: unknown): Health => ({
      ok: false,
      problem: `the database did not answer: ${String((e as Error)?.message ?? e)
        .split('\n')[0]!
        .slice(0, 200)}`,
    }),
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}
