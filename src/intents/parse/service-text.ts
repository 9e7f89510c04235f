/**
 * Parsers of the free text in service intents (interaction.log, ticket.create, ticket.update,
 * points.adjust). The rule router hands these intents the whole message (extractor 'text') plus
 * the member reference; what the staff member said about the member is read here. Pure
 * functions, NFKC input. An LLM router fills the structured slots directly instead.
 */
import type { InteractionChannel, InteractionType, TicketPriority, TicketStatus, TicketType } from '../../crm/service/index.ts';
import { CN_NUMERAL, parseNumber } from '../router/numbers.ts';
import { correctionAt } from './self-correction.ts';

type Rule<T> = [RegExp, T];
const first = <T>(text: string, rules: Rule<T>[]): { value: T; match: string } | undefined => {
  for (const [re, value] of rules) {
    const m = re.exec(text);
    if (m) return { value, match: m[0] };
  }
  return undefined;
};
/** The rule whose words come first in the text ("微信聊了 … 周五回访" is a chat; "咨询会员日活动" a consultation about an activity). */
const earliest = <T>(text: string, rules: Rule<T>[]): { value: T; match: string } | undefined => {
  let best: { value: T; match: string; at: number } | undefined;
  for (const [re, value] of rules) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.at)) best = { value, match: m[0], at: m.index };
  }
  return best && { value: best.value, match: best.match };
};

const CHANNELS: Rule<InteractionChannel>[] = [
  [/来电|电话|致电|打电话|\bcall(?:ed)?\b|\bphone(?:d| call)\b|\bphone (?:complaint|enquiry|inquiry|consultation|question|booking)\b|\bover the phone\b|\b(?:by|on|off) the phone\b|\bby phone\b|\brang\b/i, 'call'],
  // A visit to the store is the member coming in ("a store visit", "visited the store"), not staff calling on them.
  [/回访|上门|拜访|\bvisit(?:ed)?\b(?!\s+(?:to\s+)?(?:the\s+|our\s+)?(?:store|restaurant|shop)\b)/i, 'visit'],
  [/微信|企微|\bwechat\b/i, 'wechat'],
  [/线上|小程序|在线|网上|\bonline\b/i, 'online'],
  [/到店|来店|进店|门店|店内|店里|\b(?:store|in-store|restaurant|shop) visit\b|\bvisit(?:ed)?\s+(?:to\s+)?(?:the\s+|our\s+)?(?:store|restaurant|shop)\b|\bin store\b|\bin-store\b|\bwalk-?in\b|\bcame in\b|\bcame (?:in)?to the (?:store|restaurant)\b|\bdropped (?:in|by)\b/i, 'store'],
];
/**
 * 问 with the member as its object ("给陈静打了个电话问她为什么不来了", "问问他满不满意"): staff asked the member, which
 * is no consultation of the member's (a consultation is the member asking: "来电问包间"). Not "问她的积分" — her own record
 * asked about reads as the member's question.
 */
const ASKED_THEM = '(?:一下|下|问|了)?(?:她|他|TA|ta|对方|人家)(?!的|自己)';
const TYPES: Rule<InteractionType>[] = [
  [/投诉|抱怨|(?<!满)不满|\bcomplain(?:ed|t|s)?\b/i, 'complaint'],
  [/表扬|称赞|夸奖|夸赞|(?<!浮)夸(?!张)|好评|\bpraise[sd]?\b|\bpraising\b|\bcompliment(?:ed|ing)?\b/i, 'praise'],
  [/KOC|推广|种草|带客|\bpromot(?:ed|ion)\b/i, 'koc_promotion'],
  [/参加|参与|活动|\bactivity\b|\bevent\b|\bjoined\b/i, 'activity'],
  [new RegExp(String.raw`咨询|询问(?!${ASKED_THEM})|问了(?!${ASKED_THEM})|\bask(?:ed|ing|s)?\b(?!\s+(?:her|him|them)\b)|\b(?:in|en)quir(?:y|ies|ed|ing)\b|\bconsult(?:ation|ed)?\b`, 'i'), 'consultation'],
];
/**
 * What was said rather than what kind it was ("来电问停车", "说周六要订包间"): the type when no type
 * word is used, and — unlike a type word — kept in the content, which it is. Not complaints: a
 * complaint opens a ticket, so only a word that says so (投诉, 不满) makes one ("菜太咸了" is logged as said).
 */
