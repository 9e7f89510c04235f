import type { RowDataPacket } from 'mysql2/promise';
import { processCache } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import { blank, type Found } from './extract.ts';
import { pinyinOf } from './homophones.ts';
import { CN_NUMERAL, parseNumber } from './numbers.ts';

/** A store as the rule router knows it: the table's name and the short forms staff type. */
export interface StoreEntry {
  id: number;
  name: string;
  aliases: string[];
}

/**
 * The short forms of a store's name: "上海徐汇店" (city 上海) → 徐汇店, 徐汇. Aliases of one
 * or two characters are dropped except the bare district (2 Han characters is still specific).
 */
export function storeAliases(name: string, city?: string | null): string[] {
  const out = new Set<string>([name]);
  const noCity = city && name.startsWith(city) && name.length > city.length ? name.slice(city.length) : name;
  out.add(noCity);
  for (const n of [name, noCity]) {
    const bare = n.replace(/(?:门店|店|分店)$/, '');
    if ([...bare].length >= 2) out.add(bare);
  }
  return [...out];
}

/**
 * Each store's aliases, plus the names staff use beside the table's: its code ("SH-JA"), and its
 * city when the city has only that store ("杭州店", "杭州那家" → 杭州西湖店; 上海 has two, so no).
 */
export function toStoreEntries(rows: readonly { id: number; name: string; city?: string | null; code?: string | null }[]): StoreEntry[] {
  const perCity = new Map<string, number>();
  for (const r of rows) if (r.city) perCity.set(r.city, (perCity.get(r.city) ?? 0) + 1);
  return rows.map((r) => {
    const aliases = storeAliases(r.name, r.city);
    const city = r.city && perCity.get(r.city) === 1 && [...r.city].length >= 2 && !aliases.includes(r.city) ? [r.city] : [];
    const spoken = [...aliases, ...city];
    return { id: r.id, name: r.name, aliases: [...spoken, ...spoken.flatMap(pinyinAliases), ...(r.code ? [r.code] : [])] };
  });
}

/**
 * How staff typing in Latin letters name a store: the pinyin of a bare district of two to four
 * Han characters, joined or spaced ("徐汇" → xuhui, "xu hui"), every reading of a polyphonic
 * character (from the pinyin table, homophones.ts), at most eight forms.
 */
export function pinyinAliases(alias: string): string[] {
  const chars = [...alias];
  if (chars.length < 2 || chars.length > 4 || !/^\p{Script=Han}+$/u.test(alias) || /店$/.test(alias)) return [];
  let forms: string[][] = [[]];
  for (const ch of chars) {
    const readings = pinyinOf(ch);
    if (!readings.length) return [];
    forms = forms.flatMap((f) => readings.map((r) => [...f, r])).slice(0, 8);
  }
  // The apostrophe pinyin puts before a syllable that starts with a vowel ("jing'an"), beside the joined and spaced forms.
  const marked = (f: string[]) => f.map((r, i) => (i > 0 && /^[aeo]/.test(r) ? `'${r}` : r)).join('');
  return [...new Set(forms.flatMap((f) => [f.join(''), f.join(' '), marked(f)]))].concat(englishAliases(alias));
}

/**
 * A district whose every character has a plain English word is also named in English ("西湖" →
 * west lake, westlake): directions and the landscape words of place names only, so no guess is made
 * for a name that is a sound ("静安", "徐汇" have none).
 */
const ENGLISH_MORPHEMES: Record<string, string> = { 东: 'east', 西: 'west', 南: 'south', 北: 'north', 中: 'central', 湖: 'lake', 江: 'river', 河: 'river', 山: 'hill', 桥: 'bridge', 门: 'gate', 港: 'harbour' };
function englishAliases(alias: string): string[] {
  const words = [...alias].map((ch) => ENGLISH_MORPHEMES[ch]);
  if (words.length !== 2 || words.some((w) => !w)) return [];
  return [words.join(' '), words.join('')];
}

/**
 * The stores table, kept briefly in the one per-process cache (kernel processCache): the rule
 * router scans every message for store names, and stores change rarely (no writer in the app;
 * a store added by a migration or by hand is seen within the TTL).
 */
const TTL_MS = 30_000;
const directory = processCache<StoreEntry[]>({ maxEntries: 1 });

