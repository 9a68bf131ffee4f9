// Slack settings from the environment, parsed once. Which ones are set decides how Tally runs.
import { z } from 'zod';
import { ConfigError, parseEnv } from '../config.js';

const schema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'SLACK_BOT_TOKEN starts with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'SLACK_APP_TOKEN starts with xapp-').optional(),
  /** the Web API base URL (tests, proxies); Slack's own by default */
  SLACK_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** the address HTTP mode listens on; unset: every interface (what a container needs) */
  HOST: z.union([z.ipv4(), z.ipv6(), z.hostname()], 'HOST is an IP address or a host name, like 127.0.0.1').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type SlackEnv = z.infer<typeof schema>;
export type Mode =
  | { kind: 'socket'; botToken: string; appToken: string }
  | { kind: 'http'; botToken: string; signingSecret: string; port: number; host?: string }
  | { kind: 'console' };

export function readSlackEnv(source: NodeJS.ProcessEnv = process.env): SlackEnv {
  return parseEnv(schema, source);
}

/** Socket Mode with an app token; HTTP with a bot token and signing secret; otherwise the local console. */
export function modeOf(env: SlackEnv): Mode {
  if (env.SLACK_APP_TOKEN) {
    if (!env.SLACK_BOT_TOKEN) throw new ConfigError('socket_needs_bot_token', {});
    return { kind: 'socket', botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN };
  }
  if (env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET) {
    if (!env.SLACK_BOT_TOKEN || !env.SLACK_SIGNING_SECRET) throw new ConfigError('http_needs_both', {});
    return {
      kind: 'http',
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      port: env.PORT,
      ...(env.HOST ? { host: env.HOST } : {}),
    };
  }
  return { kind: 'console' };
}
