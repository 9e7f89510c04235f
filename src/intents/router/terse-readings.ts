import { periodWords, TODAY } from '../parse/health-request.ts';
import { blank, findMemberNos, findPhones } from './extract.ts';
import { MEMBER_POINTER } from './member-pointer.ts';
import { pinyinAliases } from './stores.ts';

/**
 * Terse readings, a step of combined.ts after the combination: a message that is *nothing but*
 * a member reference (or 她 / his) and one object word ("13800000012 lv", "李娜 pts", "王芳 单", "她 dj"),
 * or a metric word with at most a period and a store ("客单 上周", "新客 上月", "复购 静安"), or a
 * store and a report word ("静安 rfm", "徐汇 流失"), is read as that object's read intent. Staff
 * type these fragments as shorthand; the model, trained on sentences, splits them between the
 * look-up (the identifier's weight) and whatever the object word resembles ("客单" → tickets).
 *
 * Only reads: a fragment with a sign, an amount or a verb ("王芳 +vip", "扣50") is not a terse
 * reading, and no table below names a write — writes keep the gate (issue 11: never act on a
 * guess). The tables are whole-fragment patterns of their own, not the router's keyword lists, so
 * they change no other message's reading. Session 16 tried object-word classes as classifier
 * features and lost dialogue turns through the bot (generic words like 多少 / 名单 / 今天 pulled
 * whole sentences); here a pattern fires only when the fragment is all there is.
 */

export interface TerseReading {
  intent: string;
}

export type SlotsOf = (label: string) => Promise<Record<string, unknown>>;

/** Member objects: what a member reference + this word alone asks for (also typed in full pinyin: gongdan, dengji …). */
export const MEMBER_OBJECTS: readonly (readonly [string, RegExp])[] = [
  // lv / lvl / dj (děng jí) / 几星: a level, not the whole look-up the identifier would give.
  ['member.level', /^(?:dengji|jibie|lv|lvl|lv几|l几|lv多少|level|tier|dj|哪级|哪个等级|几级会员|等级|级别|会员等级|级|几级|几星|啥等级|什么等级|什么级别|啥级别|啥卡|什么卡)$/i],
  // … or only a generic verb of looking, in front or behind ("帮我看看刘洋", "李娜 看下", "查一下 M00000007"): the look-up.
  ['member.lookup', /^(?:jifen|积分|积分余额|剩余积分|余分|分|积分多少|多少积分|多少分|分多少|剩多少分|还剩几分|jf|jf多少|pts|points?|(?:帮我|帮忙|麻烦|请|你|给我)?(?:看看|看下|看一下|查查|查下|查一下|瞅瞅|瞅一下|瞧瞧|找找|找一下|搜一下|搜下)(?:这个人|这位|这个会员)?)$/i],
  // dd = dìng dān.
  // Whether they ordered, asked ("有没有下过单", "下过单吗", "来过没"): the orders answer it.
  ['member.orders', /^(?:(?:有没有|有无)(?:下过?单|订过?单|来过|消费过|买过东西)|(?:下过?单|下了单|下单了|消费过)(?:吗|么|没有?)?|来过(?:吗|么|没有?)|dingdan|单|单子|订单|首单|第一单|上一单|最后一单|大单|最近单子|最近订单|最近买的|消费|消费记录|消费明细|流水|账单|小票|买了啥|买啥了|买了什么|买过|买过啥|dd|orders|purchases|bought)$/i],
  // gd = gōng dān.
  // Whether they complained, asked ("有没有投诉", "投诉过吗"): complaints are tickets (not the 投诉过 tag, which a tag word names).
  ['member.tickets', /^(?:(?:有没有|有无)(?:被)?投诉过?|投诉过?(?:吗|么|没有?)|投诉了|有投诉(?:吗|么|没有?)?|gongdan|工单|工单记录|工单进度|售后|售后单|报修单|gd|tix|opentix|tickets|opentickets)$/i],
  ['member.summary', /^(?:dangan|biaoqian|xiangqing|huaxiang|标签|啥标签|什么标签|有啥标签|tags|画像|档案|360|概况|全貌|详情|详细|profile|summary)$/i],
  ['member.interactions', /^(?:hudong|genjin|goutong|huifang|备注|来电|通话记录|电话记录|跟进|跟进记录|跟进情况|沟通|沟通记录|回访记录|来电记录|互动|互动记录|聊过啥|notes|history|interactions)$/i],
  ['koc.stats', /^(?:koc|带客|带了几个|拉新)$/i],
];

