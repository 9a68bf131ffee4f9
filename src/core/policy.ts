// The team's policy: every number of domain.md as data. A team overrides any of it with a partial
// JSON document merged onto the policy in force; the result is validated here before it is stored.
import { z } from 'zod';
import type { Day } from './dates.js';
import { ownRecord, PROTOTYPE_KEY, prototypeKeyAt, withoutPrototypes } from './keys.js';
import { controlIn } from './names.js';
import { PENALTY_SUBCOMMANDS, ruleNameKey } from './penalties.js';

export const METRIC_FIELDS = [
  'inquiries',
  'paidCustomers',
  'receptions',
  'gmvFen',
  'refundCustomers',
  'cases',
  'resolved',
  'serviceScore',
  'avgResponseSec',
] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

export const TRACKS = ['presales', 'aftersales'] as const;
export type Track = (typeof TRACKS)[number];
/** A track as people write it in a file or a command, besides its code. */
export const TRACK_WORDS: ReadonlyMap<string, Track> = new Map([
  ['presales', 'presales'],
  ['aftersales', 'aftersales'],
  ['pre_sales', 'presales'],
  ['after_sales', 'aftersales'],
  ['售前', 'presales'],
  ['售后', 'aftersales'],
]);
export const LEVELS = ['trainee', 'regular', 'senior', 'lead', 'supervisor'] as const;
export type Level = (typeof LEVELS)[number];
export const ROLES = ['agent', 'lead', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Each level's and role's Chinese word, as a roster file may write it (组长 is a level and a role). */
export const LEVEL_ZH: Readonly<Record<Level, string>> = {
  trainee: '见习',
  regular: '正式',
  senior: '资深',
  lead: '组长',
  supervisor: '主管',
};
export const ROLE_ZH: Readonly<Record<Role, string>> = {
  agent: '客服',
  lead: '组长',
  supervisor: '主管',
  admin: '管理员',
};
/** who may record and revoke penalties, decide appeals and see everyone's detail */
export const STAFF_ROLES: readonly Role[] = ['lead', 'supervisor', 'admin'];

/** The columns of a metrics file, as `import.columns` maps a platform's headers onto them. */
export const METRICS_COLUMNS = [
  'date',
  'slack_id',
  'platform_account',
  'inquiries',
  'paid_customers',
  'receptions',
  'gmv',
  'refund_customers',
  'cases',
  'resolved',
  'service_score',
  'avg_response_sec',
] as const;
export type MetricsColumn = (typeof METRICS_COLUMNS)[number];

const field = z.enum(METRIC_FIELDS);
const fen = z.number().int().nonnegative();
/** the most any one money setting may be: ¥1,000,000, far above any shop's pay, far below overflow */
export const MAX_SETTING_FEN = 100_000_000;
const settingFen = fen.max(MAX_SETTING_FEN, `at most ${MAX_SETTING_FEN} fen (¥1,000,000)`);
/** The schema of every money setting of a new version: where a policy file may give yuan instead of fen. */
export const MONEY_SETTING: z.ZodType = settingFen;
const label = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

/** How a KPI's actual value is computed from a period's rows (always from summed counts). */
const actual = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sum'), field }),
  z.strictObject({ kind: z.literal('ratio'), numerator: field, denominator: field }),
  z.strictObject({ kind: z.literal('weighted'), field, by: field }),
]);
export type KpiActual = z.infer<typeof actual>;

const kpi = z.strictObject({
  label,
  actual,
  direction: z.enum(['higher', 'lower']),
  weight: z.number().nonnegative().max(1000),
  target: z.union([z.number().nonnegative(), z.literal('team_average')]),
  cap: z.number().positive().max(100),
  /** display order in breakdowns */
  order: z.number().int().default(0),
});
export type Kpi = z.infer<typeof kpi>;

const escalation = z.strictObject({
  /** the action applies from this occurrence of the rule in a calendar month on */
  fromCount: z.number().int().positive(),
  action: z.enum(['forfeit_commission', 'dismissal']),
});
export type Escalation = z.infer<typeof escalation>;

const ruleOf = (money: typeof fen) =>
  z.strictObject({
    label,
    /** other words a lead may type for this rule (Chinese or English); compared after NFKC and case folding */
    aliases: z.array(z.string().min(1)).default([]),
    amountFen: money,
    /** the lead enters a loss that is added to the amount (order_change_missed) */
    addsLoss: z.boolean().default(false),
    points: z.number().nonnegative().max(1000),
    escalations: z.array(escalation).default([]),
    retired: z.boolean().default(false),
  });
