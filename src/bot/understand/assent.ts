import { anyWord, CORRECTION, DEFER_END_ZH, VERB_EN, VERB_ZH } from './lexicon.ts';
import { analyseMood } from './mood.ts';
import { toSimplified } from '../../intents/router/traditional.ts';

/**
 * How a message answers "回复「确认」执行": `explicit` (确认 / 确定 / 执行 / confirm / yes / go
 * ahead, with or without the 4-digit code) takes a pending action at any time before it
 * expires; `vague` (嗯, 好的, ok, sure …) only right after the bot asked (src/bot/gate-confirm.ts);
 * null is anything else.
 */
export type Assent = 'explicit' | 'vague' | null;

const CODE = /(?<!\d)\d{4}(?!\d)/;
// Assent before the explicit word ("嗯 确认", "yes do it", "yeah, confirm"): the explicit word decides.
const FILLER = /^(?:好的?|嗯+|ok(?:ay)?|yes|yeah|yep|sure|那就|那|就|没问题|可以|行)[,，\s]*/i;
const EXPLICIT = /^(?:确认|确定|执行|确认执行|确定执行|确认无误|立即执行|马上执行|执行吧|确认吧|确定吧|confirm(?:ed)?|yes|yes please|go ahead|do it|proceed)(?:执行|吧|一下|please)?$/i;
const VAGUE_WORD = '(?:嗯+|嗯嗯|恩|好|好的|好滴|好吧|好啊|行|行吧|行啊|可以|可以的|可|对|对的|对对|是|是的|没问题|收到|来吧|那就这样吧?|就这样吧?|就这么办吧?|搞吧|弄吧|ok的|ok啦|okk+|好嘞|好哒|ok|okay|k|sure|yep|yeah|yup|fine|alright|all right|right|go|👌|👍)';
// One vague word, or several run together ("嗯 对", "行 就这样吧", "ok sure"): still no explicit word.
const VAGUE = new RegExp(`^${VAGUE_WORD}(?:[\\s,，、]*${VAGUE_WORD})*$`, 'iu');
/** Vague words before the explicit one, however many ("对 确认", "好 就这样 确认", "行 確認"): the explicit word decides. */
const VAGUE_LEAD = new RegExp(`^(?:${VAGUE_WORD}[\\s,，、]*)+`, 'iu');
/** A verb that takes an action, said right after 确认 / 确定 ("确认转", "确认扣", "确认打标", "确定 发吧"): which action, not another request. */
const TAKE_VERB = '(?:发送?|发出去|群发|转(?:过去)?|扣(?:掉)?|加(?:上)?|打(?:标签?|上)?|标上|导出?(?:来)?|停(?:掉)?|开(?:单)?|建|关(?:掉)?|删(?:掉)?|去掉|记(?:上|下)?|改|提交)';
/**
 * 确认 / 确定 with a little more (session 25): "确认下", "确认执行", "确认转", "确认发送", "确定 发吧" — still explicit; the more is
 * a particle or the held action's verb alone, never an object ("确认一下他的积分" asks to check).
 */
const EXPLICIT_MORE = new RegExp(`^(?:确认|确定)(?:[\\s,，]*(?:下|一下|执行|无误|${TAKE_VERB}(?:吧|呗|一下|啊)?))?$|^confirm(?:ed)?(?:[\\s,]+(?:it|that|please|(?:and |,\\s*)?(?:send|go ahead|proceed|do it)(?: it)?))*$`, 'iu');

// Read in simplified characters, as the router reads ("確認", "等一下 標籤不對").
const bare = (text: string) =>
  toSimplified(text)
    .normalize('NFKC')
    .trim()
    .replace(/[\s。.!！~～,，、]+$/u, '')
    .replace(/^[\s。.!！~～,，、]+/u, '');

/** The 4-digit code a confirmation names, if any. */
export const confirmationCode = (text: string): string | undefined => CODE.exec(text.normalize('NFKC'))?.[0];

/** "why not", "sure why not", "行啊 为啥不": a rhetorical question that agrees — its "not" negates nothing. */
const WHY_NOT = /^(?:(?:sure|ok(?:ay)?|yeah|yes|yep|好啊?|行啊?|可以啊?)[,，\s]*)?(?:why not|为啥不|为什么不|何乐而不为)[?？]*$/i;

