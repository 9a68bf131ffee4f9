// Only services touch the database: the adapters (Slack handlers, jobs, the CLI) call src/service and
// never import Prisma or src/db, nor reach for the database on the Tally context (`t.db`).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
// 'slack' joins this list once the render-console branch (issue 8) has moved its database calls into services
const ADAPTERS = ['jobs', 'cli', 'slack'];

const files = ADAPTERS.flatMap((dir) =>
  readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f)),
);

/** Whether an import names Prisma or the database module, by package or by path. */
function reachesDatabase(file: string, spec: string): boolean {
  if (spec.startsWith('@prisma/') || spec === 'prisma' || spec.startsWith('pglite-prisma-adapter')) return true;
  if (!spec.startsWith('.')) return false;
  const target = relative(SRC, resolve(dirname(join(SRC, file)), spec));
  return /^(db|generated)[/\\]/.test(target);
}

describe('adapters reach the database only through services', () => {
  it('checks every file of the adapters', () => {
    expect(files.length).toBeGreaterThan(ADAPTERS.length);
  });
  it.each(files)('%s imports neither Prisma nor src/db and never uses .db', (file) => {
    const source = readFileSync(join(SRC, file), 'utf8');
    const imports = [
      ...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => (m[1] ?? m[2])!);
    expect(imports.filter((spec) => reachesDatabase(file, spec))).toEqual([]);
    const lines = source
      .split('\n')
      .flatMap((line, i) => (/\.(db|prisma)\b/.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
    expect(lines).toEqual([]);
  });
});
