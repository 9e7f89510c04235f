import { anyWord, CORRECTION } from '../../bot/understand/lexicon.ts';

/**
 * Too vague to act on, a step of combined.ts: a message made *only* of a generic verb of looking or
 * handling ("查一下", "帮我看看", "弄一下", "check this") or of a pointer at something never named
 * ("那个数据呢", "那个人呢", "情况怎么样") names no object, member, store or figure: any read the
 * model picks for it is a guess, so the bot asks what is wanted (clarify, no options). Whole
 * message only: one object word ("查一下订单", "看下王芳") makes it a request, and a greeting or
 * "你能干啥" stays help.
 */

/** The generic words such a message is made of, Chinese and English. */
const GENERIC = [
  // Verbs of looking and handling, with their softeners.
  '帮我', '帮忙', '麻烦', '请', '给我', '你', '查一下', '查下', '查查', '查', '看一下', '看下', '看看', '看', '瞅瞅', '瞅一下', '瞅', '弄一下', '弄下', '弄', '整一下', '整下', '整',
  '搞一下', '搞下', '搞', '处理一下', '处理下', '处理', '改一下', '改下', '改', '一下', '下', '再', '重新', '帮',
  // … or passing it on at a handover ("那个事帮下一班跟一下"): to whom is said, what is not.
  '跟一下', '跟进一下', '跟进', '跟下', '跟', '下一班', '下个班', '下班的', '接班的', '同事',
  // Pointers at nothing named, and "how is it".
  '那个', '这个', '那件', '这件', '那', '这', '数据', '情况', '东西', '事情', '事儿', '事', '人', '怎么样', '咋样', '如何', '怎样',
  // … a person pointed at and nothing asked of them ("她呢", "他的呢"): a refinement with nothing to refine.
  '她', '他', '的',
  // … a person or a time pointed at, never named ("那个客人", "上次那个"): whom or what is not said.
  // A person word with a verb and no pointer ("查下会员") asks for a look-up: see PERSON below.
  '客人', '顾客', '客户', '会员', '上次', '刚才', '之前',
  // … a thing said before and never named here ("上次说的那个", "之前提过的那件"), voice fillers ("嗯", "就是").
  '说的', '说过的', '提的', '提过的', '讲的', '讲过的', '聊的', '聊过的', '就是', '嗯', '呃', '额',
  // … a person pointed at whose name will not come ("那个谁", "那谁来着"): who is not said.
  '那个谁', '这个谁', '那谁', '这谁', '来着',
  // Particles.
  '呢', '吧', '啊', '呀', '哈', '嘛', '了',
];
const GENERIC_ZH = new RegExp(`^(?:${GENERIC.sort((a, b) => b.length - a.length).join('|')})+$`);
const GENERIC_EN = /^(?:(?:please|pls|can you|could you|check|look|see|look at|have a look|take a look|handle|deal with|do|sort out|this|that|it|one|for me|at|the|thing|stuff|from|yesterday|before|earlier|last time|we talked about|we discussed|you know)\s*)+$/i;
/** A verb or pointer must be there: particles or 人 alone are no request at all ("了", "人"). */
const CORE = /查|看|瞅|弄|整|搞|处理|改|跟|那个|这个|[那这]谁|情况|数据|^[她他]的?呢$|\b(?:check|look|see|handle|deal|thing|stuff)\b/i;

/**
 * A pick or a change with nothing listed or held before it, as a single message: "上面第二个", "第3个",
 * "改成50", "换成老客" — which list, what to change, cannot be known (the conversation reads them
 * when something was listed or held: src/bot/dialogue).
 */
const PICK = /^(?:上面|下面|刚才|列表里?|名单里?)?的?第\s*(?:[一二三四五六七八九十两]|\d{1,2})\s*(?:个|位|条|项|张)?(?:吧|呢|啊)?$/;
// A correction word (CORRECTION in src/bot/understand/lexicon.ts) may open it: "不对 改成50", "搞错了 换成30".
const CHANGE_ONLY = new RegExp(`^(?:(?:${anyWord([...CORRECTION.wrongZh, ...CORRECTION.ohNoZh])})[，,\\s]*)?(?:改成|换成|改为|变成|改到)\\s*\\d+\\s*(?:块|元|分|个|天)?(?:吧|呢|啊)?$`);
export const isContextOnly = (text: string): boolean => {
  const t = text.replace(/[\s\p{P}]/gu, '');
  return PICK.test(t) || CHANGE_ONLY.test(t);
};

/**
 * A phone number one digit short or long, alone ("1380000001", "138 0000 00012"): a member meant, but
 * which one cannot be known — asked, never looked up by a guess or answered with the help text.
 */
export const isMistypedPhone = (text: string): boolean => /^(?:1\d{9}|1\d{11})$/.test(text.replace(/[\s-]/g, ''));

/**
 * One verb of a write asked with a question mark and nothing else ("加?", "退?", "升?"): add what, refund which, raise whom
 * cannot be known — asked, never read as help or guessed as a write (a verb with its object, "建单?", is that request).
 */
export const isBareVerbQuestion = (text: string): boolean => /^[加扣减退升降发送打删改补转开建记停关撤]\s*[?？]+$/u.test(text.normalize('NFKC').trim());

const PERSON = /客人|顾客|客户|会员/;
const POINTER = /那个|这个|那|这|上次|刚才|之前/;

/** Whether the message is nothing but generic words (after punctuation and spaces are dropped). */
export function isVague(text: string): boolean {
  const zh = text.replace(/[\s\p{P}]/gu, '');
  if (PERSON.test(zh) && !POINTER.test(zh.replace(PERSON, ''))) return false;
  // Voice input runs on with fillers ("嗯那个就是上次说的那个弄一下"): the words are all generic, however many.
  if (!zh || !CORE.test(text)) return false;
  if (/[0-9]/.test(zh)) return false;
  const en = text.replace(/[\p{P}]/gu, ' ').trim();
  return (zh.length <= 16 && GENERIC_ZH.test(zh)) || (en.split(/\s+/).length <= 8 && GENERIC_EN.test(en));
}
