import type { Services } from '../services.ts';

/**
 * Names of people (members, staff) that occur in a text, so they can be pseudonymised before
 * the text goes to an LLM. Heuristics miss names; the database does not: every 2–4 character
 * run of Han characters (and every one- or two-word Latin run) is a candidate, looked up in one
 * indexed IN query per table.
 */
export async function knownNamesIn(services: Services, text: string): Promise<string[]> {
  const t = text.normalize('NFKC').slice(0, 500);
  const candidates = new Set<string>();
  for (const run of t.match(/[\p{Script=Han}·]{2,}/gu) ?? []) {
    const chars = [...run];
    for (let len = 2; len <= 4; len++) for (let i = 0; i + len <= chars.length; i++) candidates.add(chars.slice(i, i + len).join(''));
  }
  const words = t.match(/[A-Za-z][A-Za-z.'-]*/g) ?? [];
  words.forEach((w, i) => {
    if (w.length >= 2) candidates.add(w);
    if (words[i + 1]) candidates.add(`${w} ${words[i + 1]}`);
  });
  if (candidates.size === 0) return [];
  const list = [...candidates].slice(0, 2000);
  const [members, staff] = await Promise.all([
    services.db.member.findMany({ where: { name: { in: list } }, select: { name: true }, distinct: ['name'] }),
    services.db.staff.findMany({ where: { name: { in: list } }, select: { name: true }, distinct: ['name'] }),
  ]);
  return [...new Set([...members, ...staff].map((r) => r.name))];
}
