// Money is integer fen (1 yuan = 100 fen). No floating point touches it.

/** Rounds a / b half-up to an integer, for non-negative a and positive b, exactly (BigInt). */
export function divideHalfUp(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0) {
    throw new RangeError(`divideHalfUp needs a safe non-negative integer over a positive one, got ${a}/${b}`);
  }
  const big = (BigInt(a) * 2n + BigInt(b)) / (2n * BigInt(b));
  return Number(big);
}

/** a × b / d rounded half-up, exact even when a × b leaves the safe-integer range. */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  if (![a, b, d].every(Number.isSafeInteger) || a < 0 || b < 0 || d <= 0) {
    throw new RangeError(`mulDivHalfUp needs safe non-negative integers, got ${a}×${b}/${d}`);
  }
  const n = BigInt(a) * BigInt(b);
  return Number((n * 2n + BigInt(d)) / (2n * BigInt(d)));
}

/** Basis points of an amount (200 bp = 2%), rounded half-up to the fen. */
export function percentOf(amountFen: number, basisPoints: number): number {
  return mulDivHalfUp(amountFen, basisPoints, 10_000);
}

const YUAN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan amount written by a person ("35.5", "¥1,234.50", "80元") into fen, exactly.
 * Returns null when it is not a non-negative amount with at most 2 decimals.
 */
export function parseYuan(text: string): number | null {
  const bare = text
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/(元|rmb|cny)$/i, '')
    .trim();
  // commas only as thousands separators: "35,5" is a typo, not ¥355
  if (bare.includes(',') && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(bare)) return null;
  const cleaned = bare.replace(/,/g, '');
  const m = YUAN.exec(cleaned);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/**
 * The exact sum of many amounts. Each is a safe integer, but a team's total can pass 2^53, where
 * adding doubles silently drops fen: sums across rows are BigInt.
 */
export function sumFen(amounts: Iterable<number>): bigint {
  let total = 0n;
  for (const a of amounts) {
    if (!Number.isSafeInteger(a)) throw new RangeError(`sumFen needs safe integers, got ${a}`);
    total += BigInt(a);
  }
  return total;
}

/** Yuan and the fen after the point, for a number or a BigInt (a total). */
function splitFen(fen: number | bigint): { sign: string; yuan: string; cents: string } {
  if (typeof fen === 'bigint') {
    const abs = fen < 0n ? -fen : fen;
    return {
      sign: fen < 0n ? '-' : '',
      yuan: (abs / 100n).toString(),
      cents: (abs % 100n).toString().padStart(2, '0'),
    };
  }
  const abs = Math.abs(fen);
  return {
    sign: fen < 0 ? '-' : '',
    yuan: Math.floor(abs / 100).toString(),
    cents: String(abs % 100).padStart(2, '0'),
  };
}

/** Plain yuan with two decimals for files ("1234.50", "-12.00"): integer arithmetic, no rounding. */
export function fenToYuan(fen: number | bigint): string {
  const { sign, yuan, cents } = splitFen(fen);
  return `${sign}${yuan}.${cents}`;
}

/** ¥1,234.50 (negative amounts as -¥12.00). */
export function formatFen(fen: number | bigint): string {
  const { sign, yuan, cents } = splitFen(fen);
  return `${sign}¥${yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
