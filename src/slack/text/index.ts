import type { TallyError } from '../../errors.js';
import { en, type Texts } from './en.js';
import { zhCN } from './zh-CN.js';

export type Locale = 'zh-CN' | 'en';
export type { Texts };

export function texts(locale: Locale): Texts {
  return locale === 'en' ? en : zhCN;
}

/** A refusal in the team's language; codes without a translation keep the service's English sentence. */
export function explain(tx: Texts, e: TallyError): string {
  const translate = tx.error[e.code];
  return tx.refused(translate ? translate(e.params) : e.message);
}
