// A clean stop (SIGTERM, SIGINT): what is in progress gets a bounded time to finish, then is told to
// stop (a job rolls back and releases its lease); the database is closed last, so the embedded one
// needs no recovery at the next start. src/main.ts runs the steps.

/** how long a request or a job in progress gets to finish before it is told to stop (and rolls back) */
export const STOP_WAIT_MS = 10_000;
/** after that, how long a job gets to roll back, and the database to close */
export const ROLLBACK_WAIT_MS = 5_000;

/** The work started and not finished yet (a Slack request's handler, after its ack). */
export class InFlight {
  private open = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.open.add(work);
    const done = () => void this.open.delete(work);
    work.then(done, done);
    return work;
  }

  get count(): number {
    return this.open.size;
  }

  /** Resolves once everything tracked so far has settled (failures included). */
  async settled(): Promise<void> {
    while (this.open.size) await Promise.allSettled([...this.open]);
  }
}

/** Whether `work` settled within `ms` (it goes on either way). */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a job stopped before it finished: Tally was stopping. */
export class Stopping extends Error {
  override name = 'Stopping';
  constructor() {
    super('Tally was stopping: rolled back before it finished; it runs again at the next start');
  }
}
