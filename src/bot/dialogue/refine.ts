import { blank, findAmount, findCount, findDays, findDictionaryTags, type Found } from '../../intents/router/extract.ts';
import { findLevel, findStore, type StoreEntry } from '../../intents/router/stores.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import { monthFromText, periodWords } from '../../intents/parse/health-request.ts';
import { intentFamily, type ExtractorKind, type IntentDef } from '../../intents/types.ts';
import type { LastAnswer } from './state.ts';

/** The follow-ups that change what is asked rather than narrow it. */
const EXPORT = /导出(?:来|去)?|下载|\bexport\b|\bdownload\b/i;
const COUNT = /(?:一共|总共|共)?有?(?:多少(?:人|位|个|名)|几个人|几位|几个)|人数|总数|^(?:帮我|再)?(?:数|点|算)(?:一下|下|一数|数)(?:人数|有多少)?|\bhow many\b|\bcount\b/i;
const LIST = /列出来|列一下|都有谁|都是谁|都谁|有谁|是谁|有哪些人?|是哪些人?|名单|\blist (?:them|it)\b|\bwho are they\b|\bshow (?:them|me them)\b/i;
/** Words that mark a message as narrowing the last answer ("只看工单", "换成…", "only …"): the last intent's own words then refine it whatever the router made of them. */
const NARROWING = /^(?:那就?|就)?(?:只要|只看|只显示|只列|只留|仅看|换成|换到|改成|改为|改看)|^(?:那就|就)(?:看|要|查)(?!看)|^(?:only|just)\b|\bonly[\s.!]*$/i;

/** "再多看几个", "多列一些", "show more", "a few more": more rows of the same list (said beside the number wanted). */
const MORE_ROWS = /(?:再)?多(?:看|列|显示|给|来|要)?(?:几|一些|一点|点)(?:个|位|条|名)?|(?:再)?多(?:看|列|显示)(?:一下|点)?|\b(?:show |give me |list )?(?:a few |some )?more\b/gi;

/** A reaction to the last answer before a refinement ("没有？那…", "还是没有 换成…", "空的…", "nothing? then …"). */
const REACTION_LEAD = /^(?:(?:还是)?没有(?:啊|呀|吗|哦)?|(?:是)?空的|一个都没有|哦|噢|嗯|nothing|none|empty)\s*[?？!！。，,.\s]+(?=\S)/i;

/** "工单呢", "复购率呢", "what about retention", "dormant?": the last question asked about another of its own words (in English, one or two words and a question mark). */
const WHAT_ABOUT = /^(?:那|那么|还有)?[^\s，,。]{1,8}呢[?？]*$|^(?:and|what about|how about)\b|^[A-Za-z]+(?: [A-Za-z]+)?\s*[?？]$/i;

