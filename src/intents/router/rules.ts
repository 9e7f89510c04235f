import type { RouteResult } from '../../bot/types.ts';
import { normalizeText } from '../../crm/customers/index.ts';
import { toSimplified } from './traditional.ts';
import { tagDictionary } from '../../crm/engagement/index.ts';
import type { ExtractorKind, IntentDef, Trigger } from '../types.ts';
import { blank, findAmount, findCount, findDays, findCode, findDictionaryTags, findList, findMemberNos, findName, besideIdentifier, findPhones, findPhoneTails, findTagPhrase, soundsLikeTag, type Found, type Span } from './extract.ts';
import { findLevel, findStore, storeDirectory, type StoreEntry } from './stores.ts';
import { dateRangeFromText } from '../parse/health-request.ts';
import { objectWordIntent } from './paired-asks.ts';
import { bare } from './terse-readings.ts';
import { findLevelByName, levelDirectory, type LevelEntry } from './level-names.ts';
import { hanWords } from './homophones.ts';
import { createTypoFixer } from './typos.ts';
import { correctionAt } from '../parse/self-correction.ts';
import { CLARIFY_INTENT, type RouteContext, type Router } from './types.ts';

export interface RuleRouterOptions {
  /**
   * The tag dictionary's names (default: the database's, cached). The evaluator passes a fixed
   * list so routing needs no database.
   */
  tagNames?: (ctx: RouteContext) => Promise<readonly string[]>;
  /** The stores with their short names (default: the stores table, cached); the evaluator passes the demo's. */
  stores?: (ctx: RouteContext) => Promise<readonly StoreEntry[]>;
  /** The membership levels with the names staff type (default: membership_levels, cached); the evaluator passes the seeded ones. */
  levels?: (ctx: RouteContext) => Promise<readonly LevelEntry[]>;
}

const dbStores = (ctx: RouteContext) => storeDirectory(ctx.services);
const dbLevels = (ctx: RouteContext) => levelDirectory(ctx.services);

const dbTagNames = async (ctx: RouteContext) => (await tagDictionary(ctx.services)).map((t) => t.name);

/** Confidence levels: a trigger with every required slot; a trigger missing a slot or tied; only a member id; nothing. */
export const CONFIDENCE = { sure: 0.9, bareRef: 0.85, tied: 0.6, missingSlot: 0.4, unknown: 0.1 } as const;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One part of a trigger: a pattern, or a literal with no cased character (a Chinese word, "尾号"),
 * looked for with indexOf — what its case-insensitive pattern would find, the same first place
 * and length. About half the staff triggers' parts are such words, and every part of every
 * intent of the audience is tried on every message: run as patterns they were about half of the
 * rules' CPU a message (docs/benchmarks.md, bench:http session 24).
 */
type Part = RegExp | string;

/** A string trigger as a pattern: ASCII words on word boundaries ("tag" not inside "untag"), anything else literally. */
function compile(p: string | RegExp): Part {
  if (p instanceof RegExp) {
    // Stateless (no g) and case-insensitive, whatever the declaration wrote.
    const flags = p.flags.replace('g', '');
    return new RegExp(p.source, flags.includes('i') ? flags : flags + 'i');
  }
  if (/^[\x20-\x7e]+$/.test(p)) return new RegExp(`(?<![A-Za-z0-9])${escapeRe(p)}(?![A-Za-z0-9])`, 'i');
  // A cased letter ("VIP会员") keeps the case-insensitive pattern.
  return p.toLowerCase() === p && p.toUpperCase() === p ? p : new RegExp(escapeRe(p), 'i');
}

interface Compiled {
  def: IntentDef;
  triggers: Part[][];
}

interface Hit {
  c: Compiled;
  /** Characters matched by the best trigger: the more specific phrase wins a tie of priority. */
  weight: number;
  spans: Span[];
}

