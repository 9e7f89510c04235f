import { hasActionWord } from './action-words.ts';
import { MEMBER_POINTER } from './member-pointer.ts';
import { bare, MEMBER_OBJECTS, METRIC_TAIL, METRIC_WORD, STORE_REPORTS, withoutMember, withoutPeriods, withoutStore } from './terse-readings.ts';

/**
 * Paired asks, a step of combined.ts: a message that is *nothing but* a list of two or three
 * object words of different reads — with at most one member reference, a store and a period —
 * asks for two things of equal weight ("王芳的订单和工单", "13800000001 orders and tickets",
 * "李娜 等级 积分", "流失名单和RFM", "召回效果跟流失名单"). Answering one of them drops the
 * other, so the bot asks which first (clarify, the options sorted by name). The rules ask too
 * when two triggers tie exactly, but a longer word wins their tie ("工单 互动记录" read as
 * interactions), and the model picks one of the two words.
 *
 * Whole-list only: every piece between the joiners must be an object word once filler is
 * stripped, so a sentence that merely mentions a second object ("看下王芳工单 客人说是因为上次
 * 订单有问题") is no list, and no write is ever among the options. The object words are the
 * terse readings' tables (one word, one read) and a few report words that name a read only in a
 * list ("召回效果", "今天待办").
 */

type SlotsOf = (label: string) => Promise<Record<string, unknown>>;

/** Member object words beside the terse tables' that appear in lists ("情况和订单", "投诉记录和工单", "是几级"). */
const MORE_MEMBER_OBJECTS: readonly (readonly [string, RegExp])[] = [
  ['member.summary', /^(?:情况|详细情况|基本情况|资料|全部资料|会员详情|会员档案|360视图)$/],
  ['member.interactions', /^(?:投诉记录|互动情况|沟通情况)$/],
  ['member.level', /^(?:几级会员|什么级|会员级别)$/],
  ['member.orders', /^(?:最近消费|消费情况|订单情况|买过什么|买了哪些|购买记录)$/],
  ['member.tickets', /^(?:工单情况|有没有工单|工单进展)$/],
];

/** Report words that name a read of no member only in a list (a bare "召回效果" is the router's to read). */
const LISTED_REPORTS: readonly (readonly [string, RegExp])[] = [
  ['churn.list', /^(?:流失会员|流失客户|流失预警名单|流失名单|流失预警|预警名单|churnlist|atriskmembers|atrisk)$/i],
  ['insights.health', /^(?:会员健康度|健康度看板|健康度)$/i],
  ['recall.status', /^(?:召回效果|召回情况|召回结果|召回数据|召回进度|recallresults|recallstatus)$/i],
  ['recall.list', /^(?:召回列表|召回活动|召回清单|recalls|recalllist)$/i],
  ['koc.stats', /^(?:koc排行|koc排名|koc榜|koc榜单|koc数据|kocs|topkocs|kocleaderboard)$/i],
  ['work.today', /^(?:今天待办|今日待办|待办|今天的待办|今天要回访的?|todo|todolist|todos)$/i],
];

/** The read one bare object word asks for ("工单" → member.tickets, "复购率" → insights.health, "rfm" → insights.rfm). */
export function objectWordIntent(word: string): string | undefined {
  for (const [intent, re] of [...MEMBER_OBJECTS, ...MORE_MEMBER_OBJECTS]) if (re.test(word)) return intent;
  if (METRIC_WORD.test(word.replace(METRIC_TAIL, ''))) return 'insights.health';
  for (const [intent, re] of [...STORE_REPORTS, ...LISTED_REPORTS]) if (re.test(word)) return intent;
  return undefined;
}

/** What joins the asks: Chinese and English conjunctions, list punctuation, spaces. 跟进 is a word (follow-up), not 跟 + 进. */
const JOINER = /还有|以及|外加|加上|同时|还是|或者|和|跟(?!进)|与|及|或|、|\/|\+|&|[,，;；]|\s+|\b(?:and|plus|also|as well as|or)\b/i;
/** English words around the objects ("show me M00000012's level and tickets", "tickets for M00000004"). */
const EN_FILLER = /\b(?:show|give|get|pull up|pull|check|see|view|me|the|his|her|their|for|of|on|please|pls|both)\b|'s\b/gi;
/** Store words that name the sender's own store ("本店流失预警"). */
const OWN_STORE = /本店|我们店|咱们店|店里|门店/g;
/** Filler at a piece's start: requests to look, 的, pointers, "recent", "is". */
const LEAD = /^(?:帮我|给我|麻烦|请|看一下|看下|看看|查一下|查下|查查|瞅瞅|拉一下|拉下|调出|查|看|都|的|最近的?|近期的?|是|有啥|有什么|有哪些|有没有)+/;
/** Filler at a piece's end: "都看下", "发我", "都给我", particles. */
const TAIL = /(?:都看下|都看看|都看一下|看一下|看下|看看|一起|拉一下|拉下|查一下|查下|瞅瞅|列一下|一下|都要|都给我|都发我|发我|给我|发一下|都|看|拉|查|的|呢|吗|吧|啊|呀)+$/;

