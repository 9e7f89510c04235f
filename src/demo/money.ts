/**
 * Money is integer cents inside the generator and a DECIMAL string at the database boundary:
 * binary floats cannot represent 0.10 exactly, and a sum of ten million of them drifts.
 */

/** 12345 → "123.45"; -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be a safe integer, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Rounds a yuan figure (e.g. a drawn average) to whole cents. */
export function yuanToCents(yuan: number): number {
  return Math.round(yuan * 100);
}
