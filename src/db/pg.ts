// The PostgreSQL connection pool Prisma runs on. Prisma loads several relations of one row at once,
// and inside a transaction they all go to its one client; pg queues them itself today but warns
// that pg 9 will refuse. SerialClient waits for a query to finish before starting the next.
import pg from 'pg';

type AnyQuery = (...args: unknown[]) => unknown;

export class SerialClient extends pg.Client {
  private tail: Promise<unknown> = Promise.resolve();

  override query(...args: unknown[]): any {
    const run = (): unknown => (super.query as AnyQuery).apply(this, args);
    // callback and stream (submittable) queries are pg's own internals, not Prisma's: leave them as they are
    if (
      typeof args[args.length - 1] === 'function' ||
      typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function'
    )
      return run();
    const result = this.tail.then(run);
    this.tail = result.catch(() => {});
    return result;
  }
}

export function pgPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max, Client: SerialClient });
}
