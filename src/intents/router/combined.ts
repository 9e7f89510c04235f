import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RouteAlternative, RouteResult } from '../../bot/types.ts';
import { loadClassifier, NONE, type Classifier } from '../classifier/model.ts';
import { asksAboutTheWrite, asksWhetherDone } from '../parse/done-question.ts';
import type { IntentDef } from '../types.ts';
import { hasActionWord } from './action-words.ts';
import { asDashboardOverAPeriod, asMemberReadWhenNamed, asTagCountWithoutSegmentWord, withoutMemberIntentsForAStore } from './scope-words.ts';
import { asksForStaffWork, COMPLAINT_CLOSES, isPlanAfterAck, joinedMemberReads, NEXT_LEVEL, SUPPOSED_UNSUBSCRIBE } from './member-readings.ts';
import { ESCALATION_THREAT_EN, ESCALATION_THREAT_ZH } from '../../bot/understand/lexicon.ts';
import { terseReadingOf } from './terse-readings.ts';
import { detailedObjectOf, pairedAsksOf, pairedWritesOf } from './paired-asks.ts';
import { isBareVerbQuestion, isContextOnly, isMistypedPhone, isVague } from './vague.ts';
import { writeReadingOf } from './write-readings.ts';
import { createRuleAnalyser, type RuleAnalysis, type RuleRouterOptions } from './rules.ts';
import { CLARIFY_INTENT, namesEntity, type RouteContext, type Router } from './types.ts';

/**
 * How the rules' evidence and the classifier's probabilities make one confidence: per candidate
 * intent, score = classifier × ln p(intent) + the rules' log-odds for it, and the confidences
 * are the softmax of the scores. The weights are fitted on the tuning set (`npm run
 * train:intents`, fit.ts) by maximum likelihood, which is what makes the confidence calibrated
 * (a multinomial Platt scaling over both sources).
 */
export const combinationSchema = z.object({
  /** Weight of the classifier's log-probability (an inverse temperature). */
  classifier: z.number(),
  /** The rules' best trigger, all required slots found. */
  ruleSure: z.number(),
  /** The rules' best trigger, a required slot missing. */
  ruleMissing: z.number(),
  /** Two intents' triggers tied for best (each gets this). */
  ruleTied: z.number(),
  /** A trigger matched, but another intent's ranked higher. */
  ruleOther: z.number(),
  /** Only an identifier matched: the intent that takes bare member references. */
  identifier: z.number(),
});
export type Combination = z.infer<typeof combinationSchema>;

/** When to answer, ask which one, or fall back (probabilities after combination). */
export const THRESHOLDS = {
  /** Below this the top reading is not clear enough to act on: ask if there are options, else fall back. */
  clarifyBelow: 0.5,
  /**
   * The same for a top reading that only reads (effect 'read'): a wrong read costs one wrong
   * answer the user sees and re-asks, a wrong write changes data, so reads may be answered on a
   * smaller lead than writes. Chosen on held-out template families (`cv-intents`, fold-honest
   * combination, variants read<0.5 … 0.1): lower was better on both halves of the folds, and the
   * writes chosen for lines asking none did not change (a write still asks below clarifyBelow).
   */
  clarifyReadBelow: 0.2,
  /** A reading is offered as an option (and an alternative) from this probability. */
  optionFloor: 0.12,
  /** At most this many options in a clarifying question. */
  maxOptions: 3,
  /** Alternatives are listed from this probability. */
  alternativeFloor: 0.03,
  /** The confidence reported with a fallback for "none of these" (the pipeline treats it as not understood). */
  fallbackConfidence: 0.3,
} as const;
export type Thresholds = { readonly [K in keyof typeof THRESHOLDS]: number };

/** Used when no fitted combination is shipped (and as the fit's starting point). */
export const DEFAULT_COMBINATION: Combination = { classifier: 1, ruleSure: 2.5, ruleMissing: 1, ruleTied: 1.5, ruleOther: 0.5, identifier: 1 };

export const COMBINATION_PATH = new URL('../classifier/combination.json', import.meta.url);

const combinationFileSchema = z.object({ fittedOn: z.string(), combination: combinationSchema });

export function loadCombination(): Combination {
  try {
    return combinationFileSchema.parse(JSON.parse(readFileSync(COMBINATION_PATH, 'utf8'))).combination;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_COMBINATION;
    throw e;
  }
}

