import i18next, { type i18n } from 'i18next';
import { catalogue } from './messages/index.ts';
import type { Lang } from './language.ts';

export { languageOf, replyLanguage, type Lang } from './language.ts';

type Catalogue = typeof catalogue;
/** `namespace.key` for every text of the catalogue whose Chinese and English both exist. */
export type MessageKey = { [N in keyof Catalogue]: `${N & string}.${keyof Catalogue[N]['zh'] & keyof Catalogue[N]['en'] & string}` }[keyof Catalogue];

function resources() {
  const out: Record<Lang, Record<string, Record<string, string>>> = { zh: {}, en: {} };
  for (const [ns, m] of Object.entries(catalogue)) {
    out.zh[ns] = m.zh;
    out.en[ns] = m.en;
  }
  return out;
}

let instance: i18n | undefined;

/** One i18next instance for the process, initialised synchronously from the bundled catalogue (no files, no network). */
function i18(): i18n {
  if (instance) return instance;
  const inst = i18next.createInstance();
  const res = resources();
  void inst.init({
    initAsync: false,
    lng: 'zh',
    fallbackLng: 'zh',
    supportedLngs: ['zh', 'en'],
    ns: Object.keys(catalogue),
    nsSeparator: '.',
    keySeparator: false,
    // Texts go to chat, not HTML: no escaping ({{name}} stays "O'Brien", not "O&#39;Brien").
    interpolation: { escapeValue: false },
    resources: { zh: res.zh, en: res.en },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

/** The text `key` in `lang` with `{{param}}` filled in; `count` selects a plural form in English (`key_one` / `key_other`). */
export function t(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  return quickT(lang, key, params) ?? translateWithI18next(lang, key, params);
}

/** i18next's own answer: the reference quickT is tested against (i18n.test.ts), and what t gives for anything quickT declines. */
export function translateWithI18next(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  return i18().t(key, { ...params, lng: lang }) as string;
}

/*
 * Every chat turn renders its reply through t() several times (a member card: ~12), and i18next's
 * general path — option merging, key resolution over namespaces and languages, two interpolation
 * regexes and a nesting pass per call — was ~2 % of a callback's CPU and ~5 % of a summary turn's
 * (docs/benchmarks.md, HTTP turn cost, session 17). The catalogue only uses what follows, so t()
 * answers these itself, the same text i18next gives (a test compares every key of the catalogue
 * in both languages): plain `{{name}}` placeholders; `count` choosing `key_zero` / `key_<rule>` /
 * `key` / `key_other` in i18next's order, `en` falling back to `zh`. Anything else (other
 * options, a placeholder with a format or a path, nesting, a missing key) goes to i18next.
 */

/** The options i18next reads from t()'s second argument, beside `count` and `lng`: any of them → i18next. */
const I18NEXT_OPTIONS = new Set(['context', 'replace', 'ordinal', 'defaultValue', 'returnObjects', 'returnDetails', 'joinArrays', 'lngs', 'fallbackLng', 'ns', 'keyPrefix', 'nsSeparator', 'keySeparator', 'interpolation', 'postProcess', 'skipInterpolation', 'nest', 'defaultVariables', 'lng']);
/** A template split at its placeholders: literal, name, literal, name, …, literal; null when only i18next can fill it. */
type Compiled = { parts: string[]; raw: string[] } | null;
const compiled = new Map<string, Compiled>();
const plural = new Map<Lang, Intl.PluralRules>();
const FALLBACK: Record<Lang, Lang[]> = { zh: ['zh'], en: ['en', 'zh'] };

function compile(text: string): Compiled {
  if (text.includes('$t(') || text.includes('{{-')) return null;
  const parts: string[] = [];
  const raw: string[] = [];
  let at = 0;
  for (const m of text.matchAll(/\{\{(.+?)\}\}/g)) {
    const name = m[1]!.trim();
    if (!/^[A-Za-z0-9_]+$/.test(name) || name === 'lng' || I18NEXT_OPTIONS.has(name)) return null;
    parts.push(text.slice(at, m.index), name);
    raw.push(m[0]);
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  return { parts, raw };
}

function textOf(code: Lang, key: string): string | undefined {
  const dot = key.indexOf('.');
  const texts = (catalogue as Record<string, Record<Lang, Record<string, string>>>)[key.slice(0, dot)]?.[code];
  const sub = key.slice(dot + 1);
  return texts && Object.hasOwn(texts, sub) ? texts[sub] : undefined;
}

/** The keys i18next tries in one language, first first (its Translator.resolve without context or ordinal). */
function candidates(code: Lang, key: string, count: number | undefined): string[] {
  if (count === undefined) return [key];
  let rules = plural.get(code);
  if (!rules) plural.set(code, (rules = new Intl.PluralRules(code, { type: 'cardinal' })));
  const suffix = `_${rules.select(count)}`;
  return [...(count === 0 ? [`${key}_zero`] : []), key + suffix, key, ...(suffix === '_other' ? [] : [`${key}_other`])];
}

/** t() without i18next: the text, or undefined where i18next must answer (exported for its test). */
export function quickT(lang: Lang, key: string, params: Record<string, unknown>): string | undefined {
  const count = params.count;
  if (count !== undefined && !(typeof count === 'number' && Number.isFinite(count))) return undefined;
  for (const name in params) if (I18NEXT_OPTIONS.has(name)) return undefined;
  for (const code of FALLBACK[lang] ?? []) {
    for (const k of candidates(code, key, count as number | undefined)) {
      const text = textOf(code, k);
      if (text === undefined) continue;
      if (typeof text !== 'string') return undefined;
      const id = `${code}\u0000${k}`;
      let c = compiled.get(id);
      if (c === undefined) compiled.set(id, (c = compile(text)));
      if (c === null) return undefined;
      let out = c.parts[0]!;
      for (let i = 1; i < c.parts.length; i += 2) {
        const name = c.parts[i]!;
        const own = Object.hasOwn(params, name);
        const v = own ? params[name] : undefined;
        // As i18next: a name given as undefined → '', one not given at all stays as written, null → ''.
        out += (v === undefined ? (own ? '' : c.raw[(i - 1) / 2]!) : v === null ? '' : String(v)) + c.parts[i + 1]!;
      }
      return out;
    }
  }
  return undefined;
}
