// A policy file as a person writes it, read against the policy's schema before it is merged: money
// may be given in yuan wherever a `…Fen` setting is taken ("¥80", "¥80.50", "80元"), converted to fen
// exactly; a key the schema does not know at its place is refused with the key that was probably
// meant. And what changed from one stored version to the next, field by field.
import { z } from 'zod';
import { oneLine } from './json-text.js';
import { ownRecord, PROTOTYPE_KEY, prototypeKeyAt } from './keys.js';
import { parseYuan } from './money.js';
import { MONEY_SETTING, PolicyError, policySchema } from './policy.js';
import { editDistance } from './edit-distance.js';

/**
 * The override a policy file gives, with yuan amounts in fen and every key one the policy takes.
 * Throws PolicyError naming the field. What is not an object is returned as given, for
 * overridePolicy to refuse in its words.
 */
export function readOverride(doc: unknown): unknown {
  // zod would read it as the object's prototype; the policy's own check says it the same way
  const reserved = prototypeKeyAt(doc);
  if (reserved) throw new PolicyError(reserved.join('.'), { kind: 'reserved_key', key: PROTOTYPE_KEY });
  return isPlainObject(doc) ? walk(doc, policySchema, []) : doc;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a schema is a money setting, under any default or optional around it. */
function isMoney(s: z.ZodType): boolean {
  for (;;) {
    if (s === MONEY_SETTING) return true;
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable)
      s = s.unwrap() as z.ZodType;
    else return false;
  }
}

/** The schema a value is read with, past the wrappers that change nothing about its keys. */
function bare(s: z.ZodType): z.ZodType {
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable)
      s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

type Path = Array<string | number>;

function walk(value: unknown, schema: z.ZodType, path: Path): unknown {
  if (isMoney(schema)) return money(value, path);
  const s = bare(schema);
  if (s instanceof z.ZodObject) return isPlainObject(value) ? walkObject(value, s, path) : value;
  if (s instanceof z.ZodDiscriminatedUnion && isPlainObject(value)) {
    // the option the value's discriminator names (a KPI's `actual.kind`); none: zod says what is wrong
    const key = (s._zod.def as { discriminator: string }).discriminator;
    const option = (s.options as z.ZodType[])
      .map(bare)
      .find(
        (o): o is z.ZodObject =>
          o instanceof z.ZodObject &&
          o.shape[key] instanceof z.ZodLiteral &&
          (o.shape[key] as z.ZodLiteral).values.has(value[key] as z.core.util.Literal),
      );
    return option ? walkObject(value, option, path) : value;
  }
  if (s instanceof z.ZodRecord && isPlainObject(value))
    return ownRecord(Object.entries(value).map(([k, v]) => [k, walk(v, s.valueType as z.ZodType, [...path, k])]));
  if (s instanceof z.ZodArray && Array.isArray(value))
    return value.map((v, i) => walk(v, s.element as z.ZodType, [...path, i]));
  return value;
}

function walkObject(value: Record<string, unknown>, s: z.ZodObject, path: Path): Record<string, unknown> {
  const shape = s.shape as Record<string, z.ZodType>;
  const out = ownRecord<unknown>([]);
  for (const [k, v] of Object.entries(value)) {
    if (Object.hasOwn(shape, k)) {
      out[k] = walk(v, shape[k]!, [...path, k]);
      continue;
    }
    // "amount": "¥80" is amountFen in yuan
    const fenKey = `${k}Fen`;
    if (typeof v === 'string' && Object.hasOwn(shape, fenKey) && isMoney(shape[fenKey]!)) {
      if (Object.hasOwn(value, fenKey))
        throw fieldError([...path, k], `give ${k} (in yuan) or ${fenKey} (in fen), not both`);
      out[fenKey] = money(v, [...path, k]);
      continue;
    }
    throw fieldError([...path, k], unknownKey(k, v, shape));
  }
  return out;
}

const YUAN_MARK = /^\s*-?\s*[¥￥]|(元|rmb|cny)\s*$/i;

