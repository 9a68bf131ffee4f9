// The monthly leaderboard as a PNG. The chart is drawn as SVG and rasterised by resvg (WebAssembly,
// so nothing native to install), with Noto Sans SC from npm (WOFF2 decoded by wawoff2, also
// WebAssembly) so Chinese names render the same on every machine.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { shownLine } from '../core/text.js';

const require = createRequire(import.meta.url);
const FONT = 'Noto Sans SC';
let fonts: Promise<Uint8Array[]> | undefined;

/** Loads resvg and the font once per process (about a second; the monthly job needs it once). */
function setUp(): Promise<Uint8Array[]> {
  fonts ??= (async () => {
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    const { decompress } = require('wawoff2') as { decompress: (woff2: Uint8Array) => Promise<Uint8Array> };
    const dir = join(dirname(require.resolve('@fontsource-variable/noto-sans-sc/package.json')), 'files');
    const out: Uint8Array[] = [];
    // one at a time, each copied out: the decoder returns a view into its own memory, reused by the next call
    for (const f of readdirSync(dir).filter((name) => name.endsWith('.woff2')))
      out.push((await decompress(readFileSync(join(dir, f)))).slice());
    return out;
  })();
  return fonts;
}

export interface ChartRow {
  name: string;
  score: number;
  /** award winners are drawn in the accent colour */
  awarded: boolean;
}

// a name is one line of text whatever it holds: a control character would make the whole SVG invalid
const xml = (s: string) =>
  shownLine(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart as SVG: a horizontal bar per agent, best first, with the score at the bar's end. */
export function leaderboardSvg(title: string, rows: readonly ChartRow[], max = 20): string {
  const shown = rows.slice(0, max);
  const width = 900;
  const left = 150;
  const right = 70;
  const top = 60;
  const bar = 28;
  const height = top + bar * Math.max(shown.length, 1) + 40;
  const best = Math.max(1, ...shown.map((r) => r.score));
  const scale = (width - left - right) / (Math.ceil(best / 20) * 20);
  const ticks = Array.from({ length: Math.ceil(best / 20) + 1 }, (_, i) => i * 20);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="34" font-size="20" font-weight="bold" text-anchor="middle" fill="#333">${xml(title)}</text>`,
    ...ticks.map(
      (v) =>
        `<line x1="${left + v * scale}" y1="${top - 6}" x2="${left + v * scale}" y2="${height - 34}" stroke="#e5e5e5"/><text x="${left + v * scale}" y="${height - 16}" font-size="12" text-anchor="middle" fill="#666">${v}</text>`,
    ),
    ...shown.map((r, i) => {
      const y = top + i * bar;
      const w = Math.max(1, r.score * scale);
      return [
        `<text x="${left - 8}" y="${y + bar / 2 + 5}" font-size="14" text-anchor="end" fill="#333">${xml(r.name)}</text>`,
        `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${bar - 8}" fill="${r.awarded ? '#e07a1f' : '#2f4858'}"/>`,
        `<text x="${(left + w + 6).toFixed(1)}" y="${y + bar / 2 + 5}" font-size="12" fill="#333">${r.score.toFixed(2)}</text>`,
      ].join('');
    }),
    '</svg>',
  ];
  return parts.join('\n');
}

export async function leaderboardPng(title: string, rows: readonly ChartRow[], max = 20): Promise<Buffer> {
  const fontBuffers = await setUp();
  const png = new Resvg(leaderboardSvg(title, rows, max), {
    font: { fontBuffers, defaultFontFamily: FONT, loadSystemFonts: false },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
