/**
 * How staff type member identifiers, and their canonical forms. Pure functions shared by the
 * CRM queries and the rule router's extractors, so both agree on what a phone number is.
 */

/** NFKC folds full-width digits, letters and spaces (１３８, Ｍ, '　') to ASCII, as typed on Chinese IMEs. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC');
}

/** Mainland mobile: 11 digits starting 1[3-9] (the schema's phone validation). */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * A phone as typed (spaces, dashes, dots, +86 / 0086 prefix, full-width digits) → 11 digits,
 * or null when it is not a mainland mobile number.
 */
export function normalizePhone(input: string): string | null {
  let digits = normalizeText(input).replace(/[\s\-.()]/g, '');
  digits = digits.replace(/^(?:\+86|0086|86(?=1[3-9]\d{9}$))/, '');
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

/**
 * What a typed phone search can be now that phones are sealed: the whole number, the last four
 * digits ("尾号1234", "*1234", "****1234"), or some other part of a number, which no index can
 * answer (the blind index matches whole numbers only). Null: not phone-like at all.
 */
export function phoneSearchOf(input: string): { kind: 'whole'; phone: string } | { kind: 'tail'; tail: string } | { kind: 'partial'; digits: string } | null {
  const text = normalizeText(input).trim().replace(/[\s\-.()]/g, '');
  const tail = /^(?:尾号|手机尾号|后四位|\*+)(\d{4})$/.exec(text);
  if (tail) return { kind: 'tail', tail: tail[1]! };
  const phone = normalizePhone(text);
  if (phone) return { kind: 'whole', phone };
  const digits = /^(?:\+86|0086)?(\d{3,})$/.exec(text);
  return digits ? { kind: 'partial', digits: digits[1]! } : null;
}

/** Member numbers are "M" + 8 digits (M00000001); staff type them in either case. */
export const MEMBER_NO = /^M\d{8}$/;

export function normalizeMemberNo(input: string): string | null {
  const s = normalizeText(input).trim().toUpperCase();
  return MEMBER_NO.test(s) ? s : null;
}

/** A name as typed: NFKC, trimmed, inner whitespace collapsed; LIKE wildcards removed so a prefix search stays a prefix search. */
export function normalizeName(input: string): string {
  return normalizeText(input).replace(/[%_\\]/g, '').replace(/\s+/g, ' ').trim();
}
