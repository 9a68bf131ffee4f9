import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRefusal } from '../../src/cli/text.js';
import { ConfigError } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';

/** The line the CLI prints for a refused open, or the error itself if it is not one. */
const refusedWith = (opening: Promise<unknown>) =>
  opening.then(
    () => 'opened',
    (e: unknown) => cliRefusal(e) ?? e,
  );

interface Started {
  child: ChildProcess;
  /** the first line the process prints: "open <pid>" or "refused <pid>: <why>" */
  line: Promise<string>;
  exit: Promise<number | string | null>;
}

// `unshare --pid --fork --mount-proc` starts a fresh pid namespace, as a container restart does: sh is
// pid 1 there and the Tally process pid 2, every time
function start(command: string[], opts: { namespace: boolean; env?: NodeJS.ProcessEnv }): Started {
  const argv = opts.namespace
    ? ['unshare', '--pid', '--fork', '--mount-proc', 'sh', '-c', '"$@"; exit $?', 'sh', ...command]
    : command;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
  const lines = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exit = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const line = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    void exit.then((code) => reject(new Error(`exited ${code} before printing a line: ${stderr}`)));
  });
  line.catch(() => {});
  return { child, line, exit };
}

const holdDb = (dir: string, mode: 'crash' | 'hold' | 'close', namespace: boolean) =>
  start(['node', '--import', 'tsx', 'test/db/hold-db.ts', dir, mode], { namespace });

// one initialised database, copied for each test: creating one costs seconds of WebAssembly
const template = mkdtempSync(join(tmpdir(), 'tally-lock-template-'));
beforeAll(async () => (await openDatabase(`pglite:${template}`)).close());
function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-lock-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

describe('opening the database', () => {
  it('lets one process own an embedded database: a second open is refused until the first closes', async () => {
    const dir = newDir();
    const first = await openDatabase(`pglite:${dir}`);
    expect(await refusedWith(openDatabase(`pglite:${dir}`))).toMatch(/already open in this process/);
    await first.close();
    const again = await openDatabase(`pglite:${dir}`);
    await again.close();
  });

  it(
    "reopens after a kill -9, also when the new process gets the dead one's pid (a container restart)",
    { timeout: 240_000 },
    async () => {
      const dir = newDir();
      const crashed = holdDb(dir, 'crash', true);
      const [, pid] = /^open (\d+)$/.exec(await crashed.line)!;
      expect(await crashed.exit).toBe(137);
      expect(readdirSync(dir)).toContain('.tally.sock'); // left behind by the dead holder
      const next = holdDb(dir, 'close', true);
      expect(await next.line).toBe(`open ${pid}`);
      expect(await next.exit).toBe(0);
    },
  );

  it('takes over a lock file of the previous version that names a live process, unrelated or this one', async () => {
    const dir = newDir();
    const sleeper = spawn('sleep', ['600']);
    try {
      writeFileSync(join(dir, 'tally.lock'), String(sleeper.pid));
      const db = await openDatabase(`pglite:${dir}`);
      await db.close();
      writeFileSync(join(dir, 'tally.lock'), String(process.pid));
      const again = await openDatabase(`pglite:${dir}`);
      await again.close();
      expect(readdirSync(dir)).not.toContain('tally.lock');
    } finally {
      sleeper.kill();
    }
  });

  it(
    'refuses a second live Tally process with one line naming the first, from any pid namespace, until it stops',
    { timeout: 240_000 },
    async () => {
      const dir = newDir();
      const holder = holdDb(dir, 'hold', true);
      expect(await holder.line).toMatch(/^open 2$/);
      const refusal = `the database in ${dir} is in use by another Tally process (pid 2); stop it first, or use PostgreSQL (DATABASE_URL=postgresql://...) to run several`;
      await expect(openDatabase(`pglite:${dir}`)).rejects.toThrow(ConfigError);
      expect(await refusedWith(openDatabase(`pglite:${dir}`))).toBe(refusal);
      // the command a lead types, in another container's pid namespace
      const cli = start(['node', 'bin/tally.mjs', 'roster', 'list'], {
        namespace: true,
        env: { ...process.env, DATABASE_URL: `pglite:${dir}` },
      });
      let stderr = '';
      cli.child.stderr!.on('data', (s: string) => (stderr += s));
      expect(await cli.exit).toBe(1);
      expect(stderr).toBe(`error: ${refusal}\n`);
      holder.child.stdin!.end();
      expect(await holder.exit).toBe(0);
      const db = await openDatabase(`pglite:${dir}`);
      await db.close();
    },
  );

  it(
    'still refuses a second process when the directory path is too long for a socket file',
    { timeout: 240_000 },
    async () => {
      const dir = join(
        newDir(),
        'a-data-directory-whose-path-is-longer-than-a-unix-socket-address-can-hold-'.repeat(2),
      );
      cpSync(template, dir, { recursive: true });
      const holder = holdDb(dir, 'hold', false);
      const [, pid] = /^open (\d+)$/.exec(await holder.line)!;
      expect(await refusedWith(openDatabase(`pglite:${dir}`))).toContain(
        `in use by another Tally process (pid ${pid})`,
      );
      expect(readdirSync(dir)).not.toContain('.tally.sock');
      holder.child.stdin!.end();
      expect(await holder.exit).toBe(0);
    },
  );

  it('says in one line what is wrong with DATABASE_URL or the server', async () => {
    await expect(openDatabase('mysql://x')).rejects.toThrow(ConfigError);
    expect(await refusedWith(openDatabase('mysql://x'))).toMatch(
      /DATABASE_URL must be postgresql:\/\/\.\.\., pglite:<dir> or pglite:memory/,
    );
    const down = openDatabase('postgresql://postgres@127.0.0.1:1/test');
    await expect(down).rejects.toThrow(ConfigError);
    expect(await refusedWith(openDatabase('postgresql://postgres@127.0.0.1:1/test'))).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test: /,
    );
  });
});
