import { CN_NUMERAL, parseNumber, scaleDecimal } from '../router/numbers.ts';
import { findStore, type StoreEntry } from '../router/stores.ts';
import { chinaParts } from '../../crm/kernel/index.ts';
import { FIELDS, METRICS, RELATIVE_DAYS, RFM_CELLS, SCORES, type ActivityCondition, type EventCondition, type Op, type SegmentNode, type SegmentTree, type Value } from '../../crm/insights/index.ts';

/**
 * A small rule-based parser for how staff phrase segment conditions in chat:
 *   "最近90天没消费 且 累计消费大于2000", "等级>3 且 最近30天消费>500元", "女性 或 5月生日",
 *   "有VIP标签", "近30天消费3次以上", "积分1000以上", "来源小程序", "90天内有投诉",
 *   "最近30天注册的会员", "注册超过一年", "参加过 2026中秋品鉴会 活动", "最近90天参加过活动 X",
 *   "浏览过 D-001 至少 3 次 最近30天", "最近30天报名过活动".
 * Clauses are split on 或/or (lowest precedence), then on 且/并且/和/，/、/and. Every clause
 * must be understood: the parser returns what it could not read, so the bot can say exactly
 * which part it did not understand instead of building a different segment.
 */
export interface PhraseResult {
  tree?: SegmentTree;
  /** Clauses that matched no pattern, as typed. */
  unparsed: string[];
  /** Present only when the phrase says so ("静态" / "固定名单" → static, "动态" → dynamic). */
  kind?: 'static' | 'dynamic';
}

/**
 * "静态人群包" / "静态名单" / "固定名单" / "快照": a frozen list; "动态": re-evaluated. Looked for in
 * the whole request (the chat's "创建静态人群包 X：…" says it before the name), undefined when
 * not said, so the caller keeps its default.
 */
const KIND_WORDS = /(静态|固定名单|快照|动态)(?:人群包|人群|客群|名单|分群)?/;
export function phraseKind(text: string): 'static' | 'dynamic' | undefined {
  const m = KIND_WORDS.exec(text.normalize('NFKC'));
  return m ? (m[1] === '动态' ? 'dynamic' : 'static') : undefined;
}
const KIND_CLAUSE = /^(?:(?:是|为|做成|建成|存为|保存为)?(?:静态|动态)(?:的)?(?:人群包|人群|客群|名单|分群)?|固定名单|快照)$/;

const N = `(\\d+(?:\\.\\d+)?|${CN_NUMERAL}+)`;
const UNIT = '(天|日|周|个星期|星期|个月|月|年)';
const RECENT = '(?:最近|近|过去|前)?';
const CMP_WORDS: [RegExp, Op][] = [
  [/^(?:大于等于|大于或等于|不少于|不低于|至少|>=|≥|=>)/, 'gte'],
  [/^(?:小于等于|小于或等于|不超过|不高于|不多于|至多|最多|<=|≤|=<)/, 'lte'],
  [/^(?:大于|超过|高于|多于|>|过)/, 'gt'],
  [/^(?:小于|低于|少于|不到|不足|<)/, 'lt'],
  [/^(?:等于|为|是|=|==)/, 'eq'],
];
const CMP = '(大于等于|大于或等于|不少于|不低于|至少|>=|≥|=>|小于等于|小于或等于|不超过|不高于|不多于|至多|最多|<=|≤|=<|大于|超过|高于|多于|>|小于|低于|少于|不到|不足|<|等于|为|是|==|=)?';
const SUFFIX = '(及以上|以上|及以下|以下)?';

function cmpOf(word: string | undefined, suffix: string | undefined, fallback: Op): Op {
  if (word) for (const [re, op] of CMP_WORDS) if (re.test(word)) return op;
  if (suffix) return suffix.includes('以上') ? 'gte' : 'lte';
  return fallback;
}
function num(text: string): number | undefined {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : parseNumber(text);
}
function days(n: string, unit: string): number | undefined {
  const v = num(n);
  if (v === undefined || !Number.isInteger(v)) return undefined;
  const factor = /周|星期/.test(unit) ? 7 : /月/.test(unit) ? 30 : unit === '年' ? 365 : 1;
  return v * factor;
}
/** "2000" / "2千" / "1.5万" / "两千" / "3k" → "2000.00" (a DECIMAL string, never a float). */
function amount(n: string, scale: string | undefined): string | undefined {
  const factor = !scale ? 1 : /[kK千]/.test(scale) ? 1000 : 10000;
  if (/^\d+(\.\d+)?$/.test(n)) return scaleDecimal(n, factor);
  const v = parseNumber(n);
  return v === undefined ? undefined : scaleDecimal(String(v), factor);
}

