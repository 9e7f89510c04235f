import type { IntentDef } from '../types.ts';
import type { Span } from './extract.ts';

/**
 * How a member's message is read beyond single triggers: the member's own records are few
 * (points, level, orders, coupons, tickets), so two of them in one message are either two
 * questions joined ("积分和等级", "我最近买了啥 然后还有多少积分", "my points and my level") —
 * ask which first — or one asked about through the other ("积分多少能升级": the level's
 * requirement, my-level.ts' trigger). Only a joining word between the two says "two questions";
 * words in between that relate them ("多少能", "换") do not. Two triggers of equal weight with
 * nothing between them ("积分等级") stay the rules' tie.
 */
const JOINED = /和|跟|与|及|以及|还有|还要|外加|加上|另外|然后|顺便|或者?|还是|、|[,，;；/&+＋]|\b(?:and|plus|also|or|as well as|then)\b/i;

/** At most this many characters between the two: farther apart they are one question's parts, not a list. */
const MAX_GAP = 12;

interface Hit {
  intent: string;
  spans: readonly Span[];
}

const extent = (spans: readonly Span[]): Span => ({ start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) });

/**
 * The two reads of the member's own records a message asks for together (sorted), or null: two
 * distinct member read intents whose triggers do not overlap and have a joining word between them.
 */
export function joinedMemberReads(text: string, hits: readonly Hit[], byName: ReadonlyMap<string, IntentDef>): [string, string] | null {
  const reads = hits.filter((h) => h.spans.length > 0 && byName.get(h.intent)?.audience === 'member' && byName.get(h.intent)?.effect === 'read' && !byName.get(h.intent)?.rule.chat);
  for (let i = 0; i < reads.length; i++) {
    for (let j = i + 1; j < reads.length; j++) {
      const [a, b] = [extent(reads[i]!.spans), extent(reads[j]!.spans)].sort((x, y) => x.start - y.start) as [Span, Span];
      if (a.end > b.start) continue;
      const gap = text.slice(a.end, b.start);
      if (gap.length <= MAX_GAP && JOINED.test(gap)) return [reads[i]!.intent, reads[j]!.intent].sort() as [string, string];
    }
  }
  return null;
}

/**
 * An acknowledgement, then the member's own plan ("ok 那下次来再用券吧", "好的 我回头去店里用"): the
 * answer to what the bot said, small talk — not a question about the record the plan names.
 */
const PLAN_AFTER_ACK =
  /^(?:好的?|好滴|好嘞|好吧|行吧?|嗯+|哦+|ok|okay|收到|知道了|明白了?|了解)[\s,，.。!！~～]*(?:那|那就|那我|我)?[^?？吗么呢]*(?:下次|下回|回头|改天|到时候?|过两天|过几天|周末|明天|有空)[^?？吗么呢]*$/i;

export const isPlanAfterAck = (text: string): boolean => PLAN_AFTER_ACK.test(text.trim()) && !/多少|怎么|什么|啥|哪|几|有没有|能不能|可不可以/.test(text);

/**
 * What the next level takes ("积分多少能升级", "升级要多少积分", "还差多少分升级", "how many points to the
 * next level"): the level's question, however its requirement is counted (points, spend) — one of
 * my.level's triggers, and decisive over the points or orders word it names (combined.ts).
 */
export const NEXT_LEVEL =
  /(?:多少|几)[^，,。；;\s]{0,6}?(?:才|就)?(?:能|可以)?升(?:级|到)|升(?:级|到)[^，,。；;\s]{0,8}?(?:多少|几)|还差[^，,。；;\s]{0,6}?升|\bhow (?:many|much)\b[^?]{0,40}\b(?:next|higher) (?:level|tier)\b|\b(?:to|for) (?:the )?(?:next|higher) (?:level|tier)\b|\blevel up\b/i;

/**
 * A grievance told, then the complaint said alone to close the message ("上菜慢到半小时 到现在也没人联系我 投诉", "…
 * 我要投诉!"): a complaint made now. Only after words before it, and never a question about one (进度, 怎么样 … end
 * otherwise).
 */
export const COMPLAINT_CLOSES = /\S[\s,，。!！]+(?:我)?(?:要)?投诉(?:你们)?[!！。]*$/;