function bestHit(c: Compiled, text: string): Hit | undefined {
  let best: Hit | undefined;
  const spans: Span[] = [];
  // Per call of every intent of the audience for every message: no arrays per trigger, and a
  // trigger's parts stop at the first that fails (the patterns are stateless: compile() drops g).
  const starts: number[] = [];
  const ends: number[] = [];
  for (const parts of c.triggers) {
    let n = 0;
    for (const part of parts) {
      if (typeof part === 'string') {
        const at = text.indexOf(part);
        if (at < 0) break;
        starts[n] = at;
        ends[n] = at + part.length;
      } else {
        const m = part.exec(text);
        if (!m) break;
        starts[n] = m.index;
        ends[n] = m.index + m[0].length;
      }
      n++;
    }
    if (n < parts.length) continue;
    let weight = 0;
    for (let k = 0; k < n; k++) {
      spans.push({ start: starts[k]!, end: ends[k]! });
      weight += ends[k]! - starts[k]!;
    }
    if (!best || weight > best.weight) best = { c, weight, spans };
  }
  // Every trigger that matched is stripped before the name is looked for, not just the best.
  return best && { ...best, spans };
}

const rank = (h: Hit) => (h.c.def.rule.priority ?? 0) * 1000 + h.weight;

/** What the rules make of a message: their answer, and the means to read any intent's slots from it. */
export interface RuleAnalysis {
  /** The rule router's answer. */
  result: RouteResult;
  /**
   * The message as the rules read it: NFKC, simplified characters, typos and IME homophones
   * fixed. The classifier reads this too, so a typo meets the n-grams of the word meant.
   */
  text: string;
  /** Intents whose triggers matched, best first (rank: priority × 1000 + matched characters), with where their triggers matched. */
  hits: { intent: string; rank: number; spans: readonly Span[] }[];
  /** The message named a phone number or member number. */
  hasIdentifier: boolean;
  /** The message is nothing but an identifier (and punctuation). */
  bareIdentifier: boolean;
  /** The message is nothing but a Chinese name (and punctuation): the rules' answer is then a look-up. */
  bareName?: string;
  /** The slots `intent` would run with, by its own extractors (memoised per intent). */
  slotsFor(intent: IntentDef): Promise<Record<string, unknown>>;
  /** Whether `slots` leave one of the intent's required groups empty. */
  missing(intent: IntentDef, slots: Record<string, unknown>): boolean;
}

export interface RuleAnalyser {
  analyse(raw: string, ctx: RouteContext): Promise<RuleAnalysis>;
}

const missingRequired = (def: IntentDef, slots: Record<string, unknown>) => (def.rule.requires ?? []).some((group) => !group.some((s) => slots[s] !== undefined));

/**
 * The rules' reading of a message (what createRuleRouter answers), with per-intent slot
 * extraction exposed so another reading (the classifier's, an alternative) carries its slots.
 */
