// The monthly leaderboard as a PNG: Chart.js drawing on @napi-rs/canvas (its binary ships in the npm
// package), with a Chinese font from npm so names render the same on every machine.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Title, type Plugin } from 'chart.js';

const FONT = 'Noto Sans SC';
let ready = false;

function setUp(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const files = join(dirname(require.resolve('@fontsource-variable/noto-sans-sc/package.json')), 'files');
  for (const f of readdirSync(files)) if (f.endsWith('.woff2')) GlobalFonts.registerFromPath(join(files, f), FONT);
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title);
  Chart.defaults.font.family = FONT;
  ready = true;
}

/** Writes each bar's score at its end. */
const values: Plugin<'bar'> = {
  id: 'values',
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = `12px "${FONT}"`;
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'middle';
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      ctx.fillText(Number(chart.data.datasets[0]!.data[i]).toFixed(2), bar.x + 4, bar.y);
    });
    ctx.restore();
  },
};

export interface ChartRow {
  name: string;
  score: number;
  /** award winners are drawn in the accent colour */
  awarded: boolean;
}

/** A horizontal bar chart of the top of one track, best first. */
export async function leaderboardPng(title: string, rows: readonly ChartRow[], max = 20): Promise<Buffer> {
  setUp();
  const shown = rows.slice(0, max);
  const canvas = createCanvas(900, 90 + 28 * Math.max(shown.length, 1));
  const chart = new Chart(canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: {
      labels: shown.map((r) => r.name),
      datasets: [{ data: shown.map((r) => r.score), backgroundColor: shown.map((r) => (r.awarded ? '#e07a1f' : '#2f4858')), barPercentage: 0.8 }],
    },
    options: {
      indexAxis: 'y',
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: { right: 48 } },
      plugins: { title: { display: true, text: title, font: { size: 18 } }, legend: { display: false } },
      scales: { x: { beginAtZero: true } },
    },
    plugins: [values],
  });
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
