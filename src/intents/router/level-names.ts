import type { RowDataPacket } from 'mysql2/promise';
import { processCache } from '../../crm/kernel/index.ts';
import type { Services } from '../../services.ts';
import type { Found } from './extract.ts';

/**
 * Membership levels by their configured names (membership_levels.name: 金卡会员, 钻石会员 …), as
 * staff type them in counts and lists ("金卡 多少人", "银卡几个", "钻石卡 几个"): a slot extractor
 * beside findLevel (stores.ts), which reads numbers (L3, 3级). HQ renames levels through the API,
 * so the names come from the table, never from a list in the code.
 */
export interface LevelEntry {
  level: number;
  aliases: string[];
}

/**
 * A level's names: the table's ("金卡会员"), without 会员 when what is left is a card ("金卡"), and
 * the card form of a bare name ("钻石会员" → 钻石卡). A bare word that is no card ("钻石", "普通",
 * "铂金") is not a level on its own: it is too often something else.
 */
export function levelAliases(name: string): string[] {
  const out = new Set<string>([name]);
  const bare = name.replace(/(?:会员|等级|级)$/, '');
  if ([...bare].length >= 2 && bare !== name) {
    if (bare.endsWith('卡')) out.add(bare);
    else out.add(`${bare}卡`);
  }
  return [...out];
}

export function toLevelEntries(rows: readonly { level: number; name: string }[]): LevelEntry[] {
  return rows.filter((r) => r.name.trim()).map((r) => ({ level: r.level, aliases: levelAliases(r.name.trim()) }));
}

const TTL_MS = 30_000;
const directory = processCache<LevelEntry[]>({ maxEntries: 1 });

/** The levels table's names, kept briefly in the per-process cache like the stores (stores.ts). */
export function levelDirectory(services: Services): Promise<LevelEntry[]> {
  return directory.get(services, 'levels', TTL_MS, async () => {
    const [rows] = await services.sql.query<RowDataPacket[]>('SELECT level, name FROM membership_levels ORDER BY level');
    return toLevelEntries(rows.map((r) => ({ level: Number(r.level), name: String(r.name ?? '') })));
  });
}

/** The first level named in the text by one of its names, longest name first. */
export function findLevelName(text: string, levels: readonly LevelEntry[]): Found<number> | undefined {
  let best: Found<number> | undefined;
  const aliases = levels.flatMap((l) => l.aliases.map((alias) => ({ alias, level: l.level }))).sort((a, b) => b.alias.length - a.alias.length);
  for (const { alias, level } of aliases) {
    const at = text.indexOf(alias);
    if (at < 0) continue;
    const found = { value: level, span: { start: at, end: at + alias.length } };
    if (!best || at < best.span.start) best = found;
  }
  return best;
}
