// Reads the parts of the project's Markdown that tests keep in step with the code: tables and fenced blocks.

export interface Table {
  /** the nearest heading above the table */
  heading: string;
  header: string[];
  rows: string[][];
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

/** Every table of a Markdown text, with its header cells and body rows (the `|---|` line left out). */
export function tables(md: string): Table[] {
  const out: Table[] = [];
  let heading = '';
  let current: Table | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    if (!current) {
      current = { heading, header: cells(line), rows: [] };
      out.push(current);
    } else if (!/^\|[\s|:-]+\|$/.test(line.trim())) current.rows.push(cells(line));
  }
  return out;
}

export interface Block {
  /** the word after the opening fence (`sh`, `text`), or '' */
  lang: string;
  lines: string[];
}

/** The fenced blocks (```lang ... ```) under a heading, in order, up to the next heading of its level or above. */
export function blocksUnder(md: string, heading: string): Block[] {
  const lines = md.split('\n');
  const at = lines.findIndex((l) => /^#+\s/.test(l) && l.replace(/^#+\s*/, '') === heading);
  if (at < 0) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(lines[at]!)![0].length;
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (const line of lines.slice(at + 1)) {
    const h = /^(#+)\s/.exec(line);
    if (!current && h && h[1]!.length <= level) break;
    if (line.startsWith('```')) {
      if (current) {
        blocks.push(current);
        current = null;
      } else current = { lang: line.slice(3).trim(), lines: [] };
      continue;
    }
    if (current) current.lines.push(line);
  }
  return blocks;
}