export type Rule = z.infer<ReturnType<typeof ruleOf>>;

const ruleCode = z.string().regex(/^[a-z][a-z0-9_]*$/, 'rule codes are lower_snake_case');

/** consecutive first places → amount instead; sorted by months, so the order in a file does not matter */
const streakTiers = (money: typeof fen) =>
  z
    .array(z.strictObject({ minMonths: z.number().int().min(2), fen: money }))
    .transform((tiers) => [...tiers].sort((a, b) => a.minMonths - b.minMonths));

const level = z.enum(LEVELS);

/** One promotion path: `from` -> `to` after so many months at `from` (or in the team). */
const promotionPath = z
  .strictObject({
    from: level,
    to: level,
    /** full months at the `from` level, counted from the assignment that made them `from` */
    monthsAtLevel: z.number().int().nonnegative().max(600).optional(),
    /** full months since hired_on, whatever the level */
    monthsInTeam: z.number().int().nonnegative().max(600).optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.monthsAtLevel === undefined) === (p.monthsInTeam === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of monthsAtLevel and monthsInTeam' });
    if (LEVELS.indexOf(p.to) <= LEVELS.indexOf(p.from))
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a promotion goes up: ${p.to} is not above ${p.from}` });
  });
export type PromotionPath = z.infer<typeof promotionPath>;

/** People over time (domain.md): probation, promotion paths and the half-yearly review. */
const peopleShape = z.strictObject({
  /** a new trainee's probation; when it ends, leads are asked to confirm them as regular */
  probationMonths: z.number().int().nonnegative().max(24),
  /** the months (1-12) whose 1st sends leads the candidate list; empty: no scheduled review */
  reviewMonths: z
    .array(z.number().int().min(1, 'a month is 1-12').max(12, 'a month is 1-12'))
    .max(12)
    .refine((ms) => new Set(ms).size === ms.length, 'a review month is listed twice')
    .transform((ms) => [...ms].sort((a, b) => a - b)),
  /** the average monthly score over the review window a candidate needs */
  minAverageScore: z.number().nonnegative().max(1000),
  /** the finished months before the review month whose scores are averaged */
  reviewWindowMonths: z.number().int().min(1).max(24),
  /** of those, how many must have a score */
  minScoredMonths: z.number().int().min(1).max(24),
  /** one path out of each level at most; order does not matter */
  promotions: z.array(promotionPath).max(LEVELS.length),
});

export const DEFAULT_PEOPLE: z.infer<typeof peopleShape> = {
  probationMonths: 1,
  reviewMonths: [1, 7],
  minAverageScore: 80,
  reviewWindowMonths: 6,
  minScoredMonths: 3,
  promotions: [
    { from: 'regular', to: 'senior', monthsAtLevel: 3 },
    { from: 'senior', to: 'lead', monthsAtLevel: 6 },
    { from: 'lead', to: 'supervisor', monthsInTeam: 12 },
  ],
};

const people = peopleShape
  .superRefine((p, ctx) => {
    if (p.minScoredMonths > p.reviewWindowMonths)
      ctx.addIssue({
        code: 'custom',
        path: ['minScoredMonths'],
        message: `${p.minScoredMonths} scored months cannot be found in a window of ${p.reviewWindowMonths}`,
      });
    const seen = new Set<string>();
    p.promotions.forEach((path, i) => {
      if (seen.has(path.from))
        ctx.addIssue({
          code: 'custom',
          path: ['promotions', i, 'from'],
          message: `two paths out of ${path.from}; each level has one next level`,
        });
      seen.add(path.from);
    });
  })
  // a version stored before people-over-time existed reads with the defaults
  .default(DEFAULT_PEOPLE);

/** The policy's shape; `money` is what one money setting may be (bounded for a new version). */
const policyShape = (money: typeof fen) =>
  z.strictObject({
    /** the team's name on the payroll sheets and the charts (天猫旗舰店客服); null: none shown */
    teamName: z
      .string()
      .trim()
      .min(1, 'a name of 1 to 60 characters, or null for none')
      .max(60, 'a name of 1 to 60 characters, or null for none')
      .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'a name without control or formatting characters')
      .nullable()
      .default(null),
    timezone: z.string().refine(isTimeZone, 'not a known IANA time zone (e.g. Asia/Shanghai)'),
    locale: z.enum(['zh-CN', 'en']),
    kpis: z.strictObject({
      presales: z.record(z.string().min(1, 'a KPI needs a name'), kpi),
      aftersales: z.record(z.string().min(1, 'a KPI needs a name'), kpi),
    }),
    penalties: z.strictObject({
      rules: z.record(ruleCode, ruleOf(money)),
      /** the largest amount one penalty may carry, loss included (¥100,000) */
      maxAmountFen: money,
      maxReasonLength: z.number().int().positive().max(4000),
      /** a penalty of this much or more (or one that flags dismissal) is announced to every supervisor */
      alertSupervisorsFromFen: money.default(50_000),
    }),
    pay: z.strictObject({
      baseFen: z.strictObject({ trainee: money, regular: money, senior: money, lead: money, supervisor: money }),
      /** performance = score / 100 × this */
      performanceBaseFen: money,
      /** commission in basis points of the month's gmv (200 = 2%) */
      commissionBasisPoints: z.number().int().nonnegative().max(10_000),
      mealAllowanceFen: money,
    }),
    awards: z.strictObject({
      excludedLevels: z.array(z.enum(LEVELS)),
      minTenureMonths: z.number().int().nonnegative(),
      /** award rank → amount, for an agent not on a first-place streak */
      rankFen: z.record(
        z.string().regex(/^[1-9]\d*$/, 'an award rank is a whole number from 1 ("1", "2", ...)'),
        money,
      ),
      /** consecutive first places → amount instead; the highest tier reached applies */
      streakFen: streakTiers(money),
      /** last place this many months running flags a warehouse rotation (0 turns it off) */
      rotationAfterMonths: z.number().int().nonnegative(),
      rotationMinEligible: z.number().int().min(2),
    }),
    schedule: z.strictObject({
      dailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
      monthlyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
      /** the day of the next month a month closes (at monthlyAt); before it, the 1st posts provisional standings */
      closeOnDay: z
        .number()
        .int('a day of the month from 1 to 28')
        .min(1, 'a day of the month from 1 to 28')
        .max(28, 'a day of the month from 1 to 28: every month has it')
        .default(3),
      /** the team channel the daily and monthly posts go to (null: no posts, DMs only) */
      channel: z
        .string()
        .regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id like C024BE91L')
        .nullable()
        .default(null),
      /** the leads' monthly payroll file: an Excel workbook, or the CSV `payroll --csv` writes */
      payrollFormat: z.enum(['xlsx', 'csv']).default('xlsx'),
    }),
    /** how a metrics file is read: a platform's own headers mapped onto Tally's columns */
    import: z
      .strictObject({
        /** a header as the file writes it → the column it is (or "ignore") */
        columns: z
          .record(z.string().trim().min(1, 'a header needs a name'), z.enum([...METRICS_COLUMNS, 'ignore']))
          .default({}),
        /** a header neither known nor mapped: refused (a typo would lose data) or ignored */
        otherColumns: z.enum(['refuse', 'ignore']).default('refuse'),
      })
      .default({ columns: {}, otherColumns: 'refuse' }),
    people,
  });

const SUBCOMMAND_WORDS = new Set(Object.values(PENALTY_SUBCOMMANDS).flat().map(ruleNameKey));

/** What a policy must satisfy to be paid right; each refusal names the field (README, Policy). */
export const policySchema = policyShape(settingFen).superRefine((p, ctx) => {
  for (const track of TRACKS) {
    // performance pay is score / 100 × base: a score only means that if the weights make 100
    const total = Object.values(p.kpis[track]).reduce((s, k) => s + k.weight, 0);
    if (Math.abs(total - 100) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['kpis', track],
        message: `the ${track} KPI weights add up to ${+total.toFixed(6)}; they must add up to 100 (weight-0 KPIs included)`,
      });
    }
  }
  for (const [code, r] of Object.entries(p.penalties.rules)) {
    if (r.amountFen > p.penalties.maxAmountFen) {
      ctx.addIssue({
        code: 'custom',
        path: ['penalties', 'rules', code, 'amountFen'],
        message: 'above penalties.maxAmountFen',
      });
    }
  }
  checkRuleNames(p.penalties.rules, ctx);
  checkColumnMapping(p.import.columns, ctx);
  checkPrintable(p, [], ctx);
  const seen = new Set<number>();
  p.awards.streakFen.forEach((t, i) => {
    if (seen.has(t.minMonths)) {
      ctx.addIssue({
        code: 'custom',
        path: ['awards', 'streakFen', i, 'minMonths'],
        message: `two streak tiers for ${t.minMonths} months; each tier needs its own number of months`,
      });
    }
    seen.add(t.minMonths);
  });
});

/**
 * Every name a lead may type for an active rule (code, aliases, labels) must be something, mean
 * that rule alone, and not be a /penalty subcommand word: otherwise what a lead types is ambiguous.
 */
function checkRuleNames(rules: Record<string, Rule>, ctx: z.RefinementCtx): void {
  const owner = new Map<string, { code: string; what: string }>();
  for (const [code, r] of Object.entries(rules)) {
    const names: Array<[string, Array<string | number>, string]> = [
      [code, [], 'code'],
      ...r.aliases.map((a, i): [string, Array<string | number>, string] => [a, ['aliases', i], 'alias']),
      [r.label.zh, ['label', 'zh'], 'label'],
      [r.label.en, ['label', 'en'], 'label'],
    ];
    for (const [name, at, what] of names) {
      const path = ['penalties', 'rules', code, ...at];
      const key = ruleNameKey(name);
      if (!key) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${name}" is only spaces or separators; a rule's ${what} needs a word`,
        });
        continue;
      }
      // a retired rule is never matched, so its names may be reused
      if (r.retired) continue;
      if (SUBCOMMAND_WORDS.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${name}" is a /penalty subcommand word; a rule's ${what} cannot be one`,
        });
        continue;
      }
      const other = owner.get(key);
      if (other && other.code !== code) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${name}" is also the ${other.what} of rule ${other.code}; a lead typing it would mean either`,
        });
        continue;
      }
      if (!other) owner.set(key, { code, what });
    }
  }
}