/** A money setting: fen as a number (left to the schema), or yuan as text with its sign, exactly. */
function money(value: unknown, path: Path): unknown {
  if (typeof value !== 'string') return value;
  const fen = YUAN_MARK.test(value) ? parseYuan(value) : null;
  if (fen !== null) return fen;
  throw fieldError(
    path,
    YUAN_MARK.test(value)
      ? `${quoted(value)} is not an amount in yuan: write it like "¥80" or "¥80.50" (not negative, at most 2 decimals)`
      : `${quoted(value)}: write fen as a number (8000) or yuan with its sign ("¥80", "¥80.50")`,
  );
}

function fieldError(path: Path, message: string): PolicyError {
  return new PolicyError(path.map((p) => oneLine(String(p))).join('.'), { kind: 'field', message });
}

/** "unknown key; did you mean amountFen (fen: ¥80 = 8000)?", or the keys that are taken here. */
function unknownKey(key: string, value: unknown, shape: Record<string, z.ZodType>): string {
  const keys = Object.keys(shape);
  const meant = suggestKeys(key, keys);
  if (meant.length)
    return `unknown key; did you mean ${meant.map((k) => (isMoney(shape[k]!) ? `${k} (fen: ${asYuan(value)})` : k)).join(' or ')}?`;
  return keys.length <= 12 ? `unknown key; the keys here are ${keys.join(', ')}` : 'unknown key';
}

/** What the value given would be in fen, read as yuan ("¥80 = 8000"); an example when it is not an amount. */
function asYuan(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const fen = text && !/e/i.test(text) ? parseYuan(text) : null;
  if (fen === null || text.length > 20) return '¥80 = 8000';
  return `${/^[¥￥]/.test(text) ? '' : '¥'}${text} = ${fen}`;
}

/**
 * The keys a mistyped key probably meant: the closest by edit distance (a slip of one key in three,
 * case aside), or one that begins with it; a `…Fen` key matches its name without the unit too.
 */
export function suggestKeys(key: string, keys: readonly string[]): string[] {
  const k = key.toLowerCase();
  const scored: Array<{ key: string; d: number }> = [];
  for (const candidate of keys) {
    const c = candidate.toLowerCase();
    const stem = c.endsWith('fen') && c.length > 3 ? c.slice(0, -3) : c;
    const d = Math.min(distance(k, c), distance(k, stem));
    const near = d <= Math.max(1, Math.floor(Math.min(k.length, stem.length) / 3));
    const prefix = k.length >= 3 && stem.length >= 3 && (c.startsWith(k) || k.startsWith(stem));
    if (near || prefix) scored.push({ key: candidate, d });
  }
  if (!scored.length) return [];
  const best = Math.min(...scored.map((s) => s.d));
  return scored
    .filter((s) => s.d === best)
    .slice(0, 3)
    .map((s) => s.key);
}

/** Edit distance with adjacent transpositions (optimal string alignment), by characters. */
export const distance = (a: string, b: string): number => editDistance(Array.from(a), Array.from(b));

const QUOTED_MAX = 40;

/** A value from a file, quoted on one line and clipped. */
function quoted(text: string): string {
  const chars = Array.from(text);
  return oneLine(JSON.stringify(chars.length > QUOTED_MAX ? `${chars.slice(0, QUOTED_MAX).join('')}…` : text));
}

/**
 * What changed from one policy to the next, field by field: "penalties.rules.buck_passing.amountFen:
 * 5000 -> 8000"; a new rule or KPI is "added", one no longer there "removed"; lists compare whole.
 */
export function policyChanges(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  const at = (path: Path) => path.map((p) => oneLine(String(p))).join('.');
  const visit = (a: unknown, b: unknown, path: Path) => {
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const k of Object.keys(b)) {
        if (Object.hasOwn(a, k)) visit(a[k], b[k], [...path, k]);
        else out.push(`${at([...path, k])}: added ${shown(b[k])}`);
      }
      for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) out.push(`${at([...path, k])}: removed`);
      return;
    }
    if (stable(a) !== stable(b)) out.push(`${at(path) || '(root)'}: ${shown(a)} -> ${shown(b)}`);
  };
  visit(before, after, []);
  return out;
}

const SHOWN_MAX = 120;

function shown(v: unknown): string {
  const text = oneLine(JSON.stringify(v) ?? 'null');
  const chars = Array.from(text);
  return chars.length > SHOWN_MAX ? `${chars.slice(0, SHOWN_MAX).join('')}…` : text;
}

/** JSON with keys sorted: a stored document's key order (PostgreSQL's jsonb sorts them) changes nothing. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