export function createRuleAnalyser(intents: readonly IntentDef[], options: RuleRouterOptions = {}): RuleAnalyser {
  const compiled: Compiled[] = intents.map((def) => ({
    def,
    triggers: def.rule.keywords.map((t: Trigger) => (Array.isArray(t) ? t : [t]).map(compile)),
  }));
  const tagNames = options.tagNames ?? dbTagNames;
  const stores = options.stores ?? dbStores;
  const levels = options.levels ?? dbLevels;
  const asciiWords = intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => (typeof k === 'string' ? k.split(/\s+/) : [])));
  const hanVocabulary = intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => hanWords(k)));
  // Every Han run of the triggers, grammar words too ("多少", "我的"): what a message typed in pinyin may spell.
  const spokenVocabulary = intents.flatMap((i) => i.rule.keywords.flat().flatMap((k) => (typeof k === 'string' ? k : k.source).match(/\p{Script=Han}+/gu) ?? []));
  const fixTypos = createTypoFixer(asciiWords, hanVocabulary, spokenVocabulary);

  return {
    async analyse(raw: string, ctx: RouteContext): Promise<RuleAnalysis> {
      const typed = normalizeText(raw).trim();
      // Traditional characters read as simplified for keywords and extractors; free text keeps `typed`.
      const text = fixTypos(toSimplified(typed));
      const candidates = compiled.filter((c) => c.def.audience === ctx.audience);
      // A whole number first; the last four digits ("尾号8866") name a member too.
      const phones = [...findPhones(text), ...findPhoneTails(text)];
      const memberNos = findMemberNos(text);
      const idSpans = [...phones, ...memberNos].map((f) => f.span);
      const masked = blank(text, idSpans);

      // "你好，13800000001？" is about a member: a greeting (small talk) and help's "?" yield to an identifier.
      const hits = candidates
        .flatMap((c) => bestHit(c, masked) ?? [])
        .filter((h) => !(idSpans.length > 0 && (h.c.def.rule.fallback || h.c.def.rule.chat)))
        .sort((a, b) => rank(b) - rank(a));
      const found: Found0 = { typed, phones, memberNos, consumed: [...idSpans, ...hits.flatMap((h) => h.spans)], now: () => clockOf(ctx) };
      const memo = new Map<string, Promise<Record<string, unknown>>>();
      const slotsFor = (def: IntentDef) => {
        let p = memo.get(def.name);
        if (!p) memo.set(def.name, (p = extractSlots(def, text, masked, found, () => tagNames(ctx), () => stores(ctx), () => levels(ctx))));
        return p.then((s) => ({ ...s }));
      };
      // A Chinese name and nothing else ("王芳", "陈静？") reads like a bare phone number: a look-up.
      const bareName = idSpans.length === 0 && hits.length === 0 ? barelyName(text) : undefined;
      const bareIdentifier = idSpans.length > 0 && masked.replace(/[\s?？。.!！]/g, '') === '';
      const analysis = (result: RouteResult): RuleAnalysis => ({
        result,
        text,
        hits: hits.map((h) => ({ intent: h.c.def.name, rank: rank(h), spans: h.spans })),
        hasIdentifier: idSpans.length > 0,
        bareIdentifier,
        ...(bareName ? { bareName } : {}),
        slotsFor,
        missing: missingRequired,
      });

      const [top, second] = hits;
      let chosen: IntentDef | undefined = top?.c.def;
      let confidence: number = top ? (second && rank(second) === rank(top) ? CONFIDENCE.tied : CONFIDENCE.sure) : CONFIDENCE.unknown;

      if (!chosen && (idSpans.length > 0 || bareName)) {
        chosen = candidates.find((c) => c.def.rule.bareMemberRef)?.def;
        // "13800000001" alone is a lookup; "13800000001 怎么样" probably too, less surely.
        confidence = bareIdentifier || bareName ? CONFIDENCE.bareRef : CONFIDENCE.tied;
      }
      const help = candidates.find((c) => c.def.rule.fallback)?.def;
      if (!chosen) return analysis({ intent: help?.name ?? 'help', slots: {}, confidence: CONFIDENCE.unknown });
      // Two different intents matched equally well: ask which one was meant instead of guessing.
      if (top && second && rank(second) === rank(top) && second.c.def !== top.c.def) {
        return analysis({ intent: CLARIFY_INTENT, slots: { options: [top.c.def.name, second.c.def.name].sort() }, confidence: CONFIDENCE.tied });
      }

      const slots = await slotsFor(chosen);
      return analysis({ intent: chosen.name, slots, confidence: missingRequired(chosen, slots) ? Math.min(confidence, CONFIDENCE.missingSlot) : confidence });
    },
  };
}

/** The name a message consists of, when it is nothing but a Chinese name (starting with a surname, names.ts) and punctuation. */
function barelyName(text: string): string | undefined {
  const f = findName(text, []);
  if (!f || !/^\p{Script=Han}{2,4}$/u.test(f.value)) return undefined;
  return blank(text, [f.span]).replace(/[\s?？。.!！~～]/g, '') === '' ? f.value : undefined;
}

/**
 * The offline rule router: patterns and slot extractors derived from each intent's `rule`
 * declaration. Text is NFKC-normalised (full-width digits and letters), phone numbers and
 * member numbers are found first and blanked so digits never trigger words, then the
 * highest-priority intent whose trigger matches wins. A message that is only a phone number
 * or member number goes to the intent declaring `bareMemberRef`; anything else unknown goes
 * to help with a low confidence (the pipeline then shows the help text, never silence).
 */
export function createRuleRouter(intents: readonly IntentDef[], options: RuleRouterOptions = {}): Router {
  const analyser = createRuleAnalyser(intents, options);
  return {
    async route(raw: string, ctx: RouteContext): Promise<RouteResult> {
      return (await analyser.analyse(raw, ctx)).result;
    },
  };
}

/**
 * The slots `def` would take from `raw` had the rule router chosen it: what a clarifying
 * question's chosen option runs with when the router gave no alternatives. No matching: the
 * intent's triggers only mark the words that are not a name.
 */
