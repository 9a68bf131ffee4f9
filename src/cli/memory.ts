// A long import makes garbage faster than V8 chooses to collect it (its heap may grow to gigabytes
// before a full collection): the CLI collects every 100,000 rows, which keeps a million-row import
// at a few hundred MB for about 1 s of extra work.
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

/** Every `every` rows written, a full collection. */
export function tidyEvery(every = 100_000): (written: number) => void {
  let next = every;
  return (written) => {
    if (written < next) return;
    next = written + every;
    collectGarbage();
  };
}
