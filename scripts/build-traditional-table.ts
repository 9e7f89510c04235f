import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds src/intents/router/traditional-table.json, traditional → simplified per character,
 * from OpenCC's TSCharacters.txt (BYVoid/OpenCC, Apache-2.0; source commit
 * 5249273a3e5606852f088c9a8b23522145d94f78): `tsx scripts/build-traditional-table.ts <dir holding
 * TSCharacters.txt>`. The router reads a traditional message in simplified characters (複購率 →
 * 复购率, 陳靜 → 陈静); where OpenCC lists several simplified forms the first (its default) is
 * taken. Output: one string of pairs (traditional, simplified), sorted, so rebuilding gives the same file.
 */
const src = process.argv[2];
if (!src) {
  console.error('usage: tsx scripts/build-traditional-table.ts <dir holding TSCharacters.txt>');
  process.exit(2);
}
const pairs: [string, string][] = [];
for (const line of readFileSync(join(src, 'TSCharacters.txt'), 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [t, values] = line.split('\t') as [string, string];
  const s = values.trim().split(/\s+/)[0]!;
  if ([...t].length === 1 && [...s].length === 1 && t !== s) pairs.push([t, s]);
}
pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
writeFileSync(new URL('../src/intents/router/traditional-table.json', import.meta.url), `${JSON.stringify(pairs.map(([t, s]) => t + s).join(''))}\n`);
console.log(`${pairs.length} characters`);
