import { cutName, hanName, isSurname, latinNameLike, titledSurname, withoutLeadWord } from './names.ts';
import { introducedName } from './introduced-name.ts';
import { isCommonSurname } from './common-surnames.ts';
import { createHomophoneFixer } from './homophones.ts';
import { EMAIL_IN_TEXT, normalizeMemberNo, normalizePhone } from '../../crm/customers/index.ts';
import { CN_NUMERAL, parseNumber, scaleDecimal } from './numbers.ts';

/**
 * Slot extractors of the rule router. Each works on NFKC-normalised text and returns the value
 * with the span it came from, so the router can blank consumed text before looking for a name.
 */
export interface Span {
  start: number;
  end: number;
}
export interface Found<T> {
  value: T;
  span: Span;
}

// The global twin of each pattern, made once.
const globalTwins = new WeakMap<RegExp, RegExp>();
/**
 * Every match of `re` in the text, in order — what `[...text.matchAll(re)]` gives, without
 * matchAll's clone of the pattern and its iterator per call (the router runs this on every
 * message): an exec loop on the pattern's global twin, its lastIndex reset before and after
 * (synchronous, so no caller sees it moved).
 */
export function allMatches(text: string, re: RegExp): RegExpExecArray[] {
  let g = globalTwins.get(re);
  if (!g) globalTwins.set(re, (g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g')));
  const out: RegExpExecArray[] = [];
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    out.push(m);
    // An empty match moves on by one character (a code point under u/v), as matchAll does.
    if (m[0] === '') g.lastIndex += (g.unicode || g.flags.includes('v')) && (text.codePointAt(g.lastIndex) ?? 0) > 0xffff ? 2 : 1;
  }
  g.lastIndex = 0;
  return out;
}
const matches = allMatches;
const spanOf = (m: RegExpExecArray): Span => ({ start: m.index, end: m.index + m[0].length });

/** Replaces the spans with spaces (same length, so later spans still line up). */
export function blank(text: string, spans: readonly Span[]): string {
  // Nothing to blank (most calls): the text as it is, without splitting and joining it.
  if (spans.length === 0) return text;
  // UTF-16 code units, like RegExp indices.
  const chars = text.split('');
  for (const s of spans) for (let i = s.start; i < s.end; i++) chars[i] = ' ';
  return chars.join('');
}

// Mainland mobiles as typed: "138 0000 0001", "138-0000-0001", "+86 13800000001", "8613800000001".
const PHONE = /(?<!\d)(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s.-]?\d){8}(?!\d)/;

/**
 * A mobile read out digit by digit in characters, as voice input writes it ("一三八零零零零零零零四", 幺 for 1):
 * eleven digit characters and nothing else in between but spaces — never a number with 十 / 百 (an amount).
 */
const SPOKEN_DIGIT = '〇零一二两三四五六七八九幺';
const SPOKEN_PHONE = new RegExp(`(?<![${SPOKEN_DIGIT}\\d])[一幺]\\s?[三四五六七八九](?:\\s?[${SPOKEN_DIGIT}]){9}(?![${SPOKEN_DIGIT}\\d])`);
const DIGIT_OF: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

export function findPhones(text: string): Found<string>[] {
  const typed = matches(text, PHONE).flatMap((m) => {
    const value = normalizePhone(m[0]);
    return value ? [{ value, span: spanOf(m) }] : [];
  });
  const spoken = matches(text, SPOKEN_PHONE).flatMap((m) => {
    const value = normalizePhone([...m[0]].map((c) => DIGIT_OF[c] ?? '').join(''));
    return value ? [{ value, span: spanOf(m) }] : [];
  });
  return [...typed, ...spoken].sort((a, b) => a.span.start - b.span.start);
}

/**
 * The last four digits of a phone, as staff say them: "尾号8866", "手机尾号 0423", "后四位7712",
 * "*3390", "ending (in) 5521". The value is what the customers module searches by ("尾号NNNN",
 * phone_tail): phones are sealed, so no other part of a number can be looked up.
 */
const PHONE_TAIL = /(?:手机)?尾号(?:是|为)?\s*(\d{4})(?!\d)|(?:手机)?后四位(?:是|为)?\s*(\d{4})(?!\d)|(?<![\w*])\*{1,7}(\d{4})(?!\d)|\bend(?:ing|s)?\s+(?:in\s+|with\s+)?(\d{4})(?!\d)/i;

export function findPhoneTails(text: string): Found<string>[] {
  return matches(text, PHONE_TAIL).map((m) => ({ value: `尾号${m.slice(1).find(Boolean)!}`, span: spanOf(m) }));
}

const MEMBER_NO = /(?<![A-Za-z0-9])M\d{8}(?!\d)/i;

