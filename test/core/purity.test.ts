// The formula core is pure: it may import its own files and zod (policy validation), nothing else:
// no database, no Slack, no file system, no clock.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '../../src/core');

describe('src/core', () => {
  const files = readdirSync(CORE).filter((f) => f.endsWith('.ts'));
  it.each(files)('%s imports only core files and zod', (file) => {
    const source = readFileSync(join(CORE, file), 'utf8');
    const imports = [
      ...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] ?? m[2]);
    expect(imports.filter((spec) => !/^\.\/[a-z-]+\.js$/.test(spec!) && spec !== 'zod')).toEqual([]);
    expect(source).not.toMatch(/\b(process\.|Date\.now\(|new Date\(\)|console\.)/);
  });
});