type Clause = (c: string, now: Date) => SegmentNode | undefined;

const SOURCES: Record<string, string> = { 小程序: 'miniprogram', 微信小程序: 'miniprogram', 企微: 'wecom', 企业微信: 'wecom', 门店: 'store', 线下: 'store', 到店: 'store', miniprogram: 'miniprogram', wecom: 'wecom', store: 'store' };
const SOURCE_WORDS = Object.keys(SOURCES).sort((a, b) => b.length - a.length).join('|');

const RISK_LEVEL: Record<string, string> = { 高: 'high', 中: 'medium', 中等: 'medium', 低: 'low' };
/** RFM cells by their label and its short form ("冠军会员" / "冠军"), longest first. */
const RFM_WORDS = Object.entries(RFM_CELLS)
  .flatMap(([cell, label]) => [[label, cell], [label.replace(/会员$/, ''), cell]] as [string, string][])
  .sort((a, b) => b[0].length - a[0].length);

const CLAUSES: Clause[] = [
  // 流失风险高 / 高流失风险 / 流失风险为中 / 流失风险等级低: the churn model's level (member_scores)
  (c) => {
    const m = /^(?:流失风险(?:等级)?(?:为|是|=)?(高|中等|中|低)|(高|中|低)流失风险)$/.exec(c);
    return m ? { score: 'churn_level', op: 'eq', value: RISK_LEVEL[(m[1] ?? m[2])!]! } : undefined;
  },
  // RFM冠军 / RFM分群为沉睡会员 / RFM 高价值流失风险: an RFM cell (the word RFM is required, so 新客 stays a tag's name)
  (c) => {
    const m = /^rfm\s*(?:分群|分层|类别)?\s*(?:为|是|=)?\s*(.+)$/i.exec(c);
    const cell = m && RFM_WORDS.find(([word]) => word === m[1]!.trim())?.[1];
    return cell ? { score: 'rfm_cell', op: 'eq', value: cell } : undefined;
  },
  // 最近90天没消费 / 90天未下单 / 超过60天没来 / 三个月没有购买
  (c) => {
    const m = new RegExp(`^(?:${RECENT}|超过|已经|已)${N}\\s*${UNIT}(?:内|以来|以上)?(?:都)?(?:没|没有|未|无)(?:有)?(?:消费|下单|购买|买过?|到店|来过?|订单)`).exec(c);
    const d = m && days(m[1]!, m[2]!);
    return d ? { metric: 'order_count', days: d, op: 'eq', value: 0 } : undefined;
  },
  // 最近30天有消费 / 近30天消费过 / 60天内有下单 / 最近三个月来过: at least one order in the window
  (c) => {
    const m = new RegExp(`^${RECENT}${N}\\s*${UNIT}(?:内|以来)?(?:都)?(?:(?:有过?|有)(?:消费|下单|购买|到店|订单|来店)(?:过|记录)?|(?:消费|下单|购买|买|到店|来)过)$`).exec(c);
    const d = m && days(m[1]!, m[2]!);
    return d ? { metric: 'order_count', days: d, op: 'gte', value: 1 } : undefined;
  },
  // 最近30天消费3次以上 / 近30天下单≥3次 / 30天内消费次数大于2 / 最近60天消费次数大于2 (次 said once is enough)
  (c) => {
    const m = new RegExp(`^${RECENT}${N}\\s*${UNIT}(?:内|以来)?(?:消费|下单|购买|到店)(次数)?\\s*${CMP}\\s*${N}\\s*(次)?${SUFFIX}$`).exec(c);
    const d = m && (m[3] || m[6]) && days(m[1]!, m[2]!);
    const v = m ? num(m[5]!) : undefined;
    return d && v !== undefined && Number.isInteger(v) ? { metric: 'order_count', days: d, op: cmpOf(m[4], m[7], 'gte'), value: v } : undefined;
  },
  // 最近30天消费>500元 / 近30天消费500元以上 / 30天内消费金额超过1千
  (c) => {
    const m = new RegExp(`^${RECENT}${N}\\s*${UNIT}(?:内|以来)?(?:消费|花费|花了|消费金额|消费额)(?:金额)?\\s*${CMP}\\s*[¥￥]?${N}\\s*([kKwW千万])?\\s*(?:元|块|rmb)?${SUFFIX}$`).exec(c);
    const d = m && days(m[1]!, m[2]!);
    const v = m ? amount(m[4]!, m[5]) : undefined;
    return d && v ? { metric: 'spend', days: d, op: cmpOf(m[3], m[6], 'gte'), value: v } : undefined;
  },
  // 累计消费大于2000 / 总消费2000元以上 / 历史消费金额≥1万
  (c) => {
    const m = new RegExp(`^(?:累计|总|历史|总共|一共)(?:消费|花费)(?:金额|额)?\\s*${CMP}\\s*[¥￥]?${N}\\s*([kKwW千万])?\\s*(?:元|块|rmb)?${SUFFIX}$`).exec(c);
    const v = m ? amount(m[2]!, m[3]) : undefined;
    return v ? { metric: 'spend', op: cmpOf(m![1], m![4], 'gte'), value: v } : undefined;
  },
  // 累计消费5次以上 / 总下单次数≥3
  (c) => {
    const m = new RegExp(`^(?:累计|总|历史|总共|一共)(?:消费|下单|购买)(?:次数)?\\s*${CMP}\\s*${N}\\s*次?${SUFFIX}$`).exec(c);
    const v = m ? num(m[2]!) : undefined;
    return v !== undefined && Number.isInteger(v) ? { metric: 'order_count', op: cmpOf(m![1], m![3], 'gte'), value: v } : undefined;
  },
  // 最近一次消费超过60天 / 上次消费距今大于30天
  (c) => {
    const m = new RegExp(`^(?:最近一次|最后一次|上次|上一次)(?:消费|下单|购买|到店)(?:距今|至今)?\\s*${CMP}\\s*${N}\\s*天${SUFFIX}(?:前)?$`).exec(c);
    const v = m ? num(m[2]!) : undefined;
    return v !== undefined && Number.isInteger(v) ? { metric: 'days_since_last_order', op: cmpOf(m![1], m![3], 'gt'), value: v } : undefined;
  },
  // 90天内有投诉 / 最近三个月投诉过 / 90天内没有投诉
  (c) => {
    const m = new RegExp(`^${RECENT}${N}\\s*${UNIT}(?:内|以来)?(有过?|没有|无|没)?投诉(?:过)?(?:记录)?$`).exec(c);
    const d = m && days(m[1]!, m[2]!);
    if (!d) return undefined;
    const none = m![3] !== undefined && /没|无/.test(m![3]);
    return { metric: 'complaint_count', days: d, op: none ? 'eq' : 'gte', value: none ? 0 : 1 };
  },
  // 最近30天注册的 / 30天内新注册 / 近一个月入会: registered_at ≥ now − N days, relative so a dynamic segment keeps meaning "the last N days"
  (c) => {
    const m = new RegExp(`^${RECENT}${N}\\s*${UNIT}(?:内|以内|以来)?(?:新)?(?:注册|入会|开卡|加入会员|成为会员)$`).exec(c);
    const d = m && days(m[1]!, m[2]!);
    return d ? { field: 'registered_at', op: 'gte', value: `-${d}d` } : undefined;
  },
  // 注册超过一年 / 入会满3个月 / 注册不到90天 / 注册时间90天以内
  (c) => {
    const m = new RegExp(`^(?:注册|入会|开卡|成为会员)(?:时间)?(?:已经|已)?(超过|大于|多于|满|不到|少于|小于|未满|不足|不满)?${N}\\s*${UNIT}(以上|及以上|以内|之内|内)?$`).exec(c);
    const d = m && days(m[2]!, m[3]!);
    if (!d || (!m![1] && !m![4])) return undefined;
    // Longer ago than N days = registered before now − N days.
    const word = m![1] ?? m![4]!;
    const op: Op = /超过|大于|多于|以上/.test(word) && !word.includes('及') ? 'lt' : /满|及以上/.test(word) && !/未|不/.test(word) ? 'lte' : 'gt';
    return { field: 'registered_at', op, value: `-${d}d` };
  },
  // 等级>3 / 会员等级大于等于3 / 等级3级以上 / 3级及以上 / 等级为2
  (c) => {
    const m = new RegExp(`^(?:会员)?等级\\s*${CMP}\\s*(?:lv|LV|v|V)?${N}\\s*级?${SUFFIX}(?:会员)?$`).exec(c) ?? new RegExp(`^()(?:lv|LV|v|V)?${N}\\s*级${SUFFIX}(?:会员)?$`).exec(c);
    const v = m ? num(m[2]!) : undefined;
    return v !== undefined && Number.isInteger(v) ? { field: 'level', op: cmpOf(m![1] || undefined, m![3], 'eq'), value: v } : undefined;
  },
  // 积分大于1000 / 积分1000以上 / 成长值≥5000
  (c) => {
    const m = new RegExp(`^(积分|成长值)\\s*${CMP}\\s*${N}\\s*(?:分)?${SUFFIX}$`).exec(c);
    const v = m ? num(m[3]!) : undefined;
    return v !== undefined && Number.isInteger(v) ? { field: m![1] === '积分' ? 'points' : 'growth_value', op: cmpOf(m![2], m![4], 'eq'), value: v } : undefined;
  },
  // 女性 / 男会员 / 性别女
  (c) => {
    const m = /^(?:性别\s*(?:为|是|=)?\s*)?(女|男)(?:性|士|生|会员|顾客|客户)?$/.exec(c);
    return m ? { field: 'gender', op: 'eq', value: m[1] === '女' ? 'female' : 'male' } : undefined;
  },
  // 5月生日 / 生日在五月 / 生日月份为12 / 本月生日 / 下月生日
  (c, now) => {
    const rel = /^(?:本月|这个月|当月)(?:过)?生日$|^生日(?:在)?(?:本月|这个月|当月)$/.test(c) ? 0 : /^(?:下个?月)(?:过)?生日$|^生日(?:在)?下个?月$/.test(c) ? 1 : undefined;
    if (rel !== undefined) return { field: 'birthday_month', op: 'eq', value: ((chinaParts(now).month - 1 + rel) % 12) + 1 }; // the month in China, not UTC (1st 00:00–08:00)
    const m = new RegExp(`^(?:生日(?:在|月份?(?:为|是)?)?\\s*${N}\\s*月(?:份)?|${N}\\s*月(?:份)?(?:过)?生日)(?:的)?$`).exec(c);
    const v = m ? num((m[1] ?? m[2])!) : undefined;
    return v && Number.isInteger(v) && v >= 1 && v <= 12 ? { field: 'birthday_month', op: 'eq', value: v } : undefined;
  },
  // 有VIP标签 / 带高价值标签 / 标签为VIP / 没有流失风险标签
  (c) => {
    const lacks = /^(?:没有|没|无|不带|不含|未打)(?:打)?(?:上)?[「“"']?(.{1,32}?)[」”"']?标签$/.exec(c);
    if (lacks) return { tag: lacks[1]!.trim(), has: false };
    const has = /^(?:有|带有?|拥有|打了|含|包含)?(?:打)?(?:上)?[「“"']?(.{1,32}?)[」”"']?标签$/.exec(c) ?? /^标签\s*(?:为|是|=|:)?\s*[「“"']?(.{1,32}?)[」”"']?$/.exec(c);
    return has && has[1]!.trim() ? { tag: has[1]!.trim() } : undefined;
  },
  // 来源小程序 / 来自企微 / 门店注册 / 渠道为企业微信
  (c) => {
    const m = new RegExp(`^(?:(?:来源|来自|渠道|注册渠道|注册来源)(?:为|是|=)?\\s*(${SOURCE_WORDS})(?:注册)?(?:的)?|(${SOURCE_WORDS})(?:注册|来源)(?:的)?)(?:会员)?$`, 'i').exec(c);
    const key = m && (m[1] ?? m[2])!;
    return key ? { field: 'source_channel', op: 'eq', value: SOURCES[key] ?? SOURCES[key.toLowerCase()]! } : undefined;
  },
];

/**
 * Clauses that may hold spaces, 和 or 与 inside (an activity's name, "浏览过 X 至少 3 次 最近30天")
 * are taken out before the text is split on those, and stand in the text as a placeholder
 * (`\u0000<index>\u0000`) into one list of lifted nodes.
 */
interface Lifted {
  nodes: SegmentNode[];
  originals: string[];
}
const PLACEHOLDER = /^\u0000(\d+)\u0000$/;

/** Replaces each match of `re` that `build` makes a node of (from its numbered or named groups) by a placeholder. */
function lift(text: string, re: RegExp, lifted: Lifted, build: (groups: (string | undefined)[], named: Record<string, string | undefined>) => SegmentNode | undefined): string {
  return text.replace(re, (all: string, ...rest: unknown[]) => {
    const named = typeof rest[rest.length - 1] === 'object' ? (rest.pop() as Record<string, string | undefined>) : {};
    const node = build(rest.slice(0, -2) as (string | undefined)[], named);
    if (!node) return all;
    lifted.nodes.push(node);
    lifted.originals.push(all);
    return `\u0000${lifted.nodes.length - 1}\u0000`;
  });
}

/** "参加过 2026中秋品鉴会 活动", "最近90天参加过活动「X」", "没参加过X活动": staff-logged participation (interactions). */
const ACTIVITY = new RegExp(
  `(?:${RECENT}${N}\\s*${UNIT}(?:内|以来)?)?(没有?|未|从未|从没有?)?(?:参加|参与)(?:过|了)?\\s*(?:活动\\s*)?(?:[「“"'《]([^」”"'》]{1,64})[」”"'》]|([^\\s,，、;；「」“”"'《》]{1,64}?))(?:\\s*活动)?(?=$|[\\s,，、;；])`,
  'g',
);

function activityNode([n, unit, neg, quoted, bare]: (string | undefined)[]): ActivityCondition | undefined {
  const name = (quoted ?? bare ?? '').trim();
  const d = n && unit ? days(n, unit) : undefined;
  if (!name || (n && !d)) return undefined;
  return { activity: name, ...(d ? { days: d } : {}), ...(neg ? { joined: false } : {}) };
}

/** How the chat says each behaviour event (the mini-program's, reported through POST /events). */
const EVENT_VERBS: [EventCondition['event'], string][] = [
  ['product_viewed', '(?:浏览|查看)(?:过|了)?(?:商品|产品|菜品)?|看过(?:商品|产品|菜品)?'],
  ['activity_registered', '报名(?:过|了)?(?:活动)?'],
  ['activity_checked_in', '签到(?:过|了)?(?:活动)?'],
  ['form_submitted', '(?:提交|填写|填)(?:过|了)?(?:表单|问卷)'],
  ['group_joined', '(?:加入|进)(?:过|了)?(?:社群|群聊|群)'],
  ['staff_added', '(?:添加|加)(?:过|了)?(?:导购|企微|企业微信)(?:好友)?'],
  ['coupon_redeemed', '(?:核销|使用|用)(?:过|了)?(?:优惠券|券)'],
];
const WINDOW = `${RECENT}${N}\\s*${UNIT}(?:内|以内|以来)?`;
/** A ref never starts with a connective, a window or a count ("报名过活动 且 …", "报名过活动 最近30天"). */
const NOT_REF = `(?!(?:且|并且|而且|和|与|或者|或|以及|同时)(?=$|[\\s,，、;；])|${WINDOW}|至少|最少|不少于|超过|多于|大于|${N}\\s*次)`;
/**
 * "浏览过 D-001 至少 3 次 最近30天", "最近30天浏览过水煮鱼3次以上", "最近30天报名过活动",
 * "没签到过活动「A-7」": a behaviour event, optionally about one ref (product id …), at least N
 * times, in a window said before or after.
 */
const EVENT = new RegExp(
  `(?:(?<before>${WINDOW})\\s*)?(?<neg>没有?|未|从未|从没有?)?(?<verb>${EVENT_VERBS.map(([, v]) => `(?:${v})`).join('|')})` +
    `(?:\\s*${NOT_REF}(?:[「“"'《](?<quoted>[^」”"'》]{1,64})[」”"'》]|(?<bare>[^\\s,，、;；「」“”"'《》]{1,64}?))(?:\\s*(?:活动|商品|表单|问卷))?)?` +
    `(?:\\s*(?<word>至少|最少|不少于|超过|多于|大于|>=|≥|>)?(?<n>${N})次(?:及以上|以上)?)?` +
    `(?:\\s*(?<after>${WINDOW}))?(?=$|[\\s,，、;；])`,
  'g',
);
const VERB_RES = EVENT_VERBS.map(([type, v]) => [type, new RegExp(`^(?:${v})$`)] as const);

function windowDays(w: string | undefined): number | null | undefined {
  if (!w) return undefined;
  const m = new RegExp(`^${RECENT}${N}\\s*${UNIT}`).exec(w);
  return (m && days(m[1]!, m[2]!)) || null;
}

function eventNode(_: unknown, { before, neg, verb, quoted, bare, word, n, after }: Record<string, string | undefined>): SegmentNode | undefined {
  const type = VERB_RES.find(([, re]) => re.test(verb ?? ''))?.[0];
  const [d1, d2] = [windowDays(before), windowDays(after)];
  if (!type || d1 === null || d2 === null || (d1 !== undefined && d2 !== undefined)) return undefined;
  const ref = (quoted ?? bare)?.trim();
  let min: number | undefined;
  if (n !== undefined) {
    const v = num(n);
    if (v === undefined || !Number.isInteger(v) || v < 1) return undefined;
    // "超过3次" is at least 4; "3次" and "3次以上" at least 3, as the other count phrases read.
    min = word && /超过|多于|大于|^>$/.test(word) ? v + 1 : v;
  }
  const dd = d1 ?? d2;
  const node: EventCondition = { event: type, ...(ref ? { ref } : {}), ...(min !== undefined && min > 1 ? { min } : {}), ...(dd ? { days: dd } : {}) };
  return neg ? { not: node } : node;
}

const OR_SPLIT = /\s*(?:或者|或是|或|\bor\b|\|\|)\s*/i;
const AND_SPLIT = /\s*(?:并且|而且|同时|以及|且|并|和|与|[,，、;；]|\band\b|&&|&)\s*|\s+/i;
/** Words that may wrap a clause without changing it. */
const TRIM = /^(?:的|会员|用户|顾客|客户)+|(?:的|会员|用户|顾客|客户)+$/g;

/** Parses a condition phrase; `now` fixes relative months ("本月生日") at parse time. */
/**
 * A clause that is nothing but a tag of the dictionary ("家庭客", "是爱吃辣的", "不是老客"): staff name
 * a tag as they name a level, without the word 标签. Only the dictionary's names, whole, so an
 * unknown word is still reported as not understood.
 */
function dictionaryTag(clause: string, tags: readonly string[] | undefined): SegmentNode | undefined {
  if (!tags?.length) return undefined;
  const m = /^(不是|非|没有|不带|不)?(?:是|有|带|为)?(.+?)(?:的人|的会员|的客人|的客户|的|会员|客人|客户)?$/.exec(clause);
  const word = m?.[2]?.trim().toLowerCase();
  const name = word ? tags.find((t) => t.toLowerCase() === word) : undefined;
  if (!name) return m?.[1] ? undefined : tagsJoined(m?.[2] ?? '', tags);
  return m![1] ? { tag: name, has: false } : { tag: name };
}

/** "爱吃辣的老客", "VIP的家庭客": two tags of the dictionary joined by 的 — members holding both. */
function tagsJoined(words: string, tags: readonly string[]): SegmentNode | undefined {
  const parts = words.split('的').map((w) => w.trim().toLowerCase());
  if (parts.length !== 2) return undefined;
  const names = parts.map((w) => tags.find((t) => t.toLowerCase() === w));
  return names.every((n) => n !== undefined) ? { and: names.map((tag) => ({ tag: tag! })) } : undefined;
}

/**
 * A clause that is nothing but a store ("徐汇的", "上海徐汇店", "门店是西湖店", "在静安店的"): its members, by home store.
 * Only a store of the directory, whole clause, so "徐汇消费过" is still not understood.
 */
function storeClause(clause: string, stores: readonly StoreEntry[] | undefined): SegmentNode | undefined {
  if (!stores?.length) return undefined;
  const found = findStore(clause, stores);
  if (!found) return undefined;
  const rest = (clause.slice(0, found.span.start) + clause.slice(found.span.end)).replace(/^(?:门店|所属门店|归属门店)?(?:是|为|在|属于)?|(?:的人|的|门店)?$/g, '').trim();
  const store = stores.find((x) => x.name === found.value);
  return !rest && store ? { field: 'home_store', op: 'eq', value: store.id } : undefined;
}

export interface PhraseOptions {
  /** The tag dictionary's names: a clause naming one of them alone is that tag. */
  tags?: readonly string[];
  /** The store directory: a clause naming one store alone is its members (home store). */
  stores?: readonly StoreEntry[];
}

export function parsePhrase(text: string, now: Date, options: PhraseOptions = {}): PhraseResult {
  const unparsed: string[] = [];
  // Spaces around comparison signs and inside numbers ("等级 > 3") are not clause breaks.
  const compact = text
    .normalize('NFKC')
    .trim()
    .replace(/\s*([<>=≥≤]+)\s*/g, '$1')
    .replace(/\b(rfm)\s+/gi, '$1')
    // English condition words as the Chinese the clauses read ("tag 爱吃辣 and level >= 3", "level 3+"): a tag and a level
    // said in English are the same conditions.
    .replace(/(^|[\s,，、;；])(?:tag(?:ged)?|with (?:the )?tag|has (?:the )?tag)\s*(?:is|=|:)?\s+(?=\S)/gi, '$1标签 ')
    .replace(/\b(?:member )?(?:level|lvl|tier)\s*(?:is\s*)?(?=[<>=≥≤\d])/gi, '等级')
    .replace(/(\d)\s*\+(?=$|[\s,，、;；])/g, '$1以上')
    // "标签 爱吃辣" opening a clause: the word and the tag it introduces are one clause, as "标签为爱吃辣" is.
    .replace(/(^|[\s,，、;；])标签\s*(?:为|是|[:：=])?\s+(?=\S)/g, '$1标签')
    .replace(new RegExp(`(最近|近|过去|前|超过|大于|小于|等于|高于|低于|不少于|不低于|至少|不超过|多于|少于|为|是|等级|积分|成长值|消费|生日在?)\\s+(?=[\\d${CN_NUMERAL.slice(1, -1)}])`, 'g'), '$1')
    .replace(new RegExp(`([\\d${CN_NUMERAL.slice(1, -1)}])\\s+(?=[元块次级天日月周年个kKwW千万])`, 'g'), '$1');
  const kind = phraseKind(compact);
  const lifted: Lifted = { nodes: [], originals: [] };
  const rest = lift(lift(compact, EVENT, lifted, eventNode), ACTIVITY, lifted, activityNode);
  const restore = (s: string) => s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => lifted.originals[Number(i)]!);
  const ors = rest.split(OR_SPLIT).filter((s) => s.trim());
  const orNodes: SegmentNode[] = [];
  for (const part of ors) {
    const andNodes: SegmentNode[] = [];
    for (const raw of part.split(AND_SPLIT)) {
      const clause = raw.trim().replace(TRIM, '').trim();
      if (!clause) continue;
      if (KIND_CLAUSE.test(clause)) continue; // "静态" says how to keep the list, not who is in it
      const held = PLACEHOLDER.exec(clause);
      const node = held ? lifted.nodes[Number(held[1])] : (parseClause(clause, now) ?? dictionaryTag(clause, options.tags) ?? storeClause(clause, options.stores));
      if (node) andNodes.push(node);
      else unparsed.push(restore(raw.trim()));
    }
    if (andNodes.length) orNodes.push(andNodes.length === 1 ? andNodes[0]! : { and: andNodes });
  }
  const said = kind ? { kind } : {};
  if (unparsed.length || orNodes.length === 0) return { unparsed: unparsed.length ? unparsed : [text.trim()], ...said };
  return { tree: { version: 1, root: orNodes.length === 1 ? orNodes[0]! : { or: orNodes } }, unparsed: [], ...said };
}

function parseClause(clause: string, now: Date): SegmentNode | undefined {
  for (const parse of CLAUSES) {
    const node = parse(clause, now);
    if (node) return node;
  }
  // "不是女性" / "非VIP标签": a negated clause.
  const neg = /^(?:不是|非|不)(.+)$/.exec(clause);
  if (neg) {
    const inner = parseClause(neg[1]!, now);
    if (inner) return { not: inner };
  }
  return undefined;
}

/** A behaviour event as the chat says it ("浏览过「D-001」 至少3次"). */
const EVENT_TEXT: Record<EventCondition['event'], string> = {
  product_viewed: '浏览过商品',
  activity_registered: '报名过活动',
  activity_checked_in: '签到过活动',
  form_submitted: '提交过表单',
  group_joined: '加入过社群',
  staff_added: '添加过导购',
  coupon_redeemed: '核销过优惠券',
  custom: '发生过事件',
};

const OP_TEXT: Record<Op, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: '属于', between: '介于', contains: '包含', is_null: '为空' };
const VALUE_TEXT: Record<string, string> = { female: '女', male: '男', unknown: '未知', miniprogram: '小程序', wecom: '企业微信', store: '门店', active: '正常', frozen: '冻结', high: '高', medium: '中', low: '低', ...RFM_CELLS };