export async function slotsAs(def: IntentDef, raw: string, ctx: RouteContext, options: RuleRouterOptions = {}): Promise<Record<string, unknown>> {
  const text = toSimplified(normalizeText(raw).trim());
  const phones = [...findPhones(text), ...findPhoneTails(text)];
  const memberNos = findMemberNos(text);
  const idSpans = [...phones, ...memberNos].map((f) => f.span);
  const masked = blank(text, idSpans);
  const hit = bestHit({ def, triggers: def.rule.keywords.map((t: Trigger) => (Array.isArray(t) ? t : [t]).map(compile)) }, masked);
  const tagNames = options.tagNames ?? dbTagNames;
  const stores = options.stores ?? dbStores;
  const levels = options.levels ?? dbLevels;
  return extractSlots(def, text, masked, { typed: text, phones, memberNos, consumed: [...idSpans, ...(hit?.spans ?? [])], now: () => clockOf(ctx) }, () => tagNames(ctx), () => stores(ctx), () => levels(ctx));
}

/** The request's clock (the services'), or none offline (the tuning tools route with no services). */
const clockOf = (ctx: RouteContext): Date | undefined => (typeof ctx.services?.now === 'function' ? ctx.services.now() : undefined);

interface Found0 {
  /** The message as typed (NFKC, trimmed), before typo fixes: free-text slots keep the user's words. */
  typed: string;
  phones: Found<string>[];
  memberNos: Found<string>[];
  /** The request's clock, when it has one (asked only when a range of dates is wanted): a range without a year is read against it. */
  now: () => Date | undefined;
  /** Spans already explained (identifiers, trigger words). */
  consumed: Span[];
}

/**
 * Fills the slots the intent declares, in a fixed order: identifiers, tag, numbers, then the
 * name from whatever is left (so "给张伟加上高价值标签" leaves 张伟, not 高价值).
 */
