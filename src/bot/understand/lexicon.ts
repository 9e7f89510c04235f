/**
 * The words the mood analyser (mood.ts) looks for, Chinese and English. Patterns, no logic:
 * each list says where it applies (the head before the instruction verb, the tail after it,
 * or the very end of the message).
 */

/** "Don't forget to" / "记得" asks for the action: removed before anything else is read. */
export const DO_NOT_FORGET = /千万别忘了|别忘了|别忘记|不要忘了|不要忘记|别漏了|不要漏了|记得要|记得|务必|一定要|\bdon'?t forget to\b|\bdo not forget to\b|\bremember to\b/gi;

/** Words with 别 that are not "don't" (other, someone else, level, especially …). */
export const NOT_A_BIE = /别的|别人|别家|别处|别名|分别|区别|特别|级别|类别|性别|识别|告别|离别|差别|个别|派别|辨别|鉴别|有别/g;

/**
 * The first instruction verb: what comes before it frames the instruction (negation, question,
 * hypothesis, deferral, reported speech), what comes after it is its object or content.
 */
export const VERB_ZH =
  /转人工|退订|群发|推送|召回|挽回|唤醒|清零|标记|标为|标成|提交|创建|新建|记录|登记|记一下|记下|记一笔|记一条|记个|记上|(?<=(?:不用|别|不要|不必|甭)(?:(?:给|帮|替|为)[^，,。；;\s记]{1,8})?)记(?!得|住)|备注|导出|下载|去掉|移除|调整|设置|升级|关闭|指派|分配|转给|执行|录入|(?<!参|增|追)加(?!入|班|油)|打(?!电话|算|听|扰|折|卡|烊|过来)|贴|扣|(?<!增|减)减(?!少)|补(?!充)|(?<!少|漏)送|赠|(?<!出|开|头)发(?!现|生|票|展|话)|建(?!议|立)|开(?!心|始|会|门|车|店|业|玩笑)|删|撤|改(?!天)/;
const VERBS_EN = 'tag|untag|label|mark|add|deduct|give|award|remove|subtract|redeem|send|recall|launch|open|create|file|raise|log|record|note|export|download|delete|assign|close|escalate|issue|apply|put|register|update|change|unsubscribe';
export const VERB_EN = new RegExp(String.raw`\b(?:${VERBS_EN})(?:s|es|ed|d|ing|ging|ged)?\b|\bdo (?=it\b|the\b|that\b|this\b)`, 'i');
/**
 * The same verbs in the past or -ing form ("if we recalled everyone", "logging a call", "tagging 陈静"): they name their
 * write whatever precedes them, where the bare form may be a noun ("the recall", "a log") — read by unasked-write.ts.
 */
export const VERB_EN_INFLECTED = new RegExp(String.raw`\b(?:${VERBS_EN})(?:ed|d|ing|ging|ged)\b`, 'i');

/**
 * Verbs whose object is free text the user dictates (an interaction, a ticket): words after
 * them are content ("记录 13800000001 投诉菜不热"), not the mood of the instruction.
 */
export const CONTENT_FRAME = /^(?:记录|登记|记一下|记下|记一笔|记一条|记个|记上|备注|录入|报修|(?:建|开|提交|创建|新建|提)[^，,。；;]{0,5}单|log\b|record\b|note\b|(?:open|create|file|raise)\s+(?:an?\s+)?(?:\w+\s+)?ticket\b)/i;

/** A dictating instruction after the content ("客户说不要再发短信了，记录一下"): everything before it is content. */
export const CONTENT_LAST = /[，,。；;\s]\s*(?:帮我|请|麻烦)?(记录一下|记录下|记录|记一下|记下来?|登记一下|登记|备注一下|建个单|建个工单|开个工单|开个单|log it|note it)(?:吧|哈|啊)?[。.!！]*$/i;

/**
 * A disclaimer: the speaker says what they are NOT asking for ("我不是要投诉啊，就随便说说",
 * "不是要给她记录，我就问问", "I'm not asking you to …"). It negates the action it names.
 * Also "我没说过要…" and "我没让你 / 没叫你…" (what was never asked), outside a question.
 */
export const DISCLAIMER_ZH = /(?:并|也)?不是(?:说|真的)?(?:要|想|让你|叫你|打算|非要)|没(?:有)?(?:说过?)?(?:要|想|打算|让你|叫你|要你)(?=[^吗么？?]*$)|并不想|也不想/;
export const DISCLAIMER_EN = /\b(?:i'?m|i am) not (?:asking|trying|going|saying)\b|\bnot (?:asking|trying) (?:you )?to\b|\bi (?:didn'?t|did not) (?:ask|mean)\b/i;
/** Talk that is only talk ("就随便说说", "只是问问", "just asking"): no instruction at all. */
export const JUST_TALK = /随便说说|随口说说|随口一说|说说而已|随便问问|就问问|只是问问|先问问|问问而已|我就问一下|只是想问|吐槽一下|\bjust (?:asking|saying|wondering|curious)\b/i;