/** Two headers read as one column would make a row say two things at once. */
function checkColumnMapping(columns: Record<string, string>, ctx: z.RefinementCtx): void {
  const first = new Map<string, string>();
  const headers = new Map<string, string>();
  for (const [header, column] of Object.entries(columns)) {
    const key = header.trim().toLowerCase();
    const same = headers.get(key);
    if (same !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['import', 'columns', header],
        message: `"${header}" and "${same}" are the same header`,
      });
    }
    headers.set(key, header);
    if (column === 'ignore') continue;
    const other = first.get(column);
    if (other !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['import', 'columns', header],
        message: `"${other}" is already read as ${column}; map one header to each column`,
      });
    }
    first.set(column, header);
  }
}

/**
 * Every word of a policy (labels, aliases, KPI names, mapped headers) is printable text on one line:
 * a control character would show in Slack and the files as nothing, and PostgreSQL stores no U+0000.
 */
function checkPrintable(value: unknown, path: Array<string | number>, ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    const control = controlIn(value);
    if (control)
      ctx.addIssue({
        code: 'custom',
        path,
        message: `holds a control character (${control}); policy text is printable text on one line`,
      });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const control = Array.isArray(value) ? null : controlIn(key);
    if (control) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, key],
        message: `the name holds a control character (${control}); policy text is printable text on one line`,
      });
      continue;
    }
    checkPrintable(inner, [...path, Array.isArray(value) ? Number(key) : key], ctx);
  }
}

