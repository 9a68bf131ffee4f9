// The embedded database belongs to one process: two processes writing one PGlite directory lose
// each other's commits. The owner listens on a local socket named after the directory; the kernel
// closes it when the owner dies (kill -9 included), so a lock can never outlive its holder, and a
// reused pid (every container restart) or an unrelated live pid means nothing.
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { ConfigError } from '../config.js';

export interface DirLock {
  release(): Promise<void>;
}

interface Holder {
  pid?: number;
  host?: string;
  since?: string;
}

/** Directories this process holds, so a second open here gets its own message. */
const heldHere = new Set<string>();

// sun_path is 104 bytes on macOS, 108 on Linux, both including the final NUL
const MAX_SOCKET_PATH = 103;

/** The file-system socket: found by any process that sees the directory, whatever its namespaces. */
function fileSocket(dir: string, id: string): string | null {
  if (process.platform === 'win32') return null;
  const inDir = join(dir, '.tally.sock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
  // Linux has the abstract socket anyway; elsewhere a short name in the temp directory stands in
  return process.platform === 'linux' ? null : join(tmpdir(), `tally-${id}.sock`);
}

/** A socket with a name but no file (Linux abstract namespace, Windows pipe): freed by the kernel, never stale. */
function namedSocket(id: string): string | null {
  if (process.platform === 'linux') return `\0tally-${id}`;
  if (process.platform === 'win32') return `\\\\?\\pipe\\tally-${id}`;
  return null;
}

function listen(path: string, info: Holder): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.unref();
      socket.on('error', () => {});
      socket.end(`${JSON.stringify(info)}\n`);
    });
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      // the lock must not keep a finished CLI command alive
      server.unref();
      resolve(server);
    });
  });
}

/** Connects to a lock socket: a live holder answers (and says who it is); a dead one's file refuses. */
function probe(path: string): Promise<{ live: true; holder: Holder } | { live: false }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    let text = '';
    let connected = false;
    const done = (holder: Holder) => {
      socket.destroy();
      resolve({ live: true, holder });
    };
    // a holder whose event loop is busy still accepted the connection: live; only its name is missing
    const wait = setTimeout(() => done({}), 2_000);
    socket.setEncoding('utf8');
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk) => (text += chunk));
    socket.on('end', () => {
      clearTimeout(wait);
      try {
        done(JSON.parse(text) as Holder);
      } catch {
        done({});
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(wait);
      if (connected) return done({});
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' || e.code === 'ENOTSOCK') resolve({ live: false });
      else reject(e);
    });
  });
}

function inUse(dir: string, holder: Holder): ConfigError {
  const who = holder.pid ? ` (pid ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ''})` : '';
  return new ConfigError(`the database in ${dir} is in use by another Tally process${who}; stop it first, or use PostgreSQL (DATABASE_URL=postgresql://...) to run several`);
}

async function claim(path: string, dir: string, info: Holder, canBeStale: boolean): Promise<net.Server> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(path, info);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) {
        throw new ConfigError(`cannot lock the database in ${dir}: ${(e as Error).message}`);
      }
    }
    const found = await probe(path);
    if (found.live) throw inUse(dir, found.holder);
    // a socket file left by a holder that died: nobody listens on it any more
    if (canBeStale) rmSync(path, { force: true });
  }
}

/** Takes the directory for this process, or says in one line who has it. */
export async function lockDataDir(dir: string): Promise<DirLock> {
  const st = statSync(dir);
  // the directory itself, not its name: the same volume mounted elsewhere is the same database
  const id = createHash('sha256').update(`${st.dev}:${st.ino}`).digest('hex').slice(0, 32);
  if (heldHere.has(id)) throw new ConfigError(`the database in ${dir} is already open in this process`);
  heldHere.add(id);
  const servers: net.Server[] = [];
  const release = async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    heldHere.delete(id);
  };
  try {
    const info: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    // the named socket first: binding it is atomic, so two starters never both take over a stale file
    const named = namedSocket(id);
    if (named) servers.push(await claim(named, dir, info, false));
    // the file socket also reaches holders in other network namespaces (two containers on one volume)
    const file = fileSocket(dir, id);
    if (file) servers.push(await claim(file, dir, info, true));
    // the previous version's pid file: a pid proves nothing, so it is only cleared away
    rmSync(join(dir, 'tally.lock'), { force: true });
    return { release };
  } catch (e) {
    await release();
    throw e;
  }
}
