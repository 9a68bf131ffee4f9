// Progress of a long import on stderr, for a person at a terminal: rows read and written, the rate
// and the time left (from the bytes read). Nothing with --json, or when the output is not a terminal.
import type { ImportProgress } from '../service/metrics.js';
import type { CliIo } from './program.js';

export interface Progress {
  onBytes(read: number): void;
  onProgress(p: ImportProgress): void;
  /** clears the line, success or not */
  done(): void;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export function progress(io: CliIo, json: boolean | undefined, size: number | undefined): Progress | undefined {
  const status = io.status;
  if (!status || json) return undefined;
  const start = Date.now();
  let bytes = 0;
  let last = 0;
  let at: ImportProgress = { read: 0, written: 0 };
  const show = () => {
    const now = Date.now();
    // a few times a second is enough for the eye
    if (now - last < 250) return;
    last = now;
    const seconds = (now - start) / 1000;
    const rate = seconds > 0 ? at.read / seconds : 0;
    const left = size && bytes > 0 && bytes < size ? (seconds * (size - bytes)) / bytes : undefined;
    status(
      `${count(at.read)} rows read, ${count(at.written)} written, ${count(rate)} rows/s` +
        (left === undefined ? '' : `, about ${duration(left)} left`),
    );
  };
  return {
    onBytes: (n) => {
      bytes = n;
      show();
    },
    onProgress: (p) => {
      at = p;
      show();
    },
    done: () => status(''),
  };
}