/** A metric by its short name ("客单", "新客", "gmv"), with at most a period, a store and "多少". */
export const METRIC_WORD =
  /^(?:业绩|营收|经营数据|经营情况|回头客|回头率|客单价?|客单|单均|kdj|复购率?|回购率?|留存率?|流失率|新客数?|新增会员|新增|新会员|活跃会员|活跃|沉睡会员|沉睡|gmv|营业额|销售额|aov|repeatrate|retention|churnrate)$/i;
// 新客 is also a tag: alone, "新客" may be the tag's members; with a period or a store it is the metric.
const NEEDS_SCOPE = /^新客数?$/;
export const METRIC_TAIL = /(?:的)?(?:比例|占比)?(?:是)?(?:多少|几个|几位|怎么样|咋样|如何)?$/;

/**
 * The churn list by its people and a count or a list word, with at most a store and a period
 * ("流失客户数量", "预警会员几个", "要流失的人有谁", "沉睡的有谁"): the list is what is counted. The
 * model reads "客户数量" as members.query's count, and 流失 beside the batch writes it was trained on.
 * A dormant count alone ("沉睡会员几个") is the dashboard's figure (METRIC_WORD), its list the churn list.
 */
const CHURN_PEOPLE =
  /^(?:(?:要|快|快要|将要?|已经?|有)?(?:流失|流失预警|预警)了?的?(?:会员|客户|客人|顾客|人|vip)?(?:名单|列表|清单)?的?(?:数量|人数|总数|总人数|数目|数)?(?:是|有|一共|总共|共)?(?:多少个?人?|几个人?|几位|几人|谁|哪些人?|哪几个)?|沉睡的?(?:会员|客户|客人|顾客|人)?(?:都|是|有)*(?:谁|哪些人?|哪几个|名单|列表))$/i;

/** A report of a store's members, by its word, when a store is named and nothing else. */
export const STORE_REPORTS: readonly (readonly [string, RegExp])[] = [
  ['churn.list', /^(?:流失|流失名单|流失预警|预警|预警名单|要流失的|churn|churnlist|atrisk)$/i],
  ['insights.rfm', /^(?:rfm|分层|价值分层|会员分层|rfm分层|rfm分布)$/i],
  ['insights.health', /^(?:健康度|健康|看板|dashboard|health)$/i],
];

