// A long import makes garbage faster than V8 chooses to collect it, on the CLI's thread and on the
// embedded database's (a heap may grow to gigabytes before a full collection, or carry a few hundred
// MB of garbage at Node's defaults). Each thread collects whenever its heap has grown by a set amount
// since its last collection: what stays alive plus that much garbage at most, for a few dozen
// collections of a few tens of milliseconds in a million-row import.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined;

export function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

/** A check to call after each written chunk: collects once the heap has grown `slackMb` past what the last collection kept. */
export function tidyHeap(slackMb = 32): () => void {
  let live = v8.getHeapStatistics().used_heap_size;
  return () => {
    if (v8.getHeapStatistics().used_heap_size < live + slackMb * 1_048_576) return;
    collectGarbage();
    live = v8.getHeapStatistics().used_heap_size;
  };
}
