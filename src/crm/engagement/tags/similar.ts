/** Character bigrams (single characters for one-character words): Chinese tag names are short. */
function grams(s: string): Set<string> {
  const t = s.toLowerCase();
  if (t.length < 2) return new Set([t]);
  const out = new Set<string>();
  for (let i = 0; i < t.length - 1; i++) out.add(t.slice(i, i + 2));
  return out;
}

/** Dice similarity of bigrams, 1 when one contains the other: "高价值" ~ "高价值客户", "vip" ~ "VIP会员". */
export function tagSimilarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (!x || !y) return 0;
  if (x.includes(y) || y.includes(x)) return 1;
  const ga = grams(x);
  const gb = grams(y);
  let common = 0;
  for (const g of ga) if (gb.has(g)) common++;
  const dice = (2 * common) / (ga.size + gb.size);
  // Any shared character still hints at the intended tag ("流失" vs "高流失风险").
  const sharedChar = [...x].some((c) => /\S/.test(c) && y.includes(c)) ? 0.3 : 0;
  return Math.max(dice, sharedChar);
}

/** The existing tags most like an unknown name, best first (for "did you mean …"). */
export function similarTags(name: string, existing: readonly string[], max = 5): string[] {
  return existing
    .map((t) => ({ t, s: tagSimilarity(name, t) }))
    .filter((x) => x.s >= 0.3)
    .sort((a, b) => b.s - a.s || a.t.localeCompare(b.t))
    .slice(0, max)
    .map((x) => x.t);
}
