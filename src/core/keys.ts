// Keys from outside (a policy, a file, a command, a payload) name data, never JavaScript's own
// machinery: a lookup sees an object's own entries only, not the `constructor`, `toString` or
// `__proto__` every plain object inherits.

/** The value stored under `key` itself; undefined when the object only inherits that name. */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An object without a prototype holding these entries: any string is an ordinary key in it, "__proto__" too. */
export function ownRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** The one key JSON may carry that JavaScript reads as an object's prototype rather than an entry. */
export const PROTOTYPE_KEY = '__proto__';

/** Where `__proto__` is a key in a parsed JSON document (its path), or null when nowhere. */
export function prototypeKeyAt(doc: unknown, path: Array<string | number> = []): Array<string | number> | null {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      const at = prototypeKeyAt(doc[i], [...path, i]);
      if (at) return at;
    }
  } else if (typeof doc === 'object' && doc !== null) {
    for (const [k, v] of Object.entries(doc)) {
      if (k === PROTOTYPE_KEY) return [...path, k];
      const at = prototypeKeyAt(v, [...path, k]);
      if (at) return at;
    }
  }
  return null;
}

/** A copy of a JSON-like value whose every object has no prototype: indexing it by any string is safe. */
export function withoutPrototypes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPrototypes) as T;
  if (typeof value === 'object' && value !== null)
    return ownRecord(Object.entries(value).map(([k, v]) => [k, withoutPrototypes(v)])) as T;
  return value;
}
