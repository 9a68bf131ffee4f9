// Starting a worker thread on a module next to the caller, as Tally runs: compiled (`npm run build`,
// dist/), the .js file as it is; as TypeScript (tsx, vitest), the .ts file through tsx's loader,
// which threads do not inherit (it costs the thread some 30 MB).
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * tsx's loader by its path: a thread run on code given as text resolves bare names from the working
 * directory, and `tally` may run from anywhere (the CLI on a file in the user's home). Vitest's
 * module runner has no import.meta.resolve; it runs in the project, where the bare name resolves.
 */
function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

/** A thread running `./<name>.js` (or `.ts`) next to the module at `callerUrl` (its import.meta.url). */
export function startThread(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const target = new URL(`./${name}.ts`, callerUrl).href;
  return new Worker(
    `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); })`,
    { ...options, eval: true },
  );
}