/** Words that say "the details of" the object before them ("订单详情", "工单进度"): no second ask. */
const DETAIL = /^(?:详情|详细|明细|情况|记录|进度|进展|数据)$/;

const stripped = (piece: string) => bare(piece.replace(LEAD, '').replace(TAIL, '').replace(LEAD, ''));

/**
 * The reads one piece names: one object word, or two glued together with no joiner ("积分等级",
 * "订单工单") — never an object and its details ("订单详情" is the orders).
 */
function objectsOf(piece: string): string[] | undefined {
  const word = stripped(piece);
  if (!word) return undefined;
  const one = objectWordIntent(word);
  if (one) return [one];
  const chars = [...word];
  for (let i = 2; i <= chars.length - 2; i++) {
    const [a, b] = [chars.slice(0, i).join(''), chars.slice(i).join('')];
    if (DETAIL.test(b)) continue;
    const [x, y] = [objectWordIntent(a), objectWordIntent(b)];
    if (x && y && x !== y) return [x, y];
  }
  return undefined;
}

/**
 * An object word with its details and nothing else but a member ("王芳的订单详情", "李娜 工单进度"):
 * that object's read, where the rules tie its word with the summary's 详情. Null otherwise.
 */
export async function detailedObjectOf(text: string, slotsOf: SlotsOf, has: (intent: string) => boolean): Promise<string | null> {
  const noMember = withoutMember(text, await slotsOf('member.summary'));
  // Glued only: "订单 详情" / "订单和详情" may be two asks (pairedAsksOf).
  if (noMember === undefined || text.length > 40 || /(?:\s|[,，、/+&]|和|跟|还有)\s*(?:详情|详细|明细|进度|进展)[\s?？。.!！]*$/.test(noMember)) return null;
  const word = stripped(noMember.replace(/[\s?？。.!！~～:：]/g, ''));
  const detail = /的?(?:详情|详细|明细|进度|进展)$/.exec(word);
  const intent = detail ? objectWordIntent(word.slice(0, detail.index)) : undefined;
  return intent && intent !== 'member.summary' && has(intent) ? intent : null;
}

/**
 * The reads a list of asks names, sorted (2 or 3 of them), or null when the message is not such a
 * list. `slotsOf` gives each intent's slots as the rules extract them (the member reference, the store).
 */
export async function pairedAsksOf(text: string, slotsOf: SlotsOf, has: (intent: string) => boolean): Promise<string[] | null> {
  if (text.length > 60) return null;
  // A member's own records asked together are member-readings.ts' (joinedMemberReads, on the rules' triggers).
  if (has('my.points')) return null;
  const noMember = withoutMember(text, await slotsOf('member.summary'));
  let s = (noMember ?? text).replace(new RegExp(MEMBER_POINTER.source, 'gi'), ' ');
  // A member's objects are asks only about a member ("召回活动 history" is the recalls' history, not a member's).
  const aboutMember = noMember !== undefined || MEMBER_POINTER.test(text);
  const health = has('insights.health') ? await slotsOf('insights.health') : {};
  if (typeof health.store === 'string') s = withoutStore(s, health.store);
  s = withoutPeriods(s).rest.replace(OWN_STORE, ' ').replace(EN_FILLER, ' ');
  const pieces = s
    .split(new RegExp(JOINER.source, 'gi'))
    .map((p) => (p ?? '').replace(/[\s?？。.!！~～:：]/g, ''))
    .filter((p) => p.replace(LEAD, '').replace(TAIL, '') !== '');
  if (pieces.length < 1) return null;
  const intents = new Set<string>();
  for (const p of pieces) {
    const found = objectsOf(p);
    if (!found) return null;
    for (const intent of found) {
      if (!has(intent) || (intent.startsWith('member.') && !aboutMember)) return null;
      intents.add(intent);
    }
  }
  return intents.size >= 2 && intents.size <= 3 ? [...intents].sort() : null;
}

/** Words that join a second request to the first ("…再加200积分", "and add 100 points"). */
const JOINED = /再|还要|还有|并且|然后|顺便|同时|另外|\band\b|\balso\b|\bthen\b/i;

/**
 * Two writes asked in one message, each with its own object — a tag named for a tag write and an
 * amount for points ("周杰加VIP 再加200积分 生日", "tag him VIP and add 100 points"): which first is
 * asked, so neither runs on the strength of the other (the options sorted, as the question lists them).
 */
export async function pairedWritesOf(text: string, slotsOf: SlotsOf, has: (intent: string) => boolean): Promise<string[] | null> {
  if (!has('points.adjust') || !JOINED.test(text)) return null;
  if (typeof (await slotsOf('points.adjust')).delta !== 'number') return null;
  for (const tagWrite of ['tag.add', 'tag.remove']) {
    if (!has(tagWrite) || !hasActionWord(tagWrite, text)) continue;
    if (typeof (await slotsOf(tagWrite)).tag === 'string') return ['points.adjust', tagWrite].sort();
  }
  return null;
}
