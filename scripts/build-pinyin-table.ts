import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds src/intents/router/pinyin-table.json, the toneless readings of the 8105 characters of
 * the 通用规范汉字表 (2013), from mozillazg/pinyin-data (MIT; Unihan kMandarin/kHanyuPinyin …
 * merged; source commit 82759f96236a65141ddc0cc9198fa688b7b8a7fa):
 * `tsx scripts/build-pinyin-table.ts <checkout of pinyin-data>`. The router uses it to read IME
 * homophone typos (积份 → 积分, 会圆 → 会员) without a hand-made list. Readings per character:
 * kTGHZ2013 (the 通用规范汉字字典's, modern readings only — pinyin.txt adds classical ones such
 * as 已 sì that only make false matches), else kMandarin_8105's one reading. Output:
 * { syllable: characters }, sorted, so rebuilding gives the same file.
 */
const src = process.argv[2];
if (!src) {
  console.error('usage: tsx scripts/build-pinyin-table.ts <path to a pinyin-data checkout>');
  process.exit(2);
}
const entries = (file: string) =>
  readFileSync(join(src, file), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('U+'))
    .map((l) => {
      const [code, rest] = l.split(':') as [string, string];
      return { ch: String.fromCodePoint(parseInt(code.slice(2), 16)), readings: rest.split('#')[0]!.trim().split(',') };
    });
const toneless = (r: string) => r.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ü/g, 'v').trim();
const table = new Map<string, Set<string>>();
const modern = new Map(entries('kTGHZ2013.txt').map((e) => [e.ch, e.readings]));
for (const { ch, readings: main } of entries('kMandarin_8105.txt')) {
  for (const r of new Set((modern.get(ch) ?? main).map(toneless))) {
    if (!/^[a-z]+$/.test(r)) continue;
    if (!table.has(r)) table.set(r, new Set());
    table.get(r)!.add(ch);
  }
}
const out = Object.fromEntries([...table.keys()].sort().map((k) => [k, [...table.get(k)!].sort().join('')]));
writeFileSync(new URL('../src/intents/router/pinyin-table.json', import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`${Object.keys(out).length} syllables`);
