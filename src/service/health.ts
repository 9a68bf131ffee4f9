// Whether the database answers, for the health endpoint (src/slack/health.ts words it): one cheap
// query with a short bound, so a probe never hangs on a database that is gone or stuck.
import type { Tally } from './context.js';

/** how long the health query may take before the database counts as not answering */
export const HEALTH_TIMEOUT_MS = 3_000;

/** ok; or the database did not answer in time (`late`), or failed with the driver's first line (`failed`) */
export type Health =
  { ok: true } | { ok: false; cause: 'late'; timeoutMs: number } | { ok: false; cause: 'failed'; detail: string };

/** `SELECT 1` on the database within `timeoutMs`. */
export async function databaseAnswers(t: Tally, timeoutMs = HEALTH_TIMEOUT_MS): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Health>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, cause: 'late', timeoutMs }), timeoutMs);
  });
  const asked = t.db.$queryRawUnsafe('SELECT 1').then(
    (): Health => ({ ok: true }),
    (e: unknown): Health => ({
      ok: false,
      cause: 'failed',
      detail: String((e as Error)?.message ?? e).split('\n')[0]!,
    }),
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}
