import type { TallyError } from '../../errors.js';
import { escape } from '../blocks.js';
import { en, type Texts } from './en.js';
import { zhCN } from './zh-CN.js';

export type Locale = 'zh-CN' | 'en';
export type { Texts };

export function texts(locale: Locale): Texts {
  return locale === 'en' ? en : zhCN;
}

/**
 * A refusal in the team's language; codes without a translation keep the service's English sentence.
 * What the person typed comes back in the params and the sentence: it is escaped, so it is shown, not run as mrkdwn.
 */
export function explain(tx: Texts, e: TallyError): string {
  const translate = tx.error[e.code];
  const params = Object.fromEntries(
    Object.entries(e.params).map(([k, v]) => [k, typeof v === 'string' ? escape(v) : v]),
  );
  return tx.refused(translate ? translate(params) : escape(e.message));
}
