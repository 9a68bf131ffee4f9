// Outside strings for property tests of lookups by key: the names every plain object inherits, and anything.
import fc from 'fast-check';

/** The names a plain object inherits, and "__proto__", which JSON makes an own key that assignment would not. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '__lookupSetter__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
] as const;

/** An outside string: often a prototype name, else any printable text, or a plausible lower_snake_case code. */
export const outsideKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,14}$/) },
);