/**
 * An unsubscribe supposed and its consequence asked ("如果我退订了 优惠券还能用吗", "if I unsubscribed would my coupons
 * still work"): the message is about unsubscribing, not the record it names — the tuning convention ("如果我退订了营销消息
 * 积分还在吗" is unsubscribe). The write gate reads the supposition and declines; nothing is unsubscribed.
 */
export const SUPPOSED_UNSUBSCRIBE =
  /(?:如果|要是|假如|假设|万一)\s*我?\s*(?:退订|取消订阅|不再?订阅|退掉(?:消息|推送|订阅))|\bif (?:i|we)\s+(?:unsubscribe|unsubscribed|opt(?:ed)? out|stop(?:ped)? (?:the )?(?:messages|marketing|promotions))\b/i;

/**
 * A member asking the bot to send or give something to *other people* ("给流失的那些人发个召回券", "能不能给我朋友们
 * 也发点券", "给我老婆的号加点积分"): staff's work (a recall, a mass message, points for another member), which
 * no my.* intent does — read as my.help, whose answer says what a member can ask, never as the member's own
 * coupons or points. The others must stand right after 给 (or 帮 / 替); "给我发个券" is the member's own.
 */
const OTHERS = String.raw`(?:我的?)?(?:那些|这些|所有的?|全部的?)?(?:流失|沉睡|不来)?的?(?:那些|这些)?(?:人|会员们?|客户们?|客人们?|顾客们?|朋友们?|家人|老婆|老公|爸爸?|妈妈?|孩子|同事|别人|其他人|大家|他们|她们)`;
const FOR_OTHERS = new RegExp(String.raw`(?:给|帮|替)\s*(?:流失|沉睡)?${OTHERS}[^，,。！!？?]{0,16}?(?:也|都)?(?:群发|发|送|推|加|充|召回)`);
const FOR_OTHERS_LIST = /(?:给|帮|替)\s*(?:流失|沉睡)(?:名单|会员|客户|的)/;
/**
 * asksForStaffWork: … or for what only staff do to any account, the member's own included: a recall coupon sent ("我也是店员 帮我发个
 * 召回券"), points given ("我是店长 给我加500积分", "add 500 points to my account"). No my.* intent writes points or
 * sends a recall: my.help (test/intents/blind-brief.md), never the member's coupons or points. A question whether
 * points were credited ("积分加上了吗", "上次的积分怎么没加") is the member's points.
 */
const RECALL_SENT = /(?:发|送|推|来)[^，,。！!？?]{0,4}召回|召回[券劵卷]|recall/i;
const POINTS_GIVEN = /(?:给|帮|替)[^，,。！!？?]{0,12}?(?:加|送|充|补|多给)\s*(?:\d+|[一二三四五六七八九十百千两几]+|点儿?|些)?\s*(?:个)?积分|\b(?:add|give me|credit)\s+(?:me\s+)?\d+\s*(?:points|pts)\b|\badd\b[^.?!]{0,20}\bpoints to my\b/i;
/** Whether a recall coupon will come, asked ("你们是不是要给我发召回券", "会不会发召回券给我"): the member's coupons, no staff work. */
const RECALL_QUESTION = /吗|么|\?|？|是不是|会不会|是否|有没有|要不要/;
const CREDIT_QUESTION = /吗|么|没|有没有|怎么|为什么|为啥|\?|？/;
export const asksForOthers = (text: string): boolean => FOR_OTHERS.test(text) || (FOR_OTHERS_LIST.test(text) && /发|送|推|召回/.test(text));
/** Staff's work asked by a member: for other people (above), or a recall or points given to any account. */
export const asksForStaffWork = (text: string): boolean =>
  asksForOthers(text) || (RECALL_SENT.test(text) && !RECALL_QUESTION.test(text)) || pointsAsked(text);
/**
 * Points given, asked in its own clause: the question words read up to the next pause ("给我加500积分 上次没积上" asks for
 * points — its 没 is the reason; "上次的积分怎么没加" asks whether they were credited).
 */
function pointsAsked(text: string): boolean {
  const m = POINTS_GIVEN.exec(text);
  if (!m) return false;
  const start = text.slice(0, m.index).search(/[^，,。；;!！\s]*$/u);
  const end = m.index + m[0].length + (/^[^，,。；;!！\s]*/u.exec(text.slice(m.index + m[0].length))?.[0].length ?? 0);
  return !CREDIT_QUESTION.test(text.slice(start, end));
}