/** Thanks or a kind word after the assent ("嗯嗯可以 弄吧 辛苦", "ok go ahead, thanks"): it adds nothing to it. */
const THANKS_END = /(?:[\s,，、]+|^)(?:辛苦(?:了|啦|你了|您了)?|谢谢(?:你|您|啦)?|多谢|感谢|麻烦(?:你|您)?了|thanks?(?: you)?|thx|ty|cheers)[!！~～。.]*$/iu;

/** Assent that says to go on ("弄吧", "搞吧", "就这样", "go"), not only "好的": with thanks after it, still assent. */
const DO_WORD = /弄|搞|办|来吧|就这样|这么办|执行|确认|确定|\b(?:go|do it|proceed)\b/i;

export function assentOf(text: string): Assent {
  const thanked = bare(text).replace(THANKS_END, '');
  if (thanked && thanked !== bare(text)) {
    // "好的 谢谢" thanks for a reply; "嗯嗯可以 弄吧 辛苦" says to go on, and thanks for it.
    const a = assentOf(thanked);
    return a === 'explicit' || (a === 'vague' && DO_WORD.test(thanked)) ? a : null;
  }
  const t = bare(text);
  if (!t || t.length > 24) return null;
  if (WHY_NOT.test(t)) return 'vague';
  const mood = analyseMood(t);
  if (mood.negated || mood.question) return null;
  const core = bare(t.replace(CODE, ' ')).replace(/\s+/g, ' ');
  const unled = core.replace(VAGUE_LEAD, '').replace(FILLER, '');
  if (EXPLICIT.test(core) || EXPLICIT.test(core.replace(FILLER, '')) || EXPLICIT.test(unled) || EXPLICIT_MORE.test(core) || EXPLICIT_MORE.test(unled)) return 'explicit';
  // "哦哦 好": an "I see" before the assent is no more than the assent (哦 alone agrees to nothing).
  if (!VAGUE.test(core) && !VAGUE.test(core.replace(/^(?:哦+|噢+|喔+)[\s,，、]*/u, ''))) return null;
  // "好 4821": naming the code makes it explicit.
  return CODE.test(t) ? 'explicit' : 'vague';
}

/**
 * Each held write's own verb said as an order ("发吧", "行 发吧", "那就导出吧", "打上吧", "ok send it"): assent that
 * names the very action waiting — as explicit as 确认, however many turns after the preview.
 */
const HELD_VERB: Readonly<Record<string, string>> = {
  'recall.launch': '发|发送|发出去|群发|send|send (?:it|them|the coupons?)',
  'recall.stop': '停|停掉|停了它|stop|stop it',
  'tag.batch': '打|打上|贴|贴上|标上|tag|tag them',
  'points.adjust': '扣|扣掉|加|加上|deduct|deduct it|add|add them',
  'segment.export': '导|导出|导出来|下载|export|export it|download|download it',
  'contacts.transfer': '转|转过去|转吧|transfer|transfer (?:it|them)',
};
const VERB_LEAD = /^(?:(?:好的?|嗯+|恩|ok(?:ay)?|yes|yeah|yep|sure|没问题|可以|行|对|那就|那|就|直接|马上|现在|go ahead and|then)[,，\s]*)+/i;
const VERB_END = /(?:吧|呗|啊|一下|一下吧|出去|出去吧|掉吧|上吧|now|please|pls)?$/i;

/** Whether the message is assent that names the held `heldIntent`'s own action ("行 发吧" while a recall waits). */
export function assentNames(text: string, heldIntent: string): boolean {
  const verbs = HELD_VERB[heldIntent];
  const t = bare(text);
  if (!verbs || !t || t.length > 24) return false;
  const mood = analyseMood(t);
  if (mood.negated || mood.question || mood.deferred || mood.hypothetical) return false;
  const core = t.replace(VERB_LEAD, '').replace(/[\s,，]+$/u, '');
  return new RegExp(`^(?:${verbs})${VERB_END.source}`, 'i').test(core);
}

/** Words that take a held action: negated or put off, they hold it back ("先别确认", "don't confirm yet"). */
const TAKE_WORD = /确认|确定|执行|提交|发出?|跑|confirm|proceed|go ahead|do it|send|run/i;
/** "等一下" / "稍等" / "hold on": wait, said on its own. */
const WAIT = /^(?:先|你)?(?:等一下|等一等|等等|等下|等会儿?|等一会儿?|稍等(?:一下)?|慢着|且慢|先停一下|停一下|hold on|wait(?: a (?:sec|second|minute|moment|bit))?|hang on|one sec(?:ond)?|not yet)$/i;
/**
 * "不是这个标签" / "不对" / "搞错了" / "哦不" / "wrong tag": the preview is not what was meant — a correction word
 * (CORRECTION in lexicon.ts) as the whole answer. The English side names what is wrong ("wrong tag"), its own words.
 */
