import type { IntentDef } from '../types.ts';
import type { Candidate } from './combined.ts';
import { pointsAtMember } from './member-pointer.ts';

/**
 * What a message's named scope says about its reading, a step of combined.ts after the
 * combination:
 * - a count by a tag with no segment word ("爱吃辣的有多少人", "VIP的有几个") is an ad-hoc count
 *   (members.query with the tag), not a saved segment's count: segment.count needs a segment
 *   named as one (人群包 / 客群 / segment …), and "爱吃辣" is a tag of the dictionary;
 * - a store named with no member ("what about 上海静安店", "静安店呢") is no member's request:
 *   intents that need a member lose their weight to the store-wide ones, unless a pronoun points
 *   at the member in focus ("她在静安店的订单");
 * - a count of members over a period or against one ("本月会员数", "10月会员几个", "会员数 同比",
 *   "上月办卡几个") is the health dashboard's figure: members.query counts who is a member now,
 *   by tag, level and store, and has no period — its weight moves to insights.health when it
 *   names neither a tag nor a level (those are counts now: "本月VIP几个" stays the ad-hoc count);
 * - a member named beside churn words ("陈静 多久没来了", "陈静是不是流失了", "M00000007 lapsed?") asks
 *   about that member, not for the store's churn list: churn.list's weight moves to the member's
 *   orders or summary (whichever the message leaned to), unless it asks for a list or a count.
 */

/** Words that name a saved segment as one, or point at one. */
const SEGMENT_WORD = /人群包|人群|客群|圈人|包|segment|audience|cohort|\b(?:this|that|it)\b|这个|刚[才建]/i;

type SlotsOf = (label: string) => Promise<Record<string, unknown>>;

const moveTo = (q: readonly number[], from: readonly number[], to: number | undefined): number[] => {
  const out = [...q];
  for (const i of from) {
    if (to !== undefined) out[to]! += out[i]!;
    out[i] = 0;
  }
  const sum = out.reduce((a, b) => a + b, 0);
  return sum > 0 ? out.map((v) => v / sum) : [...q];
};

/** A tag count with no segment word: segment.count's weight moves to members.query when the rules found a tag. */
export async function asTagCountWithoutSegmentWord(text: string, candidates: readonly Candidate[], q: readonly number[], slotsOf: SlotsOf): Promise<number[]> {
  const count = candidates.findIndex((c) => c.label === 'segment.count');
  const query = candidates.findIndex((c) => c.label === 'members.query');
  if (count < 0 || query < 0 || !q[count] || SEGMENT_WORD.test(text)) return [...q];
  if (typeof (await slotsOf('members.query')).tag !== 'string') return [...q];
  return moveTo(q, [count], query);
}

/** A store named and no member: the member intents' weight goes to the others (renormalised). */
export async function withoutMemberIntentsForAStore(
  text: string,
  candidates: readonly Candidate[],
  q: readonly number[],
  slotsOf: SlotsOf,
  byName: ReadonlyMap<string, IntentDef>,
): Promise<number[]> {
  if (pointsAtMember(text)) return [...q];
  const needsMember = (label: string) => byName.get(label)?.rule.requires?.some((g) => g.includes('name') && g.includes('phone')) === true;
  const takesStore = (label: string) => byName.get(label)?.rule.extract?.store === 'store';
  const storeIntent = candidates.find((c) => takesStore(c.label));
  if (!storeIntent || typeof (await slotsOf(storeIntent.label)).store !== 'string') return [...q];
  const memberOnes: number[] = [];
  for (const [i, c] of candidates.entries()) {
    if (!needsMember(c.label) || !q[i]) continue;
    const s = await slotsOf(c.label);
    if (s.name === undefined && s.phone === undefined && s.memberNo === undefined) memberOnes.push(i);
  }
  return memberOnes.length ? moveTo(q, memberOnes, undefined) : [...q];
}

/** Comparing figures over time: only the dashboard has a previous period and last year. */
const OVER_TIME = /同比|环比|趋势|走势|增长|增幅|涨幅|变化|比上|跟上|和上|比去年|\b(?:yoy|mom|wow|trend|growth|vs\.?)\b/i;
/** Birthdays this month are a tag's members (生日月), not a period's figure. */
const BIRTHDAY = /生日|寿星|birthday/i;

/** A count of members with a period or a comparison and no tag or level: members.query's weight moves to insights.health. */
export async function asDashboardOverAPeriod(text: string, candidates: readonly Candidate[], q: readonly number[], slotsOf: SlotsOf): Promise<number[]> {
  const query = candidates.findIndex((c) => c.label === 'members.query');
  const health = candidates.findIndex((c) => c.label === 'insights.health');
  if (query < 0 || health < 0 || !q[query] || BIRTHDAY.test(text)) return [...q];
  const asked = await slotsOf('members.query');
  if (asked.tag !== undefined || asked.level !== undefined) return [...q];
  const figure = await slotsOf('insights.health');
  if (figure.period === undefined && figure.month === undefined && !OVER_TIME.test(text)) return [...q];
  return moveTo(q, [query], health);
}

/** Asking for the store's list or a number of people: then the member named is one of the list's filters, not the subject. */
const LIST_OR_COUNT = /名单|列表|清单|几个|几位|多少人|多少个|哪些|都有谁|有谁|\btop\s*\d|前\s*\d|前[一二三四五六七八九十]|\blist\b|\bhow many\b|\bwho\b/i;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
/**
 * Whether a "name" holds a dictionary word ("高风险", "高价值" — a surname character before a word):
 * the word segmenter leaves a given name's characters single ("陈|静", "张|伟|华"). Some real names
 * hold a word too ("王建国"): then the step does nothing, as before it.
 */
const holdsAWord = (name: string): boolean => [...segmenter.segment(name)].some((s) => [...s.segment].length >= 2);

/** Churn words: the step moves churn.list's weight only when the message says one (not its residue beside any read: "李娜那个"). */
const CHURN_WORDS = /流失|流走|没来|没再来|不来了|多久|好久|沉睡|睡着|预警|\b(?:lapsed|lapse|churn(?:ed|ing)?|at[- ]?risk|dormant|inactive)\b/i;

/** A member named with churn words and no list or count: churn.list's weight goes to that member's orders or summary. */
export async function asMemberReadWhenNamed(text: string, candidates: readonly Candidate[], q: readonly number[], slotsOf: SlotsOf): Promise<number[]> {
  const churn = candidates.findIndex((c) => c.label === 'churn.list');
  const orders = candidates.findIndex((c) => c.label === 'member.orders');
  const summary = candidates.findIndex((c) => c.label === 'member.summary');
  if (churn < 0 || orders < 0 || summary < 0 || !q[churn] || !CHURN_WORDS.test(text) || LIST_OR_COUNT.test(text)) return [...q];
  const member = await slotsOf('member.summary');
  const named = typeof member.name === 'string' && !holdsAWord(member.name);
  if (!named && member.phone === undefined && member.memberNo === undefined) return [...q];
  return moveTo(q, [churn], q[orders]! > q[summary]! ? orders : summary);
}
