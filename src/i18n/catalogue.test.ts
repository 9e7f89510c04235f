import { describe, expect, it } from 'vitest';
import { catalogue } from './messages/index.ts';

const HAN = /\p{Script=Han}/u;
/** English plural forms i18next picks by `count` (`key_one` beside `key`): English only. */
const PLURAL = /_(?:zero|one|two|few|many|other)$/;
/**
 * English texts that must quote Chinese: the segment condition parser reads Chinese phrases, so
 * its hints show them (with the English meaning beside).
 */
const QUOTES_CHINESE_INPUT = new Set(['segments.formatHint', 'segments.examplesHint']);
// Namespaces other helpers add in parallel are checked the same way once merged.

describe('the message catalogue', () => {
  for (const [ns, m] of Object.entries(catalogue) as [string, { zh: Record<string, string>; en: Record<string, string> }][]) {
    it(`${ns}: the same keys in Chinese and English, none empty in Chinese, no Chinese in English`, () => {
      const zh = Object.keys(m.zh).sort();
      const en = Object.keys(m.en).filter((k) => !PLURAL.test(k)).sort();
      expect(en).toEqual(zh);
      for (const k of Object.keys(m.en).filter((k) => PLURAL.test(k))) expect(m.en, `${ns}.${k} is a plural of a missing key`).toHaveProperty(k.replace(PLURAL, ''));
      for (const [k, v] of Object.entries(m.zh)) expect(v.trim(), `${ns}.${k} (zh) is empty`).not.toBe('');
      for (const [k, v] of Object.entries(m.en)) {
        expect(v.trim(), `${ns}.${k} (en) is empty`).not.toBe('');
        if (!QUOTES_CHINESE_INPUT.has(`${ns}.${k}`)) expect(v, `${ns}.${k} (en) has Chinese: ${v}`).not.toMatch(HAN);
      }
    });
  }

  it('uses the same {{params}} in both languages', () => {
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((x) => x[1]).sort();
    for (const [ns, m] of Object.entries(catalogue) as [string, { zh: Record<string, string>; en: Record<string, string> }][]) {
      // An error's Chinese reply is the domain's own message; only its English line takes details.
      if (ns === 'errors') continue;
      for (const [k, zh] of Object.entries(m.zh)) {
        // A plural form may spell the count out ("1 order"); the plain key keeps {{count}}.
        const en = m.en[k];
        if (en !== undefined) expect(params(en).filter((p) => p !== 'count'), `${ns}.${k}`).toEqual(params(zh).filter((p) => p !== 'count'));
      }
    }
  });
});