const TYPE_CUES: Rule<InteractionType>[] = [
  [new RegExp(String.raw`(?<![学疑])问(?!题|${ASKED_THEM})|打听|预订|预约|[想要]订|订(?=包间|包厢|位子|座位|桌|台|房)|\bbook(?:ed|ing)?\s+(?:a\s+|the\s+)?(?:table|room|private room|seat)|\breserv(?:e|ed|ing|ation)\b|\b(?:called|phoned|rang|came in|messaged|wechatted)(?: in| us)? about\b`, 'i'), 'consultation'],
];
const TICKET_TYPES: Rule<TicketType>[] = [
  // Something that does not work is a repair, as the brief's own 储值卡无法使用 is: "卡又刷不了", "扫不出来", "用不了", "没反应".
  // So is a fitting of the room that does not do its job ("包间暖气不热", "空调不制冷", "灯不亮").
  [/(?:暖气|空调|热水器?|灯|马桶|水龙头|冰箱|电视|投影仪?|音响|话筒|麦克风|wifi|网络?|插座|门锁|排风|抽风机?)[^，,。；;\s]{0,3}不(?:热|暖|凉|冷|制冷|制热|亮|通|转|响|出水|出热水|工作|好使|灵)|维修|报修|坏了|坏掉|故障|失灵|漏水|不制冷|不制热|不亮了?|打不开|(?:刷|扫|用|付|支付|充值?|登录?|连|读)不(?:了|上|出来?|进去)|无法使用|不能用|没有?反应|\brepair\b|\bbroken\b|\b(?:doesn[’']?t|does not|won[’']?t|not) work(?:ing)?\b/i, 'repair'],
  [/投诉|\bcomplain(?:t|ts|ed|ing)?\b/i, 'complaint'],
  [/售后|退款|退货|换货|少送|漏送|\bafter[- ]sales\b|\brefund\b|\breturn\b/i, 'after_sales'],
  [/咨询|\bconsultation\b|\bquestion\b/i, 'consultation'],
];
const PRIORITIES: Rule<TicketPriority>[] = [
  [/特急|紧急|十万火急|优先级(?:为|是|[:：])?\s*(?:最高|紧急)|\burgent\b/i, 'urgent'],
  // "优先级高" as staff type it after the complaint, as well as 高优先级.
  // Staff slang too: "搞优先", "弄个优先", "优先一下", "急一点", "prioritize it".
  [/加急|高优先级?|优先级(?:为|是|[:：])?\s*高|优先处理|(?:搞|弄|设|标|调|提)(?:个|成|为)?\s*优先(?!级\s*(?:为|是|[:：])?\s*(?:低|普通|一般))|优先(?:一下|一点|点|些)|急(?:一点|点儿?)|\bhigh(?: priority)?\b|\bprioriti[sz]e\b/i, 'high'],
  [/低优先级?|优先级(?:为|是|[:：])?\s*低|不急|\blow(?: priority)?\b/i, 'low'],
  // Terse lines give the priority as a word of its own ("13800000012 建工单 咨询 低"): 高 / 低 alone between spaces.
  [/(?:^|\s)高(?=\s|$)/, 'high'],
  [/(?:^|\s)低(?=\s|$)/, 'low'],
];

/** Words that carry no content once the member, channel and type are known. */
const NOISE = [
  /记录一下|记录一条|记录|登记一下|登记|记一下|记下来|记一笔|记一条|记一个|记条|记个|记上|记下|帮我|麻烦|请|一下|会员|客户|顾客|的|说|反映|反馈/g,
  /\b(?:log|record|note|an?|the|for|from|to|with|about|that|customer|member|interaction|said|says)\b/gi,
];
/** A placeholder for what is still to be said ("log something for 李娜", "给周杰记点东西"): when it is all, nothing was said. */
const PLACEHOLDER = /\b(?:something|sth|smth|anything|stuff)\b|(?:记|写|添)?(?:点|些|个)(?:东西|什么)/gi;

