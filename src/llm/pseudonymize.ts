/**
 * Personal data never leaves the process in clear (docs/intents.md, what leaves the process):
 * before a text goes to an LLM provider, phone numbers, member numbers and known names are replaced by placeholders
 * (<PHONE_1>, <MEMBER_1>, <NAME_1>); the model's tool arguments and text are restored on the
 * way back. One instance per turn, so placeholders mean the same thing within a conversation
 * with the model and nothing across turns.
 */
// Mainland mobiles however typed (spaces, dashes, dots, +86), and member numbers, anywhere in a text.
const PHONE = /(?<!\d)(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s.-]?\d){8}(?!\d)/g;
const MEMBER_NO = /(?<![A-Za-z0-9])[Mm]\d{8}(?!\d)/g;
const PLACEHOLDER = /<(PHONE|MEMBER|NAME)_(\d+)>/g;

export class Pseudonyms {
  private readonly toPlaceholder = new Map<string, string>();
  private readonly toReal = new Map<string, string>();
  private readonly counters = { PHONE: 0, MEMBER: 0, NAME: 0 };
  private readonly names: string[] = [];

  /** Names the process knows are personal (the actor's, the member's in focus, names found in the message). */
  constructor(names: Iterable<string | null | undefined> = []) {
    for (const n of names) this.addName(n);
  }

  addName(name: string | null | undefined): void {
    const n = name?.trim();
    // Single characters would mask ordinary words; names are 2+ characters.
    if (n && [...n].length >= 2 && !this.names.includes(n)) this.names.push(n);
  }

  private placeholder(kind: keyof Pseudonyms['counters'], canonical: string): string {
    const known = this.toPlaceholder.get(`${kind}:${canonical}`);
    if (known) return known;
    const p = `<${kind}_${++this.counters[kind]}>`;
    this.toPlaceholder.set(`${kind}:${canonical}`, p);
    this.toReal.set(p, canonical);
    return p;
  }

  /** The text with every phone, member number and known name replaced. */
  mask(text: string): string {
    let out = text.normalize('NFKC');
    out = out.replace(PHONE, (m) => this.placeholder('PHONE', m.replace(/\D/g, '').slice(-11)));
    out = out.replace(MEMBER_NO, (m) => this.placeholder('MEMBER', m.toUpperCase()));
    // Longest first, so "张伟华" is not masked as "<NAME_1>华".
    for (const name of [...this.names].sort((a, b) => b.length - a.length)) {
      if (out.includes(name)) out = out.split(name).join(this.placeholder('NAME', name));
    }
    return out;
  }

  /** Restores placeholders in a string, or in every string of an object/array (tool arguments). */
  unmask<T>(value: T): T {
    if (typeof value === 'string') return value.replace(PLACEHOLDER, (p) => this.toReal.get(p) ?? p) as T;
    if (Array.isArray(value)) return value.map((v) => this.unmask(v)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.unmask(v)])) as T;
    return value;
  }
}
