import { sayError, type TallyError } from '../../errors.js';
import { escape } from '../blocks.js';
import { en, type Texts } from './en.js';
import { zhCN } from './zh-CN.js';

export type Locale = 'zh-CN' | 'en';
export type { Texts };

export function texts(locale: Locale): Texts {
  return locale === 'en' ? en : zhCN;
}

/**
 * A refusal in the team's language (every code has words in each locale: the type checker sees to it).
 * What the person typed comes back in the params: it is escaped, so it is shown, not run as mrkdwn.
 */
export function explain(tx: Texts, e: TallyError): string {
  return tx.refused(sayError(tx.error, e, escapeParams));
}

/** A refusal's words alone, without the refusal mark: one of a file's problems in a list. */
export function problemText(tx: Texts, e: TallyError): string {
  return sayError(tx.error, e, escapeParams);
}

function escapeParams<P extends object>(params: P): P {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? escape(v) : v])) as P;
}