export function findMemberNos(text: string): Found<string>[] {
  return matches(text, MEMBER_NO).flatMap((m) => {
    const value = normalizeMemberNo(m[0]);
    return value ? [{ value, span: spanOf(m) }] : [];
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// One pattern per tag name, made once (a dictionary's names are few and change rarely).
const tagPatterns = new Map<string, RegExp>();
function tagPattern(name: string): RegExp {
  let re = tagPatterns.get(name);
  if (!re) {
    const edge = /^[A-Za-z0-9]/.test(name) ? '(?<![A-Za-z0-9])' : '';
    // An ASCII tag may be said in the plural ("how many VIPs"); it still stands alone.
    const tail = /[A-Za-z0-9]$/.test(name) ? '(?:s|es)?(?![A-Za-z0-9])' : '';
    // A Han name may be typed with a space inside ("商务 宴请"): one tag still.
    let body = /^\p{Script=Han}+$/u.test(name) ? [...name].map(escapeRe).join('\\s?') : escapeRe(name);
    // A liking said in plain words ("喜欢吃辣的客人" for 爱吃辣): a tag of 爱 + what is liked is 喜欢 + the same too.
    if (/^爱\p{Script=Han}{2,}$/u.test(name)) body = `(?:${body}|喜欢${[...name.slice(1)].map(escapeRe).join('\\s?')})`;
    tagPatterns.set(name, (re = new RegExp(`${edge}${body}${tail}`, 'i')));
  }
  return re;
}

/**
 * Tag names of the dictionary in the text, longest first (so "高价值客户" beats "高价值"),
 * case-insensitive; ASCII names must stand alone ("VIP" is not found inside "VIPS").
 * Returns the dictionary's spelling.
 */
export function findDictionaryTags(text: string, names: readonly string[]): Found<string>[] {
  const found: Found<string>[] = [];
  let rest = text;
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    for (const m of matches(rest, tagPattern(name))) {
      // The plural ending is lower case ("VIPs"): "VIPS" is another word.
      if (/[A-Za-z0-9]$/.test(name) && m[0].length > name.length && !/^(?:s|es)$/.test(m[0].slice(name.length))) continue;
      found.push({ value: name, span: spanOf(m) });
      rest = blank(rest, [spanOf(m)]);
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

// The words between a member and the tag: "给张伟打上X", "整个X", "弄个X", "有X标签的会员", "带VIP标签的".
// 带 only before Latin letters or digits ("带娃家庭" is a tag of its own).
const TAG_VERB = '(?:添加|加上|打上|贴上|标上|去掉|删除|移除|删掉|取消|摘掉|撕掉|撕了|去除|带有|有着|打了|贴了|打过|(?:整|弄|搞|来|上|设|挂|打|加|贴)个|加|打|贴|给|把|的|有|是|带(?=[A-Za-z0-9]))个?';
const TAG_VERBS = new RegExp(`^.*${TAG_VERB}(?=.)`);
const ONLY_VERBS = new RegExp(`^(?:${TAG_VERB})+$`);
const TAG_VERB_END = new RegExp(`(?:打|加|贴|打上|加上|贴上|标上|(?:整|弄|搞|来|上|打|加|贴)个)$`);
const TOKEN = '[^\\s，,。.!！?？:：;；、"\'“”「」『』()（）的]';

/**
 * Words that point at or ask about a tag but name none: "不是这个标签", "打标签了吗", "什么标签".
 * A tag made only of these is no tag (the intent then asks which one).
 */
/**
 * A clause after 标签 that says who or what the speaker thinks, not a tag's name ("先别打标签 我再想想", "打标签是谁弄的").
 */
const CLAUSE_NOT_TAG = /^(?:我|你|咱|是谁|谁|是不是|是否)|谁|想想|吗|呢$/;
/** A refusal or a deferral where a tag would stand ("don't tag 陈静", "标签先别打", "tag her later"): never a tag's name. */
const HOLD_WORD = /^(?:(?:先|暂时|暂且|还|再)?(?:别|不要|不用|不必|不|没|甭|莫|勿)|先等|晚点|回头|改天|以后)|^(?:don[’']?t|dont|do|does|did|didn[’']?t|doesn[’']?t|won[’']?t|not|never|no|later|yet|pls|please)$/i;
const NOT_A_TAG = /^(?:不是|是不是|就是|不|是|这个?|那个?|哪个?|这些|那些|啥|什么|何|它|一个|个|了|吗|么|呢|吧|啊|呀|过|没|没有|的|都|也|还|this|that|it|one|which|what)+$/i;
/** The matter itself said after 标签, whatever follows ("打标签这事 下周再说", "打标签那事儿先放放"): no tag's name. */
const THE_MATTER = /^(?:这|那)(?:件|个|回)?(?:事情|事儿|事)/;

/**
 * A tag name that is not in the dictionary, from where staff put one: "打标签 X", "标记为 X",
 * "X 标签", "as X", "tag X from". Used only when no dictionary tag was found, so the intent
 * can answer "no such tag, did you mean …" instead of guessing.
 */
const TAG_AFTER = new RegExp(`(?:标签|标记为|标记成|标为)\\s*[:：]?\\s*[「“"']?(${TOKEN}{1,16})`);
const TAG_BEFORE = new RegExp(`(${TOKEN}{1,24}?)\\s*(?:这个|那个|这种|这一个)?\\s*标签`);
const TAG_VERB_AT_END = new RegExp(`${TAG_VERB}$`);
/** "多少个", "几位", "多少人是": how many, asked in front of the tag it counts. */
const COUNT_ASKED = /^(?:多少|几)(?:个|位|名)?(?:人|会员|客人)?(?:是|有|打了)?/;

/**
 * Decoration around a tag as staff type it — emoji ("爱吃辣🌶️", "VIP👑"), a hashtag ("#生日月"),
 * quotes ('as "家庭客"') — blanked to spaces of the same length, so spans still point into the text.
 */
const DECORATION = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D#＃"“”「」『』【】]/gu;
export const undecorated = (text: string): string => text.replace(DECORATION, (m) => ' '.repeat(m.length));

export function findTagPhrase(typed: string): Found<string> | undefined {
  const text = undecorated(typed);
  const after = TAG_AFTER.exec(text)
    ?? /\bas\s+([^\s,.;!?]{1,32})/i.exec(text)
    ?? /\b(?:tag|label)\s+([^\s,.;!?]{1,32})\s+(?:from|on|to|for)\b/i.exec(text);
  if (after?.[1] && !NOT_A_TAG.test(after[1]) && !CLAUSE_NOT_TAG.test(after[1]) && !HOLD_WORD.test(after[1]) && !THE_MATTER.test(after[1])) {
    // "标签加个生日月": the verb after 标签 is no part of the tag.
    // A sign is a verb too ("标签 +爱吃辣", "标签 -老客"), never part of the tag's name.
    const verb = /^(?:[+＋\-－]\s*|添加|加上|打上|贴上|标上|(?:整|弄|搞|来|上|挂|打|加|贴)个)/.exec(after[1])?.[0] ?? '';
    const value = after[1].slice(verb.length);
    const start = after.index + after[0].length - value.length;
    if (value && !NOT_A_TAG.test(value)) return { value, span: { start: start - verb.length, end: start + value.length } };
  }
  // "打上投诉过这个标签": a pointing word between the tag and 标签 is no part of it.
  const before = TAG_BEFORE.exec(text) ?? /([^\s,.;!?]{1,32})\s+tag\b/i.exec(text);
  if (before?.[1]) {
    // Nothing but verbs ("给 13800000001 打标签"): no tag named yet.
    if (ONLY_VERBS.test(before[1])) return undefined;
    // A count asked before the tag ("有多少个家庭客标签的会员", "有几个老客标签的") is the question, not the tag's name.
    let value = before[1].replace(TAG_VERBS, '').replace(COUNT_ASKED, '');
    // A pronoun before the verb is the member ("给她打标签了吗"): what follows it is verbs, not a tag.
    const afterPronoun = value.replace(/^(?:他们?|她们?|它|TA)/i, '');
    if (afterPronoun !== value && (!afterPronoun || ONLY_VERBS.test(afterPronoun))) return undefined;
    if (afterPronoun !== value) value = afterPronoun;
    // English grammar before the verb "tag" ("I need to tag a customer", "can you tag …") names no tag either.
    if (!value || /^(?:the|a|this|remove|delete|untag|to|need|want|can|could|would|will|should|i|you|we|just|also|and|then|gonna|wanna)$/i.test(value) || NOT_A_TAG.test(value) || HOLD_WORD.test(value)) return undefined;
    // The verb right before 标签 ("给周杰打标签", "周杰打标签"): what precedes it is the member, no tag is named.
    if (TAG_VERB_END.test(value)) return undefined;
    const start = before.index + before[1].length - value.length;
    // The verb is consumed with the tag, so it never ends up in a name ("给张伟整个VIP标签": 张伟).
    const verb = TAG_VERB_AT_END.exec(before[1].slice(0, before[1].length - value.length))?.[0].length ?? 0;
    return { value, span: { start: start - verb, end: start + value.length } };
  }
  return undefined;
}

/** One fixer per tag dictionary (the dictionary is cached per process, so this stays one or two). */
const tagFixers = new Map<string, (text: string) => string>();
/**
 * A tag named with one character swapped for a same-sounding one, the IME's typo ("流失风陷" for 流失风险, "家庭克" for
 * 家庭客): the dictionary's tag, read as the router reads its own words (homophones.ts — one character differs, it sounds
 * the same, the rest is typed right). The whole phrase must become the tag; anything else stays unknown and is asked about.
 */
export function soundsLikeTag(phrase: Found<string>, names: readonly string[]): Found<string> | undefined {
  const key = names.join('\u0001');
  let fix = tagFixers.get(key);
  if (!fix) {
    if (tagFixers.size >= 8) tagFixers.clear();
    tagFixers.set(key, (fix = createHomophoneFixer(names)));
  }
  const fixed = fix(phrase.value);
  return fixed !== phrase.value && names.includes(fixed) ? { value: fixed, span: phrase.span } : undefined;
}

const NUM = `(\\d+|${CN_NUMERAL}+)`;

/**
 * Relative periods staff and members say without a number: "上个月" / "last month" (30 days),
 * "上周" / "last week" (7), "半年" (180), "去年" / "一年" (365), "昨天" (1). A window of days back
 * from now, which is what order and churn queries take. A calendar month ("上个月", "本月", "last
 * month") is marked with its period: test/intents/blind-brief.md — "上个月 is not a number of days" —
 * so the router states it as `period`, never as `days` (rules.ts); the conversation's refinements
 * still read the window.
 */
const RELATIVE: [RegExp, number, CalendarMonth?][] = [
  // The one before last: "上上周" (14), "上上个月" (60) — before "上周" / "上个月" would take half of it.
  [/上上个?(?:周|星期|礼拜)|上上一周/i, 14],
  [/上上个?月/i, 60, 'month_before_last'],
  [/(?:最近|近|这|过去)?半个?月/, 15],
  [/上个?月|上一个月|last\s+month/i, 30, 'last_month'],
  [/this\s+month|本月|这个月/i, 30, 'this_month'],
  [/past\s+month|近一月/i, 30],
  [/上周|上个?(?:星期|礼拜)|上一周|last\s+week|past\s+week|this\s+week|本周|这周|这个?(?:星期|礼拜)/i, 7],
  [/半年|half\s+a\s+year|last\s+6\s+months/i, 180],
  [/去年|一年内|近一年|last\s+year|past\s+year/i, 365],
  [/昨天|yesterday/i, 1],
];
export type CalendarMonth = 'last_month' | 'this_month' | 'month_before_last';

const PERIOD_LEAD = '(?:最近|近|过去|这)?';
const SPELLED: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30 };

/** Days: "120天", "最近三十天", "三个月" (×30), "两周" (×7), "90 days", "3 months", "上个月", "last week". */
const DAY_UNITS: [RegExp, number][] = [
    // "最近/近/过去" belong to the period, so they never end up in a name ("张伟近三十天").
    [new RegExp(`${PERIOD_LEAD}${NUM}\\s*(?:天|日)`), 1],
    [new RegExp(`${PERIOD_LEAD}${NUM}\\s*个?月`), 30],
    [new RegExp(`${PERIOD_LEAD}${NUM}\\s*(?:周|个星期|星期|礼拜|个礼拜)`), 7],
    [new RegExp(`${PERIOD_LEAD}${NUM}\\s*年`), 365],
    // "90+ days", "silent 60+ days": at least that many, a number of days all the same.
    [/(\d+)\s*\+?\s*d(?:ays?)?\b/i, 1],
    // Spelled out ("the past two weeks", "last three months"); "a week" is 上周's business, not here.
    [/\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)\s+days?\b/i, 1],
    [/\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+weeks?\b/i, 7],
    [/\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+months?\b/i, 30],
    [/(\d+)\s*months?\b/i, 30],
    [/(\d+)\s*weeks?\b/i, 7],
    [/(\d+)\s*years?\b/i, 365],
];

export function findDays(text: string): (Found<number> & { month?: CalendarMonth }) | undefined {
  for (const [re, factor] of DAY_UNITS) {
    for (const m of matches(text, re)) {
      const n = m[1] === undefined ? undefined : (SPELLED[m[1].toLowerCase()] ?? parseNumber(m[1]));
      if (n === undefined || n <= 0) continue;
      // "10月的订单", "三月份": a calendar month, not ten months back — a span of months says 个,
      // a lead (近/最近/过去) or 内/以来 after it, or counts in 两/俩.
      if (factor === 30 && calendarMonth(text, m)) continue;
      return { value: n * factor, span: spanOf(m) };
    }
  }
  for (const [re, days, month] of RELATIVE) {
    const m = re.exec(text);
    if (m) return { value: days, span: spanOf(m), ...(month ? { month } : {}) };
  }
  return undefined;
}

/** A "N月" match that names a calendar month rather than a number of months. */
function calendarMonth(text: string, m: RegExpExecArray): boolean {
  // 两 / 俩 / 仨 count months, never name one (仨月 is three months).
  if (!m[0].includes('月') || /个|最近|近|过去|^这/.test(m[0]) || /^[两俩仨]/.test(m[1]!)) return false;
  if (/^\s*(?:内|之内|以来|来|以上|多)/.test(text.slice(m.index + m[0].length))) return false;
  if (/[前近过]\s*$/.test(text.slice(0, m.index))) return false;
  const n = parseNumber(m[1]!);
  return n !== undefined && n >= 1 && n <= 12;
}

/** Amounts as a decimal string: "500元", "¥1,200", "1.5k", "2万", "五百块", "500 yuan". */
const AMOUNT_RANGE = new RegExp(`(?<![\\w.])(\\d[\\d,]*(?:\\.\\d+)?|${CN_NUMERAL}+)\\s*([kKwW千万])?\\s*(?:元|块)?\\s*(?:到|至|-|~|～|—)\\s*(?:\\d[\\d,]*(?:\\.\\d+)?|${CN_NUMERAL}+)\\s*([kKwW千万])?\\s*(?:元|块钱|块)?(?!\\s*(?:天|日|周|个|月|星期|礼拜|年|次|单|笔|位|人|名|分|积分|级|岁|号|%|％|\\d))`);
const AMOUNT_MORE = new RegExp(`(?:超过|超出|大于|高于|多于|不少于|不低于|至少|(?<=消费|花|充)过|(?<=消费|花|充)了?满)\\s*(\\d[\\d,]*(?:\\.\\d+)?|${CN_NUMERAL}+)\\s*([千万kKwW])?(?!\\s*(?:天|日|周|个?月|个?星期|年|次|单|笔|位|个|人|名|分|积分|级|岁|%|％|\\d))`);
const AMOUNT_CN = new RegExp(`(${CN_NUMERAL}+)\\s*(?:元|块|以上)`);
const COUPON = new RegExp(`(?<![\\d.])(\\d+(?:\\.\\d{1,2})?|${CN_NUMERAL}+)\\s*(?:元|块钱?)?\\s*的?\\s*(?:召回|优惠|代金|现金)?券|(?:面额|面值|券面|券)\\s*[:：]?\\s*(\\d+(?:\\.\\d{1,2})?)(?![\\d.]|\\s*(?:张|个|份|人|天|%|％))`);

const AMOUNT_PATTERNS = [
  /¥\s*(\d[\d,]*(?:\.\d{1,2})?)\s*([kKwW千万])?/,
  /(\d[\d,]*(?:\.\d+)?)\s*([kKwW千万])?\s*(?:元|块|rmb\b|yuan\b|RMB\b)/i,
  /(?<![\w.])(\d+(?:\.\d+)?)\s*([kKwW])(?![A-Za-z])/,
  // "消费500以上", "spent over 800": a bare number is an amount only next to such a word.
  // Not when a unit of time, a count or points follows ("90+ days", "3次以上", "500多分").
  /(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*([千万])?\s*(?:以上|及以上|起|多|\+|往上)(?!\s*(?:days?|weeks?|months?|years?|points?|pts|orders?|visits?|times|天|日|周|个|月|年|次|单|笔|位|人|名|分|积分|级|岁))/i,
  /(?:over|above|at least|more than|>=?|≥|满)\s*(\d[\d,]*(?:\.\d+)?)\s*([kKwW千万])?(?!\s*(?:days?|months?|weeks?|天|日|周|个|月|年|次|单|笔|位|人|名|分|积分|级|岁|减|\d))/i,
];

export function findAmount(text: string): Found<string> | undefined {
  const scale = (u: string | undefined): 1 | 1000 | 10000 => (!u ? 1 : /[kK千]/.test(u) ? 1000 : 10000);
  // A range of money ("三百到五百", "500-1000元", "1k~2k"): its lower end, the whole range consumed.
  const range = AMOUNT_RANGE.exec(text);
  if (range?.[1] && /消费|花|spent|spend|金额|元|块|[kKwW千万]|[百千万]/.test(range[0] + text)) {
    const unit = range[2] ?? range[3];
    const n = /^\d/.test(range[1]) ? scaleDecimal(range[1].replace(/,/g, ''), scale(unit)) : ((v) => (v === undefined ? undefined : `${v * scale(unit)}.00`))(parseNumber(range[1]));
    if (n) return { value: n, span: spanOf(range) };
  }
  for (const re of AMOUNT_PATTERNS) {
    const m = re.exec(text);
    const value = m?.[1] ? scaleDecimal(m[1].replace(/,/g, ''), scale(m[2])) : undefined;
    if (m && value) return { value, span: spanOf(m) };
  }
  // A coupon's face value said without a unit: "两百的券", "50块的召回券", "面额25", "券 25".
  const coupon = COUPON.exec(text);
  const couponValue = coupon ? ((raw) => (/^\d/.test(raw) ? scaleDecimal(raw, 1) : ((n) => (n === undefined ? undefined : `${n}.00`))(parseNumber(raw))))(coupon.slice(1).find(Boolean)!) : undefined;
  if (coupon && couponValue) return { value: couponValue, span: spanOf(coupon) };
  // "过万", "上万": ten thousand and more.
  const tenK = /(?:过|上|超)万(?!\s*(?:天|次|单|人|名|分|积分))/.exec(text);
  if (tenK) return { value: '10000.00', span: spanOf(tenK) };
  // "超过一千", "大于2000", "不少于500": a number right after a comparative, unless a count of days, orders or points follows.
  const more = AMOUNT_MORE.exec(text);
  const moreValue = more?.[1] ? (/^\d/.test(more[1]) ? scaleDecimal(more[1].replace(/,/g, ''), scale(more[2])) : ((n) => (n === undefined ? undefined : `${n * scale(more[2])}.00`))(parseNumber(more[1]))) : undefined;
  if (more && moreValue) return { value: moreValue, span: spanOf(more) };
  const cn = AMOUNT_CN.exec(text);
  const n = cn?.[1] ? parseNumber(cn[1]) : undefined;
  return cn && n !== undefined ? { value: `${n}.00`, span: spanOf(cn) } : undefined;
}

/** English numbers staff spell out in a count ("top ten", "last five orders"). */
const EN_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, fifty: 50 };
const EN_NUM = `(\\d+|${Object.keys(EN_NUMBERS).join('|')})`;
/** What a count counts in English: the records a list shows ("5 orders", "top 10 kocs", "7 at-risk members"). */
const COUNT_NOUN = '(?:orders?|purchases?|tickets?|cases?|kocs?|referrers?|promoters?|members?|customers?|clients?|people|records?|notes?|interactions?|follow-?ups?|recalls?|campaigns?|ones)';
/** Words that make a number a period, an amount or points, never a count, in English. */
const NOT_COUNTED = '(?:days?|weeks?|months?|years?|points?|pts|yuan|rmb|k)';
/**
 * Chinese measure words of a count: people (位 个 名), orders and payments (单 笔), records (条 张 次 is
 * not: "来了三次" is a frequency) — never a span of time ("三个月", "两个星期"), nor one pointed at ("那一单 点了啥",
 * "这两位": which ones, not how many to show).
 */
const CN_COUNT = new RegExp(`(?:最近|近|过去|列|前)?\\s*(?<![那这哪每唯])(?<!唯一)${NUM}\\s*(?:位|个|名|单|笔|条|张)(?!\\s*(?:月|多月|星期|礼拜|小时|钟头|工作日))`);

/**
 * How many to show: "前20", "前二十名", "最近10单", "近5笔订单", "3条记录", "top 5", "top ten",
 * "last 6 orders", "show me 5 orders", "7 at-risk members". The lead (最近, 近, 前) belongs to the
 * count, so it never ends up in a name ("郑凯近3笔订单" → 郑凯).
 */
const COUNT_FIRST = new RegExp(`(?:最近|近|列)?前\\s*${NUM}\\s*(?:名|位|个|单|笔|条)?`);
const COUNT_TOP = new RegExp(`\\btop\\s*${EN_NUM}\\b`, 'i');
const COUNT_LAST = new RegExp(`\\b(?:last|latest|recent|first)\\s+${EN_NUM}\\b(?!\\s*${NOT_COUNTED}\\b)`, 'i');
/** One record by its place, in English ("my last order", "latest purchase"): a list of one, as 上一单 is. */
const COUNT_LAST_ONE = /(?<=^\s*|\b(?:my|his|her|their|the)\s+|'s\s+|[\p{Script=Han}\d]\s*)(?:last|latest|most recent)\s+(?:order|purchase|receipt)\b(?!s)/iu;
/**
 * "最近那一单", "最后那笔": one record pointed at by its place — the latest, a list of one as 最近一单 is. 那一单 alone
 * stays a pointer (which one, not how many), so only with the lead that says "the latest".
 */
const LATEST_POINTED_ONE = /(?:最近|最新|最后)\s*的?\s*[那这]\s*一?\s*[单笔](?!\s*(?:月|多月))/;
const COUNT_NOUNED = new RegExp(`\\b${EN_NUM}\\s+(?:(?!${NOT_COUNTED}\\b)[a-z-]+\\s+){0,2}${COUNT_NOUN}\\b`, 'i');
/**
 * The last visit or purchase asked about ("最后一次来是啥时候", "最近一次消费是多少", "王芳最后一次来吃的啥"): the latest
 * record, a list of one as 最近一单 is. Only with a verb of coming or buying after it: "最近一次投诉" / "最近一次来电" are
 * the last ones spoken of (COUNT_TIMES), and 上次 alone stays a time ("上次来店是什么时候都买了些什么").
 */
const LAST_VISIT_ONE = /(?:最后|最近)一次(?=\s*(?:来(?![电访])|到店|进店|去(?!年)|消费|吃|买|下单|光顾))/;

/**
 * The last N times of a kind of record ("最近3次沟通记录", "近5次消费", "前两次来电"): a count of the records.
 * 次 alone is a frequency ("来了三次"), and "最近一次投诉" is the last one spoken of, not a list of one.
 */
const COUNT_TIMES = new RegExp(`(?:最近|近|前)\\s*${NUM}\\s*次(?=\\s*(?:的)?\\s*(?:沟通|记录|互动|来电|通话|电话|回访|跟进|联系|拜访|订单|消费|购买|下单|工单|投诉|报修))`);

/**
 * 个 counts anything ("少上了一个菜", "多收了两个杯子"): a bare "N个" is a count to show only in a list's context —
 * a lead (前/最近/近/列), people or records after it ("5个会员", "三个流失客户"), or nothing after it ("给我10个").
 */
const LISTED_AFTER_GE = /^\s*(?:[,，。.!！?？;；]|$|的?\s*\p{Script=Han}{0,4}?(?:会员|客户|顾客|客人|人|订单|工单|记录|名单|号))/u;
function listCount(m: RegExpExecArray | null, text: string): RegExpExecArray | null {
  if (!m || !/个$/.test(m[0]) || /^(?:最近|近|过去|列|前)/.test(m[0])) return m;
  return LISTED_AFTER_GE.test(text.slice(m.index + m[0].length)) ? m : null;
}

export function findCount(text: string): Found<number> | undefined {
  const times = COUNT_TIMES.exec(text);
  const timesN = times?.[1] === undefined ? undefined : parseNumber(times[1]);
  const m = COUNT_FIRST.exec(text) ?? COUNT_TOP.exec(text) ?? COUNT_LAST.exec(text) ?? listCount(CN_COUNT.exec(text), text) ?? (timesN !== undefined && timesN >= 2 ? times : null) ?? COUNT_NOUNED.exec(text);
  const one = m ? null : (COUNT_LAST_ONE.exec(text) ?? LATEST_POINTED_ONE.exec(text) ?? LAST_VISIT_ONE.exec(text));
  if (one) return { value: 1, span: spanOf(one) };
  const raw = m?.[1]?.toLowerCase();
  const n = raw === undefined ? undefined : (EN_NUMBERS[raw] ?? parseNumber(raw));
  return m && n !== undefined && n > 0 ? { value: n, span: spanOf(m) } : undefined;
}

/** Words around a name that are not the name: requests, politeness, pronouns, "member", "the" … */
const FILLERS = [
  // A lower-case English word after an article or determiner is a thing, not a person ("a refund for the cake", "our
  // table"): pinyin-shaped ones (ca+ke) are no names there. A capitalised name after one stays ("the Zhang Wei one").
  /\b(?:[Tt]he|[Aa]n?|[Mm]y|[Oo]ur|[Yy]our|[Tt]heir|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Ss]ome|[Aa]ny|[Ee]very|[Ii]ts)\s+[a-z][a-z-]*\b/g,
  // A wish relayed from someone else ("店长说给王芳打个VIP", "老板让给周杰加100积分"): who said it is not the member.
  /(?:店长|老板|经理|领导|主管|老大|同事|上面|总部)(?:刚才|刚刚|也|那边)?(?:说了|说|让|叫|要|交代|吩咐|嘱咐|讲|安排)(?:我们|我)?/g,
  // A disclaimer before the action ("我没说要删周杰的老客标签", "我不是说要给王芳加积分", "没让你给陈静发券"): its
  // 说 would otherwise glue the speaker's words to the member's name and lose it.
  /(?:我们|我)?(?:并|也|可)?(?:没有?|不是)(?:说过?|让你|叫你|要你)(?:要|想|让你|叫你)?/g,
  /有没有|[他她]们家|[他她]家|[他她]们|他的|她的|他|她|ta的|TA的|这人|此人|该会员|该客户|这位|这个人|最近|近期|什么|东西|哪些|多少|怎么样|怎么|现在|目前|所有|全部|一共|买了|买过|上次|最后|订单|记录|积分|余额/g,
  // An English possessive ends a name ("陈静's points").
  /'s\b/gi,
  // Words about a name are no name ("Zhang Wei那个英文名的会员": 英文名 is not 文名); an order pointed at is no
  // person ("那单是请客户吃饭": 单 is a surname too).
  /英文名字|英文名|中文名字|中文名|全名|小名|昵称|网名|真名|本名|[那这]一?[单笔]|上一[单笔]/g,
  /查一下|查下|查查|看一下|看看|看下|帮我|麻烦|请问|一下|会员号|会员|客户|顾客|这位|这个|那个|信息|资料|情况|手机号|手机|电话|号码|姓名|名字|叫做|名叫/g,
  // Colloquial verbs and voice-input fillers ("瞅瞅王芳的画像", "那个就是帮我查一下张伟").
  /瞅瞅|瞅一下|瞅|调出来|调出|拉一下|拉出来|给我|就是|然后|平时|一般|都/g,
  // What happened, said around the name when logging ("登记一下张伟到店表扬", "13800000004 客户说…").
  /身上的|身上|到店|来店|进店|店里|来电|致电|打电话|表扬|投诉|咨询|好评|差评|反映|反馈|回访|参加|参与|刚才|刚刚|今天|昨天|客户说|顾客说|会员说/g,
  // Money and place words in order questions ("她上个月在我们这花了多少钱").
  /在我们这里?|在我们店|我们这里?|我们店|在这里|花了|花过|消费了|消费过|消费|多少钱|钱/g,
  /\b(?:don[’']?t|do not|doesn[’']?t|didn[’']?t|not|never|no need to)\b/gi,
  /\b(?:please|pls|member|customer|client|the|a|an|of|for|on|to|from|as|with|me|show|info|information|named|called|phone|number|no|who|is|about|his|her|him|their|them|he|she|they|i|my|this|that|recent|recently|orders?|bought|buy|did|what|last|in|days?)\b/gi,
  // What is asked about the member, and the verbs that ask, end a Latin name as "orders" does
  // ("li na points", "wang fang tickets", "open his tickets"): CRM words, never names.
  /\b(?:points?|balance|tickets?|level|tier|tags?|labels?|notes?|profile|summary|history|details?|complaints?|purchases?|spending|spend|visits?|coupons?|vouchers?|interactions?|follow-?ups?|cases?|status|open|check|view|see|pull|get|list|give|bring|grab|mark|tag|label|untag)\b/gi,
];
const EDGE_FILLERS = /^[的给把请帮我吗呢啊吧为叫查找那]+|[的给把请帮我吗呢啊吧为了]+$/g;
/** A tag verb left after a name once the tag is consumed ("给王芳打VIP标签" → 王芳打). */
const TRAILING_VERB = /(?:打上|加上|贴上|标上|打个|加个|贴个|整个|弄个|搞个|来个|去掉|删掉|移除|删除|摘掉|撕掉|撕了|撕|取消|打|加|贴)$/;
/** Question words are never part of a name ("那他几级" leaves 几级, "是几级" …). */
// Words of a request that start with a surname's character: a ticket's priority ("高优先"), the private room ("包间").
// A write's reason or occasion ("首单奖励", "周年庆", "中秋礼盒", "储值卡") and a day of the week ("周六中午"): what happened
// or why, said beside the member, never part of a name (单, 周, 秋, 储 are surnames too).
const NOT_A_NAME = /[几吗呢么哪谁啥怎们最说]|多少|什么|等级|级别|需要|要求|优先|包间|包厢|奖励|补偿|回馈|福利|礼盒|礼品|礼包|周年|储值|周[一二三四五六日天末]/;
/**
 * A pronoun names the member in focus: what follows it is what happened, not a name
 * ("帮他开个报修单，包间空调不制冷", "add 100 points to her for her birthday").
 */
// "他们家王芳" / "她家那个陈静": a household named before the member, not a pointer at one.
const PRONOUN = /(?<!其)他(?!们?家)|她(?!们?家)|\bTA\b|\b(?:him|her|his|he|she)\b/i;
const HAN_NAME = /^[\p{Script=Han}·]{2,8}$/u;
/** A Han name alone at the end, after a pause (a space or a comma), a particle or "pls" at most after it. */
const NAME_AFTER = /[\s，,]+(\p{Script=Han}{2,3})\s*(?:吧|呢|啊|哈|哦|\bpls\b|\bplease\b)?[\s。.!！]*$/u;
const LATIN_NAME = /^[A-Za-z][A-Za-z.'-]*(?: [A-Za-z][A-Za-z.'-]*){0,3}$/;
/** English function words are never part of a name ("who are our top referrers", "can you add points", "open tickets here" — "can you" and "here" read as pinyin; "take … off" as ta ke; "open one: …", "this one's points" — the pronoun one). */
const ENGLISH_WORDS = /\b(?:are|is|was|were|be|been|our|your|my|the|top|who|what|which|any|all|of|for|me|us|we|you|i|it|they|them|their|and|or|with|to|from|this|that|these|those|one|ones|another|best|most|can|could|would|should|will|shall|do|does|did|have|has|had|if|how|when|where|why|not|no|yes|here|there|now|today|please|know|tell|got|get|some|every|each|again|just|also|take|off|put|give|add|deduct|points|pts)\b/i;
const ENGLISH_WORDS_ALL = new RegExp(ENGLISH_WORDS.source, 'gi');
const PREDICATE = /\b(?:[Ww]as|[Ww]ere|[Ss]o|[Tt]oo|[Vv]ery|[Rr]eally|[Pp]retty|[Qq]uite|[Ee]xtremely|[Ss]uper)\s+[a-z]+\b/g;

/**
 * A member's name: what is left once identifiers, tags, trigger words and fillers are
 * blanked (`consumed`), if it looks like a name (2–8 Han characters, or 1–4 Latin words).
 */
export function findName(text: string, consumed: readonly Span[]): Found<string> | undefined {
  let rest = undecorated(blank(text, consumed));
  // A whole e-mail address names a member as a phone does (customers looks it up by its blind index).
  const email = EMAIL_IN_TEXT.exec(rest);
  if (email) return { value: email[0], span: { start: email.index, end: email.index + email[0].length } };
  // Found in the message itself: the pronoun may sit inside a trigger ("再扣她50分").
  const pronoun = PRONOUN.exec(text);
  // The member named after the sentence that pointed at them ("给她加500分 王芳", "她的单子 陈静"): the pronoun's
  // member, said once the request was out — a name of a common surname, alone after a pause at the very end.
  const after = pronoun ? NAME_AFTER.exec(rest) : null;
  // Not an everyday word that starts with a surname's character ("记一下 高兴", "马上"): the word segmenter keeps those whole.
  const surnameAlone = (run: string) => [...segmenter.segment(run)][0]?.segment.length === 1;
  if (after && after.index > pronoun!.index && isCommonSurname(after[1]![0]!) && hanName(after[1]!) === after[1] && !NOT_A_NAME.test(after[1]!) && surnameAlone(after[1]!)) {
    const start = after.index + after[0].indexOf(after[1]!);
    return { value: after[1]!, span: { start, end: start + after[1]!.length } };
  }
  if (pronoun) rest = rest.slice(0, pronoun.index) + ' '.repeat(rest.length - pronoun.index);
  for (const re of FILLERS) rest = rest.replace(re, (m) => ' '.repeat(m.length));
  // Latin names keep their inner single spaces ("Zhang Wei"); everything else splits.
  // 的 ends a name ("林晓雯的积分"): names practically never contain it.
  // Shorthand puts a slash, an arrow or a plus between the name and what is asked ("王芳/订单",
  // "13800000005→积分", "陈静+VIP"), or glues a Latin word to it ("周杰lv"): those end a name too.
  const segments = rest
    .replace(/(?<=[A-Za-z]) (?=[A-Za-z])/g, '\u0001')
    .replace(/(?<=\p{Script=Han})(?=[A-Za-z])|(?<=[A-Za-z])(?=\p{Script=Han})/gu, ' ')
    .split(/[\s\d,，。.!！?？:：;；、"'“”「」『』()（）的/／\\|｜→⇒➡>＞<＜+＋=＝~～*＊#＃@＠&＆]+/);
  // A Chinese name wins over Latin words ("check 王芳 points"); a Latin one is kept in case there is none.
  let latin: Found<string> | undefined;
  const at = (value: string): Found<string> => {
    const start = text.indexOf(value);
    return { value, span: { start, end: start + value.length } };
  };
  for (const seg of segments) {
    // A surname standing alone ("张 订单", "李 积分"): every member of that surname in scope.
    if ([...seg].length === 1 && isSurname(seg) && new RegExp(`(?:^|\\s)${seg}(?:\\s|$)`).test(text.trim())) return at(seg);
    // A person introduced inside the run ("我们跟李娜聊过什么", "有个客人叫陈静来问…"): introduced-name.ts.
    const whole = seg.replace(EDGE_FILLERS, '');
    const introduced = /^\p{Script=Han}{3,}$/u.test(whole) ? introducedName(whole) : undefined;
    if (introduced) return at(introduced);
    // A function word opening the run ("万一李娜再来", "单奖励王芳") is no part of the name (names.ts, withoutLeadWord).
    let value = shortenName(withoutLeadWord(seg.replace(/\u0001/g, ' ').replace(EDGE_FILLERS, '')).replace(EDGE_FILLERS, ''));
    // A name glued to a verb and Latin words ("陈静打过VIP标签了吗"): the Han run before them, cut at the verb.
    const lead = /^\p{Script=Han}{3,}(?=[A-Za-z0-9])/u.exec(value)?.[0];
    if (lead) {
      const cut = cutName(lead);
      if (cut.length < lead.length && hanName(cut) === cut) return at(cut);
    }
    const verbless = value.replace(TRAILING_VERB, '');
    if (verbless !== value && verbless.length >= 2) value = verbless;
    // A question glued to the name ("陈静几级", "周杰啥等级"): the name is what comes before it.
    const question = NOT_A_NAME.exec(value);
    if (question && question.index >= 2 && HAN_NAME.test(value.slice(0, question.index))) value = value.slice(0, question.index);
    // A word glued after a two-character name ("周杰是几级", "王芳还剩多少分", "刘洋跟咱"): a
    // grammatical character right after the name is not part of it (names of three characters
    // keep their third: "张伟华").
    // A verb, particle, time word or count glued after the name ("王芳记一下", "潘玲离店时",
    // "周杰这个月", "陈静之前的投诉", "周杰刚打电话说…"): the name ends before it (names.ts, cutName).
    // Read against the message as typed, since a filler may have taken what followed ("王芳刚到店…" left 王芳刚).
    if (/^\p{Script=Han}{3,}$/u.test(value)) {
      const typed = cutName(text.slice(Math.max(0, text.indexOf(value))));
      value = typed.length < value.length && value.startsWith(typed) ? typed : cutName(value);
    }
    // "Zhang Wei for me" → Zhang Wei; "do you know if Wang Fang got" → Wang Fang; "are our top referrers" is no name.
    if (/^[A-Za-z][A-Za-z.' -]*$/.test(value)) {
      // A lower-case word after a past copula or a degree word is what someone was, not who ("the waiter was rude",
      // "food too salty", "so slow"): pinyin-shaped ru+de is no name there. A capitalised name after it stays.
      const runs = value.replace(PREDICATE, ' ').split(ENGLISH_WORDS_ALL).map((r) => r.trim()).filter(Boolean);
      const named = runs.find((r) => LATIN_NAME.test(r) && latinNameLike(r));
      if (named) latin ??= at(named);
      continue;
    }
    const word = ENGLISH_WORDS.exec(value);
    if (word) value = value.slice(0, word.index).trim();
    if (!value || NOT_A_NAME.test(value)) continue;
    if (HAN_NAME.test(value)) {
      // A surname and a title ("王姐", "李总"): the surname, read as a name prefix.
      const surname = titledSurname(value);
      if (surname) return at(surname);
      // Not every leftover is a name: it starts with a surname, or ends in a name ("别动王芳" → 王芳).
      const name = /^\p{Script=Han}+$/u.test(value) ? hanName(value) : value;
      if (name) return at(name);
      continue;
    }
    if (LATIN_NAME.test(value) && latinNameLike(value)) latin ??= at(value);
  }
  return latin;
}

/** What may stand between a name and its identifier: spaces, brackets, a colon, a comma, a slash ("张伟(13800000001)"). */
const BESIDE = /^[\s()（）:：,，/／]*$/;

/**
 * The name found (`findName`) when it stands right beside the identifier at `id` — before it ("张伟 13800000001",
 * "给张伟M00000001开个工单") or after it ("13800000005王芳微信上夸了服务员") —, else undefined: a name said with the
 * identifier names the same member, while a leftover elsewhere in the message may be anything.
 */
export function besideIdentifier(text: string, id: Span, name: Found<string> | undefined): Found<string> | undefined {
  if (!name || !HAN_NAME.test(name.value)) return undefined;
  const gap = name.span.end <= id.start ? text.slice(name.span.end, id.start) : name.span.start >= id.end ? text.slice(id.end, name.span.start) : undefined;
  return gap !== undefined && BESIDE.test(gap) ? name : undefined;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * A Han "name" longer than four characters is usually a name followed by words
 * ("张伟平时都点些"): the segmenter splits dictionary words off and leaves a name's characters
 * single, so the leading single characters (2–4) are the name. Anything else stays as it was.
 */
function shortenName(value: string): string {
  if (!/^\p{Script=Han}{5,}$/u.test(value)) return value;
  let name = '';
  for (const { segment } of segmenter.segment(value)) {
    if ([...segment].length > 1 || name.length >= 4) break;
    name += segment;
  }
  return name.length >= 2 ? name : value;
}

/** A member list named in the text ("流失名单", "churn list"): the lists batch actions take. */
export function findList(text: string): Found<'churn'> | undefined {
  const m = /流失|沉睡|预警名单|churn(?:ed)?|at[- ]?risk/i.exec(text);
  return m ? { value: 'churn', span: spanOf(m) } : undefined;
}

/** The 4-digit code of a pending action ("确认 4821"). */
export function findCode(text: string): Found<string> | undefined {
  const m = /(?<![\d.])\d{4}(?![\d.])/.exec(text);
  return m ? { value: m[0], span: spanOf(m) } : undefined;
}