/**
 * A version stored before the rules above existed is read as it was written (bounds and cross-field
 * rules unchecked), so an upgrade never locks a team out; the next `policy set` must satisfy them.
 */
const storedPolicySchema = policyShape(fen);

export type Policy = z.infer<typeof policySchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const forfeitFrom = (n: number): Escalation[] => [{ fromCount: n, action: 'forfeit_commission' }];

/** The default policy, from domain.md (seeds 000, 001, 003, 004). */
export const DEFAULT_POLICY: Policy = parsePolicy({
  teamName: null,
  timezone: 'Asia/Shanghai',
  locale: 'zh-CN',
  kpis: {
    presales: {
      service: {
        label: { zh: '服务得分', en: 'Service' },
        actual: { kind: 'weighted', field: 'serviceScore', by: 'receptions' },
        direction: 'higher',
        weight: 35,
        target: 100,
        cap: 1.0,
        order: 1,
      },
      conversion: {
        label: { zh: '询单转化率', en: 'Conversion' },
        actual: { kind: 'ratio', numerator: 'paidCustomers', denominator: 'inquiries' },
        direction: 'higher',
        weight: 30,
        target: 'team_average',
        cap: 1.2,
        order: 2,
      },
      order_value: {
        label: { zh: '客单价', en: 'Order value' },
        actual: { kind: 'ratio', numerator: 'gmvFen', denominator: 'paidCustomers' },
        direction: 'higher',
        weight: 20,
        target: 'team_average',
        cap: 1.2,
        order: 3,
      },
      receptions: {
        label: { zh: '接待人数', en: 'Receptions' },
        actual: { kind: 'sum', field: 'receptions' },
        direction: 'higher',
        weight: 10,
        target: 'team_average',
        cap: 1.2,
        order: 4,
      },
      refund_rate: {
        label: { zh: '退款率', en: 'Refund rate' },
        actual: { kind: 'ratio', numerator: 'refundCustomers', denominator: 'paidCustomers' },
        direction: 'lower',
        weight: 5,
        target: 'team_average',
        cap: 1.2,
        order: 5,
      },
      response_time: {
        label: { zh: '平均响应时间', en: 'Avg response time' },
        actual: { kind: 'weighted', field: 'avgResponseSec', by: 'receptions' },
        direction: 'lower',
        weight: 0,
        target: 'team_average',
        cap: 1.2,
        order: 6,
      },
    },
    aftersales: {
      service: {
        label: { zh: '服务得分', en: 'Service' },
        actual: { kind: 'weighted', field: 'serviceScore', by: 'receptions' },
        direction: 'higher',
        weight: 40,
        target: 100,
        cap: 1.0,
        order: 1,
      },
      resolution: {
        label: { zh: '售后解决率', en: 'Resolution' },
        actual: { kind: 'ratio', numerator: 'resolved', denominator: 'cases' },
        direction: 'higher',
        weight: 40,
        target: 0.95,
        cap: 1.1,
        order: 2,
      },
      receptions: {
        label: { zh: '接待人数', en: 'Receptions' },
        actual: { kind: 'sum', field: 'receptions' },
        direction: 'higher',
        weight: 20,
        target: 'team_average',
        cap: 1.2,
        order: 3,
      },
      response_time: {
        label: { zh: '平均响应时间', en: 'Avg response time' },
        actual: { kind: 'weighted', field: 'avgResponseSec', by: 'receptions' },
        direction: 'lower',
        weight: 0,
        target: 'team_average',
        cap: 1.2,
        order: 4,
      },
    },
  },
  penalties: {
    rules: {
      buck_passing: {
        label: { zh: '踢皮球', en: 'Buck passing' },
        aliases: ['踢皮球', 'buck passing', 'buck-passing'],
        amountFen: 5000,
        points: 2,
        escalations: forfeitFrom(4),
      },
      personal_chat: {
        label: { zh: '私聊影响回复', en: 'Personal chat' },
        aliases: ['私聊', '聊天', 'personal chat', 'chatting'],
        amountFen: 5000,
        points: 2,
        escalations: forfeitFrom(4),
      },
      named_complaint: {
        label: { zh: '指名投诉', en: 'Named complaint' },
        aliases: ['指名投诉', '投诉', '差评', 'complaint', 'named complaint'],
        amountFen: 5000,
        points: 2,
        escalations: forfeitFrom(4),
      },
      store_deduction: {
        label: { zh: '店铺被扣分', en: 'Store deduction' },
        aliases: ['店铺扣分', '扣分', 'store deduction'],
        amountFen: 50000,
        points: 10,
        escalations: [
          { fromCount: 2, action: 'forfeit_commission' },
          { fromCount: 3, action: 'dismissal' },
        ],
      },
      order_change_missed: {
        label: { zh: '未按要求改单', en: 'Order change missed' },
        aliases: ['改单', '未改单', 'order change missed'],
        amountFen: 2000,
        addsLoss: true,
        points: 1,
      },
      fraud: {
        label: { zh: '弄虚作假/抢单', en: 'Fraud / grabbed orders' },
        aliases: ['弄虚作假', '抢单', '作假', 'fraud'],
        amountFen: 0,
        points: 20,
        escalations: forfeitFrom(1),
      },
    },
    maxAmountFen: 10_000_000,
    maxReasonLength: 500,
    alertSupervisorsFromFen: 50_000,
  },
  pay: {
    baseFen: { trainee: 180_000, regular: 250_000, senior: 300_000, lead: 350_000, supervisor: 400_000 },
    performanceBaseFen: 40_000,
    commissionBasisPoints: 200,
    mealAllowanceFen: 30_000,
  },
  awards: {
    excludedLevels: ['trainee'],
    minTenureMonths: 3,
    rankFen: { '1': 10_000, '2': 5_000 },
    streakFen: [
      { minMonths: 2, fen: 20_000 },
      { minMonths: 3, fen: 30_000 },
      { minMonths: 6, fen: 60_000 },
      { minMonths: 13, fen: 150_000 },
    ],
    rotationAfterMonths: 2,
    rotationMinEligible: 2,
  },
  schedule: { dailyAt: '21:00', monthlyAt: '09:00', closeOnDay: 3, channel: null, payrollFormat: 'xlsx' },
  import: { columns: {}, otherColumns: 'refuse' },
  people: DEFAULT_PEOPLE,
});

