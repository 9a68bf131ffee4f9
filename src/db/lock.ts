// The embedded database belongs to one process: two processes writing one PGlite directory lose
// each other's commits. The owner listens on a local socket named after the directory; the kernel
// closes it when the owner dies (kill -9 included), so a lock can never outlive its holder, and a
// reused pid (every container restart) or an unrelated live pid means nothing.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { ConfigError } from '../config.js';

export interface DirLock {
  release(): Promise<void>;
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

function listen(path: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    // a connection is the whole answer ("alive"): nothing to say, nothing that waits on this event loop
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      // the lock must not keep a finished CLI command alive
      server.unref();
      resolve(server);
    });
  });
}

/** Whether a process listens on the socket: a dead holder's file refuses the connection. */
function isHeld(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' || e.code === 'ENOTSOCK') resolve(false);
      else reject(e);
    });
  });
}

// the holder's pid, for messages only (it also keeps versions before the socket lock away); never trusted
const pidFile = (dir: string) => join(dir, 'tally.lock');

function inUse(dir: string): ConfigError {
  let pid = NaN;
  try {
    pid = Number(readFileSync(pidFile(dir), 'utf8'));
  } catch {
    // a holder that has not written it yet: no pid to name
  }
  return new ConfigError('db_in_use', { dir, ...(Number.isSafeInteger(pid) && pid > 0 ? { pid } : {}) });
}

async function claim(path: string, dir: string, canBeStale: boolean): Promise<net.Server> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) {
        const failed = new ConfigError('db_lock_failed', { dir, problem: (e as Error).message });
        // a read-only or forbidden directory is a fault of the machine (exit 75), not a setting
        failed.cause = e;
        throw failed;
      }
    }
    if (await isHeld(path)) throw inUse(dir);
    // a socket file left by a holder that died: nobody listens on it any more
    if (canBeStale) rmSync(path, { force: true });
  }
}

/** Takes the directory for this process, or says in one line who has it. */
export async function lockDataDir(dir: string): Promise<DirLock> {
  const st = statSync(dir, { bigint: true });
  // the directory itself, not its name: the same volume mounted elsewhere is the same database
  const id = createHash('sha256').update(`${st.dev}:${st.ino}`).digest('hex').slice(0, 32);
  if (heldHere.has(id)) throw new ConfigError('db_open_here', { dir });
  heldHere.add(id);
  const servers: net.Server[] = [];
  let written = false;
  const release = async () => {
    if (written) rmSync(pidFile(dir), { force: true });
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    heldHere.delete(id);
  };
  try {
    // the named socket first: binding it is atomic, so two starters never both take over a stale file
    const named = namedSocket(id);
    if (named) servers.push(await claim(named, dir, false));
    // the file socket also reaches holders in other network namespaces (two containers on one volume)
    const file = fileSocket(dir, id);
    if (file) servers.push(await claim(file, dir, true));
    // whatever pid file was there (a dead holder's, or an earlier version's) proves nothing: replaced
    writeFileSync(pidFile(dir), String(process.pid));
    written = true;
    return { release };
  } catch (e) {
    await release();
    throw e;
  }
}
