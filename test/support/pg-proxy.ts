// A TCP proxy in front of the test's PostgreSQL that can cut the connection of the command under test at
// a chosen statement: `drop` closes the client's socket (what a network cut or a restarted proxy does),
// `terminate` has the server end that backend (pg_terminate_backend, as an admin or a failover does).
import net from 'node:net';
import pg from 'pg';

export type Cut = 'drop' | 'terminate';

export class PgProxy {
  private server!: net.Server;
  private links = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private cutAt: { sql: string; how: Cut } | null = null;
  /** how many connections were cut */
  cuts = 0;
  private target: URL;

  constructor(url: string) {
    this.target = new URL(url);
  }

  /** `port`: a given one (a proxy started again where the client's URL points), else a free one */
  async start(port = 0): Promise<this> {
    this.server = net.createServer((client) => this.link(client));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this;
  }

  /** The database's URL through this proxy. */
  get url(): string {
    const u = new URL(this.target);
    u.host = `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    return u.toString();
  }

  /** Cuts the connection that next sends a statement containing `sql`, before the server sees it. */
  cutOn(sql: string, how: Cut): void {
    this.cutAt = { sql, how };
  }

  /** Stops listening and cuts everything: the database is out of reach. */
  async stop(): Promise<void> {
    for (const l of this.links) l.client.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private link(client: net.Socket): void {
    const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
    const l = { client, upstream };
    this.links.add(l);
    let held = Promise.resolve();
    client.on('data', (data) => {
      const cut = this.cutAt;
      if (cut && data.includes(cut.sql)) {
        this.cutAt = null;
        this.cuts++;
        if (cut.how === 'drop') {
          client.destroy();
          upstream.destroy();
          return;
        }
        // the server ends this very backend, then the statement reaches a connection that is gone
        held = held.then(() => this.terminate(upstream.localPort!)).then(() => void upstream.write(data));
        return;
      }
      held = held.then(() => void upstream.write(data));
    });
    upstream.on('data', (data) => client.write(data));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.links.delete(l);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private async terminate(port: number): Promise<void> {
    const admin = new pg.Client({ connectionString: this.target.toString() });
    await admin.connect();
    try {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = $1 AND pid <> pg_backend_pid()',
        [port],
      );
      // the backend is gone once pg_stat_activity no longer lists it
      while ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE client_port = $1', [port])).rowCount) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await admin.end();
    }
  }
}
