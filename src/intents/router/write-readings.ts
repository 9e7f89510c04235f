import { doneQuestion } from '../parse/done-question.ts';
import { withoutMembersQuestion } from '../parse/members-question.ts';
import { parseTicket, parseTicketUpdate, shortTicketRef, TICKET_NO } from '../parse/service-text.ts';
import { hasActionWord } from './action-words.ts';
import { bareFragment, withoutMember, type SlotsOf } from './terse-readings.ts';

/**
 * Write readings, a step of combined.ts beside the terse readings: writes as staff say them
 * without the catalogue's verbs, which the model (trained on 建工单 / 记录 / 加积分 sentences) reads
 * as the member's records — a complaint or a fault to be followed up ("王芳投诉菜里有头发 跟进一下",
 * "李娜 储值卡又坏了 报一下"), a call or a visit told as what happened ("刚跟13800000005通了电话 她想订包间",
 * "log: 陈静 called about parking"), a ticket by its short number and a new state ("3号工单解决了"), and
 * a terse points write with its sign but no figure ("周杰 +分", "M00000004 扣").
 *
 * Never act on a guess: each pattern needs the words of a request (a verb of handling, a priority, a
 * report of contact, a state, a sign), never fires on a question, and the write gate still reads the
 * mood below it (a negation declines, a question gets the records). What the reading cannot know it
 * asks: a ticket or a note with no content, a points write with no figure or reason, an unknown ticket.
 * Questions and views ("王芳投诉过几次", "李娜的报修单到哪一步了", "来电记录") are no writes here.
 */
export interface WriteReading {
  intent: string;
  /**
   * Likely but not asked for in words ("李娜的储值卡坏了": a fault told, nothing asked): when the router
   * would only read, ask between the write and its read instead (combined.ts) — never write on it.
   */
  ask?: boolean;
}

/** A request to act on a member's problem in staff's words (跟进一下, 处理下, 报一下, 挂个单, sort it out). */
const HANDLE_ZH =
  /跟进(?:一下|下)?(?!记录|情况|进度|得|了|过|中|的)|跟(?:一下|下)(?!记录)|(?:处理|解决)(?:一下|下)|(?:你|帮忙|麻烦|尽快|马上|赶紧|赶快|抓紧|紧急|加急|优先)(?:去|来)?(?:处理|解决|跟进|跟)(?![了过好完中])|报(?:一下|下|上去)(?![了过])|(?:提|挂|走|起|报)(?:个|一个|一张)?(?:单子?|工单|售后单?|流程)(?![了过吗])|(?:你|你们|帮忙|麻烦)(?:去)?看(?:一下|下|看)|报修(?![单的过了记])(?=\s*[^\s，,。？?]{2,})/;
const HANDLE_EN =
  /\b(?:refund|repair|fix|replace)\b.{0,3}\b(?:pls|please|plz)\b|\b(?:pls|please|plz)\s+(?:refund|repair|fix|replace)\b|\b(?:follow(?:[- ])?up(?!\s+(?:in|on)\b|\s*(?:list|history|records?|notes?|calls?)\b)|sort (?:it|this|that)(?: out)?|deal with (?:it|this|that)|look into (?:it|this|that)|take care of (?:it|this|that)|handle (?:it|this|that)|raise (?:it|this|that)|get (?:it|this|that) (?:fixed|sorted))\b/i;

/**
 * What went wrong, in the words a fault or a complaint is told with when no kind word is said ("卡刷不了",
 * "菜里有头发", "鱼不新鲜", "等了一个小时", "要个说法"): a problem to handle, its kind left unsaid (no type
 * slot: session 16's convention, a type only from a word that names one).
 */
