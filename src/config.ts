// Every environment variable Tally reads, parsed once with zod.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseInstant } from './clock.js';

const env = z.object({
  /** unset: embedded PGlite in ./data; pglite:<dir> or pglite:memory; postgresql://... */
  DATABASE_URL: z.string().min(1).optional(),
  /** fixes the business clock (ISO 8601 with an offset or Z), for tests, demos and replays; never the real clock */
  TALLY_NOW: z
    .string()
    .refine((s) => parseInstant(s) !== null, {
      // the value is quoted as JSON: whatever it holds, the refusal stays one line
      error: (issue) =>
        `${JSON.stringify(String(issue.input).slice(0, 80))} is not ISO 8601 with an offset or Z: write it like 2026-11-30T23:00:00+08:00 or 2026-11-30T15:00:00Z`,
    })
    .optional(),
  /** Socket Mode: the port of GET /healthz (HTTP mode answers it on PORT); unset: no health listener */
  HEALTH_PORT: z.coerce
    .number('HEALTH_PORT is a port number, like 8080')
    .int('HEALTH_PORT is a port number, like 8080')
    .min(0, 'HEALTH_PORT is a port number from 1 to 65535')
    .max(65535, 'HEALTH_PORT is a port number from 1 to 65535')
    .optional(),
});

export type Env = z.infer<typeof env>;

type None = Record<never, never>;

/** Why Tally cannot start: a setting, the environment or the database. Said in the operator's words (src/cli/text.ts). */
export interface ConfigParams {
  /** `problem` is the schema's words for the variable */
  env_invalid: { variable: string; problem: string };
  socket_needs_bot_token: None;
  http_needs_both: None;
  db_bad_url: { url: string };
  db_in_use: { dir: string; pid?: number };
  db_lock_failed: { dir: string; problem: string };
  db_open_here: { dir: string };
  db_connect_failed: { where: string; problem: string };
  migration_failed_earlier: { name: string };
  migration_failed: { name: string; problem: string };
  // tally backup / tally restore (src/db/backup.ts)
  backup_exists: { file: string };
  backup_unreadable: { file: string; problem: string };
  backup_not_tally: { file: string; problem: string };
  backup_incomplete: { file: string };
  backup_newer: { file: string; migration: string };
  backup_no_schema: { where: string };
  restore_not_empty: { where: string; tables: string };
  restore_schema_ahead: { where: string; migration: string };
}

export type ConfigCode = keyof ConfigParams;

/** A setting or the environment is wrong (or the database cannot be reached): said in one line. */
export class ConfigError<K extends ConfigCode = ConfigCode> extends Error {
  constructor(
    readonly code: K,
    readonly params: ConfigParams[K],
  ) {
    // for logs only: the operator reads src/cli/text.ts's words
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'ConfigError';
  }
}

/** Reads ./.env if there is one; variables already set in the environment win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Validates environment variables with a schema; an empty variable counts as unset; the first problem is one line. */
export function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('env_invalid', { variable: issue.path.join('.'), problem: issue.message });
  }
  return parsed.data;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(env, source);
}
