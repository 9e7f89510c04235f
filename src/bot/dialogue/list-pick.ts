import { parseNumber } from '../../intents/router/numbers.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import type { ListedItem } from './state.ts';

/** At most this many rows of a list are remembered (a list answer shows ten by default). */
const MAX_ITEMS = 20;

/**
 * The rows of a list answer's data, in order: each row's numeric `id` and `memberNo`; null when it lists none. The data is
 * the rows, or a list with its total whose rows are its `entries` (the churn list: "尾号0012那个", "第二个的档案" point into it).
 */
export function listedItems(data: unknown): ListedItem[] | null {
  const rows: unknown = Array.isArray(data) ? data : (data as { entries?: unknown } | null | undefined)?.entries;
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const items = rows.slice(0, MAX_ITEMS).map((row): ListedItem => {
    const r = (row ?? {}) as { id?: unknown; memberNo?: unknown };
    return { ...(typeof r.id === 'number' ? { id: r.id } : {}), ...(typeof r.memberNo === 'string' ? { memberNo: r.memberNo } : {}) };
  });
  return items.every((i) => i.id !== undefined || i.memberNo !== undefined) ? items : null;
}

/** "第一个", "第2条", "第一名", "the first one", "最后一个" inside a longer message. */
// A counter word, or 的 / the end after the place: "第一次来" is no row.
const ZH_ORDINAL = /第\s*(\d{1,2}|[一二两三四五六七八九十])\s*(?:个|名|条|项|位|行|(?=的|\s|$))/;
const EN_ORDINAL = /\b(?:the\s+)?(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)(?:\s+one)?\b/i;
const LAST = /最后一个|最后那个|\b(?:the\s+)?last one\b/i;
const EN: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5 };

/** The row a message points at by its place in the list, and the message without those words; null when none or out of range. */
export function pointedRow(raw: string, count: number): { index: number; rest: string } | null {
  const text = toSimplified(raw.normalize('NFKC')).trim();
  const last = LAST.exec(text);
  if (last) return count > 0 ? { index: count - 1, rest: (text.slice(0, last.index) + text.slice(last.index + last[0].length)).trim() } : null;
  const m = ZH_ORDINAL.exec(text) ?? EN_ORDINAL.exec(text);
  if (!m?.[1]) return null;
  const n = EN[m[1].toLowerCase()] ?? parseNumber(m[1]);
  if (n === undefined || n < 1 || n > count) return null;
  return { index: n - 1, rest: (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim() };
}

/** What may be left of "第一名的详细数据", "看下第二个的", "details of the first one": asking for that row again, in full. */
const DETAIL_ONLY = /^(?:(?:那|就|再|帮我|给我|看下|看看|看一下|查下|查一下|打开|展开|点开|的|详细|详情|具体|数据|资料|情况|信息|呢|吧|一下|\s|[,，。.!！?？]|show|me|the|details?|of|for|more|about|stats|figures|info|please|and|what|how)+)?$/i;

/** Whether the words left beside the row's place only ask to see it ("的详细数据", "详情"). */
export const asksForDetail = (rest: string): boolean => DETAIL_ONLY.test(rest.trim());