/**
 * One action refused, another asked instead, after a pause ("不用建工单 就记一下 …", "别发券了，只打个标签",
 * "don't open a ticket, just log the call"): group 1 is the refused clause, group 2 what is asked (from 就/只/just on).
 */
export const INSTEAD_ZH = /^\s*((?:先|暂时)?(?:别|不用|不要|不必|无需|甭|没必要)[^，,。；;!！\s]{1,14}?(?:了|啦)?)[\s，,。；;!！]+((?:我|你)?(?:就|只|只要|直接|光|仅|先)\s*\S.*)$/su;
/**
 * One thing put off, another asked now, in a run-on voice message ("那个流失名单我晚点再看你先给周杰打个召回中的标签",
 * "报表等会儿再说 先给王芳加100分 生日"): the put-off clause, then what is asked after (你)先.
 */
export const DEFER_INSTEAD_ZH = /^\s*(.*?(?:晚点|晚些|等会儿?|待会儿?|回头|稍后|改天)\s*再?\s*(?:看|说|弄|处理|查|管)[了吧]?)[\s，,。；;!！]*(?:你|您)?先\s*(\S.*)$/su;
/**
 * One clause of a message that refuses what it names ("别删李娜的投诉过标签", "不是要扣分", "不用打了", "别导出"): a refusal
 * word opening it, or a refusal of the verb closing it. Read clause by clause (mood.ts insteadOf) when another clause asks
 * for something of its own.
 */
export const REFUSING_CLAUSE_ZH = /^(?:那个)?(?:先|暂时|也)?(?:别|不用|不要|不必|无需|甭|没必要|不是要|不是想|先不)|(?:先别|先不|别|不用|不要|不必|甭)[^\s，,。；;!！]{0,3}?了?$/u;
/**
 * What opens the refused write said again after its refusal ("不是要扣分 是要加 给陈静加80分", "…不用打了 改成流失风险"): the
 * request that follows (read by gate.ts `saidAgainAfter`).
 */
export const SAID_AGAIN_ZH = /^(?:把|给|帮|替|而?是要|改成|改为|换成|而是)/u;
/** What replaces a refused value in the next clause ("改成流失风险", "是要加", "换成…"): the same write, said anew. */
export const REPLACING_ZH = /^(?:而?是要|改成|改为|换成|换|而是)/u;
/**
 * How a clause asked beside a refusal opens: an order's own words (把 / 给 / 帮 …, 先 / 就 / 直接, 是要 / 改成), never a
 * statement ("王芳只是路过打个招呼", "她已经加过了", "我看看名单", "只是看看": why the refusal, not another request).
 */