function strip(text: string, remove: (string | undefined)[]): string {
  let t = text;
  for (const r of remove) if (r) t = t.split(r).join(' ');
  for (const re of NOISE) t = t.replace(re, ' ');
  return t
    .replace(/(^|\s)[,，:：;；、-]+(?=\s|$)/g, ' ')
    .replace(/^[\s,，:：;；。.、-]+|[\s,，:：;；。.、-]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "3天后回访", "明天跟进", "follow up in 2 days" → days from now. */
function followUpDays(text: string): { days: number; match: string } | undefined {
  // "两天后再跟她联系一下": whom to contact may stand before the verb.
  const m =
    new RegExp(`(\\d+|${CN_NUMERAL}+)\\s*天(?:后|之后|内)?(?:再)?(?:(?:跟|和|给)(?:她|他|TA|ta|客人|客户|对方))?(?:回访|跟进|回电|联系|打电话)`).exec(text) ??
    // After the days, the follow-up said shorter or in English: "7天后再跟", "3天后再打", "7天后 follow up".
    // "5天后再确认", "3天后提醒回访", "5天后回" (回 to call back — never 回来/回去, her own coming back).
    new RegExp(`(\\d+|${CN_NUMERAL}+)\\s*天(?:后|之后|以后)\\s*(?:再(?:跟|打|问|约|确认)|提醒(?:我|一下)?\\s*(?:再)?(?:回访|跟进|回电|联系|打电话|确认|跟|打|问)|确认|回(?![来去家头])|follow[- ]?up\\b|call\\b)`, 'i').exec(text) ??
    /\b(?:follow[- ]?up|call (?:her |him |them )?back|check in)\s+(?:again\s+)?(?:in|after)\s+(\d+)\s*days?\b|\b(?:follow[- ]?up|call (?:her |him |them )?back)\s+(\d+)\s*days?\s+later\b|\bin\s+(\d+)\s*days?,?\s+follow[- ]?up\b/i.exec(text);
  const days = m?.slice(1).find((g) => g !== undefined);
  if (m && days) {
    const n = parseNumber(days);
    if (n !== undefined && n > 0) return { days: n, match: m[0] };
  }
  // Weeks said the same ways ("一周后再跟", "两个星期后回访", "follow up in 2 weeks"): seven days each.
  const w =
    new RegExp(`(\\d+|${CN_NUMERAL}+)\\s*个?\\s*(?:周|星期|礼拜)(?:后|之后|以后)\\s*(?:再)?(?:(?:跟|和|给)(?:她|他|TA|ta|客人|客户|对方))?(?:回访|跟进|回电|联系|打电话|跟|打|问|约|follow[- ]?up\\b|call\\b)`, 'i').exec(text) ??
    /\b(?:follow[- ]?up|call (?:her |him |them )?back|check in)\s+(?:again\s+)?(?:in|after)\s+(\d+|a|one|two)\s*weeks?\b/i.exec(text);
  const weeks = w?.[1] && (/^(?:a|one)$/i.test(w[1]) ? 1 : /^two$/i.test(w[1]) ? 2 : parseNumber(w[1]));
  if (w && weeks && weeks > 0) return { days: weeks * 7, match: w[0] };
  // "明天再跟进", "明天再回访一下", "后天回访": 再 between the day and the verb too (the N-days form above allows it).
  const t = /(大后天|后天|明天)(?:再)?(?:回访|跟进|回电|联系)|follow[- ]?up tomorrow/i.exec(text);
  return t ? { days: t[1] === '大后天' ? 3 : t[1] === '后天' ? 2 : 1, match: t[0] } : undefined;
}

export interface ParsedInteraction {
  type: InteractionType;
  channel: InteractionChannel;
  content: string;
  /** The content as said, empty when the message is only the request ("给王芳记一条"): what the bot's gate reads. */
  said: string;
  followUpDays?: number;
  /** The follow-up as said ("7天后再跟"): part of what the note says, though it is kept as followUpDays, not content. */
  followUpSaid?: string;
  /** What the message itself states (no defaults): the slots the router reports. */
  stated: { type?: InteractionType; channel?: InteractionChannel; followUpDays?: number };
}

/**
 * "记录 13800000001 来电投诉上菜慢" → complaint by call, content 上菜慢. `refs` are the member
 * identifiers the router found (removed from the content).
 */
export function parseInteraction(text: string, refs: (string | undefined)[]): ParsedInteraction {
  // The follow-up phrase first: its 回访 is a plan, not the channel of this interaction.
  const fu = followUpDays(text);
  // A follow-up planned for a day the message names ("周五回访", "下周再跟进"): a plan too, never the channel.
  // So is the member's own visit to come ("她说周末到店", "明天来店"): when she will come, not how she was in touch.
  const planned = /(?:(?:下个?)?(?:周|星期|礼拜)[一二三四五六日天1-7]|下周|下礼拜|月底|周末)\s*(?:之?前|以前)?\s*(?:再)?(?:回访|跟进|回电|联系)|(?:(?:下个?)?(?:周|星期|礼拜)[一二三四五六日天1-7]|下周|下礼拜|月底|周末|明天|后天|改天)\s*(?:再|会)?(?:到店|来店)/.exec(text);
  const rest = fu ? text.split(fu.match).join(' ') : text;
  // Kept in the content (no follow-up date is set from a weekday), but not read for the channel.
  const scan = planned ? rest.split(planned[0]).join(' ') : rest;
  // The first channel said is the contact's; a complaint is one whatever else is said (it opens a ticket), the other kinds by the first word.
  const channel = earliest(scan, CHANNELS);
  const complaint = first(scan, TYPES.slice(0, 1));
  const type = complaint ?? earliest(scan, TYPES.slice(1));
  const cue = type ? undefined : first(scan, TYPE_CUES);
  // The preposition that led to the member is left alone once the member is cut out ("给 记一条").
  // The request's own English verb at the head ("add a note for 周杰", "write down for …") is no content either.
  const content = strip(rest, [...refs, channel?.match, type?.match]).replace(/^(?:给|为|帮|替|跟)(?:\s|$)/, '').replace(/^(?:(?:please|pls|can you|could you)\s+)?(?:add|write(?:\s+down)?|put(?:\s+down)?|jot(?:\s+down)?|make|keep)\b\s*/i, '').trim();
  return {
    type: type?.value ?? cue?.value ?? 'consultation',
    channel: channel?.value ?? 'store',
    content: content || text,
    said: content.replace(PLACEHOLDER, ' ').trim() ? content : '',
    ...(fu ? { followUpDays: fu.days, followUpSaid: fu.match } : {}),
    stated: { type: type?.value ?? cue?.value, channel: channel?.value, followUpDays: fu?.days },
  };
}

export interface ParsedTicket {
  type: TicketType;
  priority: TicketPriority;
  title: string;
  /** What the message itself states (no defaults): the slots the router reports. */
  stated: { type?: TicketType; priority?: TicketPriority };
}

const TICKET_WORDS = /(?:新建|创建|开|建|提交|提|起)(?:一个|一张|个|张)?(?:工单|服务单|售后单|维修单|报修单)|(?:开|起|建)(?:一个|一张|个|张)?单|工单|售后单|报修|\b(?:create|open|new|file|raise)\s+(?:an?\s+)?ticket\b|\bticket\b/gi;

/**
 * The kind a message gives the ticket itself ("售后单", "投诉工单", "an after-sales ticket"): it
 * outranks what the content suggests ("开个售后单 礼盒坏了" is after-sales, not a repair for 坏了).
 */
const TICKET_KIND: Rule<TicketType>[] = [
  [/(?:维修|报修)(?:工|服务)?单|\brepair\s+(?:ticket|case|request)\b/i, 'repair'],
  [/投诉(?:工|服务)?单|\bcomplaint\s+(?:ticket|case)\b/i, 'complaint'],
  [/售后(?:工|服务)?单|退款(?:工)?单|\b(?:after[- ]?sales?|refund|return)\s+(?:ticket|case)\b/i, 'after_sales'],
  [/咨询(?:工|服务)?单|\b(?:consultation|enquiry|inquiry)\s+(?:ticket|case)\b/i, 'consultation'],
];
// 售后 covers repairs too ("建个售后单 空调坏了" is a repair): it is after-sales over a fault only when
// the fault is in goods the member bought or received ("买的礼盒坏了", "收到的餐具坏了", "arrived broken").
const GOODS = /买的|购买的|收到的?|寄来的?|送来的?|到货|快递|外卖|礼盒|包装|\b(?:arrived|delivered|bought|ordered|received)\b/i;
function ticketKind(text: string): { value: TicketType; match: string } | undefined {
  let best: { value: TicketType; match: string; at: number } | undefined;
  for (const [re, value] of TICKET_KIND) {
    if (value === 'after_sales' && TICKET_TYPES[0]![0].test(text) && !GOODS.test(text)) continue;
    const m = re.exec(text);
    if (m && (!best || m.index < best.at)) best = { value, match: m[0], at: m.index };
  }
  return best && { value: best.value, match: best.match };
}

/** "给 13800000001 建工单 包间空调坏了 紧急" → repair, urgent, title 包间空调坏了. */
export function parseTicket(text: string, refs: (string | undefined)[]): ParsedTicket {
  const type = ticketKind(text) ?? first(text, TICKET_TYPES);
  const priority = first(text, PRIORITIES);
  const rest = priority ? text.split(priority.match).join(' ') : text;
  const title = strip(rest.replace(TICKET_WORDS, ' ').replace(/\bpriority\b|优先级/gi, ' '), refs).replace(/^[给为帮]\s*/, '');
  return { type: type?.value ?? 'consultation', priority: priority?.value ?? 'normal', title: title || '服务请求', stated: { type: type?.value, priority: priority?.value } };
}

export const TICKET_NO = /(?<![A-Za-z0-9])T\d{14,}(?!\d)/i;

/**
 * A ticket by its short number ("3号工单", "工单2", "单子 12", "ticket 1", "#7"): the number its
 * ticket number ends in, which is the ticket's id (T + date + id, tickets/create.ts), so the CRM
 * finds it by that id within the sender's scope. Not a count ("5个工单", "前3单") nor a date ("3号的单").
 */
const SHORT_TICKET = /(?<![A-Za-z\d.])(\d{1,6})\s*号\s*(?:工单|单子|单)(?!号)|(?<![A-Za-z\d.])(\d{1,6})\s*(?:工单|单子)(?!号)|(?:工单|单子|\bticket|\bcase)\s*(?:#|no\.?|号|编号)?\s*(\d{1,6})(?![\d.])|(?:^|\s)#(\d{1,6})(?![\d.])/i;
export function shortTicketRef(text: string): number | undefined {
  const m = SHORT_TICKET.exec(text.replace(TICKET_NO, ' '));
  const n = m ? Number(m[1] ?? m[2] ?? m[3] ?? m[4]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export interface ParsedTicketUpdate {
  ticketNo?: string;
  action?: 'status' | 'escalate' | 'rate' | 'assign';
  /** The staff member's name (or WeCom userid) to assign to. */
  assignee?: string;
  status?: TicketStatus;
  satisfaction?: number;
  note?: string;
}

const STATUS_WORDS: Rule<TicketStatus>[] = [
  // 关 as the verb itself, before the ticket's number or at a clause's end ("要关T2026…", "能关吗", "先别关 客户还没确认"):
  // closing is what is asked, refused or weighed (the gate reads which, src/bot/understand/mood.ts); 没关 / 未关 say its state.
  [/已关闭|关闭|关单|结单|(?<!没|未|别|不)关(?:了|掉)(?!吗)|(?<![没未开相机有海公过])关(?=\s*T\d|吗|么|\s*[，,。；;!！?？]|\s|$)|\bclose[sd]?\b/i, 'closed'],
  [/已解决|解决了|处理好了|处理完了?|已处理|修好了|修完了|已修复|修复了|弄好了|弄完了|搞好了|搞完了|搞定了?|办好了|\bresolved?\b|\bfixed\b|\bdone\b|\bsorted\b/i, 'resolved'],
  // Being worked on, said as what staff are doing ("在跟了", "正在跟进", "on it", "working on it").
  [/处理中|开始处理|在处理|受理|跟进中|正在跟进|在跟(?:了|着|进)|接单|\bin[ _]progress\b|\bstart(?:ed)?\b|\btake\b|\bworking on it\b|\bon it\b|\blooking into it\b/i, 'in_progress'],
  [/重新打开|重开|\breopen(?:ed)?\b/i, 'in_progress'],
];

/** "T20261121000001 已解决 更换压缩机", "升级工单 T…", "T… 满意度 5". */
export function parseTicketUpdate(text: string): ParsedTicketUpdate {
  const no = TICKET_NO.exec(text)?.[0]?.toUpperCase();
  const out: ParsedTicketUpdate = no ? { ticketNo: no } : {};
  const rate =
    // "满意度 5", "满意度打个五分", "评分给4": the verb and its measure word may stand between.
    new RegExp(`(?:满意度|评分|打分|\\brating\\b|\\bsatisfaction\\b)\\s*(?:为|是|:|：)?\\s*(?:(?:打|给|评)(?:了)?\\s*(?:个)?)?\\s*([1-5]|${CN_NUMERAL})(?![\\d.])`, 'i').exec(text) ??
    // "客户评了4分", "给了5星", "给个5星", "打个五分", "rated 4": the score the member gave.
    new RegExp(`(?:评了|打了|给了|评|打|给)\\s*(?:个|了个)?\\s*([1-5]|[一二两三四五])\\s*(?:分|星|颗星)|\\brated\\s*(?:it\\s*)?([1-5])\\b|\\b([1-5])\\s*stars?\\b`, 'i').exec(text);
  const score = rate?.slice(1).find((g) => g !== undefined);
  if (score) {
    const n = parseNumber(score);
    // A state stated beside the score ("打5分 可以关了", "rated 5, close it") is asked too: ticket.update runs both.
    const also = n === undefined ? undefined : first(text.replace(rate![0], ' '), STATUS_WORDS);
    if (n !== undefined) return { ...out, action: 'rate', satisfaction: n, ...(also ? { status: also.value } : {}) };
  }
  const assign = /(?:指派给|分配给|转给|交给|\bassign(?:ed)?(?:\s+\S+)?\s+to)\s*([^\s,，。]{1,32})/i.exec(text);
  if (assign?.[1]) return { ...out, action: 'assign', assignee: assign[1] };
  if (/升级|升(?:一下|下|个)级|上报|\bescalate[sd]?\b/i.test(text)) return { ...out, action: 'escalate' };
  const st = first(text, STATUS_WORDS);
  if (!st) return out;
  const note = strip(text.replace(TICKET_NO, ' ').replace(TICKET_WORDS, ' '), [st.match, '把', '改为', '改成', '标记为', '设为', 'mark', 'as', 'set', 'to']);
  return { ...out, action: 'status', status: st.value, ...(note ? { note } : {}) };
}

export interface ParsedPoints {
  delta?: number;
  reason?: string;
}

/** A reason said after its word ("原因 老客回馈", "理由是投诉补偿", "reason: birthday"): the reason is what follows. */
export const REASON_SAID = /(?:原因|理由|因为|备注|reason)\s*(?:是|为|:|：)?\s*(.+)$/i;

/**
 * "给 13800000001 加 100 积分 原因 消费奖励" → +100, reason 消费奖励; "扣50积分 兑换饮品" → −50;
 * "add 200 points to … for birthday" → +200, birthday.
 */
export function parsePoints(text: string, refs: (string | undefined)[]): ParsedPoints {
  // "给王芳加一百 不对 两百分", "扣80分 不对 扣50": the figure said after the correction is the one (self-correction.ts);
  // said without a verb ("扣100 不对 50分") it keeps the direction first said — a deduction never turns into a gift.
  const at = correctionAt(text);
  const after = at === undefined ? undefined : pointsOf(text.slice(at.end), refs);
  if (!at || after?.delta === undefined) return pointsOf(text, refs);
  const before = pointsOf(text.slice(0, at.start), refs);
  // The verb before the figure ("不对 扣50"), not a reason's word after it ("40分 兑换饮料").
  const tail = text.slice(at.end);
  const lead = tail.slice(0, Math.max(0, tail.search(new RegExp(`\\d|${CN_NUMERAL}`))));
  const signed = SIGN_WORD.test(lead) || before.delta === undefined ? after.delta : Math.sign(before.delta) * Math.abs(after.delta);
  const reason = after.reason ?? before.reason;
  return { delta: signed, ...(reason ? { reason } : {}) };
}

/** A word that says which way points go (the verbs of pointsOf's PLUS and MINUS). */
const SIGN_WORD = /扣|减|兑换|加|补|送|赠|奖励|退回|退还|返还|\b(?:deducting|subtracting|deduct|subtract|remove|redeem|take|knock|dock|add|give|award|credit|refund)\b|[+\-−]\s*\d/i;

function pointsOf(text: string, refs: (string | undefined)[]): ParsedPoints {
  let t = text;
  for (const r of refs) if (r) t = t.split(r).join(' ');
  // Digits (with a thousands comma, "1.5k", "2w", "3千") or a Chinese numeral ("两百", "一千五百").
  const num = `(\\d[\\d,]*(?:\\.\\d+)?\\s*[kKwW千万]?(?![A-Za-z])|${CN_NUMERAL}+)`;
  const unit = `\\s*(?:个)?\\s*(?:积分|分|points?|pts)`;
  // Verbs of a deduction, before the number ("扣50分", "扣回50", "减掉一百", "deduct 60 points",
  // "take 25 points off", "knock 50 points off", "dock 20 points"); a pronoun may sit between the verb
  // and the number ("再扣她50分").
  const MINUS = `(?:(?:扣|减)(?:回去|回来|除|减|掉|回|去|少|了)?|兑换|\\bdeduct(?:ing|s)?\\b|\\bsubtract(?:ing|s)?\\b|\\bremove\\b|\\bredeem\\b|\\btake(?:\\s+away|\\s+back)?\\b|\\bknock(?:\\s+off)?\\b|\\bdock\\b|-)`;
  // Giving back is adding ("退回30分", "返还", "refund 30 points").
  const PLUS = `(?:增加|加上|加|补发|补上|补|赠送|送|奖励|退回|退还|返还|返|\\badd\\b|\\bgive\\b|\\baward\\b|\\bcredit\\b|\\brefund\\b|\\+)`;
  const PRONOUN = `\\s*(?:他|她|TA|ta)?\\s*`;
  const minus =
    new RegExp(`${MINUS}${PRONOUN}${num}${unit}`, 'i').exec(t) ??
    // The verb after the points ("把多加的70分扣回来", "30分要扣掉", "50 points deducted").
    new RegExp(`${num}${unit}\\s*(?:要|得|需要)?\\s*(?:扣|减)(?:除|减|掉|回来|回|去|了)?|${num}${unit}\\s*(?:deducted|removed|taken off)`, 'i').exec(t);
  const plus = new RegExp(`${PLUS}?${PRONOUN}${num}${unit}`, 'i').exec(t);
  // Without a unit only a number right after an explicit verb or sign ("给他扣100 兑换了饮品", "13800000006 +100 生日",
  // "积分减掉一百"), never an amount, a period or a level (100元, 30天, 3级) nor a country code (+86);
  // "补一下" is no number: a lone 一 or 二 is no figure.
  // A reason that starts with a time word is no period ("+1500 年度回馈", "+200 周年庆", "+50 月度之星").
  const bareEnd = `(?![\\d.,]|\\s*(?:元|块|%|天|个?月(?!度)|周(?!年)|年(?!度)|级|倍|人|位|次|单|号|下|点|些|会))`;
  const bareNum = `(\\d[\\d,]*|${CN_NUMERAL}*[十百千万]${CN_NUMERAL}*)`;
  // A go-ahead's particle may stand between the verb and the figure ("加吧 100 老客回馈", "扣呗 50"); never 了 (a past write asked about).
  const GO = `(?:\\s*(?:吧|呗)[\\s,，]*)?`;
  const bareMinus = new RegExp(`(?:(?:扣|减)(?:回去|回来|除|减|掉|回|去|少)?|\\bdeduct\\b|\\bsubtract\\b|(?<![\\w-])-(?=\\d))${GO}${PRONOUN}${bareNum}${bareEnd}`, 'i');
  const barePlus = new RegExp(`(?:增加|加上|加回|补上|补回|加|补发|补|赠送|奖励|退回|返还|\\badd\\b|\\baward\\b|\\+(?!86\\b))${GO}${PRONOUN}${bareNum}${bareEnd}`, 'i');
  const unitless = minus || plus ? null : (bareMinus.exec(t) ?? barePlus.exec(t));
  const m = minus ?? plus ?? unitless;
  const raw = m ? (m.slice(1).find((g) => g !== undefined) ?? '') : '';
  const n = pointsNumber(raw);
  const negative = minus !== null || (unitless !== null && bareMinus.test(unitless[0]));
  const delta = n === undefined || (unitless && n <= 0) ? undefined : negative ? -n : n;
  let reason: string | undefined;
  const r = REASON_SAID.exec(t) ?? /\b(?:for|because of)\s+(.+)$/i.exec(t);
  if (r?.[1]) reason = r[1].trim();
  else if (m) {
    // What follows the amount: "扣50积分 兑换饮品" → 兑换饮品. The preposition that led to the member
    // (taken out above) is no reason: "deduct 50 points from 138…" has none, and is asked for one.
    const after = t.slice(m.index + m[0].length).replace(/^(?:[\s,，:：]+|(?:from|to|for|off|of|on)\b)+/i, '').trim();
    if (after) reason = after;
  }
  reason = reason?.replace(/[。.!！]+$/, '').slice(0, 128);
  // What is left of the sentence once the member is cut out ("deduct 50 points from 13800000003" → "from",
  // "给她扣50分吧" → "吧") states no reason: the bot asks for one.
  if (reason && !hasContent(reason)) reason = undefined;
  return { ...(delta !== undefined ? { delta } : {}), ...(reason ? { reason } : {}) };
}

/** "100", "1,200", "1.5k" (1500), "2w" (20000), "3千", "两百" → whole points; undefined when none. */
function pointsNumber(raw: string): number | undefined {
  const m = /^(\d[\d,]*(?:\.\d+)?)\s*([kKwW千万])?$/.exec(raw.trim());
  if (!m) return parseNumber(raw.trim());
  const scale = !m[2] ? 1 : /[kK千]/.test(m[2]) ? 1000 : 10000;
  return Math.round(Number(m[1]!.replace(/,/g, '')) * scale);
}

/** Words that carry no reason of their own: prepositions, pronouns, particles, the member words. */
const NO_REASON = /\b(?:from|to|for|of|on|at|by|with|the|a|an|his|her|him|them|their|this|that|member|customer|account|points?|pts|please|pls|now|thanks?)\b|[给从对把的了吧呢啊呀哈吗他她们这那个位会员客户积分分请谢]/gi;
const hasContent = (text: string) => text.replace(NO_REASON, '').replace(/[\s\p{P}\p{S}\d]/gu, '').length > 0;
