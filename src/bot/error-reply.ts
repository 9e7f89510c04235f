import { ERROR_CODES, type AppError } from '../crm/kernel/index.ts';
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { catalogue } from '../i18n/messages/index.ts';
import { intentTitle } from '../intents/localized.ts';
import type { IntentDef } from '../intents/types.ts';

const EN: Record<string, string> = catalogue.errors.en;
const TICKET_NO = /T\d{14,}/;
const QUOTED = /「([^」]+)」/;

/**
 * The reply for an expected failure (an AppError) in the asker's language. The domain speaks
 * Chinese and is not changed for language: a Chinese reply is its own message; an English reply
 * is the `errors` catalogue's line for the code, filled from AppError.details and from what the
 * message names (a ticket number, a quoted name, a balance), or a generic line naming the code.
 * `intent` is the request that failed (its English title names it in permission errors).
 */
export function errorReply(e: AppError, lang: Lang, intent?: Pick<IntentDef, 'name' | 'title' | 'description'>): string {
  if (lang === 'zh') return e.message;
  const code = e.code as string;
  if (!(code in EN)) return t('en', 'errors.generic', { code });
  const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
  const ticketNo = TICKET_NO.exec(e.message)?.[0];
  const quoted = QUOTED.exec(e.message)?.[1];
  const points = /当前 (\d+)，需扣 (\d+)/.exec(e.message);
  const text = t('en', `errors.${code}` as MessageKey, {
    ...details,
    title: intent ? intentTitle(intent, 'en') : 'this request',
    ticket: ticketNo ? `ticket ${ticketNo}` : 'the ticket',
    name: quoted ? ` ("${quoted}")` : '',
    balance: points ? ` (balance ${points[1]}, deduction ${points[2]})` : '',
    where: typeof details.path === 'string' && details.path ? ` (at ${details.path})` : '',
  });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every registered code has a reply: its own line, or the generic one (for the docs and the test). */
export const codesWithOwnReply = () => Object.keys(ERROR_CODES).filter((c) => c in EN);
