import { cutName, hanName, isSurname } from '../router/names.ts';

/**
 * Who hands their WeCom customers over and who takes them (contacts.transfer), as staff say it:
 * "把张伟的客户转给李娜", "张伟手上的客户都分给李娜", "张伟离职了，她的客户转给李娜", "让李娜接手张伟的客户",
 * "张伟的客户由李娜来接", "把客户从张伟转到李娜", "transfer Zhang Wei's customers to Li Na",
 * "move all of zhang wei's customers to li na", "transfer customers from Zhang Wei to Li Na".
 * Either party is a staff name or WeCom userid; contacts resolves it (never guessed here).
 */
const WHO = '([^\\s，,。.!！?？、的把将从让由请叫]{1,16}?)';
const TAIL = '([^\\s，,。.!！?？、]{1,16})';
/** What stands between a person and their customers: 的, 手上的, 名下的, 企微, 所有 …. */
const OWNS = '\\s*(?:的|手上的|手里的|名下的|那边的|负责的)\\s*(?:所有|全部)?\\s*(?:的)?\\s*(?:企业?微信|企微)?\\s*(?:客户|顾客|客人|好友|联系人)(?:们)?';
// A modal or a how before the verb ("能转给小刘吗", "要不要转给", "怎么转给王店长") asks about the same hand-over: its
// parties are read all the same (the gate, not the parser, keeps a question from running).
const HAND = '\\s*(?:你|您)?\\s*(?:帮我|帮忙|麻烦|给我)?\\s*(?:全部|都|全都|统统)?\\s*(?:都)?\\s*(?:能不能|可不可以|能否|可以|能|要不要|该不该|应该|需要|要|得|该)?\\s*(?:怎么|咋|如何)?\\s*(?:先|就|也|暂时|直接|统一)?\\s*(?:转给|转交给|转交|交接给|交接到|交给|分给|分配给|转移给|转移到|转到|移交给|移交到|移交|划给|划到|过给|给)\\s*';
// Leaving said with where to ("调去总部了", "调到杭州"), and the customers as "她手上那些".
const LEFT = '\\s*(?:离职|辞职|要走|走了|(?:月底|月初|年底|下周|下个?月|明天|这周|过两天)\\s*(?:就|要)?走|调走|调岗|调店|调去|调到|调回|转岗|退休|不干|休产假|休假)[^，,。.!！]{0,8}[，,。\\s]*(?:他|她|ta|TA)?\\s*(?:的|手上的?|手里的?|名下的?)?\\s*(?:那些|这些)?\\s*(?:所有|全部)?\\s*(?:企业?微信|企微|微信)?\\s*(?:客户|顾客|客人|好友|联系人)';
const TAKE = '\\s*(?:来)?\\s*(?:接手|接管|接过来|接过去|接|跟进|负责)';
const EN_WHO = "([A-Za-z\\p{Script=Han}][\\w .'\\p{Script=Han}-]{0,30}?)";
const EN_CUSTOMERS = '\\s+(?:wecom\\s+)?(?:customers|clients|contacts)';

const PATTERNS: { re: RegExp; from: number; to: number }[] = [
  // 把客户从张伟转到李娜
  { re: new RegExp(`(?:客户|顾客|客人|customers)\\s*从\\s*${WHO}\\s*(?:那里|那边|手上|名下)?\\s*(?:转|移|划|交)(?:给|到|交给)\\s*${TAIL}`, 'u'), from: 1, to: 2 },
  // 张伟离职了，她的客户都转给李娜
  { re: new RegExp(`${WHO}${LEFT}${HAND}${TAIL}`, 'u'), from: 1, to: 2 },
  // 把张伟的客户转给李娜 / 张伟手上的客户都分给李娜
  { re: new RegExp(`${WHO}${OWNS}${HAND}${TAIL}`, 'u'), from: 1, to: 2 },
  // 让李娜接手张伟的客户
  { re: new RegExp(`(?:让|由|请|叫)\\s*${WHO}${TAKE}\\s*${WHO}${OWNS}`, 'u'), from: 2, to: 1 },
  // 张伟的客户由李娜来接
  { re: new RegExp(`${WHO}${OWNS}\\s*(?:都|全部)?\\s*(?:由|让|请|交由|给)\\s*${TAIL.replace('{1,16}', '{1,16}?')}${TAKE}`, 'u'), from: 1, to: 2 },
  // 客户交接 张强→李娜 / 转移客户：周俊 -> 黄丽 / transfer contacts Huang Li → Li Na (an arrow after a transfer word)
  { re: new RegExp(`(?:交接|转移|转交|移交|转给|\\btransfer|\\bhandover|\\bhand over)[^→>]{0,12}?[:：\\s]\\s*${WHO}\\s*(?:→|->|=>|⇒|—>|➡)\\s*${TAIL}`, 'iu'), from: 1, to: 2 },
  // 张伟华客户 转 李娜 (terse: the whole message, a space before the verb)
  { re: new RegExp(`^\\s*${WHO}\\s*(?:的)?\\s*(?:企业?微信|企微)?\\s*(?:客户|顾客|客人|好友)\\s+(?:全部|都)?\\s*(?:转给|转到|转|交给|给)\\s*${TAIL}\\s*$`, 'u'), from: 1, to: 2 },
  // transfer Zhang Wei's customers to Li Na / move zhou jun customers to zhang qiang
  // …also past or going on, and a question or a clause after the taker ("if I transfer 客服小刘's WeCom customers to 王店长, do …?",
  // "what if we moved 王店长's customers over to 客服小刘?").
  { re: new RegExp(`\\b(?:transfer(?:red|ring)?|mov(?:e|ed|ing)|hand(?:ed|ing)?\\s+over|hand|reassign(?:ed)?|assign|pass|give)\\s+(?:all\\s+(?:of\\s+)?)?${EN_WHO}(?:['’]s?)?${EN_CUSTOMERS}\\s+(?:over\\s+)?to\\s+${EN_WHO}\\s*(?:[.!]?$|(?=[,;?]))`, 'iu'), from: 1, to: 2 },
  // transfer customers from Zhang Wei to Li Na
  { re: new RegExp(`\\b(?:transfer|move|hand\\s+over|reassign|assign|pass|give)\\s+(?:all\\s+)?(?:(?:the|of)\\s+)?(?:wecom\\s+)?(?:customers|clients|contacts)\\s+(?:of|from)\\s+${EN_WHO}\\s+(?:over\\s+)?to\\s+${EN_WHO}\\s*[.!]?$`, 'iu'), from: 1, to: 2 },
];

