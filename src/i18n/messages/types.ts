/** One module's texts: the same keys in both languages (a missing translation fails tsc). */
export interface Messages {
  zh: Record<string, string>;
  en: Record<string, string>;
}