const PROBLEM_CUES = /刷不了|用不了|不能用|无法使用|消磁|\b(?:not|stopped|isn'?t|doesn'?t|won'?t) work(?:ing)?\b|要(?:个|一个)?说法|不新鲜|变质|发霉|异物|头发|虫子?|蟑螂|沙子|苍蝇|太慢|态度(?:差|不好|恶劣)|等了(?:一|半|两|\d)|太咸|太辣|凉了|冷了|上错|漏上|少上|多收|收错|乱收|\b(?:hair|bug|cockroach|cold food|rude|overcharged|waited)\b/i;

/** A figure of points given or taken, said with its verb ("加500积分", "扣 200 分", "奖励300积分"), a reward's reason after it. */
const POINTS_FIGURE = /(?:加|扣|减|补|送|赠|奖励?)(?:给)?(?:他|她)?\s*\d{1,6}\s*(?:个)?(?:积分|分)(?!钟|数)[\s,，]*[^\s,，]*(?:奖励|奖|回馈|感谢|答谢)/;

/** A note asked for in words: with one, the message is interaction.log's (which opens a complaint's ticket itself). */
const LOG_WORDS = /记录|记一下|记下|记一笔|记上|记个|登记|备注|\b(?:log|note|record)\b/i;

/** The next contact planned in days ("7天后再跟进", "3天以后再打一次"): a note's follow-up, no request to handle a problem now. */
const NEXT_CONTACT = /(?:\d{1,3}|[一二三四五六七八九十两]{1,3})\s*天(?:后|之后|以后)再?(?:打|联系|回访|跟进|问)/;

/** Contact told as what happened: a call, a chat, a visit, and what the member did in it. */
const CONTACT_ZH = [
  /(?:跟|和|同|给)[^，,。；;]{1,14}?(?:通了|打了|回了|通过|打过)(?:个|一个|一通)?电话/,
  /(?:跟|和|同)[^，,。；;]{1,14}?(?:微信|电话|企微)?上?(?:聊了|聊过|沟通了|谈了|联系了)/,
  /(?:来电|打电话(?:过来|来)?|打来电话|来店|到店|进店|来过店|微信上?|电话(?:里|上)?)\s*(?:说|问|咨询|询问|投诉|表扬|夸|反映|反馈|抱怨|预订|预约|想|要订)/,
  /(?:刚|刚才|刚刚)(?:打了?|来了?)(?:个|一个)?电话/,
  // A follow-up call or visit reported done ("电话回访过了", "上门回访完了"), or the next one planned in days ("7天后再打一次").
  /(?:电话|微信|上门)?回访(?:过了|完了?|了)/,
  NEXT_CONTACT,
];
const CONTACT_EN = [
  // A member first, then what they did ("王芳 called, wants …", "13800000014 came in today"); or "spoke to …" first.
  /^\S+(?:\s\S+)?\s+(?:called|phoned|rang|came in|dropped by|visited)\b|^(?:spoke|talked|chatted) (?:to|with)\b/i,
  /\bjust (?:got off the phone with|spoke (?:to|with)|talked (?:to|with)|called|chatted with|met(?: with)?)\b/i,
  /\b(?:called|phoned|rang)(?: in| us)? (?:about|asking|to ask|to complain|complaining|to book|wanting)\b/i,
  /\b(?:came in|dropped (?:in|by)|visited)(?: today| this (?:morning|afternoon|evening)| earlier)? (?:asking|to ask|about|complaining|to complain)\b/i,
  /\b(?:messaged|wechatted|texted)(?: us)? (?:about|asking|to ask)\b/i,
];
/** A note's own lead ("log: …", "note for 王芳 - …", "interaction 王芳 wechat …"): what follows is the note. */
// Or the command itself opening the message with the kind of contact ("log a store visit for him today, …", "record a call with 王芳",
// tersely with no article: "log call M00000003 complaint").
const NOTE_LEAD = /^\s*(?:(?:log|note|record)(?:\s+(?:for|on)\s+\S+)?\s*[:：-]|interaction\s+(?!history|records?|logs?\b|list)\S|(?:pls\s+|please\s+)?(?:log|record)\s+(?:(?:an?|the|one)\s+)?(?:(?:store|shop|in-store|phone|wechat|follow-?up)\s+)?(?:visit|call|chat|complaint|interaction|contact)\b)/i;

/** The records named as a thing ("来电记录", "投诉历史", "history"): a read, whatever else is said. */
const RECORDS = /(?:记录|纪录|历史|明细)(?!\s*(?:一下|下来|下|上|一笔))|\b(?:history|records|interactions|notes)\b/i;

/** A question in words or marks (the member's own question told in a note is blanked first). */
// English question words only where a question starts: a note's content says "is" and "what" too.
const QUESTION = /[?？]|吗|么\s*$|呢\s*$|什么|啥|哪|几(?:个|次|条|位|张)|多少|怎么|怎样|有没有|是否|是不是|了没|没有\s*$|^\s*(?:what|how|did|does|do|is|are|was|were|has|have|any|should|whether|which|who|when|why)\b/i;

/** Only the request for a ticket, politely ("帮我建个单", "麻烦开个工单"): who and what are asked. */
const BARE_TICKET_REQUEST = /^(?:帮我|帮忙|麻烦|请|你)?\s*(?:给我|帮我)?\s*(?:新建|创建|开|建|提|起)(?:一个|一张|个|张)?(?:工单|单子?|服务单|售后单|报修单|投诉单)\s*(?:吧|呗|哈|一下)?\s*$/;

/** A fault told ("坏了", "漏水", "broken"), not the kind of ticket named. */
const FAULT = /坏了|坏掉|故障|失灵|漏水|不制冷|不制热|不亮|打不开|\bbroken\b/i;

/** Words of looking at something: a problem named beside them is what to look up ("看下李娜的报修单"). */
const VIEW = /看看|看下|看一下|瞅|查|调出|\b(?:show|view|check|see|list)\b/i;
/** The tickets or the tag named as things ("李娜的报修单", "售后单", "投诉过"): a read, never a ticket to ask about. */
const NAMES_TICKETS = /(?:报修|售后|投诉|退款|维修|服务)?(?:工)?单|投诉过|\btickets?\b/i;

/** Points said with their sign alone, after a member ("周杰 +分", "王芳 加分", "M00000004 扣"): how many is asked. */
const CLEARS_POINTS = /积分[^，,。；;？?]{0,6}清(?:掉|空|光|除|零)|清(?:掉|空|光|除|零)[^，,。；;？?]{0,6}积分/;
const HOLDS_BACK = /不|别|没|莫|甭|勿|先等|再说|以后|回头|万一|如果|要是|假如|\b(?:don'?t|not|never|no)\b/i;
const POINTS_SIGN = /^(?:[+＋]|加|补|送)(?:积)?分$|^(?:[-－]|扣|减)(?:积?分)?$/;

/**
 * A dictionary tag said beside a member with only its sign or one verb of putting it on or taking it
 * off, in either order ("陈静+VIP", "13800000012 -老客", "李娜 投诉过 撤", "陈静 vip取消", "陈静 tag vip"):
 * staff's shorthand for the write, as "+100" is for points. The whole fragment must be the member, the
 * tag and that word — a question, a negation, a second tag or anything else makes no reading, and a
 * verb in the past ("删了") may report rather than ask, so it is not one of these words. The word must
 * also be one action-words.ts counts as asking ("陈静 tag vip" may ask whether she has it: no reading).
 */
const TAG_ON = /^(?:[+＋]|加|加上|加个|打|打上|打个|贴|贴上|标|标上|挂上|tag|add|addtag|tagas)$/i;
const TAG_OFF = /^(?:[-－—]|去|去掉|去除|删|删掉|删除|撤|撤掉|撤销|撤下|取消|取消掉|摘|摘掉|撕|撕掉|撕下|拿掉|移除|下掉|untag|remove|drop|del|delete)$/i;
async function terseTagWrite(text: string, slotsOf: SlotsOf, has: (intent: string) => boolean): Promise<string | null> {
  for (const [intent, word] of [['tag.add', TAG_ON], ['tag.remove', TAG_OFF]] as const) {
    if (!has(intent) || !hasActionWord(intent, text)) continue;
    const slots = await slotsOf(intent);
    if (typeof slots.tag !== 'string') continue;
    const rest = withoutMember(text, slots);
    if (rest === undefined) continue;
    const tag = slots.tag.toLowerCase();
    const at = rest.toLowerCase().indexOf(tag);
    if (at < 0) continue;
    const left = `${rest.slice(0, at)} ${rest.slice(at + tag.length)}`;
    // The tag's own word may follow it ("陈静 vip标签 去掉" is the long form the rules read already).
    // A politeness or a 给 before it ("亲 摘掉 … 嘛", "麻烦给陈静 +VIP") asks no less.
    if (word.test(bareFragment(left).replace(/^标签|标签$/, '').replace(/^(?:亲|请|麻烦|帮我|帮忙|给)+/, ''))) return intent;
  }
  return null;
}

/**
 * "tag 陈静", "label 13800000007 pls": the English verb said first, then only the member — an order to tag them with the tag not said yet, which the bot asks for (哪个标签？);
 * the model reads "tag" beside a member as her tags. Verb first only: "陈静 tag" / "陈静 tags" may ask what she has, and
 * "tags for 陈静" is plural. A question or anything else after the member makes no reading.
 */
const TAG_VERB_FIRST = /^\s*(?:(?:pls|please|can you|could you)\s+)?(?:tag|label)\s+(?=\S)/i;
async function tagVerbOnMember(text: string, slotsOf: SlotsOf): Promise<boolean> {
  const lead = TAG_VERB_FIRST.exec(text);
  if (!lead) return false;
  const slots = await slotsOf('tag.add');
  if (typeof slots.tag === 'string') return false;
  const rest = withoutMember(text.slice(lead[0].length), slots);
  return rest !== undefined && bareFragment(rest).replace(/^(?:pls|please)$/i, '') === '';
}

/**
 * A member's dictionary tag and a verb of taking it off right after it, in a longer sentence ("把陈静身上那个
 * 流失风险摘掉 她回来了", "吴敏那个生日月的标签已经过了帮我删一下"): the model reads the member and the tag as her
 * profile. The verb must follow the tag closely (标签, 已经…了, 帮我 between at most) and count as asking
 * (action-words.ts); a past "删了" asks only after 把 ("把…撤了吧"), else it may report what was done.
 */
const OFF_VERB = String.raw`(?:帮我|帮忙|麻烦|给(?:她|他|ta)?|也|就|可以|能)?\s*(?:摘|撕|去|删|撤|拿|下|移除|取消)(?:掉|除|销|走|下来)?`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
async function tagTakenOff(text: string, slotsOf: SlotsOf): Promise<boolean> {
  if (!hasActionWord('tag.remove', text)) return false;
  const slots = await slotsOf('tag.remove');
  if (typeof slots.tag !== 'string' || withoutMember(text, slots) === undefined) return false;
  const after = new RegExp(`${escapeRe(slots.tag)}\\s*的?\\s*(?:标签)?\\s*(?:已经[^，,。；;\\s]{0,4}了\\s*)?${OFF_VERB}(了?)`, 'i').exec(text);
  if (!after) return false;
  return !after[1] || /把/.test(text.slice(0, after.index));
}

/**
 * A recall said tersely with its coupon's face value ("召回 20元券", "流失名单 召回 券50", "发召回 40",
 * "流失的发20券", "流失会员 券20"): the whole fragment is the list, the recall, the coupon and one figure — nothing else,
 * so no question, negation or report fits. A bare figure needs a verb of sending or a unit beside it
 * ("召回 3" may name recall 3). The launch is held for 确认 like any recall (never sent on this reading).
 */
const RECALL_FIGURE = /(?<![\d.])\d{1,4}(?:\.\d{1,2})?(?![\d.])/g;
// The churn list and a coupon named together say the recall without its word ("流失会员 券20", "流失的发20券"); the
// whole-fragment check below leaves nothing else in the message.
const RECALL_WORD = /召回|\brecall\b|(?:流失|沉睡)[^，,。；;]*券/i;
const RECALL_FRAGMENT = /流失名单|流失会员|流失客户|流失的|流失|沉睡会员|沉睡的|沉睡|召回券|召回|优惠券|代金券|券|一张|每人|每位|元|块钱|块|发|送|给|都|的|\b(?:recall|coupons?|churn(?:ed)?|list|send|each|with|an?|the|yuan|rmb)\b/gi;
const FIGURE_ASKED = /(?:发|送|券|元|块|\bsend\b|\bcoupons?\b|\byuan\b|\beach\b)/i;
function terseRecall(text: string): boolean {
  const figures = text.match(RECALL_FIGURE) ?? [];
  if (figures.length !== 1 || !RECALL_WORD.test(text) || !FIGURE_ASKED.test(text)) return false;
  return text.replace(RECALL_FIGURE, ' ').replace(RECALL_FRAGMENT, ' ').replace(/[\s,，.。:：;；~～!！、]+/g, '') === '';
}

/**
 * A ticket asked for in English by its own lead, then the member and what happened ("ticket for 陈静: soup
 * was cold", "log a ticket for zhou jie - overcharged", "raise a repair case 13800000004 card not working"):
 * one ticket or case (never "tickets", the records) opening the message, and content after the member.
 */
const TICKET_LEAD_EN =
  /^\s*(?:(?:pls|please|plz|kindly)\s+)?(?:(?:open|raise|file|log|create|make|start|submit|put in|add)\s+)?(?:(?:an?|new|one)\s+)?(?:(?:repair|complaint|after[- ]?sales?|refund|service|consultation|urgent|high[- ]priority)\s+)?(?:ticket|case)(?![\w-])\s*(?:(?:for|on|about)\s+)?/i;
/** Words that name the tickets' records or their state, not what happened. */
const TICKET_READ_WORDS = /\b(?:status|history|list|progress|number|no|id|details?|updates?|open|closed|pending)\b/i;
async function englishTicketLead(text: string, slotsOf: SlotsOf): Promise<boolean> {
  const lead = TICKET_LEAD_EN.exec(text);
  if (!lead || !/[A-Za-z]/.test(lead[0])) return false;
  const rest = withoutMember(text.slice(lead[0].length), await slotsOf('ticket.create'));
  if (rest === undefined) return false;
  const content = rest.replace(/[\s,，.。:：;；\-–—]+/g, ' ').trim();
  if (TICKET_READ_WORDS.test(content)) return false;
  const words = content.split(' ').filter((w) => /[A-Za-z]{2,}/.test(w)).length;
  // What happened: two words at least, two Chinese characters, a problem's own words, or one word set off by a colon or a dash.
  return words >= 2 || /\p{Script=Han}{2,}/u.test(content) || PROBLEM_CUES.test(content) || FAULT.test(content) || (words === 1 && /^\s*[:：\-–—]/.test(rest));
}

/**
 * A ticket said tersely by its kind, then what happened, after a member ("M00000006 售后工单 外卖少送一份",
 * "李娜 报修单 储值卡刷不了"): the kind word and 单 open the rest, the content follows — never the records'
 * words (进度, 记录, 几个 …), which ask to see them. A question never reaches here.
 */
const KIND_TICKET_LEAD = /^\s*(?:报修|售后|投诉|维修|退款|咨询)\s*(?:工单|单子?)\s*[:：,，\-–—]?\s*/;
const TICKET_RECORD_WORDS = /进度|状态|记录|历史|情况|详情|明细|列表|编号|结果|处理到|到哪|几个|几张|多少|有没有|都有|最近的?$|呢|吗/;
async function terseKindTicket(text: string, slotsOf: SlotsOf): Promise<boolean> {
  const rest = withoutMember(text, await slotsOf('ticket.create'));
  const lead = rest === undefined ? null : KIND_TICKET_LEAD.exec(rest);
  if (!rest || !lead) return false;
  const content = rest.slice(lead[0].length).trim();
  return (content.match(/\p{Script=Han}/gu) ?? []).length >= 3 && !TICKET_RECORD_WORDS.test(content);
}

/** A state, an escalation or a rating of a ticket: the update's own parser (service-text.ts) decides. */
function updatesTicket(text: string): boolean {
  const p = parseTicketUpdate(text);
  return p.action === 'status' || p.action === 'escalate' || p.action === 'rate';
}

const isQuestion = (text: string) => doneQuestion(text) !== null || QUESTION.test(withoutMembersQuestion(text));

/** The write a message asks for in staff's words (see above), or null. `slotsOf` gives the rules' slots of an intent. */
export async function writeReadingOf(text: string, slotsOf: SlotsOf, has: (intent: string) => boolean): Promise<WriteReading | null> {
  if (text.length > 160 || isQuestion(text)) return null;
  // A ticket by its short number, and what happened to it.
  if (has('ticket.update') && !TICKET_NO.test(text) && shortTicketRef(text) !== undefined && updatesTicket(text)) return { intent: 'ticket.update' };
  if (TICKET_NO.test(text)) return null;
  if (has('recall.launch') && terseRecall(text)) return { intent: 'recall.launch' };
  // A recall asked for one member by name ("recall 陈静", "把王芳召回一下"; recall-words.ts reads the recipient): the recall
  // asked for, not the list of recalls — the write gate then says a recall goes to a list (aimsAtOneMember).
  if (has('recall.launch') && (await slotsOf('recall.launch')).member !== undefined) return { intent: 'recall.launch' };
  const tagged = await terseTagWrite(text, slotsOf, has);
  if (tagged) return { intent: tagged };
  if (has('tag.add') && (await tagVerbOnMember(text, slotsOf))) return { intent: 'tag.add' };
  if (has('tag.remove') && (await tagTakenOff(text, slotsOf))) return { intent: 'tag.remove' };
  // A member's points cleared ("把王芳的积分清掉", "积分都清空吧"): a deduction, held for 确认 like any points write;
  // only when said as an order — a negation or a deferral before the verb asks nothing (a question never reaches here).
  if (has('points.adjust') && CLEARS_POINTS.test(text) && !HOLDS_BACK.test(text)) return { intent: 'points.adjust' };
  // A terse points write with no figure: the figure is asked for, nothing is written yet.
  if (has('points.adjust')) {
    const rest = withoutMember(text, await slotsOf('points.adjust'));
    if (rest !== undefined && POINTS_SIGN.test(bareFragment(rest))) return { intent: 'points.adjust' };
  }
  if (RECORDS.test(text)) return null;
  // Points given with their figure, the reason after it naming what they reward ("加500积分 年度KOC奖励", "加300分 拉新奖励"):
  // the write asked; the reward's words (KOC, 拉新, 推荐) are its reason, not a question about the KOC figures.
  if (has('points.adjust') && POINTS_FIGURE.test(text) && typeof (await slotsOf('points.adjust')).delta === 'number') return { intent: 'points.adjust' };
  if (has('ticket.create') && BARE_TICKET_REQUEST.test(text)) return { intent: 'ticket.create' };
  if (has('ticket.create') && hasActionWord('ticket.create', text) && (await terseKindTicket(text, slotsOf))) return { intent: 'ticket.create' };
  // A ticket by its English lead, the member and what happened ("log a ticket for …": a ticket, not a note).
  if (has('ticket.create') && hasActionWord('ticket.create', text) && (await englishTicketLead(text, slotsOf))) return { intent: 'ticket.create' };
  // A member's problem (a repair, a complaint, an after-sales case) and a request to handle it or its urgency.
  // 投诉过 is a tag of the dictionary: a tag's words, never a complaint to handle.
  const ticketable = has('ticket.create') && !LOG_WORDS.test(text) && !/投诉过|查|\b(?:show|list)\b/i.test(text);
  if (ticketable) {
    const t = parseTicket(text, []).stated;
    const problem = t.type === 'repair' || t.type === 'complaint' || t.type === 'after_sales' || PROBLEM_CUES.test(text);
    const urgent = t.priority === 'urgent' || t.priority === 'high';
    // "上门回访了李娜 她还是投诉菜太咸 7天后再跟进": the follow-up planned is the note's, not a request to handle it now.
    const handle = HANDLE_ZH.test(text.replace(NEXT_CONTACT, ' ')) || HANDLE_EN.test(text);
    if (problem && (urgent || handle)) return { intent: 'ticket.create' };
  }
  // Contact told as what happened, or a note's own lead.
  if (has('interaction.log') && (NOTE_LEAD.test(text) || CONTACT_ZH.some((re) => re.test(text)) || CONTACT_EN.some((re) => re.test(text)))) return { intent: 'interaction.log' };
  // A member's fault or complaint told and nothing asked ("李娜的储值卡坏了"): likely a ticket, so ask rather than read.
  // Told, not named: a kind word alone ("王芳 报修", "李娜的售后单") names the records.
  if (ticketable && text.length <= 40 && (FAULT.test(text) || PROBLEM_CUES.test(text)) && !VIEW.test(text) && !NAMES_TICKETS.test(text)) {
    const s = await slotsOf('ticket.create');
    if (s.phone !== undefined || s.memberNo !== undefined || s.name !== undefined) return { intent: 'ticket.create', ask: true };
  }
  return null;
}
