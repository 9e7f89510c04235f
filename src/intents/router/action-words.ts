/**
 * The words that ask a staff write to be done: a verb of that action ("加", "打", "导出", "stop",
 * "give") or its sign ("+100"). A message read as a write that has none of them is a noun phrase
 * about the write's object — "王芳的优惠券", "M00000004家庭客标签看一眼", "13800000003 100分",
 * "recall report", "the customer asked for a VIP tag" — and is read, never acted on (combined.ts).
 * The text is the rules' reading (NFKC, simplified, typos fixed), matched case-insensitively.
 *
 * English words that are nouns as often as verbs (tag, label, note, log, record, file, ticket,
 * recall, export) count as verbs only where a command puts them: first in the message or after a
 * politeness, a conjunction, "to" or an identifier, or between Chinese words ("给陈静 tag 一下"), and never as the last word ("VIP tag",
 * "the recall report" name things; "tag her VIP", "pls recall the churned" ask).
 */

/** Politeness, conjunctions and identifiers after which an ambiguous English word is a verb. */
const COMMAND_LEAD = String.raw`(?:^|\b(?:please|pls|plz|kindly|you|and|then|to|just|also|now|go|ok|okay|can|could|let's|lets|need|want|bulk|batch|mass|should|don't|dont|do not|won't)\s+|[,;:，；：]\s*|(?:\d{5,}|m\d{6,})\s+)`;

/** `words` as verbs when a command puts them there (see above): not the last word, not after a determiner. */
const ambiguous = (words: string) =>
  new RegExp(
    `${COMMAND_LEAD}(?:${words})(?:s|ed|d|ing|ging|ged)?\\s+(?!report|history|status|results?|list|numbers?|stats?|preview|progress|campaigns?\\b|yesterday|today|last|this|so far|rates?|performance|summary|overview|data|details?|info)\\S|[\\u4e00-\\u9fff]\\s*(?:${words})\\s*[\\u4e00-\\u9fff]`,
    'i',
  );

const en = (words: string) => new RegExp(`\\b(?:${words})(?:s|es|ed|d|ing|ging|ged)?\\b`, 'i');

/** Per write intent of staff, the words that ask for it. Intents not listed are not checked. */
const ACTION_WORDS: Readonly<Record<string, readonly RegExp[]>> = {
  'points.adjust': [
    /加|扣|减|送|赠|补|给|充|奖励?|返|调|清零|清(?:掉|空|光|除)|[+＋-]\s*\d|\d\s*[+＋]/,
    en('add|give|deduct|award|credit|grant|top up|subtract|minus|plus|reward|take away|remove|refund|bump|comp|dock'),
    // "take 30 points off 王芳", "knock 50 off": the verb and its particle around the figure.
    /\b(?:take|knock|shave)\b.*\boff\b/i,
  ],
  'tag.add': [/标签(?:上|里)\s*(?:记|写)|(?:记|写)(?:到|进)\S{0,3}标签/, /[+＋]\s*[^\d\s]|打|加|贴|标(?!签)|设为|设成|设置|添|挂|改成|换成|变成|归为|归到|算作|列为|弄个|整个|来个|搞个/, en('add|put|give|apply|set|flag|mark|make|assign|attach|stick|slap'), ambiguous('tag|label')],
  'tag.batch': [/打|加|贴|标(?!签)|设为|设成|添|挂|改成|换成|归为|弄个|整个|搞个/, en('add|put|give|apply|set|flag|mark|make|assign|attach'), ambiguous('tag|label')],
  'tag.remove': [/(?:^|\s)[-－]\s*[^\d\s]|去|删|撤|取消|摘|撕|拿掉|移除|清|除|不要|换掉|拿下|下掉|解除/, /\btake\b.*\boff\b/i, en('remove|delete|drop|take off|take away|untag|clear|strip|unlabel|get rid|unmark|cancel')],
  'ticket.create': [
    /开|建|起|提|创|新|录|登记|报|派|转|生成|记|下单|立/,
    // The kind of ticket, then what happened ("售后工单 外卖少送一份"): staff's shorthand for opening one, as +VIP is for a tag.
    /(?:售后|投诉|维修|退款)\s*(?:工单|单子?)\s*[:：,，\-–—]?\s*(?!进度|状态|记录|情况|详情|明细|编号|结果|处理|到哪|呢|吗|有|都|几|多少|列表)\p{Script=Han}{3}/u,
    en('open|create|file|raise|log|submit|make|start|add|new|report|escalate|put in|set up'),
    ambiguous('ticket'),
  ],
  // A ticket's new state, rating or hand-over ("已解决", "关单", "满意度5", "升级", "在跟了", "指派给小刘").
  'ticket.update': [
    /解决|处理|修好|弄好|搞定|办好|好了|完了|完成|受理|接单|关|结单|结案|重开|打开|开启|升级|上报|满意|评分|打分|评价|[1-5一二三四五]\s*(?:星|分)|指派|分配|转给|交给|改|设|标记|进行中|跟进|在跟|跟了|退款了|已退/,
    en('resolve|fix|done|progress|start|close|reopen|escalate|rate|rating|satisfaction|assign|mark|set|update|change|complete|solve|sort|finish'),
  ],
  'interaction.log': [
    /记|登记|备注|录|写|添|补|跟进了|回访了|联系了|沟通了|打了|来电|来店|到店|来过|咨询|反馈|表示|说|问|投诉|夸|抱怨|预约|预订|订了|加了|约了|聊了|满意|不满/,
    en('add|write|put|save|jot|enter|called|phoned|visited|met|spoke|talked|chatted|messaged|emailed|texted|said|asked|complained|praised|booked|came|followed up|left|wants|mentioned'),
    ambiguous('note|log|record'),
  ],
  'recall.launch': [
    /发|送|推|群发|一键|唤醒|挽回|启动|开始|安排|执行|搞|做|跑|拉回|召回(?=\s*(?:一下|下|吧|他们|她们|流失|沉睡|会员|客|人|全部|所有|本店|这些|那些|一批|名单上))/,
    en('send|launch|run|start|kick off|push|blast|text|message|re-engage|reactivate|win back|target|trigger|go ahead|fire'),
    ambiguous('recall'),
  ],
  'recall.stop': [/停|暂停|终止|取消|撤|叫停|中止|关|别发了|不发了|结束|收回/, en('stop|halt|cancel|pause|kill|abort|end|terminate|call off|shut|turn off|disable|withdraw')],
  'segment.export': [/导|到处|下载|汇出|匯出|拉(?:个|一)?(?:表|名单|清单)|发我|给我|要(?:一份|个|份)|出(?:个|一)?(?:表|名单|清单|excel)|excel|表格|csv/i, en('download|send me|give me|get me|pull|dump|email me|share'), ambiguous('export'), /\b(?:csv|excel|spreadsheet|xlsx)\b/i],
};

