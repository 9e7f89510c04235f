import { toSimplified } from '../../intents/router/traditional.ts';

/**
 * What kind of request a message is, beyond its mood: a request to see records (never a
 * write), a write's dictated text that is only the request itself, a member's claim to be
 * staff or request for someone else's data, a member's request for a person.
 */

// 有什么 asks what there is to see, not what would follow ("…会有什么影响", "有什么区别": a supposition's consequence, no records).
const VIEW_VERB = /给我看看|给我看下|看看|看一下|看下|瞧瞧|调出来|调出|调一下|拉出来|翻出来|翻一下|查看|查一下|查查|查询|列出|列一下|显示|展示|发我看|有哪些|(?:都)?有什么(?!影响|后果|效果|区别|变化|问题|风险|好处|坏处|用处?|关系|不同|差别|作用|意义)|^(?:please\s+)?(?:show|list|view|pull up|display|get me)\b|\bshow me\b|\blet me see\b|\bcan i see\b|\bpull up\b/i;
const RECORD_NOUN = /(?:的|跟进|投诉|互动|服务|沟通|联系|回访|历史|以前的|之前的)(?:记录|工单|单子)|\b(?:follow-?ups?|history|records|tickets|interactions|complaints)\b/i;
const WRITE_HEAD = /^\s*(?:帮我|请|麻烦)?\s*(?:给\S{0,12}?)?(?:记录|登记|记一下|建|开|新建|创建|提交|导出|打|加|扣|发|召回|log|record|note|open|create|file|raise|export|tag|add|send|recall)/i;

/** "她的跟进记录给我看看", "把他的投诉记录调出来", "show me her follow-ups": to see, not to write. */
export function isViewRequest(text: string): boolean {
  const t = text.normalize('NFKC');
  return VIEW_VERB.test(t) && (RECORD_NOUN.test(t) || !WRITE_HEAD.test(t));
}

/**
 * Words that carry no content of their own in a dictated write: the request, pronouns,
 * particles, the kind of record. `服务请求` is the ticket parser's placeholder title.
 */
const REQUEST_WORDS = [
  /服务请求|给我看看|看看|看一下|调出来|给我|帮我|帮忙|麻烦|一下|记录|登记|记一下|记下|跟进|互动|工单|服务单|建单|开单|单子|新建|创建|提交|不用|不要|一个|一张|会员|客户|顾客|来电|到店|微信|电话|咨询|投诉|表扬|回访|情况|内容|东西|这个|那个|事情|事|同样|一样|照样|一条|一笔|一份/g,
  // 也 / 再 / 又 / 同样的 say "again" ("一样的给陈静也记一条": a repeat names no content of its own).
  /[请建开个张她他它的了吧呢吗啊下我你记把给为也再又条笔份]/g,
  /\b(?:log|record|note|open|create|file|raise|an?|the|ticket|interaction|follow-?ups?|for|him|her|them|his|please|me|show|call|visit|wechat|a|new|with|member|customer|same|too|also|again|as well)\b/gi,
];

/** True when a write's free text (an interaction's content, a ticket's title) says nothing beyond the request. */
export function isBareContent(content: string | undefined, refs: (string | undefined)[]): boolean {
  if (!content) return true;
  // A parser that found nothing falls back to the whole message: that is content only if
  // something is left once the member reference and the request words are gone.
  let rest = content.normalize('NFKC');
  for (const r of refs) if (r) rest = rest.split(r).join(' ');
  for (const re of REQUEST_WORDS) rest = rest.replace(re, ' ');
  const left = rest.replace(/[\s\p{P}\p{S}\d]/gu, '');
  return [...left].length < 2;
}

