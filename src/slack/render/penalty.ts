// Penalties as people read them: a rule's name.
import type { Rule } from '../../core/policy.js';
import type { Texts } from '../text/index.js';

export function ruleName(tx: Texts, code: string | null, label: Rule['label'] | null): string {
  if (!code || !label) return tx.penalty.free;
  return `${label[tx.lang]} (${code})`;
}
