// Each layer of the Slack adapter in its room: renderers are pure (words and values in, Block Kit
// out), and nothing but the adapters (app.ts, console.ts) reaches into a command's file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function filesUnder(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)));
}

/** What a file imports at run time (`import type` left out), as written. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(join(SRC, file), 'utf8');
  return [...source.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('src/slack/render', () => {
  it.each(filesUnder('slack/render'))('%s imports no service, database or handler at run time', (file) => {
    const allowed =
      /^(\.\/[a-z-]+\.js|\.\.\/(blocks|ids)\.js|\.\.\/text\/(index|emoji)\.js|\.\.\/\.\.\/core\/[a-z-]+\.js|\.\.\/\.\.\/present\.js)$/;
    expect(runtimeImports(file).filter((spec) => !allowed.test(spec))).toEqual([]);
  });
});

describe('jobs, views and App Home', () => {
  const files = [...filesUnder('jobs'), ...filesUnder('slack/views'), 'slack/home.ts'];
  it.each(files)('%s takes its messages from the renderers, not from a command', (file) => {
    const source = readFileSync(join(SRC, file), 'utf8');
    expect(source).not.toMatch(/from\s+['"][^'"]*\/commands\//);
  });
});