const HANDS_OVER = /转|移交|交接|分给|划给|交给|接手|接管|\b(?:transfer|move|hand\s+over|reassign)\b/i;
const FROM_ONLY_ZH = new RegExp(`(?:^|[\\s，,。；;把将])${WHO}${OWNS}`, 'u');
const FROM_ONLY_EN = new RegExp(`\\b(?:transfer|move|hand\\s+over|reassign|pass)\\s+(?:all\\s+(?:of\\s+)?)?${EN_WHO}['’]s?${EN_CUSTOMERS}\\b`, 'iu');

// Someone leaving, whose customers are asked about with no hand-over word ("小刘要是走了她的客户怎么办", "张伟离职了 她的客户呢"):
// the one leaving is whose customers they are (a hypothetical is declined by the gate, with the party named).
const LEAVING_FROM = new RegExp(`(?:^|[\\s，,。；;])${WHO}\\s*(?:要是|如果|万一|假如|假设)?${LEFT}`, 'u');

const TO_ONLY = new RegExp(`(?:客户|顾客|客人|好友|联系人)(?:们)?${HAND}${TAIL}`, 'u');

const GLUED_REQUEST = /(?<=\p{Script=Han})(?:你|您)(?:帮|给|来|去|处理|弄|操作|看|搞).*$|(?<=\p{Script=Han})(?:帮我|帮忙|麻烦).*$/u;

/**
 * How staff name each other: a surname and a title ("王店长", "李经理"), 小/老/阿 and a surname ("小刘",
 * "老陈"), either after a department ("客服小刘", "市场小陈"). Such a form ends where a new clause begins
 * ("转给王店长小刘下午要休假": the taker is 王店长; 小刘's afternoon off is why).
 */
const TITLE = '(?:副店长|店长|经理|主管|组长|领班|老师|总监|总)';
const DEPT = '(?:客服|市场|前台|店员|收银|运营|总部|财务)';
const STAFF_FORM = new RegExp(`^${DEPT}?(?:[小老阿](\\p{Script=Han})|(\\p{Script=Han})${TITLE})`, 'u');
/** What starts a new clause after a party: another staff form, a time, or the reason. */
const CLAUSE = new RegExp(`^(?:${DEPT}?[小老阿]\\p{Script=Han}|\\p{Script=Han}${TITLE}|下午|上午|中午|晚上|今天|明天|后天|下周|这周|下个?月|月底|年后|马上|待会|等会|因为|要|会|在|说|请假|休假|离职|辞职)`, 'u');
function staffForm(v: string): string | undefined {
  const m = STAFF_FORM.exec(v);
  if (!m || !isSurname((m[1] ?? m[2])!)) return undefined;
  const rest = v.slice(m[0].length);
  return rest && CLAUSE.test(rest) ? m[0] : undefined;
}

