// Which code a Tally process runs, for the `tally` command (bin/tally.mjs) and the bot (`npm start`,
// bin/start.mjs) alike: the compiled one (dist/, `npm run build`; `npm install` builds it) when it is
// there and no source file is newer than it, otherwise the TypeScript itself through tsx's loader, so
// a source file edited since the build runs as edited. Compiled, a process starts quicker and is about
// 100 MB smaller (no loader, no transformed sources kept in memory, none in its threads either), and
// needs no tsx. TALLY_TSX=1 runs the TypeScript whatever the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout this file is in. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The compiled file of `entry` (`main`, `cli/main`: a path under src/ without `.ts`). */
export const compiledFile = (entry, root = ROOT) => join(root, 'dist', `${entry}.js`);

/** Whether dist/ holds `entry` built after the last change to src/ (a stale build would run old code). */
export function fresh(entry, root = ROOT) {
  const compiled = compiledFile(entry, root);
  if (process.env.TALLY_TSX === '1' || !existsSync(compiled)) return false;
  const built = statSync(compiled).mtimeMs;
  const src = join(root, 'src');
  for (const f of readdirSync(src, { recursive: true })) {
    if (statSync(join(src, f)).mtimeMs > built) return false;
  }
  return true;
}

/** Runs `entry` in this process: compiled when fresh, else the TypeScript through tsx. */
export async function runLatest(entry) {
  if (fresh(entry)) return import(pathToFileURL(compiledFile(entry)).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, 'src', `${entry}.ts`)).href);
}