/** One candidate reading of a message, before combination. */
export interface Candidate {
  /** An intent name of the audience, or NONE. */
  label: string;
  /** ln p from the classifier (a floor when the model does not know the intent yet). */
  logp: number;
  /** Which rule evidence applies (at most one kind per candidate). */
  evidence: keyof Omit<Combination, 'classifier'> | null;
}

/** A floor for intents the model has no label for (added to the catalogue after the last training). */
const UNKNOWN_LOGP = Math.log(1e-4);

/** The candidates of one message: every intent of the audience plus NONE, with their evidence. */
export function candidatesOf(audienceIntents: readonly IntentDef[], classified: readonly { label: string; p: number }[], rules: RuleAnalysis): Candidate[] {
  const p = new Map(classified.map((c) => [c.label, c.p]));
  const evidence = new Map<string, Candidate['evidence']>();
  const [top, second] = rules.hits;
  if (top) {
    const tied = second && second.rank === top.rank && second.intent !== top.intent;
    for (const h of rules.hits.slice(1)) if (!evidence.has(h.intent)) evidence.set(h.intent, tied && h.rank === top.rank ? 'ruleTied' : 'ruleOther');
    evidence.set(top.intent, tied ? 'ruleTied' : rules.result.intent === top.intent && rules.result.confidence >= 0.9 ? 'ruleSure' : 'ruleMissing');
  } else if (rules.hasIdentifier && rules.result.intent !== CLARIFY_INTENT) {
    evidence.set(rules.result.intent, 'identifier');
  }
  const labels = [...audienceIntents.map((i) => i.name), NONE];
  return labels.map((label) => {
    const pl = p.get(label);
    return { label, logp: pl === undefined ? UNKNOWN_LOGP : Math.log(Math.max(pl, 1e-6)), evidence: evidence.get(label) ?? null };
  });
}

