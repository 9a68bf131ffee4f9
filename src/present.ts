// How Tally writes its numbers for people, shared by the CLI and Slack.
import type { KpiActual } from './core/policy.js';
import type { KpiScore } from './core/score.js';
import { formatFen } from './core/money.js';
import { shownLine } from './core/text.js';

/** A KPI's actual or target as a lead reads it: percentages for rates, ¥ for money, plain counts. */
export function formatKpiValue(def: KpiActual, value: number | null): string {
  if (value === null) return '—';
  if (def.kind === 'ratio' && def.numerator === 'gmvFen') return formatFen(Math.round(value));
  if (def.kind === 'ratio') return `${(value * 100).toFixed(1)}%`;
  if (def.kind === 'sum' && def.field === 'gmvFen') return formatFen(Math.round(value));
  if (def.kind === 'sum') return String(Math.round(value));
  if (def.field === 'avgResponseSec') return `${value.toFixed(1)}s`;
  return value.toFixed(1);
}

export function formatPoints(p: number): string {
  return p.toFixed(2);
}

export function formatRatio(k: KpiScore): string {
  return k.ratio === null ? '—' : k.ratio.toFixed(3);
}

/** Width of a string in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1;
  return w;
}

/** An aligned text table; columns listed in `right` are right-aligned (numbers, money). */
export function table(header: string[], cells: string[][], right: number[] = []): string {
  // a name holding a line break or a control character stays one cell on one row
  const rows = cells.map((r) => r.map(shownLine));
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(c));
        return right.includes(i) ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