const PARTICLES_END = /(?:呢|啊|呀|吧|哈|咧|呗|嘛|吗|哦|噢|捏)+$/;
const POLITE = /\b(?:pls|plz|please)\b/gi;
const NOISE = /[\s,，.。!！?？~～…、:：;；"'“”‘’()（）/／|｜→⇒➡>＞]|\p{Extended_Pictographic}|\u{FE0F}/gu;

/** Cut every case-insensitive occurrence of `part` out of `text`. */
const cut = (text: string, part: string): string => (part ? text.split(new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')).join(' ') : text);

/** What is left once spaces, punctuation, emoji, polite words and trailing particles are gone, and 的 at either edge (the tables are written without spaces: "open tix" → opentix). */
export function bare(text: string): string {
  let s = text.replace(POLITE, ' ').replace(NOISE, '');
  s = s.replace(PARTICLES_END, '').replace(/^的|的$/, '');
  return s.toLowerCase();
}

/** The fragment as the tables read it (write-readings.ts reads its sign tables the same way). */
export const bareFragment = (text: string): string => bare(text);

/**
 * `text` with a member reference cut out — the slots the router found, or a pointer at the member in
 * focus ("她 lv", "his pts": member-pointer.ts; the conversation gives the member) —; undefined when
 * it names none.
 */
export function withoutMember(text: string, slots: Record<string, unknown>): string | undefined {
  let s = text;
  let found = false;
  const pointer = new RegExp(MEMBER_POINTER.source, 'gi');
  if (pointer.test(s)) {
    s = s.replace(pointer, ' ');
    found = true;
  }
  // Identifiers as the router reads them (extract.ts), blanked where they stand.
  const ids = [...(typeof slots.phone === 'string' ? findPhones(s) : []), ...(typeof slots.memberNo === 'string' ? findMemberNos(s) : [])];
  if (ids.length > 0) {
    s = blank(s, ids.map((f) => f.span));
    found = true;
  }
  if (typeof slots.name === 'string' && slots.name.trim()) {
    const before = s;
    s = cut(s, slots.name.trim());
    found ||= s !== before;
  }
  return found ? s : undefined;
}

/** `text` with the store it names cut out (the table's name, a short form or its pinyin). */
export function withoutStore(text: string, store: string): string {
  const han = [...store];
  const parts = new Set<string>();
  // Every run of two or more characters of the name, longest first: 上海静安店, 静安店, 静安.
  for (let len = han.length; len >= 2; len--) for (let i = 0; i + len <= han.length; i++) parts.add(han.slice(i, i + len).join(''));
  const ordered = [...parts].flatMap((p) => [p, ...pinyinAliases(p)]).sort((a, b) => b.length - a.length);
  let s = text;
  for (const p of ordered) if (s.toLowerCase().includes(p.toLowerCase())) s = cut(s, p);
  return s;
}

/** `text` with its named periods cut out (上周, 本月, ytd …, and 今天 / today: the dashboard's rolling day). */
export function withoutPeriods(text: string): { rest: string; named: boolean } {
  const spans = periodWords(text);
  let s = text;
  for (const w of [...spans].reverse()) s = `${s.slice(0, w.start)} ${s.slice(w.end)}`;
  const today = TODAY.test(s);
  if (today) s = s.replace(new RegExp(TODAY.source, 'gi'), ' ');
  return { rest: s, named: spans.length > 0 || today };
}

/**
 * The read a terse fragment asks for, or null. `slotsOf` gives each intent's slots as the rules
 * extract them (the member reference, the store), so the fragment is measured against what the
 * router itself found.
 */
export async function terseReadingOf(text: string, slotsOf: SlotsOf, has: (intent: string) => boolean): Promise<TerseReading | null> {
  if (text.length > 40) return null;
  // A member reference (or a pointer at one) + one object word.
  for (const [intent, word] of MEMBER_OBJECTS) {
    if (!has(intent)) continue;
    const rest = withoutMember(text, await slotsOf(intent));
    if (rest !== undefined && word.test(bare(rest))) return { intent };
  }
  const health = has('insights.health') ? await slotsOf('insights.health') : {};
  const store = typeof health.store === 'string' ? health.store : undefined;
  const { rest: noPeriod, named } = withoutPeriods(text);
  const scoped = store ? withoutStore(noPeriod, store) : noPeriod;
  // A metric word with at most a period and a store.
  if (has('insights.health')) {
    const metric = bare(scoped).replace(METRIC_TAIL, '');
    if (METRIC_WORD.test(metric) && (!NEEDS_SCOPE.test(metric) || named || store)) return { intent: 'insights.health' };
  }
  // The churn list's people, counted or listed (no tag named: "流失风险客户数" may be the tag's members).
  if (has('churn.list') && CHURN_PEOPLE.test(bare(scoped)) && (!has('members.query') || (await slotsOf('members.query')).tag === undefined)) return { intent: 'churn.list' };
  // A store + a report word, nothing else.
  if (store && !named) {
    const word = bare(scoped);
    for (const [intent, re] of STORE_REPORTS) if (has(intent) && re.test(word)) return { intent };
  }
  return null;
}