/** The combined probabilities of the candidates (same order). */
export function combine(candidates: readonly Candidate[], c: Combination): number[] {
  const s = candidates.map((x) => c.classifier * x.logp + (x.evidence ? c[x.evidence] : 0));
  const max = Math.max(...s);
  const e = s.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Thanks after a request ("…加个标签吧谢谢", "…, thanks"): the request is what is read, not small talk. */
// English thanks stand alone: "twenty", "thirty", "loyalty" end in "ty" and are no thanks.
const TRAILING_THANKS = /[\s，,。.!！~～]*(?:谢谢(?:你|您|啦|了)?|多谢|谢了|感谢|辛苦(?:了|啦)?|(?<![A-Za-z])(?:thanks|thank you|thx|ty))[\s。.!！~～]*$/i;
// Every thanks TRAILING_THANKS knows has one of these (same flags): most messages skip its scan from every position.
const THANKS_HINT = /谢|辛苦|th|ty/i;
export function withoutTrailingThanks(text: string): string {
  const m = THANKS_HINT.test(text) ? TRAILING_THANKS.exec(text) : null;
  // Only after a request of four or more characters: "好的谢谢" is thanks.
  return m && [...text.slice(0, m.index).replace(/[\s\p{P}吧啊呀哈]/gu, '')].length >= 4 ? text.slice(0, m.index) : text;
}

/**
 * A message that names a member, a tag, a store, a level, a metric or a ticket is about the CRM:
 * when one of the likelier readings finds such an entity in it by its own extractors, help,
 * small talk (intents declaring `rule.chat`) and "none of these" drop out and the rest is
 * renormalised ("周杰 电话" is a look-up, "客单 昨天" a dashboard, never a polite line). Only
 * readings above the option floor are asked, so an unlikely intent's extractor decides nothing.
 */
export async function withoutChatWhenNamed(
  candidates: readonly Candidate[],
  q: readonly number[],
  slotsOf: (label: string) => Promise<Record<string, unknown>>,
  byName: ReadonlyMap<string, IntentDef>,
): Promise<number[]> {
  const isChat = (label: string) => label === NONE || byName.get(label)?.rule.chat === true;
  const asked = candidates.map((c, i) => ({ label: c.label, p: q[i]! })).filter((r) => !isChat(r.label) && r.p >= THRESHOLDS.optionFloor);
  let named = false;
  for (const r of asked) {
    if (namesEntity(await slotsOf(r.label))) {
      named = true;
      break;
    }
  }
  if (!named) return [...q];
  const kept = candidates.map((c, i) => (isChat(c.label) ? 0 : q[i]!));
  const sum = kept.reduce((a, b) => a + b, 0);
  return sum > 0 ? kept.map((v) => v / sum) : [...q];
}

/**
 * A question whether an action happened ("券发出去了吗", "王芳的VIP打上了没") is about the action's
 * result: each action's probability moves to its read counterpart (recall.launch → recall.status,
 * tag.add → member.summary …), so the message is read, never acted on, and the readings of one
 * question add up instead of splitting between the action and its read.
 */
export function asReadsWhenAskedIfDone(text: string, candidates: readonly Candidate[], q: readonly number[], byName: ReadonlyMap<string, IntentDef>): number[] {
  if (!asksWhetherDone(text)) return [...q];
  const out = [...q];
  const index = new Map(candidates.map((c, i) => [c.label, i]));
  candidates.forEach((c, i) => {
    const def = byName.get(c.label);
    const read = def && def.effect !== 'read' && def.readCounterpart ? index.get(def.readCounterpart) : undefined;
    if (read === undefined) return;
    out[read]! += out[i]!;
    out[i] = 0;
  });
  return out;
}

/**
 * Never act on a guess: a write the message does not ask for in words (action-words.ts) — a noun
 * phrase about its object ("王芳的优惠券", "recall report", "13800000003 100分") — is read like a
 * question about it: each such write's probability moves to its read counterpart, as in
 * asReadsWhenAskedIfDone, so whichever model or trigger chose the write, nothing is written unasked.
 * When another write is asked in words and likely ("take the VIP tag off …": tag.remove beside an
 * unasked tag.add), the unasked one's probability is dropped instead, so the asked write is not
 * outweighed by a read it never meant.
 */
export function asReadsWithoutActionWord(text: string, candidates: readonly Candidate[], q: readonly number[], byName: ReadonlyMap<string, IntentDef>): number[] {
  const index = new Map(candidates.map((c, i) => [c.label, i]));
  const unasked = candidates.flatMap((c, i) => {
    const def = byName.get(c.label);
    const read = def && def.effect !== 'read' && def.readCounterpart ? index.get(def.readCounterpart) : undefined;
    return read === undefined || hasActionWord(c.label, text) ? [] : [{ i, read }];
  });
  if (!unasked.length) return [...q];
  const gone = new Set(unasked.map((u) => u.i));
  // Any write or send still standing counts ("建个人群包 …：有家庭客标签": segment.create, which has no
  // read counterpart, beside an unasked tag.add), not only those with a read counterpart.
  const isWrite = (label: string) => {
    const effect = byName.get(label)?.effect;
    return effect !== undefined && effect !== 'read' && effect !== 'control';
  };
  // … and asked in words itself: a ticket.update with no state, rating or hand-over word ("上错菜了 客人很生气") asks no more than the ticket.create beside it.
  const askedWrite = candidates.some((c, i) => !gone.has(i) && isWrite(c.label) && q[i]! >= THRESHOLDS.optionFloor && hasActionWord(c.label, text));
  const out = [...q];
  for (const { i, read } of unasked) {
    if (!askedWrite) out[read]! += out[i]!;
    out[i] = 0;
  }
  const sum = out.reduce((a, b) => a + b, 0);
  return sum > 0 ? out.map((v) => v / sum) : [...q];
}

/**
 * The write that asReadsWithoutActionWord read as its read: the likeliest staff write with no
 * action word, when it was a likely reading before that step. The router does not act on it; it
 * names it (RouteResult.unasked) so the conversation can hand it to the write gate when the
 * message refuses, supposes, defers, relays or weighs it ("do not send coupons …", "HQ says recall
 * …", "should we label 陈静 as 老客?") — declined or answered as that write, never a plain read.
 */
export function unaskedWriteOf(text: string, candidates: readonly Candidate[], q: readonly number[], byName: ReadonlyMap<string, IntentDef>): { label: string; p: number } | null {
  return likeliestWriteWithRead(candidates, q, byName, (label) => !hasActionWord(label, text));
}

/**
 * The likeliest write with a read counterpart among the candidates `counts`, when it was a likely
 * reading (≥ the option floor). unaskedWriteOf counts those without an action word; a question
 * whether it was done counts those it is about (asksAboutTheWrite).
 */
function likeliestWriteWithRead(candidates: readonly Candidate[], q: readonly number[], byName: ReadonlyMap<string, IntentDef>, counts: (label: string) => boolean = () => true): { label: string; p: number } | null {
  let best: { label: string; p: number } | null = null;
  for (const [i, c] of candidates.entries()) {
    const def = byName.get(c.label);
    if (!def || def.effect === 'read' || def.effect === 'control' || !def.readCounterpart || !counts(c.label)) continue;
    if (q[i]! >= THRESHOLDS.optionFloor && (!best || q[i]! > best.p)) best = { label: c.label, p: q[i]! };
  }
  return best;
}

/** How sure a terse reading is (terse-readings.ts): a whole-fragment match, as sure as a rule's trigger (rules.ts CONFIDENCE.sure). */
const TERSE_CONFIDENCE = 0.9;

/** The terse reading's intent at TERSE_CONFIDENCE at least; the others share the rest in their proportions, so they stay alternatives. */
function asTerseReading(candidates: readonly Candidate[], q: readonly number[], intent: string): number[] {
  const at = candidates.findIndex((c) => c.label === intent);
  if (at < 0 || q[at]! >= TERSE_CONFIDENCE) return [...q];
  const scale = (1 - TERSE_CONFIDENCE) / Math.max(1 - q[at]!, 1e-9);
  return q.map((v, i) => (i === at ? TERSE_CONFIDENCE : v * scale));
}

export interface CombinedRouterOptions extends RuleRouterOptions {
  /** Default: the shipped model (src/intents/classifier/model.bin). */
  classifier?: Classifier;
  /** Default: the shipped fit (src/intents/classifier/combination.json). */
  combination?: Combination;
  /** Default: THRESHOLDS (cv-intents measures other values on held-out families). */
  thresholds?: Partial<Thresholds>;
}

/**
 * The bot's offline router: the rule router and the intent classifier read every message; their
 * readings combine into one calibrated confidence. Slots always come from the rules' extractors,
 * for the chosen intent and for each alternative. High-precision readings of the rules are final: a message that is
 * nothing but a phone or member number is a lookup; two intents' triggers tied is a question. Close readings → CLARIFY_INTENT with up to three
 * options and the alternatives carrying their slots; nothing likely → the audience's fallback
 * with a low confidence.
 */
export function createCombinedRouter(intents: readonly IntentDef[], options: CombinedRouterOptions = {}): Router {
  const analyser = createRuleAnalyser(intents, options);
  const classifier = options.classifier ?? loadClassifier();
  const combination = options.combination ?? loadCombination();
  const byName = new Map(intents.map((i) => [i.name, i]));
  const t: Thresholds = { ...THRESHOLDS, ...options.thresholds };

  return {
    async route(raw: string, ctx: RouteContext): Promise<RouteResult> {
      const rules = await analyser.analyse(withoutTrailingThanks(raw), ctx);
      // High-precision override: an identifier and nothing else is a lookup, whatever the model says.
      if (rules.bareIdentifier && rules.result.intent !== CLARIFY_INTENT) return rules.result;
      // Nothing but a generic verb or a pointer at nothing named ("查一下", "那个数据呢"): ask what is wanted (vague.ts).
      // … or a phone number a digit short or long, alone, or one write verb asked ("加?"). (A write with nothing to act on — "发券" — is asked by the write gate,
      // which knows the turn before it: src/bot/gate.ts, actsOnNothing.)
      if (isVague(rules.text) || isContextOnly(rules.text) || isMistypedPhone(rules.text) || isBareVerbQuestion(rules.text)) return { intent: CLARIFY_INTENT, slots: {}, confidence: 0.9 };

      const audienceIntents = intents.filter((i) => i.audience === ctx.audience);
      const fallback = audienceIntents.find((i) => i.rule.fallback)?.name ?? (ctx.audience === 'staff' ? 'help' : 'my.help');
      const classified = classifier.classify(rules.text, ctx.audience);
      // A Chinese name alone ("王芳") is a look-up like a bare phone number — unless the model is
      // sure it is talk ("辛苦" starts with a surname too).
      if (rules.bareName && rules.result.intent !== fallback && !classified.some((c) => (c.label === NONE || byName.get(c.label)?.rule.chat) && c.p >= 0.5)) return rules.result;
      const candidates = candidatesOf(audienceIntents, classified, rules);
      const named = await withoutChatWhenNamed(candidates, combine(candidates, combination), (label) => rules.slotsFor(byName.get(label)!), byName);
      const asked = asReadsWhenAskedIfDone(rules.text, candidates, named, byName);
      const slotsOf = (label: string) => rules.slotsFor(byName.get(label)!);
      const read = asReadsWithoutActionWord(rules.text, candidates, asked, byName);
      // The scope a message names: a tag count without a segment word, a store without a member (scope-words.ts).
      // … a count of members over a period, which only the dashboard has, and a member named beside churn words.
      const scoped = await withoutMemberIntentsForAStore(rules.text, candidates, await asTagCountWithoutSegmentWord(rules.text, candidates, read, slotsOf), slotsOf, byName);
      const q = await asMemberReadWhenNamed(rules.text, candidates, await asDashboardOverAPeriod(rules.text, candidates, scoped, slotsOf), slotsOf);
      // … or the write a question whether someone did it is about ("有人给她加过积分没"; without a doer, "给周杰加过分吗", the read alone): read as its read above, named here.
      const unaskedWrite = unaskedWriteOf(rules.text, candidates, asked, byName) ?? (asksWhetherDone(rules.text) ? likeliestWriteWithRead(candidates, named, byName, (label) => asksAboutTheWrite(rules.text, byName.get(label))) : null);
      // Named beside a read, a clarification or the fallback — never beside a write that was asked for: see unaskedWriteOf.
      const chosesWrite = (r: RouteResult) => {
        const effect = byName.get(r.intent)?.effect;
        return effect !== undefined && effect !== 'read';
      };
      const withUnasked = async (r: RouteResult): Promise<RouteResult> =>
        unaskedWrite && !chosesWrite(r) ? { ...r, unasked: { intent: unaskedWrite.label, slots: await rules.slotsFor(byName.get(unaskedWrite.label)!), confidence: unaskedWrite.p } } : r;
      // A member reference + one object word, a metric word, a store + a report word, nothing else: that read (terse-readings.ts).
      const has = (label: string) => candidates.some((c) => c.label === label);
      // Or an object word with its details ("王芳的订单详情": the orders, not a tie with the summary's 详情).
      const detailed = await detailedObjectOf(rules.text, slotsOf, has);
      const terse = (await terseReadingOf(rules.text, slotsOf, has)) ?? (detailed ? { intent: detailed } : null);
      // A write said in staff's words rather than the catalogue's verbs (write-readings.ts); the gate still reads its mood.
      const written = terse ? null : await writeReadingOf(rules.text, slotsOf, has);
      // A write only likely (nothing asked in words): asked about when the router would read, never taken.
      const asking = written?.ask ? written : null;
      const reading = terse ?? (written && !written.ask ? written : null);
      const p = reading ? asTerseReading(candidates, q, reading.intent) : q;
      const ranked = candidates.map((c, i) => ({ label: c.label, p: p[i]! })).sort((a, b) => b.p - a.p || a.label.localeCompare(b.label));
      const readings = ranked.filter((r) => r.label !== NONE);
      const withSlots = async (rs: readonly { label: string; p: number }[]): Promise<RouteAlternative[]> =>
        Promise.all(rs.map(async (r) => ({ intent: r.label, slots: await rules.slotsFor(byName.get(r.label)!), confidence: r.p })));

      // A member's two records asked together, or a plan after an acknowledgement (member-readings.ts).
      if (ctx.audience === 'member' && !reading) {
        const pair = joinedMemberReads(rules.text, rules.hits, byName);
        if (pair) {
          const options = readings.filter((r) => pair.includes(r.label));
          return withUnasked({ intent: CLARIFY_INTENT, slots: { options: [...pair] }, confidence: options[0]!.p, alternatives: await withSlots(options) });
        }
        // Something to send or give to other people, a recall or points given: staff's work, no my.* intent's (member-readings.ts).
        if (asksForStaffWork(rules.text)) return withUnasked({ intent: fallback, slots: {}, confidence: TERSE_CONFIDENCE });
        const chat = audienceIntents.find((i) => i.rule.chat && !i.rule.fallback);
        if (chat && isPlanAfterAck(rules.text)) return withUnasked({ intent: chat.name, slots: {}, confidence: TERSE_CONFIDENCE });
        // A complaint taken further unless someone acts ("I'll report you to HQ if nobody calls me back", "再不处理就发微博"):
        // the member wants a person now — the hand-off, whose gate reads the threat (gate-member.ts).
        if ((ESCALATION_THREAT_ZH.test(rules.text) || ESCALATION_THREAT_EN.test(rules.text)) && candidates.some((c) => c.label === 'handoff')) {
          return withUnasked({ intent: 'handoff', slots: {}, confidence: TERSE_CONFIDENCE });
        }
        // A grievance told, then the complaint said alone to close it ("上菜慢到半小时 到现在也没人联系我 投诉"): a complaint
        // now, not the status of one made before — the hand-off (its gate reads the mood of that last clause).
        if (COMPLAINT_CLOSES.test(rules.text) && candidates.some((c) => c.label === 'handoff')) {
          return withUnasked({ intent: 'handoff', slots: {}, confidence: TERSE_CONFIDENCE });
        }
        if (SUPPOSED_UNSUBSCRIBE.test(rules.text) && candidates.some((c) => c.label === 'unsubscribe')) {
          return withUnasked({ intent: 'unsubscribe', slots: {}, confidence: TERSE_CONFIDENCE });
        }
        if (NEXT_LEVEL.test(rules.text) && candidates.some((c) => c.label === 'my.level')) {
          const asLevel = asTerseReading(candidates, p, 'my.level');
          return withUnasked({ intent: 'my.level', slots: {}, confidence: asLevel[candidates.findIndex((c) => c.label === 'my.level')]! });
        }
      }
      // A list of object words of different reads ("王芳的订单和工单", "流失名单 健康度"): two asks of equal
      // weight, so ask which first (paired-asks.ts) — the options sorted, as the question lists them.
      const paired = reading ? null : (await pairedAsksOf(rules.text, slotsOf, has)) ?? (await pairedWritesOf(rules.text, slotsOf, has));
      if (paired) {
        const options = paired.map((label) => ({ label, p: p[candidates.findIndex((c) => c.label === label)]! }));
        return withUnasked({ intent: CLARIFY_INTENT, slots: { options: paired }, confidence: Math.max(...options.map((o) => o.p)), alternatives: await withSlots(options) });
      }
      // The rules' tie is a high-precision reading too: two intents' triggers of equal weight
      // ("张伟的订单和详情") mean two requests in one message, so ask which first.
      if (rules.result.intent === CLARIFY_INTENT && !reading) {
        const tied = rules.result.slots.options as string[];
        const extra = readings.filter((r) => !tied.includes(r.label) && r.p >= t.optionFloor).slice(0, t.maxOptions - tied.length);
        const options = [...readings.filter((r) => tied.includes(r.label)), ...extra];
        return withUnasked({ intent: CLARIFY_INTENT, slots: { options: options.map((o) => o.label).sort() }, confidence: options[0]!.p, alternatives: await withSlots(options) });
      }
      const top = ranked[0]!;
      const readCounterpart = asking ? byName.get(asking.intent)?.readCounterpart : undefined;
      if (asking && readCounterpart && byName.get(top.label)?.effect === 'read') {
        const options = [asking.intent, readCounterpart].sort();
        const alternatives = await withSlots(options.map((label) => ({ label, p: 0.5 })));
        return withUnasked({ intent: CLARIFY_INTENT, slots: { options }, confidence: 0.5, alternatives });
      }
      if (top.label === NONE) {
        const alternatives = await withSlots(readings.filter((r) => r.p >= t.optionFloor).slice(0, t.maxOptions));
        return withUnasked({ intent: fallback, slots: {}, confidence: Math.min(top.p, t.fallbackConfidence), ...(alternatives.length ? { alternatives } : {}) });
      }
      if (top.p < (byName.get(top.label)?.effect === 'read' ? t.clarifyReadBelow : t.clarifyBelow)) {
        const options = readings.filter((r) => r.p >= t.optionFloor).slice(0, t.maxOptions);
        if (options.length >= 2) {
          const alternatives = await withSlots(options);
          return withUnasked({ intent: CLARIFY_INTENT, slots: { options: options.map((o) => o.label).sort() }, confidence: top.p, alternatives });
        }
        // One weak reading and nothing else: not understood, but say what it might have been.
        return withUnasked({ intent: fallback, slots: {}, confidence: Math.min(top.p, t.fallbackConfidence), alternatives: await withSlots([top]) });
      }
      const def = byName.get(top.label)!;
      const slots = await rules.slotsFor(def);
      const alternatives = await withSlots(readings.slice(1, 1 + t.maxOptions).filter((r) => r.p >= t.alternativeFloor));
      return withUnasked({ intent: def.name, slots, confidence: top.p, ...(alternatives.length ? { alternatives } : {}) });
    },
  };
}