async function extractSlots(
  def: IntentDef,
  text: string,
  masked: string,
  found: Found0,
  tagNames: () => Promise<readonly string[]>,
  stores: () => Promise<readonly StoreEntry[]>,
  levels: () => Promise<readonly LevelEntry[]>,
): Promise<Record<string, unknown>> {
  const wanted = Object.entries(def.rule.extract ?? {}) as [string, ExtractorKind][];
  const slotOf = (kind: ExtractorKind) => wanted.find(([, k]) => k === kind)?.[0];
  const slots: Record<string, unknown> = {};
  const consumed = [...found.consumed];
  const put = <T>(kind: ExtractorKind, f: Found<T> | undefined) => {
    const slot = slotOf(kind);
    if (!slot || !f) return;
    slots[slot] = f.value;
    consumed.push(f.span);
  };

  put('phone', found.phones[0]);
  put('memberNo', found.memberNos[0]);
  // Free text: the intent parses it itself (segment conditions, names that are not member names).
  if (slotOf('text')) slots[slotOf('text')!] = found.typed;
  if (slotOf('tag')) {
    const dictionary = await tagNames();
    const known = findDictionaryTags(masked, dictionary)[0];
    const phrase = findTagPhrase(masked);
    // "打标签 高价值会员用户" names a tag that merely contains 高价值: pass the whole phrase so the
    // intent answers "no such tag, did you mean 高价值" instead of silently setting another tag.
    // "带投诉过标签的" is the dictionary's 投诉过 with its verb, not a longer name.
    const withVerb = phrase && known && phrase.value.toLowerCase().replace(/^(?:带有|带着|有着|带|有|是)/, '') === known.value.toLowerCase();
    // An ASCII name stands alone by its own pattern ("本店vip标签" is VIP): Han words around it are not a longer tag.
    const longer = phrase && known && !withVerb && !/^[A-Za-z0-9]/.test(known.value) && phrase.value.length > known.value.length && phrase.value.toLowerCase().includes(known.value.toLowerCase());
    // A phrase that is a dictionary tag typed by sound ("流失风陷") is that tag (extract.ts, soundsLikeTag).
    put('tag', longer ? phrase : (known ?? (phrase && soundsLikeTag(phrase, dictionary)) ?? phrase));
  }
  put('list', slotOf('list') ? findList(masked) : undefined);
  let rest = blank(masked, consumed);
  // Stores and levels before numbers: "徐汇店" and "3级会员" are not counts or names.
  // A store's name is never a member's name ("what about 静安店" is no member 安店): it is found for
  // every intent that takes a name too, and its words are spent whether or not the intent takes a store.
  if (slotOf('store') || slotOf('name')) {
    const f = findStore(rest, await stores());
    put('store', f);
    if (f) {
      if (!slotOf('store')) consumed.push(f.span);
      rest = blank(rest, [f.span]);
    }
  }
  if (slotOf('level')) {
    // "level 4": another intent's trigger word (member.level's "level") may have blanked the unit.
    // A level by its configured name ("金卡会员有哪些", "gold members"): the chain's own names (level-names.ts).
    const f = findLevel(rest) ?? findLevel(blank(masked, consumed.slice(found.consumed.length))) ?? findLevelByName(rest, await levels());
    put('level', f);
    if (f) rest = blank(rest, [f.span]);
  }
  if (slotOf('code')) put('code', findCode(rest));
  const numeric: [ExtractorKind, (t: string) => Found<unknown> | undefined][] = [['days', findDays], ['amount', findAmount], ['count', findCount]];
  for (const [kind, find] of numeric) {
    if (!slotOf(kind)) continue;
    // A count may sit inside the intent's own trigger ("top 10 kocs", "前20个流失会员"): looked for
    // again with only the slots found so far blanked, as the level is.
    const f = find(rest) ?? (kind === 'count' ? find(blank(masked, consumed.slice(found.consumed.length))) : undefined);
    // "上个月" names a month, not a number of days (extract.ts): spent (no name, no count), stated as the
    // intent's `period` when it has one (the orders read it as the same window), never as days.
    const month = kind === 'days' && f && 'month' in f ? f.month : undefined;
    if (month) {
      consumed.push(f!.span);
      if ('period' in ((def.slots as unknown as { shape?: object }).shape ?? {})) slots.period = month;
    } else put(kind, f);
    if (f) rest = blank(rest, [f.span]);
  }
  // A value taken back inside the message ("打个爱吃辣吧哦已经有了那就打个老客", "send 30 no wait 20"): the one said
  // after the correction wins (self-correction.ts); the member and everything not restated stay as first said.
  const correction = correctionAt(masked);
  if (correction) {
    const after = masked.slice(correction.end);
    if (slotOf('tag')) {
      const tag = findDictionaryTags(after, await tagNames())[0];
      if (tag) slots[slotOf('tag')!] = tag.value;
    }
    for (const [kind, find] of numeric) {
      const f = slotOf(kind) ? find(after) : undefined;
      if (f && !(kind === 'days' && 'month' in f && f.month)) slots[slotOf(kind)!] = f.value;
    }
  }
  // A name beside an identifier is said too ("张伟 13800000001", "给张伟M00000001开个工单", "13800000005王芳微信上…"):
  // stated, so kept — the identifier still finds the member (customers/find.ts). Anywhere else in the message it may be
  // anything (a staff member, a word), so with an identifier only a name standing right beside it is read.
  const id = slots[slotOf('phone') ?? ''] !== undefined ? found.phones[0] : slots[slotOf('memberNo') ?? ''] !== undefined ? found.memberNos[0] : undefined;
  if (!id) put('name', findName(text, consumed));
  else if (slotOf('name')) {
    // … and not a word of what is asked glued to it ("M00000004 余分": the points left, not a 余).
    const beside = besideIdentifier(text, id.span, findName(text, consumed));
    if (beside && !objectWordIntent(bare(beside.value))) put('name', beside);
  }
  // A range of dates ("11月1号到15号的客单价", "2026-11-01到11-15"): its ends where the intent takes them, read
  // against the request's clock as the intent reads the same words at run time (parse/health-request.ts); with no clock
  // (offline), left to the intent.
  const [from, to] = [slotOf('dateFrom'), slotOf('dateTo')];
  const now = from && to ? found.now() : undefined;
  const range = now ? dateRangeFromText(text, now) : undefined;
  if (range) Object.assign(slots, { [from!]: range.from, [to!]: range.to });
  // The intent's own parser last (metric, mode, a ticket's status …): it never overrides an extractor.
  for (const [k, v] of Object.entries(def.rule.derive?.(text, { ...slots }) ?? {})) if (slots[k] === undefined && v !== undefined) slots[k] = v;
  return slots;
}