export const ASKED_OPENS_ZH = /^(?:那个\s*)?(?:我(?=(?:就(?!是)|只(?!是)|先)[^\s，,。；;!！?？]{3,}))?(?:把|给|帮|替|为|对|先|就(?!是)|只(?!是)|直接|再|请|麻烦|你(?:帮|给|把|先|就)|而?是要|改成|改为|换成|而是|查|看(?!看))/u;
export const INSTEAD_EN = /^\s*((?:don'?t|do not|no need to)\b[^,.;!]{1,40}?)\s*[,.;!]+\s*((?:just|only|simply)\s+\S.*)$/is;

/**
 * Correction words: the user takes back or corrects what was just said — their own words, or the preview of a held action
 * ("不对", "搞错了", "哦不", "我是说", "no wait", "I meant"). ONE list for every reader, each building its pattern with
 * `anyWord` and saying why where it takes a subset: RETRACT_* below; routing-text.ts (the correction's lead dropped
 * before routing); self-correction.ts (a value corrected inside one message); assent.ts (a held preview rejected);
 * src/bot/dialogue (instead.ts, answer-pending.ts, focus.ts, held-change.ts); CHANGE_ONLY in src/intents/router/vague.ts.
 */
export const CORRECTION = {
  /** It was wrong (said twice too: "不对不对"). */
  wrongZh: ['不对', '不对不对', '不是', '不是不是', '错了', '搞错了', '弄错了', '说错了', '我说错了', '打错了', '写错了', '更正', '更正一下'],
  /** An interjection and 不: "哦不 是两百", "不不 别发". */
  ohNoZh: ['哦不', '噢不', '喔不', '啊不', '呃不', '不不'],
  /** What was meant follows: "加一百 我是说两百". */
  meantZh: ['我是说', '我的意思是', '我意思是', '应该是'],
  /** It was wrong, in English: the lead before what is meant ("no wait, 20", "scratch that, …"). */
  wrongEn: ['no', 'nope', 'sorry', 'oops', 'wait', 'actually', 'no wait', 'wait no', 'scratch that', 'correction'],
  /** What was meant follows, in English. */
  meantEn: ['i meant', 'i mean', 'sorry i meant', 'sorry meant'],
  /**
   * Words that correct only where they open the message (or are all of it): inside a sentence they are too common to mean
   * a correction — "她不是会员", "地址错了" in dictated content, "no receipt", "sorry for the wait", "wait for her reply".
   */
  openingOnly: ['不是', '错了', 'no', 'nope', 'sorry', 'wait'],
} as const;

/** Correction words said inside a sentence: the list without the opening-only words. */
export const midSentence = (words: readonly string[]): string[] => words.filter((w) => !(CORRECTION.openingOnly as readonly string[]).includes(w));

/**
 * An alternation of words for a RegExp source, longest first (so "不对不对" is taken whole before "不对"); a space in a word
 * matches any run of spaces with at most one comma ("no, wait", "scratch  that").
 */
export function anyWord(words: readonly string[]): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*,?\\s*'))
    .join('|');
}

/** The instruction verbs a retraction refuses ("先别记", "别建", and with a bare 不 only as a change of mind: "不建了"). */
const RETRACTED_VERBS = '记|建|开|写|录|登|发|打|加|扣|转|关|改|删|导|送';
/**
 * The instruction taken back after it was said ("记录一下 不对 先别记 …", "建个单 等等 别建", "log it — wait, don't"): a
 * retraction word — a correction word, a wait (等等, hold on) or 算了 — then a negated instruction verb ("算了不建了": a
 * bare 不 with 了, a change of mind) — read anywhere, even before more words ("…算了不建了 她说不追究"),
 * dictated content too (its words never start so).
 */
export const RETRACT_ZH = new RegExp(
  `(?:^|[\\s，,。；;!！])(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh, '等等', '等一下', '等下', '算了'])})[\\s，,。；;!！…]*(?:(?:先别|先不要|先不|别|不要|不用)(?:${RETRACTED_VERBS})|不(?:${RETRACTED_VERBS})了)`,
);
export const RETRACT_EN = new RegExp(`\\b(?:${anyWord([...CORRECTION.wrongEn, 'hold on'])})[\\s,!.;—-]+(?:don'?t|do not|no need)\\b`, 'i');

/** Looking at something (what may be asked instead of a refused write: "别发券 先看看流失名单"). */
export const VIEW_ZH = /看看|看下|看一下|查|列出|列一下|调出|\b(?:show|check|see|view|list|pull up)\b/i;

/** Negation of the instruction, before its verb (or, in a plain command, anywhere around it). 算了 after an action is no negation: MIGHT_AS_WELL. */
export const NEG_ZH = /先别|先不要|先不用|先不|暂时不要|暂时不用|暂时别|暂时不|暂不|(?<!要)不要|(?<!用)不用|不必|没必要|无需|(?<!需)不需要|甭|算了|不想|不打算|不准|不许|(?<!能)不能|(?<!可)不可以|别|不(?=给|帮|把|为|再|去|发|打|加|扣|建|开|记|召|导|做|搞|弄|送|贴|删|改|执行)/;
/**
 * "no" before the write's own noun at the start of a clause ("no recall this week pls", "ok, no more coupons for them"):
 * the write refused — "no" alone before a figure ("no, 20 not 30") corrects instead (src/bot/dialogue/instead.ts).
 */
export const NO_WRITE_EN = /(?:^|[,.;!?]\s*|\b(?:ok|okay|so|then|and)\s+)no (?:more |further )?(?:recalls?|coupons?|vouchers?|exports?|tags?|tagging|labels?|points|tickets?|notes?|logs?|logging|messages?|texts?|sms|blasts?)\b/i;
export const NEG_EN = /\b(?:don'?t|do not|dont|no need(?: to)?|never ?mind|not now|let'?s not|lets not|shouldn'?t|should not|won'?t|no longer|not yet|skip|scrap|call off|forget (?:about )?(?:the|it|that|this))\b/i;
/** "not" right before the instruction verb negates it, however polite the frame ("could you not close T… yet", "we are not sending …", "I will never tag …"). */
export const NEG_HEAD_EN = /\b(?:not|never)\s*(?:going to\s+|gonna\s+)?$/i;
/** A negation at the very end takes back what came before ("给他打VIP标签就不用了", "tag him, never mind"). */
/**
 * What someone said, up to the pause before the user's own instruction ("她说储值卡不能用了 帮她开个报修单", "客人反映菜不热，
 * 记一下", "她说卡刷不了 不能用了 帮她…": to the last pause): the problem they report, whose 不 is theirs — it negates nothing the user asks. Masked in the frame before the
 * verb only when a pause ends it there, so a relayed refusal that governs the verb ("店长说先别发") is still read.
 */
export const SAID_CLAUSE_ZH = /(?<=说|反映|抱怨|讲|表示)[^]+(?=[\s，,。；;])/u;
export const NEG_END_ZH = /(?:算了|(?:不|别)(?:用|要|必|需要|发|建|开|打|加|扣|记|做|弄|搞|召回|导出|执行)了|先不要|先别|先不)$/;
export const NEG_END_EN = /(?:never ?mind|forget it|no need|not now|scratch that|cancel that|actually,? don'?t|don'?t|nah|nope|no thanks|(?:actually|wait|hmm|on second thought),? no)$/i;
/**
 * 算了 then 还是 / 那就 / 干脆 and the instruction ("算了还是发吧", "算了 那就加上吧") gives up the hesitation, not the
 * action: the 算了 is no negation there. A negation after it still is ("算了 还是不要给她打了").
 */
/** "算了打上吧", "算了 发吧": giving up the doubt, then the bare order — the whole message; its 算了 negates nothing. */
export const NEVER_MIND_THEN_VERB = /^(?:算了吧?|不管了)[\s，,。!！…]*(?:给[她他它]|帮[她他])?[^\s，,。；;不别没甭再]{1,3}吧$/u;
export const NEVER_MIND_THEN_DO = /(?:算了吧?[\s，,。!！…]*)+(?=那?(?:还是|就|干脆|直接))/g;
/** A negation right after a preposition modifies the object ("给不要辣的会员"), not the instruction. */
export const OBJECT_PREPOSITION = /[给把对为向跟和]$/;

/** Questions. Head words, any position for a plain command's object, and the end of the message. */
// 哪 asks whatever follows it (哪些, 哪位, 哪步, 到哪了, 哪天) — only 哪怕 ("even if") does not.
export const QUESTION_ZH = /要不要|需不需要|用不用|该不该|是不是|是否|有没有|有无|怎么样|怎样|怎么|如何|多少|(?<![这那前后头好])(?:几个|几位|几人|几次)|哪(?!怕)|什么|啥|为什么|为何|干嘛|干吗|干啥|(?<!随便|不管|无论|管他)谁(?![都也])|会不会|能不能|可不可以|可以不可以|行不行|好不好|了没/;
/**
 * Who did it, or how it is done, asked at the end: "…是谁操作的", "谁建的", "…的是谁", "是怎么弄的",
 * "咋加的" — a question about an action, never an order for one. Read even after a verb that takes
 * dictated content when that content is short, or when the verb names a past action (RELATIVE_VERB).
 */
export const ASK_WHO_HOW_END_ZH = /(?:是|由)?(?:谁|哪位|哪个同事)[^，,。；;？?\s]{0,8}的$|的(?:是谁|是哪位|是哪个)$|(?:是|要)?(?:怎么|咋|如何)[^，,。；;？?\s]{0,6}的$/;
/**
 * An instruction verb directly followed by 的 modifies a noun ("上次给周杰加的那200分", "谁给王芳打的标签"),
 * and one followed by 过 tells of it ("早上不是给她加过分了"; 发过去 / 拿过来 are still orders): either
 * names an action that happened, it does not ask for one.
 */
export const RELATIVE_VERB = /^(?:的|过(?![去来]))/;
/** Records as a noun after a demonstrative, a measure word or 的 ("那些记录", "这条记录", "的跟进记录"): what a relative verb names. */
export const RECORDS_NOUN = /(?:那些|这些|那条|这条|那几条|这几条|的|条)(?:跟进|互动|沟通|投诉|登记|回访|消费)?记录/g;
/** A-not-A questions of any verb or adjective ("在不在", "打没打", "加不加", "还有没有"): the same character around 不/没. */
export const A_NOT_A_ZH = /(\p{Script=Han})[不没]\1/u;
/**
 * A tag question at the end ("…逾期了是吧", "…关了对吧", "没错吧", "是伐", "对不对"): the speaker asks to be told, never to act,
 * even after a verb of dictated content ("建个投诉工单 是吧"). 吧 only after 是/对/没错 (发吧 / 就这样吧 / 行吧 stay requests).
 */
export const TAG_QUESTION_END_ZH = /(?:(?:是|对|没错|对的|没错的)吧|[是对]伐|对不对|是不是)$/;
export const QUESTION_END_ZH = /(?:[?？]|吗|么|呢|真的假的|了没有?|没有|与否|怎么样了?|如何了?|咋样了?|进展|情况|好了没|干[嘛吗啥]|(?<![说偏就也还都并绝])不|(?<![还都也并从])没)$/;
/** A question weighing an action before it is done ("要不要给王芳打个VIP", "should we tag her?"): about the action, not a record. */
export const WEIGHING =
  /要不要|需不需要|用不用|该不该|是不是该|合适吗|合不合适|妥不妥|妥当吗|\b(?:should|shall) (?:we|i)\b|\bdo (?:we|i) need to\b|\bis it (?:ok|okay|fine|wise|alright|all right) (?:to|if)\b|\b(?:ok|okay|fine|alright|all right|a good idea|wise)\s*[?？]?\s*$/i;
/**
 * Whether a write can be done at all, asked of no one in particular (session 26): 能不能 / 可不可以 / 是不是(也)可以 before the
 * write said of anyone or arbitrarily — "能不能给会员随便加积分啊？", "是不是也可以扣会员积分的", "你是不是可以直接给所有人发券",
 * "能不能把工单直接关掉啊" — a question about the act, never a polite request (a member or ticket named is one:
 * "能不能给王芳加100分"). The generic object is a word for anybody (会员, 客户, 所有人 …) or 随便 / 随意.
 */
const CAN_ZH = '(?:你|我们|我)?(?:能不能|可不可以|能否|是不是(?:也|都)?(?:可以|能))(?:也|都)?';
export const CAN_AT_ALL_ZH = new RegExp(
  `${CAN_ZH}[^，,。；;\\s]{0,6}?(?:随便|随意|任意)|${CAN_ZH}(?:直接|随便)?(?:给|帮|把|对|替|往)?(?:扣|加|减|送|打|发|关|删|改|转|导出|导)?(?:会员|客户|客人|顾客|所有人|任何人|大家|别人|人家|全部人|工单|单子)(?=随便|随意|直接|都|全|也|的?积分|的?标签|发|加|扣|打|送|关|删|改|转|导|券|[?？吗啊呀吧]|\\s|$)`,
  'u',
);
/**
 * A question about a write said as its gerund ("Is exporting a segment logged anywhere?", "Before stopping recall 4 — what
 * happens to …?", "What would logging a complaint do?"): about the act, not an order ("would you mind exporting …" is one).
 */
export const ACT_ASKED_EN = /\b(?:export|logg|tagg|deduct|add|send|clos|transferr|transfer|stopp|paus|launch|recall|escalat|delet|remov|refund|issu|mov|credit)ing\b/i;
const POLITE_GERUND_EN = /\b(?:would|do) you mind\b|\bhow about\b|\bwhat about\b|\bstart\b|\bkeep\b/i;
/** Whether a question asks about a write as an act: whether it can be done at all, or what doing it would do. */
export const asksAboutTheAct = (text: string): boolean => CAN_AT_ALL_ZH.test(text) || (ACT_ASKED_EN.test(text) && !POLITE_GERUND_EN.test(text));

/** A question about what already happened ("给他打过VIP了吗"): never a polite request. */
export const PERFECTIVE_Q = /(?:了|过)[^，,。；;]{0,12}(?:吗|么|没有?|没)$|(?:已经|有没有|是否)[^，,。；;]*(?:吗|么|了|没有?)$|\b(?:did|have|has)\b/i;
export const QUESTION_START_EN = /^(?:how|did|what|whether|why|when|which|who|where|is|are|was|were|does|should|shall|any|have (?:we|you|i|they|he|she)|has (?:he|she|it|anyone|this)|do (?:we|you|i|they)|will (?:we|it|he|she)|can we|could we)\b/i;
export const QUESTION_EN = /\b(?:whether|how many|how much|how (?:to|do|can|should|does)|have we|did (?:we|you|i|he|she|they)|whom|by who)\b/i;

/**
 * How it is done, asked right on a verb of dictated content ("互动记录怎么写", "工单要怎么建", "登记该如何填", "log — how do I
 * word it"): no content follows that verb, so the how-to is the user's question, not the words to record. Chinese only with no pause
 * between: after one the words may be dictated ("记录 怎么也联系不上").
 */
export const HOW_TO_ON_VERB = /^(?:一下|下)?(?:要|该|应该|应当|得|需要|到底|具体)?(?:怎么|怎样|如何|咋)|^\s*[-—,，:：]*\s*how (?:do|should|can|would) (?:i|we|you)\b/i;

/** Polite requests: a question in form, an instruction in intent ("能帮我给他打个VIP标签吗"). */
export const POLITE_START_ZH = /^(?:请问)?(?:你|您)?(?:能不能|能否|可不可以|可以|可否|能|麻烦|劳驾|请|帮忙|帮我|辛苦)/;
export const POLITE_END_ZH = /(?:好吗|可以吗|行吗|好不好|可以不|行不行|成吗|ok吗|好么|可以么|行么|谢谢|呗|(?<![是对错]|对的|错的)吧)$/i; // 是吧 / 对吧 / 没错吧 ask (QUESTION_END_ZH)
export const POLITE_EN = /^(?:(?:could|can|would|will) you(?: please)?|please|would you mind|kindly|could i ask you to|can i get you to)\b|\bplease\b/i;

/** Hypotheses and plans ("要是给流失的人都打上VIP会怎样", "what if we recall them"). */
export const HYPO_ZH = /如果|要是|假如|假设|万一|倘若|若是|的话(?=[\s，,]*\S)|考虑|想想|想一下|想下|在想|寻思|想着要不要|琢磨|打算|可能|或许|也许|说不定|是不是该|要不(?!要)|不确定|拿不准|说不准|没想好/;
/**
 * A consequence threatened, not asked for: "再发广告我就退订了", "你们再这样我就投诉", "不然我就退订", "否则就给他扣分" — the act
 * waits on a condition that has not happened (the next advert, the next delay), so nothing is done now; the bot answers.
 * Read over the whole message (the threatened act often follows another verb: "再给我发短信就退订"), but only the words before
 * the verb when words to record follow it; "再给她加100分" (no 就) and "就给她加吧" (no 再) stay orders.
 */
// "再加100分就行/就好/就够了" closes an order ("just that more"), so 就 then is no consequence.
export const CONSEQUENCE_ZH = /(?:再[^，,。；;!！?？]{1,15}|(?:不然|否则|要不然|不然的话)[^，,。；;!！?？]{0,6})就(?!行|好|可以|完事|得了|够了|这样|ok)/i;
/**
 * A threat to take a complaint further unless it is handled ("再不处理我就打12315了", "还不解决我就去消协"): its 再…就 is
 * no supposition as CONSEQUENCE_ZH reads it — the member wants it handled now, so a member's hand-off goes ahead (gate-member.ts)
 * while every other write stays a consequence threatened. The two readings of 再…就… sit together so they cannot drift apart.
 */
export const ESCALATION_THREAT_ZH = /(?:再|还|要是|如果)不(?:处理|解决|管|给(?:个|我)?(?:说法|答复|交代)|回复|联系我?)[^，,。；;!！?？]{0,6}?(?:我|的话我?)?就[^，,。；;!！?？]{0,8}?(?:12315|12345|消协|投诉|差评|曝光|报警|媒体|市场监管|工商|总部|微博|朋友圈|抖音|小红书|点评|网上|上网|起诉|告你们)/;
/** The same threat in English, a complaint taken further unless someone acts ("I'll report you to HQ if nobody calls me back"). */
export const ESCALATION_THREAT_EN = /\b(?:i'?ll|i will|i'?m going to|i'?m gonna|gonna)\s+(?:report|complain about|expose|sue|post about|review|go to|call|write to)\b[^.?!]{0,40}\b(?:if|unless)\b[^.?!]{0,30}\b(?:nobody|no one|you don'?t|you do not|not|never|doesn'?t|don'?t|call|sort|fix|handle|respond|reply|get back)/i;

export const HYPO_END_ZH = /(?:会怎样|会怎么样|会如何|会咋样|会有什么(?:影响|效果|后果)?|的话|效果如何)$/;
/**
 * English narration of a write that happened ("we tagged her VIP yesterday", "I already added 100
 * points", "someone has closed it"): a subject, then the verb in the past — tells, never orders.
 */
export const PAST_EN = /\b(?:i|we|you|she|he|they|someone|somebody|anyone|the system)\s+(?:already\s+|just\s+|have\s+|had\s+|has\s+|'ve\s+)?(?:already\s+)?(?:tagged|labell?ed|marked|added|deducted|gave|given|awarded|removed|sent|launched|opened|created|filed|raised|logged|recorded|noted|exported|downloaded|deleted|assigned|closed|escalated|issued|registered|updated|changed|transferred|unsubscribed)\b/i;
/** "would" right before the instruction verb ("would adding 200 points … be ok", "I would tag them"): conditional, not a request ("would you add", "I'd like to add" put other words between). */
export const HYPO_HEAD_EN = /\bwould\s*$/i;
export const HYPO_EN = /\b(?:what if|if|suppose|supposing|imagine|hypothetically|maybe|perhaps|thinking (?:of|about)|considering|would it|what would happen|might|probably|possibly|not sure|unsure|idk|dunno|not certain)\b/i;

/** 算了 after an action: "might as well" ("把会员全删了算了", "干脆清零算了") — exasperation, not an order, and no negation either. */
// Not after a negated action ("不发了算了" drops it).
export const MIGHT_AS_WELL = /(?:(?:干脆|索性)[^，,。；;\s]+|(?:^|[\s，,。；;!！])[^，,。；;!！\s不别没甭]{1,12}了)算了/;

/**
 * Words that take the instruction back as a joke or as irony ("…what could possibly go wrong",
 * "开玩笑的", "出了事你负责啊"): the user does not mean it, so it is read as a supposition, never an order.
 */
// "反正公司有钱", "反正不是我出钱": irony about who pays; 呵呵 closing a request (and the eye-roll emoji) is the web's sneer, not a smile; "干脆把会员全删了算了", "…清零了算了", "省得烦": exasperation, "might as well".
/**
 * A joke closed by a laugh, then a request of its own ("你要是敢发错我就投诉你 哈哈 给流失名单发30元券"): the laugh ends the joke,
 * and the words after it are read as the message (mood.ts) — never the joke's threat or supposition.
 */
export const LAUGH_THEN = /^(.+?)(?:哈哈+|嘿嘿+|嘻嘻|hhh+|lol|haha+)[\s，,。.!！~～]+(\S.*)$/iu;
export const NOT_MEANT_ZH =
  /开(?:个)?玩笑|开(?:什么|啥|哪门子)玩笑|说着玩|闹着玩|逗你(?:玩)?的|(?:能|会)出(?:什么|啥)(?:事|问题)|出了事(?:你|谁)(?:来)?负责|反正(?:也)?(?:没人|不会有人)(?:管|发现|看)|反正(?:公司|老板|总部|咱们?|我们|店里)?(?:有(?:的是)?钱|不差钱|不缺钱|钱多|财大气粗)|反正(?:也)?不是(?:我|咱|我们)(?:的钱|出钱|掏钱|付钱|花钱)|省得(?:烦|麻烦|心烦|操心)|想得美|哈{3,}[!！~～。.]*$|反正(?:也)?钱(?:又|也)?不是(?:我们?|咱们?|你)(?:出|掏|付|花)的|doge|\[?狗头\]?|🐶|呵{2,}[!！~～。.…]*$|😂|🤣|🙄|😏|🙃/;
export const NOT_MEANT_EN = /\b(?:what could (?:possibly )?go wrong|what'?s the worst that could happen|(?:just |only )?(?:kidding|joking)|jk|lol jk|yeah,? right|as if)\b|\b(?:lol|lmao|haha+)[!.]*$/i;

/** Deferrals ("等会再发", "回头给他打标签", "later"). */
export const DEFER_ZH = /等[^，,。；;\s]{1,6}(?:再|以后|之后)|等我|(?:上午|中午|下午|晚上|今晚|周末|月底|月初|节后)再|(?:周|星期|礼拜)[一二三四五六日天]再|\d{1,2}[号日]再|等一下|等一会|等会儿?|等等|待会儿?|一会儿?再|过会儿?|回头(?!客)|以后再|晚点|晚些|稍后|改天|明天|后天|下周|下个?月|下次|过两天|过几天|先放|先缓|缓一缓|暂缓|先不|先别|迟些/;
/**
 * A time to come that dates an event in someone's life or a thing's term, not the request ("小刘下周离职 她的客户转给我",
 * "她下个月生日", "券明天到期"): a fact the instruction is given for, no put-off of it — masked before DEFER_ZH is read.
 */
export const DATED_EVENT_ZH = /(?:今天|明天|后天|下周[一二三四五六日天]?|下个?月|下次|月底|月初|过两天|过几天)(?=(?:就|要|会|才|快|也|都)*(?:离职|辞职|走人|走了|休假|请假|调走|调岗|调店|入职|到岗|出差|过生日|生日|结婚|到期|过期|退休|搬家|回国|出国))/g;
export const DEFER_END_ZH = /(?:再说|再看|再议|再定|再讲|回头再弄)吧?$/;
/** …and a day or a time to come ("till monday", "after the weekend", "by friday", "end of the month"). */
export const DEFER_EN = /\b(?:later|tomorrow|next (?:week|month|time)|hold off|wait|not yet|not now|some other time|another (?:day|time)|in a (?:bit|while|minute)|tonight|this (?:weekend|afternoon|evening)|(?:till|until|til|by|on|after|before|next|come) (?:mon|tues|wednes|thurs|fri|satur|sun)day|after (?:the )?(?:weekend|holidays?|lunch|meeting|break|promotion|event)|(?:at|by|after) the end of (?:the|this) (?:day|week|month))\b/i;

/** Someone else's instruction relayed, not the user's own (an authority anywhere before the verb). */
/**
 * When and how a person said it, between the person and the verb of saying ("李娜在电话里说", "客户刚才打电话来说",
 * "周杰昨天来店里讲", "王芳微信上说"): one list for the relays by role and by name (a name's: its wishes only).
 */
const SAID_WHEN = '刚才?|刚刚|今天|早上|上午|中午|下午|晚上|昨天|昨晚|前天|又|也';
const SAID_THROUGH = '打(?:了个?)?电话(?:来|过来)?|来(?:了个?)?电话?|(?:在)?(?:微信|电话|群|店)(?:上|里)|(?:在)?微信|发(?:了条?)?(?:微信|消息|语音)(?:来|过来)?|(?:来|到)店里?';
const RELAY_SETTING = `(?:${SAID_WHEN})?(?:${SAID_THROUGH})`;
/**
 * A named person's wish with when or how it was said ("李娜在电话里说要…", "周杰昨天来店里想让…"): only a wish — what they
 * told us on a call is what to record ("周杰又来电说包间空调太冷" logs the call).
 */
const WISHED_WHEN_SAID = `(?:${SAID_WHEN}|${RELAY_SETTING})(?:(?:说|讲)(?:要|想|让|叫|希望)|要求|希望|想让)`;
export const REPORTED_AUTHORITY_ZH = new RegExp(
  String.raw`(?:(?:客户|顾客|客人|会员)${RELAY_SETTING}|店长|老板娘?|老总|总经理|经理|总监|督导|领导|总部|总公司|集团|品牌方|上面|上级|主管|老大|区域|大区|片区|运营|同事|有人|别人|[\p{Script=Han}]{1,3}部门?|部门|市场|财务|公司|客户|顾客|客人|会员|朋友|家人|家里人|亲戚|邻居|同学|网上|群里|\b(?:HQ|boss|manager|head office)\b)(?:(?:那边|那儿|那里|自己|本人|刚才?|也|又|还)?(?:说|让|叫|要求|吩咐|交代|讲|想|通知|发话)|的意思)|听说|据说|听人说`,
  'iu',
);
/** "他说要 …" relays only when it governs the verb directly (no pause): "他说要退款 建个单" is content then an instruction. */
export const REPORTED_PERSON_ZH = /(?:他|她|他们|她们)(?:说要|说让|让|叫|要求)[^，,。；;\s]*$/;
export const REPORTED_EN = /\b(?:(?:my|the) (?:boss|manager|owner|supervisor)|boss|manager|hq|head office|someone|somebody|they|he|she|people|(?:the|a|this|that) (?:customer|client|guest|member))\s+(?:said|says|told|wants|wanted|asked)\b|\bi heard\b|\bapparently\b|\b(?:i was|we were|i've been|we've been|i have been|we have been) (?:told|asked)\b|\b(?:i'm|i am|we're|we are) supposed to\b/i;
/**
 * A person named, then what they said or asked for ("陈静说想要个生日标签", "李娜要求我们帮她加VIP",
 * "周杰那边说…", "小陈说要…", "王姐让我…", "陈静 said she wants …"): someone else's wish relayed, not the user's
 * instruction. The words before 说 are a name only when they start with a surname (names.ts) or are how staff call
 * a colleague or a regular (小陈, 老王, 阿强's 阿 + surname, 王姐, 李总: mood.ts) — "给陈静说一声" starts with 给.
 */
export const REPORTED_NAME_ZH = new RegExp(
  String.raw`^([\p{Script=Han}]{2,3}?)(?:(?:那边|那儿|那里)?(?:说|讲|要求|希望|反映|表示|(?:让|叫)(?=我|你|咱))|${WISHED_WHEN_SAID})(?!的|过)`,
  'u',
);
/** "客户李娜让我…", "会员陈静说要…": a customer named after the word for one, then their wish (the name is checked for a surname, mood.ts). */
export const REPORTED_CUSTOMER_NAME_ZH = new RegExp(
  String.raw`(?:客户|顾客|客人|会员)([\p{Script=Han}]{2,3}?)(?:(?:那边|那儿|那里|本人|自己|刚才?|也|又)?(?:说|让|叫|要求|希望|想让)|${WISHED_WHEN_SAID})(?!的|过)`,
  'u',
);
/**
 * What someone said, then after a pause what they asked the user to do ("她说要投诉 让我给她开个单", "李娜说卡坏了 叫我帮她
 * 报修"): 让我 / 叫我 / 要我 still theirs — the subject of the first clause goes on; no go-ahead of the user's own. The
 * words before 说 are a pronoun, a customer word or a name (mood.ts).
 */
export const SAID_THEN_ASKED_ZH = /^([\p{Script=Han}]{1,3}?)(?:刚才?|刚刚|又|也|那边|在电话里)?(?:说|讲|反映)[^\s，,。；;]*[\s，,。；;]+(?:又|还|就|然后)?(?:让|叫|要)我(?!们)/u;
/**
 * What someone said as a fact, then after a pause the user's own order to the bot ("李娜说储值卡能用了 T…你帮我关掉",
 * "老板说活动结束了 你帮我停掉召回"): the order is the user's — a wish (说要 / 说想 / 说让 …) or a permission (说可以) is not
 * a fact, and "老板说 帮我…" with nothing said before the pause may quote the boss.
 */
export const SAID_THEN_OWN_ZH = /^[^\s，,。；;]{1,6}?(?:说|讲|反映)(?!要|想|让|叫|希望|可以|同意|行|没问题|ok)[^\s，,。；;]{2,}[\s，,。；;]+[^\s，,。；;]*?(?:你帮我|你给我|你帮忙|麻烦你|请你|你就)/iu;
export const REPORTED_NAME_EN = /^([\p{Script=Han}]{2,3})\s*(?:said|says|told us|wants|wanted|asked(?: for| us)?)\b/iu;

/**
 * The staff member's own request to handle what a member told us, after a pause ("陈静说菜里吃出沙子了
 * 麻烦跟进", "客人说汤是凉的，记一下", "the customer said it was cold, pls follow up"): the member's words
 * before it are what to handle — a complaint relayed in order to act on it, not a wish relayed instead
 * of an instruction. Only the service verbs (follow up, handle, note, open a ticket); a relayed wish for
 * a tag or points stays relayed.
 */
export const OWN_SERVICE_REQUEST =
  /[，,。；;!！\s]\s*(?:你|帮忙|麻烦|请|帮我|帮她|帮他|给她|给他|赶紧|尽快|马上)?\s*(?:跟进|跟一下|跟下|处理|记录|记一下|记下|记一笔|记上|登记|备注|报一下|报修|(?:建|开|提|挂|起)(?:个|一个|一张)?(?:报修|投诉|售后|维修)?(?:工单|单子?))|[,.;]\s*(?:pls|please|can you|could you|kindly)?\s*(?:follow(?:[- ])?up|sort (?:it|this) out|deal with (?:it|this)|look into (?:it|this)|log (?:it|this)|note (?:it|this)|(?:open|raise|file) a ticket)\b/i;
/** The relayed words of a member or customer (not of a manager, HQ or a department): OWN_SERVICE_REQUEST may act on them. */
export const RELAYED_MEMBER = /^(?:客人|顾客|会员|客户|(?:the|a|this|that) (?:customer|client|guest|member)|she|he|they)\b|^(?:客人|顾客|会员|客户)/i;

/** An identifier after the sentence ("给她打标签了吗 13800000005"): the mood is read before it. */
export const TRAILING_IDENTIFIER = /[\s,，:：]*(?:(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|M\d{8}|T\d{14,})\s*$/i;

/** Punctuation that ends a clause (for "the end of the message" and "no pause between"). */
export const TRAILING = /[\s。.!！~～…,，;；、]+$/u;
