// Every environment variable Tally reads, parsed once with zod.
import { existsSync } from 'node:fs';
import { z } from 'zod';

const env = z.object({
  /** unset: embedded PGlite in ./data; pglite:<dir> or pglite:memory; postgresql://... */
  DATABASE_URL: z.string().min(1).optional(),
  /** fixes "now" (ISO 8601 with an offset), for tests, demos and replays */
  TALLY_NOW: z
    .string()
    .refine(
      (s) => !Number.isNaN(Date.parse(s)) && /[zZ]|[+-]\d{2}:?\d{2}$/.test(s),
      'TALLY_NOW must be ISO 8601 with an offset, e.g. 2026-11-05T10:00:00+08:00',
    )
    .optional(),
});

export type Env = z.infer<typeof env>;

/** A setting or the environment is wrong (or the database cannot be reached): said in one line. */
export class ConfigError extends Error {}

/** Reads ./.env if there is one; variables already set in the environment win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Validates environment variables with a schema; an empty variable counts as unset; the first problem is one line. */
export function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(env, source);
}