/**
 * A kind of contact followed by 记录 with no verb after it ("王芳 来电记录", "沟通记录", "跟进记录呢") is
 * the name of a member's records; "来电 记录一下", "记录 王芳 来电" still ask to write one.
 */
const RECORDS_NOUN = /(?:来电|电话|沟通|跟进|互动|通话|回访|联系|拜访|聊天|服务|投诉|到店|来访)\s*(?:记录|纪录|历史)(?!\s*(?:一下|下来|下|上|了|好|吧))/g;

/** An English verb under "not"/"never" asks for nothing ("not adding 100 points to …"): it is no action word. */
const NEGATED_EN = /\b(?:not|never)\s+(?:going\s+to\s+|gonna\s+)?[a-z]+/gi;

/** Whether the write `intent` has words of its own listed here (hasActionWord is true for any text of the others). */
export const listsActionWords = (intent: string): boolean => intent in ACTION_WORDS;
/** The writes whose own words a text says ("别导出" → segment.export): for telling which write a refusing clause refuses. */
export const writesNamedIn = (text: string): string[] => Object.keys(ACTION_WORDS).filter((intent) => hasActionWord(intent, text, { refused: true }));

/**
 * Whether `text` asks for the write `intent` in words (true for intents not listed). `refused`: also a verb under
 * "not" — for a message already read as refusing ("do not log anything for 王芳"), whose negated verb is the very
 * write it refuses (src/bot/dialogue/unasked-write.ts refusedByName); never for a request.
 */
export function hasActionWord(intent: string, text: string, opts: { refused?: boolean } = {}): boolean {
  const words = ACTION_WORDS[intent];
  if (!words) return true;
  const read = opts.refused ? text : withoutNegatedVerbs(text);
  // "来电记录", "跟进记录" name the records (a read of them), not a call or a note to write down.
  const said = intent === 'interaction.log' ? read.replace(RECORDS_NOUN, ' ') : read;
  return words.some((re) => re.test(said));
}

// The router asks for every write of a message in turn: the text without its negated verbs is made once per message.
let lastText: string | undefined;
let lastRead = '';
function withoutNegatedVerbs(text: string): string {
  if (text !== lastText) {
    lastRead = text.replace(NEGATED_EN, ' ');
    lastText = text;
  }
  return lastRead;
}