/** Words a refinement is made of besides its figures ("只要…的", "换成…", "only the last …"). */
const FILLERS = [
  // "再加个条件 消费1000以上", "再筛一下": one more condition on the same answer, its figure said after.
  /(?:再|另外)?(?:加|添|多加)(?:个|一个|上|一下)?(?:条件|筛选条件?)|(?:再)?筛(?:选)?一下|条件/g,
  // "列一下名字" (the list's names), "只看有VIP标签的" / "带VIP的" (members having the figure): the same narrowing.
  /名字|姓名|(?<=^|只看|只要|只列|只显示|只留|仅看|就看|看)(?:有|带)/g,
  // "导出 发我" (the file sent to the asker), "跟上个月比呢" (the same figure over the period compared with): no figure of their own.
  /发(?:给)?我|发过来|传给我|\bsend (?:it )?(?:over )?(?:to )?me\b/gi,
  /^(?:那)?(?:跟|和|与|同)(?=.+比)|对比一下|对比|相比|比较一下|比较|比一下|比/g,
  // "compare with 静安", "vs 西湖", "against last month": the English of 跟…比 — the same figure, the place or period compared.
  /\b(?:compare(?:d)?|comparing|vs\.?|versus|against)\b/gi,
  // "现在有几个人" after a segment narrowed: the answer as it stands now, no figure of its own.
  /现在|目前|如今|就行了?|就好了?|就可以了?|就够了?|够了|即可|里面|里头|里|只要|只看|只显示|只列|只留|只|仅|要|看看|看|换成|换到|换个|换|改成|改为|改看|改|再|那就|那|就|呢|吧|的|了|吗|呀|啊|金额|标签|消费|累计|一下|给我|帮我|我|们|数据|结果|名单|列表|会员|客户|顾客|门店|店|人|以内|之内|内|范围|最近|近|过去/g,
  /\b(?:only|just|the|show|me|for|instead|change|switch|to|please|in|at|of|those|them|then|ok|okay|now|with|members|customers|list|and|what|about|how|last|past|recent|store|shop|over|above|amount|spend|spent|it|that|make|can|you|i|want|need|narrow|down|are|is|there|on|they|in total|total|altogether|of them|ones?|who|whose|more than|greater than|at least|people|persons?)\b/gi,
  /[\s,，。.!！?？:：;；、~～"'“”「」]+/g,
];

/**
 * The words an intent's own condition is said with around its figure ("超过200天没来的", "花过500以上的" after the churn
 * list: the silence in days, the past spend): filler for that intent only — "没来" says nothing about an order list.
 */
const CONDITION_WORDS: Record<string, RegExp> = {
  'churn.list': /花过|花了|花费|消费过|超过|多于|大于|以上|(?:没有?|未)(?:再)?(?:来|到店|消费|回来|光顾|下单|来过|到过店)(?:过)?|\b(?:silent|inactive|quiet|away|absent|not (?:come|visited|been)|haven'?t (?:come|visited|been)(?: in)?|no visits?|since|for)\b/gi,
};

export interface RefineLookups {
  stores: readonly StoreEntry[];
  tagNames: readonly string[];
  getIntent: (name: string) => IntentDef | undefined;
  /** What the router made of the message on its own: the last intent again lets its own words refine ("复购率呢"). */
  routedIntent?: string;
}

export interface Refined {
  intent: IntentDef;
  slots: Record<string, unknown>;
}

export const slotFor = (intent: IntentDef, kind: ExtractorKind) => (Object.entries(intent.rule.extract ?? {}) as [string, ExtractorKind][]).find(([, k]) => k === kind)?.[0];
const hasSlot = (intent: IntentDef, name: string) => {
  const shape = (intent.slots as unknown as { shape?: Record<string, unknown> }).shape;
  return !!shape && name in shape;
};
/** The intent of the same family that does `verb` ("segment.count" → "segment.export"). */
const sibling = (intent: IntentDef, verb: string, getIntent: RefineLookups['getIntent']) => getIntent(`${intentFamily(intent.name)}.${verb}`);

/**
 * A message that only refines the last answer ("只要近30天的", "只看前5个", "换成静安店",
 * "金额1000以上的", "导出吧", "有多少人", "only the last 7 days"): the last intent with the new
 * figures over its slots, or its natural follow-up (export after a segment, count after a list).
 * Null when the message says anything else — then it is a request of its own. The words must be
 * nothing but figures and filler, so "张伟最近30天的订单" is never read as a refinement.
 */
export function refine(raw: string, last: LastAnswer, { stores, tagNames, getIntent, routedIntent }: RefineLookups): Refined | null {
  const intent = getIntent(last.intent);
  if (!intent) return null;
  // Read in simplified characters, as the router reads ("前十個", "換成靜安").
  // "没有？那150天", "空的 那换成静安": a reaction to the answer just given opens the refinement, and says nothing of it.
  const simple = toSimplified(raw.normalize('NFKC')).trim();
  const text = simple.replace(REACTION_LEAD, '').trim() || simple;
  let rest = text;
  // Each figure found is blanked, so what is left shows whether the message said anything else.
  const next = <T>(f: Found<T> | undefined) => {
    if (f) rest = blank(rest, [f.span]);
    return f;
  };
  const found: [ExtractorKind, unknown][] = [];
  const store = next(findStore(rest, stores));
  if (store) found.push(['store', store.value]);
  const level = next(findLevel(rest));
  if (level) found.push(['level', level.value]);
  const tag = next(findDictionaryTags(rest, tagNames)[0]);
  if (tag) found.push(['tag', tag.value]);
  const saidDays = findDays(rest);
  const days = next(saidDays);
  if (days) found.push(['days', days.value]);
  const month = saidDays?.month;
  const amount = next(findAmount(rest));
  if (amount) found.push(['amount', amount.value]);
  // "just 3", "只要3个", "only 5" after a list: the count shown, said with "only" before a bare number.
  const count = next(findCount(rest) ?? onlyCount(rest) ?? lastOne(rest));
  if (count) found.push(['count', count.value]);
  // A calendar period ("本季度的呢", "10月的"): no slot of its own, read from the intent's text.
  const periods = periodWords(rest);
  if (periods.length) rest = blank(rest, periods);
  // "再多看几个 前8", "多列几个 前10", "a few more, top 8": more rows asked, the number said beside — no count asked.
  if (count) rest = rest.replace(MORE_ROWS, (m) => ' '.repeat(m.length));
  const verbs = { export: EXPORT.exec(rest), count: COUNT.exec(rest), list: LIST.exec(rest) };
  // Every such word goes ("名单里都有谁": 名单 and 都有谁 both say "list them").
  for (const [verb, m] of Object.entries(verbs)) {
    for (let hit = m, n = 0; hit && n < 3; hit = { export: EXPORT, count: COUNT, list: LIST }[verb]!.exec(rest), n++) rest = blank(rest, [{ start: hit.index, end: hit.index + hit[0].length }]);
  }

  let leftover = rest;
  const condition = CONDITION_WORDS[intent.name];
  if (condition && found.some(([kind]) => kind === 'days' || kind === 'amount')) leftover = leftover.replace(condition, '');
  for (const re of FILLERS) leftover = leftover.replace(re, '');
  // One word of the last intent's own that it derives a slot from ("客单价" → "复购率呢", "留存率"
  // after a store's dashboard): the same question about that, the rest of the last answer kept.
  // Short: up to 8 Han characters, or a few Latin words ("retention", "new members").
  const short = [...leftover.replace(/[A-Za-z]/g, '')].length <= 8 && leftover.length <= 24;
  const ownWords = leftover !== '' && (routedIntent === intent.name || NARROWING.test(text) || WHAT_ABOUT.test(text)) && short;
  let own = ownWords ? stated(intent, leftover, last, NARROWING.test(text)) : {};
  // Put as a follow-up ("and repeat rate?", "新会员呢"), the words as said are read too, figures blanked: the
  // fillers cut from the leftover may make up the intent's own phrase ("repeat rate", "新会员"). Without the
  // lead, "new members last month" is a request of its own.
  if (ownWords && Object.keys(own).length === 0 && (NARROWING.test(text) || WHAT_ABOUT.test(text))) own = stated(intent, rest, last);
  if (Object.keys(own).length > 0) leftover = '';
  if (leftover !== '' || (found.length === 0 && periods.length === 0 && Object.keys(own).length === 0 && !verbs.export && !verbs.count && !verbs.list)) return null;

  if (verbs.export) {
    const exporter = intent.effect === 'export' ? intent : sibling(intent, 'export', getIntent);
    return exporter && found.length === 0 && periods.length === 0 ? { intent: exporter, slots: carry(last, exporter) } : null;
  }
  let target = intent;
  const slots: Record<string, unknown> = { ...last.slots };
  if (verbs.count || verbs.list) {
    const mode = verbs.count ? 'count' : 'list';
    const other = hasSlot(intent, 'mode') ? undefined : sibling(intent, mode, getIntent);
    if (hasSlot(intent, 'mode')) slots.mode = mode;
    else if (other) target = other;
    // "有几个" after a list (an intent that takes a count: the churn list, KOCs, recalls): its answer states how many.
    else if (!(mode === 'count' && slotFor(intent, 'count'))) return null;
  }
  let viaText = periods.length > 0;
  for (const [kind, value] of found) {
    const slot = slotFor(target, kind);
    if (slot) slots[slot] = value;
    else viaText = true;
  }
  // "只要上个月的" after orders: a calendar month is the intent's period, never a number of days, as the router
  // states it (rules.ts, order-period.ts); a number of days said anew ("近7天的") replaces a period carried over.
  const daysSlot = days ? slotFor(target, 'days') : undefined;
  if (daysSlot && hasSlot(target, 'period')) {
    if (month) {
      delete slots[daysSlot];
      slots.period = month;
    } else delete slots.period;
  }
  if (viaText) {
    // A figure the intent has no slot for, but it reads its free text (the period of the health dashboard).
    const textSlot = slotFor(target, 'text');
    const ownKinds = Object.values(target.rule.extract ?? {}).filter((k) => k !== 'text');
    if (!textSlot || ownKinds.length === 0) return null;
    slots[textSlot] = `${String(last.slots[textSlot] ?? last.text)} ${text}`;
    // What the new words state replaces what was read from the old ones (上周 → "上个月的呢"); a
    // period said anew replaces the old one, read from the text when it is a month ("10月的").
    if (periods.length || found.some(([kind]) => kind === 'days')) {
      delete slots.period;
      delete slots.month;
      // … and a range of dates the router stated (rules.ts, dateFrom / dateTo): "上周的呢" after "11月1号到15号的客单价".
      for (const kind of ['dateFrom', 'dateTo'] as const) {
        const slot = slotFor(target, kind);
        if (slot) delete slots[slot];
      }
    }
    for (const [k, v] of Object.entries(target.rule.derive?.(text, {}) ?? {})) if (v !== undefined) slots[k] = v;
    // A month said anew ("10月的") is the intent's month slot when it has one (去年10月 stays in the text: the slot has no year).
    const month = monthFromText(text);
    if (month && !month.lastYear && hasSlot(target, 'month')) slots.month = month.month;
  } else if (Object.keys(own).length > 0) {
    // The intent's own word ("只看工单" after today's work, "复购率呢" after a dashboard): its slot is set
    // below; the free text, if the intent keeps one, says it too.
    const textSlot = slotFor(target, 'text');
    if (textSlot) slots[textSlot] = `${String(last.slots[textSlot] ?? last.text)} ${text}`;
  }
  Object.assign(slots, own);
  return { intent: target, slots: target === intent ? slots : carry({ ...last, slots }, target) };
}

/** "just 3", "only 5", "只要3", "只看5": "only" and a bare number of one or two digits, the whole message. */
const ONLY_COUNT = /^\s*(?:(?:just|only)(?: the)?|只要|只看|只列|只显示)\s*(\d{1,2})\s*(?:个|位|条|笔|名)?\s*(?:就行|就好|吧|please)?[\s.!！。]*$/i;
function onlyCount(text: string): Found<number> | undefined {
  const m = ONLY_COUNT.exec(text);
  const n = m ? Number(m[1]) : 0;
  return m && n > 0 ? { value: n, span: { start: m.index + m[0].indexOf(m[1]!), end: m.index + m[0].indexOf(m[1]!) + m[1]!.length } } : undefined;
}

/**
 * "最后那笔", "最近一单", "最新那条", "the latest one": one, the latest (records are listed newest first). Not "最后那个",
 * which after a ranked list (the churn list by spend) is its last row, not its first.
 */
const LAST_ONE = /(?:最后|最近|最新)(?:那|这|一)(?:笔|单|次)|(?:最近|最新)(?:那|这|一)(?:个|条)|\b(?:the )?(?:latest|most recent) one\b/i;
function lastOne(text: string): Found<number> | undefined {
  const m = LAST_ONE.exec(text);
  return m ? { value: 1, span: { start: m.index, end: m.index + m[0].length } } : undefined;
}

/** The slots an intent derives from a few words of its own (defined ones only). */
function derived(intent: IntentDef, words: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(intent.rule.derive?.(words, {}) ?? {}).filter(([, v]) => v !== undefined));
}

/**
 * What a few words of the last intent's own state anew: a slot its parser reads from nothing is a
 * default, not what was said ("他的订单呢" after a count of VIPs states no mode), and words that change
 * no slot of the last answer refine nothing.
 */
function stated(intent: IntentDef, words: string, last: LastAnswer, narrowing = false): Record<string, unknown> {
  const defaults = derived(intent, '');
  const own = Object.fromEntries(Object.entries(derived(intent, words)).filter(([k, v]) => defaults[k] !== v));
  // "只看回访" after today's follow-ups: narrowed to what was shown — the same answer, not another request.
  return Object.entries(own).some(([k, v]) => last.slots[k] !== v) || (narrowing && Object.keys(own).length > 0) ? own : {};
}

/** The last slots an other intent of the family takes (its free text names the same segment). */
function carry(last: LastAnswer, to: IntentDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [slot, value] of Object.entries(last.slots)) if (hasSlot(to, slot)) out[slot] = value;
  return out;
}
