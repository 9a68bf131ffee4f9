// Tally's bot as `npm start` runs it, in a child process: its JSON log lines as they come, a wait for
// a line (no sleeps), signals, and its exit code.
import { spawn, type ChildProcess } from 'node:child_process';

export type LogLine = Record<string, unknown> & { msg?: string };

export class Bot {
  lines: LogLine[] = [];
  /** everything on stderr, for a failure's message */
  stderr = '';
  readonly exited: Promise<number | null>;
  private child: ChildProcess;
  private waiters = new Set<() => void>();
  private exitCode: number | null | undefined;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let partial = '';
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d;
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const p of parts) {
        try {
          this.lines.push(JSON.parse(p) as LogLine);
        } catch {
          this.lines.push({ text: p });
        }
      }
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code) => {
        this.exitCode = code;
        this.wake();
        resolve(code);
      }),
    );
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /** The first log line whose msg starts with `msg` (waits for it; fails if the bot exits first). */
  async line(msg: string, timeoutMs = 120_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith(msg));
      if (found) return found;
      if (this.exitCode !== undefined)
        throw new Error(`the bot exited (${this.exitCode}) before "${msg}":\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no "${msg}" in the bot's log:\n${this.stderr}`);
      await new Promise<void>((r) => {
        const w = () => (this.waiters.delete(w), r());
        this.waiters.add(w);
        setTimeout(w, 1000);
      });
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }
}