/** What is wrong at a policy field: zod's words for the field, or one of Tally's own refusals. */
export type PolicyProblem =
  | { kind: 'field'; message: string }
  | { kind: 'not_object' }
  | { kind: 'too_many_rules'; active: number; max: number }
  | { kind: 'reserved_key'; key: string };

/** A refused policy document: the field path and the problem there; the adapters say it. */
export class PolicyError extends Error {
  constructor(
    readonly path: string,
    readonly problem: PolicyProblem,
  ) {
    // for logs and tests; people read the adapters' words
    super(`${path}: ${problem.kind === 'field' ? problem.message : problem.kind}`);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Objects merge key by key; anything else (numbers, strings, arrays) replaces. Only own keys merge, so
 * a rule or KPI named `constructor` is new data, and `__proto__` stays a key for validation to refuse.
 */
export function mergePolicy(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out = ownRecord<unknown>(Object.entries(base));
    for (const [k, v] of Object.entries(override)) out[k] = Object.hasOwn(base, k) ? mergePolicy(base[k], v) : v;
    return out;
  }
  return override;
}

function isPlainObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a complete policy; a bad document names its first bad field ("pay.mealAllowanceFen: ..."). */
export function parsePolicy(doc: unknown): Policy {
  return parseWith(policySchema, doc);
}

/** Reads a stored policy version: its shape is checked, the rules for new versions are not (see storedPolicySchema). */
export function readStoredPolicy(doc: unknown): Policy {
  return parseWith(storedPolicySchema, doc);
}

function parseWith(schema: typeof policySchema | typeof storedPolicySchema, doc: unknown): Policy {
  // zod would assign it, setting the prototype of the object it builds: the entry would vanish silently
  const reserved = prototypeKeyAt(doc);
  if (reserved) throw new PolicyError(reserved.join('.'), { kind: 'reserved_key', key: PROTOTYPE_KEY });
  const result = schema.safeParse(doc);
  // no object of a policy inherits anything: a rule, KPI or column looked up by any name finds only its own
  if (result.success) return withoutPrototypes(result.data);
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.') || '(root)';
  // a refused record key says why ("rule codes are lower_snake_case"), not zod's "Invalid key in record"
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  throw new PolicyError(path, { kind: 'field', message });
}

/**
 * The most active penalty rules a new policy may have. A rulebook leads pick from in Slack: 500 is
 * 5 groups of the rule picker and 25 pages of `/penalty rules`, and a typed rule is matched in
 * about a millisecond. Checked when a policy is set, so a stored version is never refused on reading.
 */
export const MAX_ACTIVE_RULES = 500;

/** Applies a partial override to a policy, then validates the whole. */
export function overridePolicy(base: Policy, override: unknown): Policy {
  if (!isPlainObject(override)) throw new PolicyError('(root)', { kind: 'not_object' });
  const policy = parsePolicy(mergePolicy(base, override));
  const active = Object.values(policy.penalties.rules).filter((r) => !r.retired).length;
  if (active > MAX_ACTIVE_RULES) {
    throw new PolicyError('penalties.rules', { kind: 'too_many_rules', active, max: MAX_ACTIVE_RULES });
  }
  return policy;
}

export interface PolicyVersion {
  effectiveFrom: Day;
  policy: Policy;
}

/** The policy in force on a day: the latest version effective on or before it, else the default. */
export function policyOn(versions: readonly PolicyVersion[], day: Day): Policy {
  let best: PolicyVersion | undefined;
  for (const v of versions) if (v.effectiveFrom <= day && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best?.policy ?? DEFAULT_POLICY;
}

/** KPIs of a track in display order. */
export function trackKpis(policy: Policy, track: Track): Array<[string, Kpi]> {
  return Object.entries(policy.kpis[track]).sort((a, b) => a[1].order - b[1].order || a[0].localeCompare(b[0]));
}