const REJECT = new RegExp(
  `^(?:不是这个|不是那个|不是这样|${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})(?:标签|人群包?|名单|券|金额|数字?|人|的|意思)?(?:吧|啊|呀|哦|了)?$|^(?:wrong (?:tag|list|segment|one|amount|people|members?|number|coupon)|that'?s (?:wrong|not right)|not that (?:one|tag|list)|not (?:the )?right|no+(?:[,.!\\s]+no+)*)$`,
  'i',
);
/**
 * What the preview got wrong, named first ("标签不对", "金额错了", "人不对吧", "the amount is wrong"): after a noun, the
 * correction words that can say it is wrong (CORRECTION's 不对 and …错了 — not 不是 nor 更正, not 我说错了), and a few more of
 * the same kind that only follow a noun (选错了, 填错了, 有误 …).
 */
const PART_WRONG = CORRECTION.wrongZh.filter((w) => w === '不对' || (w.endsWith('错了') && !w.startsWith('我')));
const WRONG_PART = new RegExp(
  `^(?:这个|那个)?(?:标签|人群包?|名单|券|金额|数字|数量|人|人数|对象|会员|积分|分数|时间|门店|店)(?:好像|可能|有点|也)?(?:${anyWord([...PART_WRONG, '选错了', '填错了', '发错了', '设错了'])}|有误|有问题|不是这个)(?:吧|啊|呀|哦|了|呢)?$|^(?:the )?(?:tag|list|segment|amount|number|people|members?|coupon|points?|store)\\s+(?:is|are|looks?|seems?)\\s+(?:wrong|off|not right|incorrect)$`,
  'i',
);

/** Assent, a hesitation or a bare "but" before the real answer ("嗯嗯 我再想想", "嗯…我再想想", "好的 但先等等", "hmm, let me think"). */
const LEAD = /^(?:(?:嗯+|恩|呃+|额+|唔+|emm+|hmm*|um+|uh+|好的?|好吧|行吧|行啊|那|那个|ok(?:ay)?|行|可以|actually|well|so)[,，.。…\s]*)?(?:但是?|不过|可是|but)?[,，.。…\s]*/i;
/** "等等 我问下店长", "wait, let me ask": a wait before the reason for it. */
const WAIT_LEAD = /^(?:先|你)?(?:等一下|等一等|等等|等下|等会儿?|稍等(?:一下)?|慢着|且慢|hold on|wait(?: a (?:sec|second|minute|moment|bit))?|hang on|one sec(?:ond)?|not yet|no wait|wait no)[,，.。!！…\s]+/i;
/** Thinking it over ("我再想想", "考虑一下", "let me think"): not yet. */
const DELIBERATE =
  /^(?:我|让我|容我|等我)?(?:再|先|还得|还要|得)?(?:想想|想一想|想一下|考虑(?:一下|考虑)?|琢磨(?:一下)?|斟酌(?:一下)?|商量(?:一下)?|看看|核实(?:一下)?|核对(?:一下)?|问(?:一下|下|问)(?:店长|老板|经理|领导|主管|总部|区域|同事|他|她|别人|[\p{Script=Han}]{2,3})?)(?:再说)?(?:吧|啊|哈|哦)?$|^(?:let me|i'?ll|i need to|i have to|i'?d like to|i want to|i should|i gotta|i'?ve got to) (?:first )?(?:think|(?:double[- ]?)?check|ask|sleep on|talk to|run it by|confirm with|verify|review)|^give me a (?:sec|second|minute|moment)|^(?:i'?m )?not (?:so |too |really |quite )?sure(?: about (?:this|that|it))?$|^on second thoughts?\b|^(?:hold|leave) (?:it|that|this)(?: for now| there)?$|^(?:hold|put) (?:it|that|this) on hold$|^(?:我)?(?:还)?不(?:太)?确定$|^(?:我)?再(?:考虑|想|斟酌|琢磨)(?:考虑|想|一下|下)?(?:吧|啊|哈)?$/iu;

