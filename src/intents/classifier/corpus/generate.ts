import { createHash } from 'node:crypto';
import { NONE, type Audience } from '../model.ts';
import { seededRandom } from '../train.ts';
import { SLOT_VALUES } from './slots.ts';
import { applyEnglishStyle, applyStyle, STYLE_MIX } from './styles.ts';
import { TEMPLATES } from './index.ts';

/**
 * One intent's paraphrase templates. Grammar: `[a|b|c]` picks one alternative (an empty one
 * makes it optional: `[|帮我]`), `{slot}` is filled from SLOT_VALUES (`{m}`: a member by name,
 * phone or member number; `{m_en}`: the same with Latin names). Chinese templates are also typed
 * in every style of styles.ts; English and mixed ones get English typing styles.
 */
export interface IntentCorpus {
  audience: Audience;
  zh: readonly string[];
  en?: readonly string[];
}
export type CorpusFile = Record<string, IntentCorpus>;

/** One training line. */
export interface CorpusLine {
  audience: Audience;
  label: string;
  text: string;
  /** Which template (or example) the line came from: cross-validation holds out whole templates. Not hashed. */
  source: string;
  /** How it was typed (styles.ts; `english` for English templates). Not hashed: reports only. */
  style?: string;
}

/** What the generator needs of a catalogue intent. */
export interface CatalogueEntry {
  name: string;
  audience: Audience;
  examples: readonly { text: string }[];
}

export interface CorpusOptions {
  seed: number;
  /** Expansions drawn per Chinese template (each styled once), per English template. */
  perZhTemplate: number;
  perEnTemplate: number;
  /** Each Chinese expansion is filled and styled this many times (different values, different typing). */
  fillsPerExpansion: number;
  /** Lines per intent from templates (hand-written examples come on top). */
  perIntent: number;
}

export const CORPUS_DEFAULTS: CorpusOptions = { seed: 11, perZhTemplate: 48, perEnTemplate: 16, fillsPerExpansion: 2, perIntent: 900 };

/**
 * Intents whose lines mean "nothing the CRM does" when the catalogue has no such intent (yet):
 * they train the NONE label, which routes to the audience's fallback.
 */
const NONE_WHEN_ABSENT = new Set(['smalltalk', 'my.smalltalk']);
/** Template entries that always train NONE (one per audience). */
const NONE_ENTRIES = new Set([NONE, 'none.member']);

type Part = string | string[];

function parse(template: string): Part[] {
  const parts: Part[] = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (const m of template.matchAll(re)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(m[1]!.split('|'));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Up to `max` expansions of a template: all of them when few, else a seeded sample. */
export function expand(template: string, max: number, rand: () => number): string[] {
  const parts = parse(template);
  const choices = parts.filter((p): p is string[] => Array.isArray(p));
  const total = choices.reduce((n, c) => n * c.length, 1);
  const render = (pick: (c: string[], i: number) => string) => {
    let i = 0;
    return parts.map((p) => (Array.isArray(p) ? pick(p, i++) : p)).join('');
  };
  if (total <= max) {
    const out: string[] = [];
    for (let n = 0; n < total; n++) {
      let rest = n;
      out.push(render((c) => {
        const k = rest % c.length;
        rest = Math.floor(rest / c.length);
        return c[k]!;
      }));
    }
    return out;
  }
  const out = new Set<string>();
  for (let tries = 0; out.size < max && tries < max * 5; tries++) out.add(render((c) => c[Math.floor(rand() * c.length)]!));
  return [...out];
}

function picker(rand: () => number) {
  return <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
}

function fill(text: string, pick: <T>(xs: readonly T[]) => T): string {
  return text.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === 'm' || slot === 'm_en') {
      const kind = pick(['name', 'name', 'phone', 'memberNo'] as const);
      return pick(SLOT_VALUES[kind === 'name' && slot === 'm_en' ? 'name_en' : kind]!);
    }
    const values = SLOT_VALUES[slot];
    if (!values) throw new Error(`corpus template names an unknown slot {${slot}}: ${text}`);
    return pick(values);
  });
}

