import { parseNumber } from '../../intents/router/numbers.ts';
import { toSimplified } from '../../intents/router/traditional.ts';

const EN_ORDINAL: Record<string, number> = { first: 1, '1st': 1, one: 1, second: 2, '2nd': 2, two: 2, third: 3, '3rd': 3, three: 3, fourth: 4, '4th': 4, four: 4, fifth: 5, '5th': 5, five: 5 };

/** Assent or "then" before a pick ("嗯 第二个", "那就选2", "ok the first one"). */
const LEAD = /^(?:(?:嗯+|恩|好的?|行|ok(?:ay)?|那就|那)[,，\s]*)/i;
const ZH = /^(?:我?(?:选|选择|要|就|是)?\s*)?(?:第\s*)?(\d{1,2}|[一二两三四五六七八九十])\s*(?:个|号|项|条|位|种|点)?\s*(?:那个|那位|这个|这位)?\s*(?:就行了?|就好了?|就可以了?|吧|的|呢|啊|呀|哈)?$/;
const EN = /^(?:(?:i\s+(?:mean|meant|want)|i'?d\s+like|let'?s\s+go\s+with|go\s+with|pick|choose|option|number|no\.?|#)\s*)?(?:the\s+)?(\d{1,2}|first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|one|two|three|four|five)(?:\s+(?:one|option))?(?:\s+please)?$/i;
const LAST = /^(?:(?:选|要|就)?最后一个|(?:the\s+)?last(?:\s+one)?)$/i;

/**
 * The option a reply picks: "1", "2.", "第二个", "选2", "二", "the second", "option 3", "最后一个"
 * → its 0-based index among `count` options; null for anything else (also a number out of range:
 * "5" with three options is not a choice).
 */
export function ordinalChoice(raw: string, count: number): number | null {
  const text = toSimplified(raw.normalize('NFKC')).trim().replace(/[\s。.!！?？,，~～]+$/u, '').trim().replace(LEAD, '');
  if (LAST.test(text)) return count > 0 ? count - 1 : null;
  const m = ZH.exec(text) ?? EN.exec(text);
  if (!m?.[1]) return null;
  const n = EN_ORDINAL[m[1].toLowerCase()] ?? parseNumber(m[1]);
  return n !== undefined && n >= 1 && n <= count ? n - 1 : null;
}
