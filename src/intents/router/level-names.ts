import type { RowDataPacket } from 'mysql2/promise';
import { processCache } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import type { Found } from './extract.ts';

/**
 * A membership level as the rule router knows it: its number and the words staff name it by.
 * Levels are configured per chain (membership_levels: 金卡会员, 钻石会员 …), so "金卡会员有哪些" or
 * "gold members" is read from the chain's own names, like a store from the stores table — never
 * from a list of this chain's names in the code.
 */
export interface LevelEntry {
  level: number;
  name: string;
  aliases: string[];
}

/**
 * English words for the Chinese cores level names are commonly made of (a card's metal or stone):
 * general CRM vocabulary, read only when the configured name has that core.
 */
const ENGLISH_CORE: readonly [core: string, words: readonly string[]][] = [
  ['黑金', ['black gold', 'black']],
  ['铂金', ['platinum', 'plat']],
  ['白金', ['platinum']],
  ['钻石', ['diamond']],
  ['金', ['gold', 'golden']],
  ['银', ['silver']],
  ['铜', ['bronze']],
  ['普通', ['regular', 'basic', 'standard']],
];

const GENERIC_CORE = /^(?:普通|一般|初级|中级|高级|新|老)/;

/**
 * The forms of a configured level name staff type: the name itself ("金卡会员"), its core with or
 * without 卡 / 会员 ("金卡", "金卡会员", "钻石", "钻石卡", "钻石会员"), and English words for the core
 * ("gold", "diamond"). A core of one character (金, 银) is only read with 卡 after it: 金 alone is a surname.
 */
export function levelAliases(name: string): string[] {
  const core = name.replace(/(?:卡)?(?:会员|等级|级)$/, '').replace(/卡$/, '');
  const out = new Set<string>([name]);
  if ([...core].length >= 1) for (const f of [`${core}卡`, `${core}会员`, `${core}卡会员`]) out.add(f);
  // A generic core ("普通", "高级") is no level alone: "普通的订单" names none.
  if ([...core].length >= 2 && !GENERIC_CORE.test(core)) out.add(core);
  const english = ENGLISH_CORE.find(([c]) => core === c || (core.endsWith(c) && [...core].length <= c.length + 1));
  for (const w of english?.[1] ?? []) out.add(w);
  return [...out];
}

export function toLevelEntries(rows: readonly { level: number; name: string }[]): LevelEntry[] {
  return rows.map((r) => ({ level: r.level, name: r.name, aliases: levelAliases(r.name) }));
}

const TTL_MS = 30_000;
const directory = processCache<LevelEntry[]>({ maxEntries: 1 });

/**
 * The membership_levels table's names, kept briefly in the per-process cache (as the stores are:
 * mysql2, not Prisma, on the chat path; levels change rarely, an edit is seen within the TTL).
 */
export function levelDirectory(services: Services): Promise<LevelEntry[]> {
  return directory.get(services, 'levels', TTL_MS, async () => {
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT level, name FROM membership_levels ORDER BY level');
    return toLevelEntries(rows.map((r) => ({ level: Number(r.level), name: String(r.name) })));
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// An English level word names a level only before what a level qualifies ("gold members", "diamond tier").
const EN_AFTER = '\\s*(?:members?|customers?|tier|level|card(?:holders?)?|status)\\b';

// A bare core ("钻石", "铂金") is a material word too ("铂金首饰"): a level only before what names people or ends the phrase.
const BARE_AFTER = '(?=的|会员|卡|级|用户|客户|顾客|客人|人|们|[有都是吗呢几多]|[\\s\\p{P}]|$)';

const patterns = new WeakMap<readonly LevelEntry[], { re: RegExp; level: number }[]>();
function aliasPatterns(levels: readonly LevelEntry[]): { re: RegExp; level: number }[] {
  let out = patterns.get(levels);
  if (out) return out;
  out = levels
    .flatMap((l) => l.aliases.map((alias) => ({ alias, level: l.level })))
    .sort((a, b) => b.alias.length - a.alias.length)
    .map(({ alias, level }) => ({
      level,
      // Latin words on word boundaries and before a level noun; Han forms not inside a longer core ("白金卡" is not 金卡).
      re: /^[a-z ]+$/i.test(alias)
        ? new RegExp(`(?<![A-Za-z])${escapeRe(alias)}(?=${EN_AFTER})`, 'i')
        : new RegExp(`(?<![白铂黑玫瑰钻])${escapeRe(alias)}${/(?:卡|会员)$/.test(alias) ? '' : BARE_AFTER}`, 'u'),
    }));
  patterns.set(levels, out);
  return out;
}

/** The level a text names by a configured name (longest form first), or undefined. */
export function findLevelByName(text: string, levels: readonly LevelEntry[]): Found<number> | undefined {
  for (const { re, level } of aliasPatterns(levels)) {
    const m = re.exec(text);
    if (m) return { value: level, span: { start: m.index, end: m.index + m[0].length } };
  }
  return undefined;
}