export function storeDirectory(services: Services): Promise<StoreEntry[]> {
  // mysql2, not Prisma: this is the one read of a staff chat turn that still went through Prisma,
  // whose client and query compiler a web process then had to build (docs/benchmarks.md, bench:http memory).
  return directory.get(services, 'stores', TTL_MS, async () => {
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT id, code, name, city FROM stores ORDER BY id');
    return toStoreEntries(rows.map((r) => ({ id: Number(r.id), name: String(r.name), city: r.city == null ? null : String(r.city), code: r.code == null ? null : String(r.code) })));
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every alias of a directory as its pattern, longest first — built once per directory (the
 * cached directory is the same array on every message), not once per alias per message.
 */
const patterns = new WeakMap<readonly StoreEntry[], { re: RegExp; store: StoreEntry; plain?: string }[]>();
function aliasPatterns(stores: readonly StoreEntry[]): { re: RegExp; store: StoreEntry; plain?: string }[] {
  let out = patterns.get(stores);
  if (out) return out;
  out = stores
    .flatMap((store) => store.aliases.map((alias) => ({ alias, store })))
    .sort((a, b) => b.alias.length - a.alias.length)
    // Latin aliases (pinyin) on word boundaries: "xihu" is not inside another word.
    // An apostrophe is typed straight or curly ("jing'an", "jing’an").
    .map(({ alias, store }) => {
      const latin = /^[a-z0-9 '-]+$/i.test(alias);
      const re = new RegExp(latin ? `(?<![A-Za-z0-9-])${escapeRe(alias).replace(/'/g, "['’]")}(?![A-Za-z0-9-])` : `${escapeRe(alias)}(?:门店|分店|店)?`, 'i');
      // An alias without cased letters (Chinese) matches only where it stands as written: a substring test first.
      return latin || alias.toLowerCase() !== alias.toUpperCase() ? { store, re } : { store, re, plain: alias };
    });
  patterns.set(stores, out);
  return out;
}

/**
 * The first store named in the text, by its name or an alias, longest alias first (so
 * "上海徐汇店" is one store, not 徐汇 plus leftovers). Returns the table's name; the span covers
 * a trailing 店/门店 too ("徐汇店" written as 徐汇 + 店).
 */
export function findStore(text: string, stores: readonly StoreEntry[]): Found<string> | undefined {
  let best: Found<string> | undefined;
  let rest = text;
  for (const { re, store, plain } of aliasPatterns(stores)) {
    if (plain !== undefined && !rest.includes(plain)) continue;
    const m = re.exec(rest);
    if (!m) continue;
    const found = { value: store.name, span: { start: m.index, end: m.index + m[0].length } };
    if (!best || found.span.start < best.span.start) best = found;
    rest = blank(rest, [found.span]);
  }
  return best;
}

/** The store a free text or an LLM argument names (table name or alias), or undefined. */
export function resolveStore(text: string, stores: readonly StoreEntry[]): StoreEntry | undefined {
  const f = findStore(text.normalize('NFKC'), stores);
  return f && stores.find((s) => s.name === f.value);
}

/** Levels the data has (membership_levels: 1–5). */
export const MAX_LEVEL = 5;

// findLevel's patterns, made once.
const LEVEL_PATTERNS = [
  /(?<![A-Za-z0-9])(?:L|Lv\.?|level|VIP)\s*(\d)(?!\d)/i,
  new RegExp(`(?:等级|级别)\\s*(?:为|是|=|:|：)?\\s*(\\d|${CN_NUMERAL})(?!\\d)`),
  new RegExp(`(?<![\\d${CN_NUMERAL.slice(1, -1)}])(\\d|${CN_NUMERAL})\\s*级(?:会员)?`),
];
/**
 * A membership level: "L3", "Lv.3", "3级", "三级会员", "等级4", "4级会员", "level 4", "VIP3".
 * Only 1..MAX_LEVEL; "30级" or "level 9" is not a level of this CRM.
 */
export function findLevel(text: string): Found<number> | undefined {
  for (const re of LEVEL_PATTERNS) {
    const m = re.exec(text);
    const n = m?.[1] === undefined ? undefined : parseNumber(m[1]);
    if (m && n !== undefined && n >= 1 && n <= MAX_LEVEL) return { value: n, span: { start: m.index, end: m.index + m[0].length } };
  }
  return undefined;
}
