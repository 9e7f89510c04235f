const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 仨: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Characters a Chinese numeral is made of (for building patterns). */
export const CN_NUMERAL = '[零〇一二两俩三仨四五六七八九十百千万]';

/**
 * "120" / "一百二十" / "两千" / "十五" / "三万" → number; undefined when not a numeral.
 * Staff type both ("前二十名", "五百元"), so extractors accept either.
 */
export function parseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!new RegExp(`^${CN_NUMERAL}+$`).test(text)) return undefined;
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in DIGITS) digit = DIGITS[ch]!;
    else if (ch === '万') {
      total += (section + digit) * 10_000;
      section = 0;
      digit = 0;
    } else {
      // A unit without a digit before it means one of it: 十五 = 15.
      section += (digit || 1) * UNITS[ch]!;
      digit = 0;
    }
  }
  // "两千五", "三百五", "一万二": a last digit right after 百/千/万 counts in the next lower unit
  // (2500, 350, 12000) — how amounts are said; "一百零五" says its 零 and is 105.
  const chars = [...text];
  const unit = chars.at(-2);
  if (digit && !text.includes('零') && (unit === '百' || unit === '千' || unit === '万')) return total + section + digit * ({ 百: 10, 千: 100, 万: 1000 } as const)[unit];
  return total + section + digit;
}

/**
 * A decimal string times 1 / 1000 / 10000, as a 2-place decimal string, without floats
 * ("1.5" × 1000 → "1500.00"): amounts become DECIMAL parameters, never JS numbers.
 */
export function scaleDecimal(text: string, factor: 1 | 1000 | 10000): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const cents = BigInt(m[1]! + ((m[2] ?? '') + '00').slice(0, 2)) * BigInt(factor);
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}
