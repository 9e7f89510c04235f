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
  return i18().t(key, { ...params, lng: lang }) as string;
}
