// The PostgreSQL connection pool Prisma runs on. Prisma loads several relations of one row at once,
// and inside a transaction they all go to its one client; pg queues them itself today but warns
// that pg 9 will refuse. SerialClient waits for a query to finish before starting the next.
import pg from 'pg';

type AnyQuery = (...args: unknown[]) => unknown;

export class SerialClient extends pg.Client {
  constructor(config?: ConstructorParameters<typeof pg.Client>[0]) {
    super(config);
    const original = (pg.Client.prototype.query as AnyQuery).bind(this);
    let tail: Promise<unknown> = Promise.resolve();
    // an own property in front of pg's overloaded method: each query starts when the one before has finished
    (this as unknown as { query: AnyQuery }).query = (...args: unknown[]): unknown => {
      // callback and stream (submittable) queries are pg's own internals, not Prisma's: leave them as they are
      if (
        typeof args[args.length - 1] === 'function' ||
        typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function'
      )
        return original(...args);
      const result = tail.then(() => original(...args));
      tail = result.catch(() => {});
      return result;
    };
  }
}

export function pgPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max, Client: SerialClient });
}
