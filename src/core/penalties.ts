// Penalty rules: which rule a lead meant, what it costs, and what a month of them escalates to.
import type { Day } from './dates.js';
import type { Escalation, Policy, Rule } from './policy.js';

export interface PenaltyRecord {
  id: number;
  memberId: number;
  ruleCode: string | null;
  amountFen: number;
  points: number;
  occurredOn: Day;
  status: 'active' | 'revoked';
}

export type RuleMatch =
  | { kind: 'rule'; code: string; rule: Rule; note: string }
  | { kind: 'ambiguous'; codes: string[]; text: string }
  | { kind: 'unknown_code'; text: string }
  | { kind: 'free'; reason: string };

/** what may separate a rule from its note: spaces, hyphens, colons and commas, half- or full-width */
const SEPARATOR = /[\s\-_:：,，、;；]/;
const normalise = (s: string) => s.trim().toLowerCase().replace(/[\s\-_:：,，、;；]+/g, '_');

/**
 * Reads what a lead typed after the member: a rule code or alias (then an optional note), or a
 * free reason. A lone snake_case word that is not a rule is taken as a mistyped code, not a reason.
 */
export function matchRule(policy: Policy, text: string): RuleMatch {
  const trimmed = text.trim();
  const rules = Object.entries(policy.penalties.rules).filter(([, r]) => !r.retired);
  const names = (code: string, r: Rule) => [code, ...r.aliases, r.label.zh, r.label.en].map(normalise);
  // longest alias that the text starts with, on a word boundary (aliases may contain spaces)
  const hits = new Map<string, number>();
  const n = normalise(trimmed);
  for (const [code, r] of rules) {
    for (const name of names(code, r)) {
      // whole words only: "聊天记录不全" is a free reason, not personal_chat (聊天)
      if (n === name || n.startsWith(`${name}_`)) {
        hits.set(code, Math.max(hits.get(code) ?? 0, name.length));
      }
    }
  }
  if (hits.size > 0) {
    const best = Math.max(...hits.values());
    const codes = [...hits].filter(([, len]) => len === best).map(([c]) => c);
    if (codes.length > 1) return { kind: 'ambiguous', codes, text: trimmed };
    const code = codes[0]!;
    return { kind: 'rule', code, rule: policy.penalties.rules[code]!, note: noteAfter(trimmed, best) };
  }
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/i.test(trimmed)) return { kind: 'unknown_code', text: trimmed };
  return { kind: 'free', reason: trimmed };
}

/** The words after a matched alias of `length` normalised characters. */
function noteAfter(text: string, length: number): string {
  // normalisation only collapses separators, so walk the original until `length` characters are used
  let used = 0;
  let i = 0;
  while (i < text.length && used < length) {
    if (SEPARATOR.test(text[i]!)) {
      while (i < text.length && SEPARATOR.test(text[i]!)) i++;
    } else {
      i++;
    }
    used++;
  }
  // the separators between rule and note are not part of the note
  return text.slice(i).replace(new RegExp(`^${SEPARATOR.source}+`), '').trim();
}

/** Money and points of a rule penalty when recorded: the rule's amount plus any loss. */
export function priceRule(rule: Rule, lossFen: number): { amountFen: number; lossFen: number; points: number } {
  const loss = rule.addsLoss ? lossFen : 0;
  return { amountFen: rule.amountFen + loss, lossFen: loss, points: rule.points };
}

export interface MonthPenalties {
  memberId: number;
  active: PenaltyRecord[];
  moneyFen: number;
  points: number;
  /** occurrences per rule code this month, active penalties only */
  counts: Record<string, number>;
  commissionForfeited: boolean;
  dismissalFlag: boolean;
  /** the escalations in force and the rule and count that triggered each */
  escalations: Array<{ ruleCode: string; count: number; action: Escalation['action'] }>;
}

/** One member's penalties in a period (pass only those that occurred in it). Revoked ones count for nothing. */
export function summarisePenalties(policy: Policy, memberId: number, penalties: readonly PenaltyRecord[]): MonthPenalties {
  const active = penalties.filter((p) => p.status === 'active');
  const counts: Record<string, number> = {};
  for (const p of active) if (p.ruleCode) counts[p.ruleCode] = (counts[p.ruleCode] ?? 0) + 1;
  const escalations: MonthPenalties['escalations'] = [];
  for (const [code, count] of Object.entries(counts)) {
    for (const e of policy.penalties.rules[code]?.escalations ?? []) {
      if (count >= e.fromCount) escalations.push({ ruleCode: code, count, action: e.action });
    }
  }
  return {
    memberId,
    active,
    moneyFen: active.reduce((s, p) => s + p.amountFen, 0),
    points: active.reduce((s, p) => s + p.points, 0),
    counts,
    commissionForfeited: escalations.some((e) => e.action === 'forfeit_commission'),
    dismissalFlag: escalations.some((e) => e.action === 'dismissal'),
    escalations,
  };
}

/** The escalations that the `count`-th occurrence of a rule in a month triggers for the first time. */
export function escalationsTriggeredAt(rule: Rule, count: number): Escalation[] {
  return rule.escalations.filter((e) => e.fromCount === count);
}
