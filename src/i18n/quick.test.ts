import { describe, expect, it } from 'vitest';
import { catalogue } from './messages/index.ts';
import { quickT, t, translateWithI18next, type Lang } from './index.ts';

/**
 * t() answers the catalogue's texts without i18next (index.ts, quickT): for every key of every
 * namespace, in both languages, with and without its placeholders filled, with counts that pick
 * each plural form, the text must be exactly i18next's.
 */
describe('t without i18next', () => {
  const langs: Lang[] = ['zh', 'en'];
  const keys = new Set<string>();
  const names = new Map<string, Set<string>>();
  for (const [ns, m] of Object.entries(catalogue) as [string, Record<Lang, Record<string, string>>][]) {
    for (const lang of langs) {
      for (const [k, text] of Object.entries(m[lang])) {
        const base = `${ns}.${k.replace(/_(zero|one|two|few|many|other)$/, '')}`;
        keys.add(base);
        const set = names.get(base) ?? new Set<string>();
        for (const p of String(text).matchAll(/\{\{(.+?)\}\}/g)) set.add(p[1]!.trim());
        names.set(base, set);
      }
    }
  }

  it('gives i18next’s text for every key, language, plural and fill', () => {
    let quick = 0;
    let compared = 0;
    for (const key of keys) {
      const own = [...names.get(key)!];
      const filled = Object.fromEntries(own.map((n, i) => [n, i % 3 === 0 ? `«${n}»` : i % 3 === 1 ? i * 7 : `x${n}`]));
      const holes = Object.fromEntries(own.map((n, i) => [n, i % 2 ? null : undefined]));
      const sets: Record<string, unknown>[] = [{}, filled, holes, ...[0, 1, 2, 7, 1.5].flatMap((count) => [{ count }, { ...filled, count }])];
      for (const lang of langs) {
        for (const params of sets) {
          expect(t(lang, key as never, params), `${lang} ${key} ${JSON.stringify(params)}`).toBe(translateWithI18next(lang, key, params));
          // A count that is not a number (null here) is i18next's to read.
          if (quickT(lang, key, params) !== undefined || ('count' in params && typeof params.count !== 'number')) quick++;
          compared++;
        }
      }
    }
    // Every text of the catalogue is simple enough: nothing else falls back.
    expect(quick).toBe(compared);
  });

  it('leaves to i18next what it does not do itself', () => {
    expect(quickT('zh', 'no.suchKey', {})).toBeUndefined();
    expect(quickT('en', 'members.summary.spend', { count: 2, context: 'x' })).toBeUndefined();
    expect(quickT('en', 'members.summary.spend', { count: '2' })).toBeUndefined();
    expect(t('zh', 'no.suchKey' as never)).toBe(translateWithI18next('zh', 'no.suchKey'));
  });

  it('keeps a value that looks like a placeholder or a nesting as typed', () => {
    for (const name of ['{{total}}', '$t(members.label)', "O'Brien <b>"]) {
      expect(t('en', 'members.summary.spend', { count: 3, total: name })).toBe(translateWithI18next('en', 'members.summary.spend', { count: 3, total: name }));
    }
  });
});