/**
 * What a bare request is made of: verbs of writing, sending and exporting, the instruments a write uses
 * (a coupon, a message, a tag, points, a file), an amount, softeners, particles and pointers. A message
 * made of these alone ("发券", "群发一下", "导出", "打标签", "加分", "send coupons", "export it") asks for
 * a write but names nothing to act on — no audience, list, segment, member or tag of its own; a pointer
 * ("给他们发", "send them") names only what the previous turn showed. 召回, 流失, 人群包, 都/全部, a name
 * or a tag are objects and are never stripped ("一键召回", "给VIP发券", "导出五月寿星").
 */
const BARE_ZH = [
  // Verbs of writing, sending and exporting.
  '发放', '发送', '发出去', '发出', '发过去', '发', '送出', '送', '推送', '推', '派发', '派', '群发', '批量', '一键', '导出来', '导出去', '导出', '导', '下载', '拉出来', '拉',
  '打上', '打', '加上', '加', '扣掉', '扣除', '扣', '减掉', '减', '贴上', '贴', '标上', '标记', '标', '记下', '记一笔', '记', '新建', '创建', '建', '开',
  '搞', '弄', '做', '整', '执行', '安排', '启动', '来', '出',
  // Instruments, measure words and amounts' units.
  '优惠券', '代金券', '现金券', '抵用券', '券', '消息', '短信', '通知', '信息', '标签', '积分', '分', '表格', '表', '文件', '一份', '份', '一张', '张', '一个', '个', '一些', '些', '一点', '点',
  '一下', '下', '元', '块钱', '块', '钱',
  // Softeners, pointers and particles.
  '帮我', '帮忙', '麻烦', '请', '你', '给我', '我', '给', '把', '那就', '就', '那', '这', '先', '再', '赶紧', '马上', '现在', '快', '去', '他们', '她们', '它们', '这些人', '那些人', '这些', '那些', '这批', '那批', '这个', '那个', '吧', '了', '啊', '呗', '嘛', '呀', '哈', '好', '的', '呢',
];
const BARE_ZH_RE = new RegExp(`^(?:${[...BARE_ZH].sort((a, b) => b.length - a.length).join('|')}|\\d{1,4}(?:\\.\\d+)?)+$`);
const BARE_EN = new Set(
  ('send sending sent out hand handing distribute push blast text message messages coupon coupons voucher vouchers export exports exported download tag tags label labels add give points point pts ' +
    'a an the some please pls plz go ahead do it now mass bulk batch run launch start fire off me for to them they these those this that just yuan rmb each ok okay')
    .split(' '),
);

/**
 * Whether `text` asks for a write with nothing to act on (see BARE_ZH): only verbs, instruments, amounts,
 * softeners and pointers. Empty text is not a request at all (false).
 */
export function namesNothingToActOn(text: string): boolean {
  const s = text.normalize('NFKC').toLowerCase();
  const zh = s.replace(/[a-z]+/g, ' ').replace(/[\s\p{P}\p{S}]/gu, '');
  const en = s.match(/[a-z]+/g) ?? [];
  // An identifier (a phone, a member or ticket number) names its object; an amount does not.
  if ((!zh && !en.length) || /\d{5,}/.test(s)) return false;
  return (!zh || BARE_ZH_RE.test(zh)) && en.every((w) => BARE_EN.has(w));
}

/** A question's end: a question mark or 吗/么/嘛. */
const ASKED_END = /(?:[?？吗么嘛][\s。.!！~～]*)+$/u;
/**
 * "加?", "扣吗", "add?": a write's bare verb (namesNothingToActOn) put as a question — what to do, and to what, is not said;
 * the bot asks, never writes. The verb without its question ("加"); null for anything else, and for a question whether it
 * was done ("加了吗", "扣过吗": about-action.ts, the gate).
 */
export function bareWriteAsked(text: string): string | null {
  const s = text.normalize('NFKC').trim();
  const end = ASKED_END.exec(s);
  const stem = end ? s.slice(0, end.index).replace(/[\s\p{P}]+$/u, '') : '';
  return stem !== '' && !/[了过]/.test(stem) && namesNothingToActOn(stem) ? stem : null;
}

/** The writes listed here whose words `text` uses ("加" → tag.add, tag.batch, points.adjust): the options a bare verb leaves open. */
export const writesNamedBy = (text: string): string[] => Object.keys(ACTION_WORDS).filter((intent) => hasActionWord(intent, text));