/** A time to come, then at most 再 and a bare verb ("明天再弄吧", "回头再办", "下周再发吧", "改天吧"). */
const DEFER_ONLY_ZH = /^(?:那|就)?(?:明天|后天|下周[一二三四五六日天]?|下个?月|改天|回头|晚点|晚些|过两天|过几天|下次|以后|等会儿?|待会儿?|下午|晚上|今晚|周末|月底|节后)(?:再)?(?:弄|搞|办|做|处理|发|开|打|加|扣|转|导|导出|停|说|看|讲)?(?:吧|哈|啊|呗)?$/u;
/** A deferral that is the whole answer, in English ("hold off till monday", "maybe later", "let's do it tomorrow"). */
const PUT_OFF = /^(?:(?:(?:ok(?:ay)?|hmm+|well|actually|no|nah)[,.\s]+)?(?:let'?s |maybe |we(?:'ll| will| can|'d better) |can we |i'?ll )?(?:hold off|later|not now|not today|tomorrow|next week|another (?:day|time)|some other time|do (?:it|this|that) (?:later|tomorrow|next week|another (?:day|time))|leave (?:it|this|that) (?:for|till|until) (?:later|tomorrow|now)))(?:[\s,.!]+(?:till|until|til|on|off|after|by|before|next|this|the|then|today|tomorrow|for|now|please|pls|ok|okay|it|that|(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|week|month|morning|afternoon|evening|recall|export|tagging|tag|coupons?|points|deduction))*[\s,.!]*$/i;

/**
 * A question about a held action's doing — a supposition of it, or its verb in a question ("假如现在不发 明天再发会不会效果好点",
 * "does this also tag 静安's churn list?", "要是发了能撤回吗") — not negated: about the action, never its withdrawal nor its 确认.
 */
export function asksAboutHeld(text: string): boolean {
  const t = bare(text);
  const mood = analyseMood(t);
  // A question mark closes it, whatever a colon made of the words before ("wait: does this also …?").
  if (!(mood.question || /[?？]$/u.test(t)) || mood.negated) return false;
  return mood.hypothetical || VERB_ZH.test(t) || VERB_EN.test(t);
}

/**
 * A message that holds back the pending action instead of taking it: a negated or deferred
 * confirmation ("先别确认", "别执行", "don't confirm yet"), a bare "wait" ("等一下"), or a
 * rejection of the preview ("不是这个标签", "不对"). With an action pending, the pipeline reads
 * it as 取消: the action is dropped (a held action never runs on a maybe; the user asks again).
 */
export function holdsBack(text: string): boolean {
  const t = bare(text);
  // Short: a few Chinese words, or an English sentence ("hmm, let me check with my boss first").
  if (!t || t.length > (/[a-z]{3}/i.test(t) ? 48 : 24)) return false;
  if (WAIT.test(t) || REJECT.test(t) || WRONG_PART.test(t)) return true;
  // A question about the action, however it opens ("Hmm, wait: does this also tag 静安's churn list?", "假如现在不发 明天再发会不会
  //效果好点"): asked about, not withdrawn — unless it refuses ("先别发?"). Answered while it stays held (held-action.ts).
  if (asksAboutHeld(t)) return false;
  const rest = t.replace(LEAD, '');
  if (rest && (WAIT.test(rest) || DELIBERATE.test(rest) || DELIBERATE.test(rest.replace(WAIT_LEAD, '')) || (rest !== t && (REJECT.test(rest) || WRONG_PART.test(rest))) || REJECT.test(rest.replace(WAIT_LEAD, '')) || WRONG_PART.test(rest.replace(WAIT_LEAD, '')))) return true;
  // "hold on, not today", "等等 明天再说": a wait, then when instead.
  const unwaited = rest.replace(WAIT_LEAD, '');
  if (unwaited !== rest && PUT_OFF.test(unwaited)) return true;
  const mood = analyseMood(t);
  // Assent followed by a deferral ("嗯 等我问问店长", "好 明天再说"), or a deferral that is the whole
  // answer ("等会儿再说", "回头再看"): not now, so not at all (the user asks again).
  if (mood.deferred && ((rest && rest !== t && analyseMood(rest).deferred) || DEFER_END_ZH.test(t))) return true;
  // "明天再弄吧", "改天再说", "下周再发吧": a time to come and at most a bare verb — the held action put off, nothing else named.
  if (mood.deferred && DEFER_ONLY_ZH.test(rest || t)) return true;
  // "hold off till monday", "later", "let's do it tomorrow": a deferral that names nothing else puts the held action off.
  if (mood.deferred && PUT_OFF.test(t)) return true;
  return TAKE_WORD.test(t) && (mood.negated || mood.deferred);
}

