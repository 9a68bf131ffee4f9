// Penalty rules: which rule a lead meant, what it costs, and what a month of them escalates to.
import type { Day } from './dates.js';
import { own, ownRecord } from './keys.js';
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
const SEPARATORS = /[\s\-_:：,，、;；]+/g;
const LEADING_SEPARATORS = /^[\s\-_:：,，、;；]+/;

/** Typed text as the matcher compares it: NFKC (ｌａｔｅ is late), case-folded, separator runs as one "_". */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(SEPARATORS, '_');
}

/**
 * A rule code, alias or label as the matcher knows it; two names with the same key are the same
 * name to a lead typing it. Empty for a name made only of spaces and separators.
 */
export function ruleNameKey(name: string): string {
  return fold(name).replace(/^_+|_+$/g, '');
}

/** The words `/penalty` reads as a subcommand before any rule; no rule may be called by one. */
export const PENALTY_SUBCOMMANDS: Record<'revoke' | 'list' | 'rules' | 'help', readonly string[]> = {
  revoke: ['revoke', '撤销'],
  list: ['list', '列表', '查看'],
  rules: ['rules', '规则'],
  help: ['help', '帮助', '?'],
};

/** The names each active rule answers to, by key: built once per rulebook, not per command. */
const nameIndexes = new WeakMap<Policy['penalties']['rules'], Map<string, string[]>>();

function nameIndex(rules: Policy['penalties']['rules']): Map<string, string[]> {
  let index = nameIndexes.get(rules);
  if (!index) {
    index = new Map();
    for (const [code, r] of Object.entries(rules)) {
      if (r.retired) continue;
      for (const name of [code, ...r.aliases, r.label.zh, r.label.en]) {
        const key = ruleNameKey(name);
        // an empty name would match every reason that starts with a separator
        if (!key) continue;
        const codes = index.get(key);
        if (!codes) index.set(key, [code]);
        else if (!codes.includes(code)) codes.push(code);
      }
    }
    nameIndexes.set(rules, index);
  }
  return index;
}

/**
 * Reads what a lead typed after the member: a rule code or alias (then an optional note), or a
 * free reason. A lone snake_case word that is not a rule is taken as a mistyped code, not a reason.
 */
export function matchRule(policy: Policy, text: string): RuleMatch {
  const trimmed = text.trim();
  const index = nameIndex(policy.penalties.rules);
  const n = fold(trimmed);
  // the longest name the text starts with, whole words only: "聊天记录不全" is a free reason, not
  // personal_chat (聊天); a valid policy gives each name one rule, an older stored one may not
  for (let end = n.length; end > 0; end = n.lastIndexOf('_', end - 1)) {
    const codes = index.get(n.slice(0, end));
    if (!codes) continue;
    if (codes.length > 1) return { kind: 'ambiguous', codes: [...codes], text: trimmed };
    const code = codes[0]!;
    return { kind: 'rule', code, rule: own(policy.penalties.rules, code)!, note: noteAfter(trimmed, end) };
  }
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/i.test(trimmed.normalize('NFKC'))) return { kind: 'unknown_code', text: trimmed };
  return { kind: 'free', reason: trimmed };
}

/** The words after the first `length` folded characters of `text` (the matched name). */
function noteAfter(text: string, length: number): string {
  // folding may change lengths (NFKC, case, separator runs), so find the shortest prefix that folds that long
  let i = 0;
  while (i < text.length && fold(text.slice(0, i)).length < length) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  // the separators between rule and note are not part of the note
  return text.slice(i).replace(LEADING_SEPARATORS, '').trim();
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
  /** occurrences per rule code this month, active penalties only (an object without a prototype) */
  counts: Record<string, number>;
  commissionForfeited: boolean;
  dismissalFlag: boolean;
  /** the escalations in force and the rule and count that triggered each */
  escalations: Array<{ ruleCode: string; count: number; action: Escalation['action'] }>;
}

/** One member's penalties in a period (pass only those that occurred in it). Revoked ones count for nothing. */
export function summarisePenalties(
  policy: Policy,
  memberId: number,
  penalties: readonly PenaltyRecord[],
): MonthPenalties {
  const active = penalties.filter((p) => p.status === 'active');
  const counts = new Map<string, number>();
  for (const p of active) if (p.ruleCode) counts.set(p.ruleCode, (counts.get(p.ruleCode) ?? 0) + 1);
  const escalations: MonthPenalties['escalations'] = [];
  for (const [code, count] of counts) {
    // a rule added after the month began is not in its rulebook: it escalates nothing this month
    for (const e of own(policy.penalties.rules, code)?.escalations ?? []) {
      if (count >= e.fromCount) escalations.push({ ruleCode: code, count, action: e.action });
    }
  }
  return {
    memberId,
    active,
    moneyFen: active.reduce((s, p) => s + p.amountFen, 0),
    points: active.reduce((s, p) => s + p.points, 0),
    counts: ownRecord(counts),
    commissionForfeited: escalations.some((e) => e.action === 'forfeit_commission'),
    dismissalFlag: escalations.some((e) => e.action === 'dismissal'),
    escalations,
  };
}

/** The escalations that the `count`-th occurrence of a rule in a month triggers for the first time. */
export function escalationsTriggeredAt(rule: Rule, count: number): Escalation[] {
  return rule.escalations.filter((e) => e.fromCount === count);
}