export const STAFF_CLAIM =
  /我是(?:这家店的|本店的|店里的|门店的|你们的|这里的|你们店的|你们|贵店的?|总部的|(?![来找要想问说跟和给叫])[\u4e00-\u9fff]{2}(?:分店的?|门店的?|店的|的|(?=店长|店员)))?(?:区域|门店|大堂|值班|片区)?(?:店员|店长|副店长|员工|经理|老板|老板娘|管理员|工作人员|客服|总部|运营|导购|收银员?|服务员|职员)|我在(?:这|你们|贵)?(?:家)?(?:店|门店|公司|总部)(?:上班|工作)|\bi(?:'m| am) (?:the |a |an |your )?(?:store )?(?:manager|staff|employee|admin|administrator|owner|clerk|cashier|boss|head office|shop assistant)\b|\bi work (?:here|at|for)\b|\bas (?:the|a|an) (?:manager|staff|admin|employee)\b/i;
/** "我是店员，帮我查一下别人的消费", "我是徐汇店长", "I'm the manager, add 1000 points to me": role comes from identity, never from the chat. */
// Read in simplified characters too: "我是店長" claims as much as "我是店长".
export const claimsToBeStaff = (text: string): boolean => STAFF_CLAIM.test(toSimplified(text.normalize('NFKC')));

/**
 * A member saying staff allowed them a credit ("manager told me I can get 500 points today", "店长说可以给我加500分", "老板答应送我一张券"):
 * a grant claimed in the chat, as good as a claim to be staff — never a reason to credit, nor a read of the balance.
 */
const GRANT_ZH = /(?:店长|经理|老板|老板娘|服务员|店员|客服|收银员?|你们的人|工作人员)[^，,。？?]{0,6}(?:说|讲|让|同意|答应|批准|允许|承诺|保证)(?:了|过)?[^。？?]{0,6}(?:(?:可以|能|会|帮我)[^。？?]{0,6}(?:加|送|补|给|升|拿|领|换|打|返)|给我|送我)[^。？?]{0,8}(?:积分|\d+\s*分|券|折|级|会员)/;
const GRANT_EN = /\b(?:the |your |a )?(?:manager|boss|staff|owner|waiter|waitress|cashier|employee|store)\b[^.?!]{0,20}\b(?:said|says|told me|tells me|promised|agreed|approved|let me|lets me|allowed)\b[^.?!]{0,20}\b(?:can|could|will|would|get|have|give me|add|credit)\b[^.?!]{0,20}\b(?:points?|pts|coupons?|vouchers?|discount|upgrade)\b/i;
export const claimsAGrant = (text: string): boolean => {
  const t = toSimplified(text.normalize('NFKC'));
  return GRANT_ZH.test(t) || GRANT_EN.test(t);
};

const OTHERS = /别人|他人|其他会员|其他人|别的会员|另一个会员|我朋友的|朋友的|他的|她的|\bsomeone else\b|\banother member\b|\bother members?\b|\bmy friend'?s\b|\bhis\b|\bher\b/i;
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const MEMBER_NO = /\bM\d{6,}\b/i;
/** A member's message about another member (their phone, member number, "别人的"): never answered with data. */
export function asksAboutOthers(text: string, ownPhone: string): boolean {
  const t = toSimplified(text.normalize('NFKC'));
  if (OTHERS.test(t) || MEMBER_NO.test(t)) return true;
  return [...t.matchAll(PHONE)].some((m) => m[0] !== ownPhone);
}

const PERSON =
  /转人工|人工|真人|客服|找(?:一下)?(?:你们)?(?:的|家的|店的|店里的)?(?:店长|经理|老板|负责人|工作人员|服务员|人)|(?:联系|叫|让|请)(?:一下)?(?:你们)?(?:店长|经理|老板|负责人|工作人员|服务员)|(?:联系|回电|打电话)(?:给)?我|\b(?:human|real person|agent|someone|somebody|a person|talk to|speak to|call me|contact me|manager)\b/i;
/**
 * A person asked for in plainer words ("叫个活人来", "找个人跟我说", "换个真人", "get me a real human"): someone, not a
 * thing — 找个/叫个 then 人 / 活人 / 真人 / 管事的 / 能说话的, the word closing the clause or followed by 来 / 跟我 / 和我 / 说 / 聊.
 */
const SOMEONE = /(?:找|叫|来|换|派|要)(?:一)?个(?:活人|真人|人|管事的|能管事的|负责的|说了算的|能说话的)(?=$|[来过跟和给同说聊出吧啊呀啦了，,。.!！?？\s])|\b(?:get|give|send) me (?:a |an )?(?:real )?(?:human|person|someone)\b/i;
/** The member asks for a person (转人工, 找店长, 叫个活人来, talk to a human): what a hand-off is for, besides a complaint. */
export const asksForPerson = (text: string): boolean => {
  const t = toSimplified(text.normalize('NFKC'));
  return PERSON.test(t) || SOMEONE.test(t);
};

/**
 * A complaint word said in jest (r24: "哈哈哈我要投诉你太聪明了" opened a ticket): the word beside praise or a joke's own
 * marker, and no grievance anywhere in the message — "投诉你们菜太好吃了哈哈", "I'm going to report you for being
 * too helpful lol", "差评！因为太好吃了😂". A complaint with a grievance ("哈哈 等了一小时 我要投诉", "菜太咸了 我要投诉")
 * stays earnest: the laugh may be bitter, and a missed joke costs a reply where a missed complaint costs a customer.
 */
const COMPLAINT_WORD = /投诉|投訴|举报|告你|差评|\b(?:complain(?:t|ing)?|report(?:ing)?|sue|bad review|one[- ]star)\b/i;
const PRAISE = /太(?:聪明|好吃|好喝|好了|好|棒|贴心|周到|热情|快|香|给力|优秀|靠谱|可爱|厉害|专业|用心|耐心|懂我|会说话|机智)|好吃到|好喝到|香到|绝了|一级棒|\b(?:too|so|very|overly|ridiculously) (?:helpful|smart|clever|good|nice|kind|fast|quick|friendly|polite|delicious|tasty|perfect|efficient|patient)\b|\b(?:being )?(?:amazing|awesome|brilliant|the best)\b|\bfor being (?:too |so )?(?:helpful|smart|clever|good|nice|kind|fast|quick|friendly|perfect|efficient)/i;
const JEST = /开(?:个)?玩笑|逗你|说着玩|\b(?:jk|(?:just )?(?:kidding|joking))\b/i;
const GRIEVANCE = /差(?!评)|难吃|难喝|慢|咸|淡|凉|冷|脏|贵|等了|态度|不满|生气|气死|垃圾|坑|退款|退钱|没人|不好(?!意思)|烂|糊|馊|变质|异物|头发|虫|拉肚子|错了|少了|不给|不理|\b(?:bad|slow|cold|rude|dirty|wrong|terrible|awful|worst|refund|waited|late|missing|never|disgusting|overcharged)\b/i;
export function complaintInJest(text: string): boolean {
  const t = toSimplified(text.normalize('NFKC'));
  if (!COMPLAINT_WORD.test(t) || GRIEVANCE.test(t.replace(PRAISE, ' '))) return false;
  // Praise, or a joke said to be one: a laugh alone may be bitter ("哈哈哈 我要投诉"), and 转人工 with a laugh is still asked.
  return PRAISE.test(t) || JEST.test(t);
}

/**
 * The write a refusal, a supposition or a deferral names by its word — a verb or a noun, in any
 * position ("先不导出了", "hold off on the recall till monday", "do not log anything for 王芳",
 * "is giving 陈静 100 points alright?"). The router reads commands, so such a message is often read
 * as the write's read ("the recall" → the recall list) or as 取消: this names what it refuses, so the
 * write gate can decline it and say so. Earliest word first; a list of people makes a tag a batch.
 * Only for messages whose mood already declines or weighs (src/bot/dialogue/turn.ts) — never a reason to act.
 */
const NAMED_WRITES: readonly (readonly [string, RegExp])[] = [
  // Stopping a recall names the recall too: listed before the launch, so a tie at 召回 is the stop ("召回列表里那个是不是该停了",
  // "suppose we stopped recall 5").
  ['recall.stop', /召回[^，,。；;]{0,10}?(?:停|暂停|终止|叫停)|(?:停|暂停|终止|叫停)(?:掉|止|了)?[^，,。；;]{0,6}?召回|\b(?:stop(?:s|ped|ping)?|halt(?:s|ed|ing)?|pause[sd]?|pausing)\b[^,.;]{0,20}?\brecalls?\b|\brecalls?\b[^,.;]{0,20}?\b(?:stop(?:s|ped|ping)?|halt(?:s|ed|ing)?|pause[sd]?)\b/i],
  ['recall.launch', /召回|群发|发券|(?:召回|优惠)券|发[^，,。；;\s]{0,6}?券|\brecall(?:s|ed|ing)?\b|\bcoupons?\b|\bwin-?back\b/i],
  ['segment.export', /导出|\bexport(?:s|ed|ing)?\b/i],
  ['interaction.log', /(?:不用|别|不要|不必|甭|先别|先不)(?:(?:给|帮|替|为)[^，,。；;\s记]{1,8})?记(?!得|住)|记录|登记|记一下|记一笔|记一条|记下|备注|\blog(?:s|ged|ging)?\b|\bnotes?\b|\brecord(?:s|ed|ing)?\b|\bwrite (?:it |that |this |anything )?down\b/i],
  ['ticket.update', /关单|结单|(?:工单|单子?)[^，,。；;\s]{0,4}?(?:关|结|升级)|关闭工单|升级工单|\b(?:close|escalate)(?:s|d|ing)?\b/i],
  ['ticket.create', /工单|建单|开单|报修|(?:建|开|提|起)[^，,。；;\s]{0,4}?单|(?:投诉|售后|服务)单|\btickets?\b/i],
  ['points.adjust', /积分|(?:扣|加|补|减)[^，,。；;\s]{0,8}?分|\bpoints?\b|\bpts\b/i],
  // 标签的 modifies the object ("把VIP标签的都导出来": the members who have it), no tag write; a wish for VIP is one ("王芳说她想要VIP"),
  // not wishing for it is none (不想要VIP: the router's removal stands).
  ['tag.add', /标签(?!的)|(?<![不没别])(?:想要|要个|要一个|想当|想成为|想做)(?:个|一个)?\s*VIP|打标|标成|标为|标记|标上|打上|(?:打|贴)(?:个|一个)(?!电话|招呼|折|卡|车|的|分)|\btag(?:s|ged|ging)?\b|\blabel(?:s|led|ed|ing)?\b/i],
  ['contacts.transfer', /转(?:给|交|移)?(?:客户|会员)|(?:客户|会员)[^，,。；;\s]{0,4}?转|交接客户|\btransfer(?:s|red|ring)?\b/i],
];
/** 发 / send alone, when nothing else is named ("先不要发啊", "don't send it"): the one write that sends is the recall. */
const SEND = /(?<![出开头引])发(?![现生票展话挥布言烧呆火])|\bsend(?:s|ing)?\b/i;
/**
 * A wish for a write's object, said or relayed ("客人说想要个VIP标签", "王芳说她不想要工单了"): the write it
 * names, for a refusal, relay or supposition to decline — no instruction verb needed.
 */
const WANTS_OBJECT = /(?:想要|要个|要一个|要张|需要|想|要)(?:个|一个|张|一张|点|些)?[^，,。；;\s]{0,6}?(?:标签|积分|券|工单|单子|VIP)/i;
/** Verbs of writes the instruction-verb lists do not carry (转客户, 那单先别关). */
const WANTS_TO_COMPLAIN = /(?:说|想|闹着|嚷着|吵着)要?投诉/;
const OTHER_WRITE_VERB = new RegExp(`${WANTS_TO_COMPLAIN.source}|转(?:给|交|移)?(?:客户|会员)|(?:工?单|单子)[^，,。；;\\s]{0,4}?关|关单|结单`);

/** Whether the message asks for, refuses or relays a write in words: an instruction verb, "别动 …", a wish for a write's object. */
export function speaksOfAWrite(text: string, verbs: readonly RegExp[]): boolean {
  // In simplified characters, as the verbs are written ("不用導出了").
  const t = toSimplified(text.normalize('NFKC'));
  return verbs.some((v) => v.test(t)) || WANTS_OBJECT.test(t) || OTHER_WRITE_VERB.test(t);
}
const LISTED_PEOPLE = /流失|名单|所有人|全部|大家|他们|她们|这些人|\b(?:churn(?:ed)?|everyone|everybody|all (?:of )?(?:them|the|members|customers)|them)\b/i;
/** One member pointed at or identified: a singular pronoun (not 他们 / 他家), a phone, a member number. */
const ONE_MEMBER = /(?<!其)[他她](?![们家])|\bTA\b|\b(?:him|her)\b|(?<!\d)1\d{10}(?!\d)|\bM\d{8}\b/i;

/**
 * "给她发个召回", "recall him": a write that reaches a whole list (a recall goes to the churn list) aimed at one member,
 * with no list word beside ("她们", "流失名单都发"): what was asked is not what the write would do. A member named
 * ("给陈静发个召回", "recall 陈静") is the route's `member`, which the router reads where a recipient stands (recall-words.ts).
 */
export const aimsAtOneMember = (text: string, named?: unknown): boolean => {
  const t = toSimplified(text.normalize('NFKC'));
  return (ONE_MEMBER.test(t) || (typeof named === 'string' && named.trim() !== '')) && !LISTED_PEOPLE.test(t);
};
/** Looking at something ("不用看积分了", "don't show me the recall list"): about a read, whatever it names. */
const LOOKS = /看|查|列出|显示|\b(?:show|see|view|check|look)\b|^\s*list\b/i;

/** "别动王芳的积分", "don't touch her points": hands off the thing named, a refusal of its write. */
export const HANDS_OFF = /(?:别|不要|不准|先别|甭)(?:去)?(?:动|碰)|\b(?:don'?t|do not) touch\b/i;

/** Taking a tag off (去掉 / 移除 / 删掉 / 摘掉 / remove / take off): with a tag named, the write is its removal. */
const TAKES_OFF = /去掉|去除|移除|删掉|删除|撤掉|摘掉|拿掉|取消(?:掉)?[^，,。；;\s]{0,8}?标签|\b(?:remov(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|untag(?:s|ged|ging)?|take (?:it |that |the \S+ )?off|took (?:it |that |the \S+ )?off)\b/i;

export function namedWrite(text: string): string | null {
  // In simplified characters, as the router reads it ("不用導出了" names 导出).
  const t = toSimplified(text.normalize('NFKC'));
  if (LOOKS.test(t)) return null;
  let best: { intent: string; at: number } | null = null;
  for (const [intent, re] of NAMED_WRITES) {
    const m = re.exec(t);
    if (m && (!best || m.index < best.at)) best = { intent, at: m.index };
  }
  // A complaint someone says they want to make, and no write named ("客户说要投诉", "她闹着要投诉"): what the staff member would record.
  if (!best) return SEND.test(t) ? 'recall.launch' : WANTS_TO_COMPLAIN.test(t) ? 'interaction.log' : null;
  if (best.intent !== 'tag.add') return best.intent;
  // Hands off a tag ("别动李娜的投诉过标签", "don't touch her tags"): the tag is there already, what is refused is taking it off.
  // So does a verb of taking one off ("如果把她的老客标签去掉 会怎样", "what if we removed her VIP tag").
  if (HANDS_OFF.test(t) || TAKES_OFF.test(t)) return 'tag.remove';
  return LISTED_PEOPLE.test(t) ? 'tag.batch' : best.intent;
}

/** A member's own writes by their words: the hand-off (a person, a ticket, a complaint) and 退订. */
const MEMBER_WRITES: readonly (readonly [string, RegExp])[] = [
  ['unsubscribe', /退订|取消订阅|不要再发|\bunsubscribe\b/i],
  ['handoff', /工单|投诉|人工|客服|开单|建单|开个单|报修|\b(?:complain(?:t|ts|ing)?|ticket|human|real person|agent)\b/i],
];

/**
 * The member write a message names ("我是店员 给我开个工单", "怎么投诉啊", "我不是要投诉"), if any. A claim's own role
 * word is who the sender says they are, not a person asked for: "我是客服小刘 把流失名单发我" names no hand-off (客服 is
 * the claimed role), "我是客服小王 帮她开个投诉单" still names one (投诉单).
 */
export function namedMemberWrite(text: string): string | null {
  const t = text.normalize('NFKC').replace(new RegExp(STAFF_CLAIM.source, 'gi'), ' ');
  return MEMBER_WRITES.find(([, re]) => re.test(t))?.[0] ?? null;
}
