/** The two languages the bot answers in: the user's own (zh for Chinese, en for English). */
export type Lang = 'zh' | 'en';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;
// An e-mail address ("查一下 li.na@example.com") names someone; it says nothing about the message's language.
const ADDRESS = /\S+@\S+/g;

/**
 * The language a message is written in, or null when it says nothing about it (digits, a
 * member number, "ok" alone is English). Any run of Han characters outweighs a Latin word
 * of the same length ("VIP 标签" is Chinese; "tag M00000001 as VIP" is English).
 */
export function languageOf(text: string): Lang | null {
  const han = text.match(HAN)?.length ?? 0;
  const latin = (text.replace(/\b[MT]\d{6,}\b/gi, '').replace(ADDRESS, ' ').match(LATIN_WORD) ?? []).reduce((n, w) => n + w.length, 0);
  if (han === 0 && latin === 0) return null;
  // A Chinese character carries about a word: weigh it like three Latin letters.
  return han * 3 >= latin ? 'zh' : 'en';
}

/** The reply language: the message's own, else the conversation's, else Chinese. */
export function replyLanguage(text: string, previous?: Lang | null): Lang {
  return languageOf(text) ?? previous ?? 'zh';
}
