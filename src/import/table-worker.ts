// The thread a file is read in (started by table-thread.ts, which explains why): openTable on the
// file's bytes, the header said at once, then a batch of rows each time the bot asks for more.
import { parentPort, workerData } from 'node:worker_threads';
import { isTallyError } from '../errors.js';
import { bytesSource, openTable, type TableRow } from './table.js';
import { BATCH_CHARS, BATCH_ROWS, type FromThread, type ThreadStart } from './table-thread.js';

const port = parentPort!;
const start = workerData as ThreadStart;
const say = (m: FromThread) => port.postMessage(m);

function failed(e: unknown): FromThread {
  if (isTallyError(e)) return { kind: 'refused', code: e.code, params: e.params };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'failed', message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) };
}

try {
  const table = await openTable(bytesSource(start.name, start.bytes), {
    limits: start.limits,
    ...(start.sheet === undefined ? {} : { sheet: start.sheet }),
  });
  const rows = table.rows[Symbol.asyncIterator]();
  // asked one batch at a time: the next is read only once the bot wants it
  port.on('message', () => {
    void (async () => {
      const batch: TableRow[] = [];
      let chars = 0;
      while (batch.length < BATCH_ROWS && chars < BATCH_CHARS) {
        const r = await rows.next();
        if (r.done) return say({ kind: 'rows', rows: batch, done: true });
        batch.push(r.value);
        for (const c of r.value.cells) chars += c.length;
      }
      say({ kind: 'rows', rows: batch, done: false });
    })().catch((e: unknown) => say(failed(e)));
  });
  say({
    kind: 'table',
    file: table.file,
    ...(table.sheet === undefined ? {} : { sheet: table.sheet }),
    header: table.header,
  });
} catch (e) {
  say(failed(e));
}