function valueText(v: Value | undefined, money = false): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => valueText(x, money)).join(money ? ' 至 ' : '、');
  if (money) return `¥${v}`;
  const rel = RELATIVE_DAYS.exec(String(v));
  if (rel) return `${rel[1]}天前`;
  return VALUE_TEXT[String(v)] ?? String(v);
}

/** A tree in words, for the chat preview ("最近90天消费次数 = 0 且 累计消费金额 > ¥2000.00"). */
export function describeTree(tree: SegmentTree): string {
  const go = (n: SegmentNode, top: boolean): string => {
    if ('and' in n) return wrap(n.and.map((c) => go(c, false)).join(' 且 '), top || n.and.length === 1);
    if ('or' in n) return wrap(n.or.map((c) => go(c, false)).join(' 或 '), top || n.or.length === 1);
    if ('not' in n) return `非（${go(n.not, true)}）`;
    if ('field' in n) return `${FIELDS[n.field].label} ${OP_TEXT[n.op]}${n.value === undefined ? '' : ` ${valueText(n.value)}`}`;
    if ('tag' in n) {
      const extra = [n.source ? `来源 ${([] as string[]).concat(n.source).join('/')}` : '', n.minConfidence !== undefined ? `置信度 ≥ ${n.minConfidence}` : ''].filter(Boolean).join('，');
      return `${n.has === false ? '没有' : '有'}「${n.tag}」标签${extra ? `（${extra}）` : ''}`;
    }
    if ('metric' in n) {
      const def = METRICS[n.metric];
      const window = n.days === undefined ? ('sinceLast' in def ? '' : '累计') : `最近${n.days}天`;
      return `${window}${def.label} ${OP_TEXT[n.op]} ${valueText(n.value, def.type === 'decimal')}`;
    }
    if ('activity' in n) return `${n.days === undefined ? '' : `最近${n.days}天`}${n.joined === false ? '没参加过' : '参加过'}「${n.activity}」活动`;
    if ('event' in n) return `${n.days === undefined ? '' : `最近${n.days}天`}${EVENT_TEXT[n.event]}${n.ref === undefined ? '' : `「${n.ref}」`}${n.min === undefined ? '' : ` 至少${n.min}次`}`;
    return `${SCORES[n.score]?.label ?? n.score} ${OP_TEXT[n.op]} ${valueText(n.value)}`;
  };
  const wrap = (s: string, bare: boolean) => (bare ? s : `（${s}）`);
  return go(tree.root, true);
}