/** A party as named: particles and leading request words off; a Chinese name cut from words glued to it. */
function clean(raw: string): string {
  // The request glued after the party ("转给小张你帮我弄一下", "小李你处理下") is the user turning to the bot.
  // A refused hand-over before whose customers ("不用转小刘的客户了"): the refusal and its verb are no part of the name.
  let v = raw.trim().replace(/^(?:[把将]|the\s+)/i, '').replace(/^(?:先|暂时|就)?(?:不用|不要|别|甭|不必|无需|没必要)\s*(?:再)?\s*(?:转|移交|交接|分)(?=\p{Script=Han})/u, '').replace(GLUED_REQUEST, '').replace(/(?:好了|好吗|好不好|好嘛|行吗|可以吗|吧|了|啊|呀|哦|哈|吗|呢|就行|就好|即可)+$/, '').trim();
  const staff = staffForm(v);
  if (staff) v = staff;
  else if (/^\p{Script=Han}{3,}$/u.test(v)) v = hanName(cutName(v)) ?? v;
  // "… to 李娜 next week", "… to Li Na asap", "don't … to store_manager_01 yet": when, not who.
  else v = v.replace(/(?:\s+(?:next|this|last)\s+\w+|\s+(?:for|right|just)\s+(?:now|yet)|\s+(?:tomorrow|today|tonight|now|yet|please|pls|asap|thanks?|first|later))+$/i, '').trim();
  return v;
}

/**
 * The phrasings above as triggers of contacts.transfer: a message in one of them asks for a
 * transfer however its parties are placed (the parser and the trigger never disagree).
 */
export const TRANSFER_PHRASES: readonly RegExp[] = PATTERNS.map((p) => p.re);

export function transferParties(text: string): { from?: string; to?: string } {
  // A request put as a question ("could you transfer 周俊's customers to 黄丽?") names the same parties.
  // Only here: the phrasings as triggers keep their end, so a question is not made a transfer by them.
  const t = text.trim().replace(/[。.!！~～?？]+$/, '');
  for (const { re, from, to } of PATTERNS) {
    const m = re.exec(t);
    if (!m) continue;
    const f = clean(m[from]!);
    const g = clean(m[to]!);
    if (f && g && f !== g) return { from: f, to: g };
  }
  // Only whose customers, no one to take them ("别转了 小刘的客户还是她自己管", "don't move 小刘's customers yet", "把张伟的客户转了"):
  // the one party named is still what the message is about (the intent asks for the other; a refusal is declined with it).
  // Only when a hand-over is named at all ("孙悦的客户有多少" names none).
  const m = HANDS_OVER.test(t) ? (FROM_ONLY_ZH.exec(t) ?? FROM_ONLY_EN.exec(t)) : LEAVING_FROM.exec(t);
  const f = m ? clean(m[1]!) : '';
  if (f) return { from: f };
  // Only who takes them ("把全店客户都转给李娜好了", "客户能转给小刘吗"): the taker named is still read, the intent asks whose.
  const to = TO_ONLY.exec(t);
  const g = to ? clean(to[1]!) : '';
  return g && (staffForm(g) === g || hanName(g) === g) ? { to: g } : {};
}

/** What comes before a party said alone: a pause or a correction ("等下", "不对", "no wait"), a change of mind (还是), "now". */
const PARTY_LEAD = /^(?:(?:等下|等等|等一下|等会|不对|不是|错了|哦不|噢不|还是|那就|那|就|现在|直接|no|nope|wait|actually|sorry|oops|make it|change it to|instead)[,，.!！\s]*)+/i;
/** The hand-over verb or change verb before the party ("转给", "交给", "改成", "给", "to"). */
const PARTY_VERB = /^(?:改成|换成|改为|换为|改给|换给)?\s*(?:转给|转交给|交接给|交给|分给|移交给|给|to)?\s*/i;
/** A WeCom userid as the staff table has it (agent_01, store_manager_02). */
const USERID = /^[a-z]+(?:_[a-z0-9]+)+$/i;

/**
 * One party said alone, as the reply to "who takes them?" or as a change of the one held ("王店长", "给store_manager_02",
 * "等下 转给李店长吧", "no wait, 市场小陈", "我"): the staff form, userid or two- to three-character name, as written;
 * null when anything else is said. Which party it is, the conversation knows (src/bot/dialogue/transfer-party.ts).
 * `said`: the message after its pause or correction, what asks for the change ("等下 转给李店长吧" → "转给李店长吧").
 */
export function loneParty(text: string): { party: string; said: string } | null {
  const said = text.normalize('NFKC').trim().replace(/[。.!！~～]+$/u, '').replace(PARTY_LEAD, '');
  const party = partyOf(said.replace(PARTY_VERB, ''));
  return party ? { party, said } : null;
}

function partyOf(raw: string): string | null {
  const v = raw.replace(/(?:吧|啦|好了|就行|就好|instead)+$/iu, '').trim();
  if (!v) return null;
  if (v === '我' || USERID.test(v)) return v;
  const m = STAFF_FORM.exec(v);
  if (m && m[0] === v && isSurname((m[1] ?? m[2])!)) return v;
  return /^\p{Script=Han}{2,3}$/u.test(v) && hanName(v) === v ? v : null;
}
