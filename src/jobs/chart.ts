// The monthly leaderboard as a PNG. The chart is drawn as SVG and rasterised by resvg (WebAssembly,
// so nothing native to install), with Noto Sans SC from npm (WOFF2 decoded by wawoff2, also
// WebAssembly) so Chinese names render the same on every machine.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { shownLine } from '../core/text.js';
import { displayWidth } from '../present.js';

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
  /** the rank in the track, drawn before the name (the row's place + 1 when absent) */
  rank?: number;
  /** the award, at the bar's end ("¥100") */
  award?: string;
  /** not eligible for an award: why, in a few words; drawn grey, the reason at the bar's end */
  notEligible?: string;
}

/** The legend's words; without them the chart has no legend (a preview, a test). */
export interface ChartLegend {
  awardWinner: string;
  /** eligible, without an award */
  ranked: string;
  /** the line for those not eligible, with every reason the chart shows */
  notEligible: string;
}

/** the rank's right edge; the name starts just after it */
const RANK_X = 60;
const COLOUR = { award: '#e07a1f', ranked: '#2f4858', notEligible: '#b8c0c6' } as const;

// a name is one line of text whatever it holds: a control character would make the whole SVG invalid
const xml = (s: string) =>
  shownLine(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About how wide a text is drawn (px): CJK characters are square, Latin ones about half as wide. */
const textWidth = (s: string, size: number) => displayWidth(shownLine(s)) * size * 0.56;

/** A name cut (with …) to what fits in `px` at this font size: a long one would run into the rank. */
function fit(name: string, px: number, size: number): string {
  const s = shownLine(name);
  if (textWidth(s, size) <= px) return s;
  const chars = [...s];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size) > px) chars.pop();
  return `${chars.join('')}…`;
}

/**
 * The chart as SVG: a horizontal bar per agent, best first, the rank and name before the bar, the
 * score (and the award, or why someone is not eligible for one) at its end, and a legend below.
 */
export function leaderboardSvg(title: string, rows: readonly ChartRow[], legend?: ChartLegend, max = 20): string {
  const shown = rows.slice(0, max);
  const width = 900;
  const left = 220;
  const right = 190;
  const top = 60;
  const bar = 28;
  const axis = top + bar * Math.max(shown.length, 1);
  const items = legend
    ? [
        { colour: COLOUR.award, text: legend.awardWinner },
        { colour: COLOUR.ranked, text: legend.ranked },
        ...(shown.some((r) => r.notEligible) ? [{ colour: COLOUR.notEligible, text: legend.notEligible }] : []),
      ]
    : [];
  // the legend's items side by side, on as many lines as they need
  const placed: { colour: string; text: string; x: number; line: number }[] = [];
  let x = 40;
  let line = 0;
  for (const it of items) {
    const w = 18 + textWidth(it.text, 13) + 28;
    if (x > 40 && x + w > width - 40) {
      line += 1;
      x = 40;
    }
    placed.push({ ...it, x, line });
    x += w;
  }
  const legendTop = axis + 52;
  const height = axis + 40 + (placed.length ? 22 * (line + 1) + 16 : 0);
  const best = Math.max(1, ...shown.map((r) => r.score));
  const scale = (width - left - right) / (Math.ceil(best / 20) * 20);
  const ticks = Array.from({ length: Math.ceil(best / 20) + 1 }, (_, i) => i * 20);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="34" font-size="20" font-weight="bold" text-anchor="middle" fill="#333">${xml(title)}</text>`,
    ...ticks.map(
      (v) =>
        `<line x1="${left + v * scale}" y1="${top - 6}" x2="${left + v * scale}" y2="${axis + 6}" stroke="#e5e5e5"/><text x="${left + v * scale}" y="${axis + 24}" font-size="12" text-anchor="middle" fill="#666">${v}</text>`,
    ),
    ...shown.map((r, i) => {
      const y = top + i * bar;
      const w = Math.max(1, r.score * scale);
      const colour = r.awarded ? COLOUR.award : r.notEligible ? COLOUR.notEligible : COLOUR.ranked;
      const end = [r.score.toFixed(2), ...(r.award ? [r.award] : []), ...(r.notEligible ? [r.notEligible] : [])];
      return [
        `<text x="${RANK_X}" y="${y + bar / 2 + 5}" font-size="14" text-anchor="end" fill="#666">${r.rank ?? i + 1}</text>`,
        `<text x="${RANK_X + 12}" y="${y + bar / 2 + 5}" font-size="14" fill="#333">${xml(fit(r.name, left - 10 - (RANK_X + 12), 14))}</text>`,
        `<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${bar - 8}" fill="${colour}"/>`,
        `<text x="${(left + w + 6).toFixed(1)}" y="${y + bar / 2 + 5}" font-size="12" fill="#333">${xml(end[0]!)}${end
          .slice(1)
          .map(
            (e) =>
              `<tspan dx="8" fill="${r.awarded ? '#b35f12' : '#666'}"${r.awarded ? ' font-weight="bold"' : ''}>${xml(e)}</tspan>`,
          )
          .join('')}</text>`,
      ].join('');
    }),
    ...placed.map(
      (p) =>
        `<rect x="${p.x.toFixed(1)}" y="${legendTop + 22 * p.line - 11}" width="12" height="12" fill="${p.colour}"/><text x="${(p.x + 18).toFixed(1)}" y="${legendTop + 22 * p.line}" font-size="13" fill="#333">${xml(p.text)}</text>`,
    ),
    '</svg>',
  ];
  return parts.join('\n');
}

export async function leaderboardPng(
  title: string,
  rows: readonly ChartRow[],
  legend?: ChartLegend,
  max = 20,
): Promise<Buffer> {
  const fontBuffers = await setUp();
  const png = new Resvg(leaderboardSvg(title, rows, legend, max), {
    font: { fontBuffers, defaultFontFamily: FONT, loadSystemFonts: false },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