/** A stable per-intent seed: adding an intent's templates does not reshuffle another's lines. */
function seedOf(name: string, seed: number): number {
  return createHash('sha256').update(`${seed}:${name}`).digest().readUInt32LE(0);
}

function linesOf(name: string, corpus: IntentCorpus, opts: CorpusOptions): { text: string; source: string; style: string }[] {
  const rand = seededRandom(seedOf(name, opts.seed));
  const pick = picker(rand);
  const out = new Map<string, { source: string; style: string }>();
  const add = (text: string, source: string, style: string) => {
    if (text && !out.has(text)) out.set(text, { source, style });
  };
  corpus.zh.forEach((t, ti) => {
    for (const e of expand(t, opts.perZhTemplate, rand)) {
      for (let i = 0; i < opts.fillsPerExpansion; i++) {
        const filled = fill(e, pick);
        const style = pick(STYLE_MIX);
        add(applyStyle(filled, style, pick).trim(), `${name}#zh${ti}`, style);
      }
    }
  });
  (corpus.en ?? []).forEach((t, ti) => {
    for (const e of expand(t, opts.perEnTemplate, rand)) add(applyEnglishStyle(fill(e, pick), pick).trim(), `${name}#en${ti}`, 'english');
  });
  const lines = [...out].map(([text, { source, style }]) => ({ text, source, style }));
  if (lines.length <= opts.perIntent) return lines;
  // A seeded sample that keeps the generation order (so the file diff of a template change stays local).
  const keep = new Set<number>();
  while (keep.size < opts.perIntent) keep.add(Math.floor(rand() * lines.length));
  return lines.filter((_, i) => keep.has(i));
}

/**
 * The training corpus: for each catalogue intent (and NONE) the template lines, then the
 * intent's own examples as written and in two more styles. Templates of intents the catalogue
 * does not have are skipped (small talk becomes NONE). Deterministic: same templates, catalogue
 * and options → same lines in the same order.
 */
export function generateCorpus(catalogue: readonly CatalogueEntry[], templates: Readonly<Record<string, IntentCorpus>> = TEMPLATES, opts: CorpusOptions = CORPUS_DEFAULTS): CorpusLine[] {
  const known = new Map(catalogue.map((c) => [`${c.audience}:${c.name}`, c]));
  const lines: CorpusLine[] = [];
  for (const name of Object.keys(templates).sort()) {
    const corpus = templates[name]!;
    const label = NONE_ENTRIES.has(name) ? NONE : known.has(`${corpus.audience}:${name}`) ? name : NONE_WHEN_ABSENT.has(name) ? NONE : undefined;
    if (!label) continue;
    for (const { text, source, style } of linesOf(name, corpus, opts)) lines.push({ audience: corpus.audience, label, text, source, style });
  }
  for (const c of [...catalogue].sort((a, b) => a.name.localeCompare(b.name))) {
    const rand = seededRandom(seedOf(`examples:${c.name}`, opts.seed));
    const pick = picker(rand);
    c.examples.forEach((ex, ei) => {
      const styled = /[\p{Script=Han}]/u.test(ex.text) ? [applyStyle(ex.text, pick(STYLE_MIX), pick), applyStyle(ex.text, pick(STYLE_MIX), pick)] : [applyEnglishStyle(ex.text, pick)];
      for (const text of new Set([ex.text, ...styled])) lines.push({ audience: c.audience, label: c.name, text, source: `${c.name}#example${ei}` });
    });
  }
  return lines;
}

/** sha256 of the corpus lines: the model file records it; CI regenerates and compares. */
export function corpusHash(lines: readonly CorpusLine[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(`${l.audience}\t${l.label}\t${l.text}\n`);
  return h.digest('hex');
}
