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
  '搞一下', '搞下', '搞', '处理一下', '处理下', '处理', '改一下', '改下', '改', '一下', '下',
  // Pointers at nothing named, and "how is it".
  '那个', '这个', '那', '这', '数据', '情况', '东西', '人', '怎么样', '咋样', '如何', '怎样',
  // … a person or a time pointed at, never named ("那个客人", "上次那个"): whom or what is not said.
  // A person word with a verb and no pointer ("查下会员") asks for a look-up: see PERSON below.
  '客人', '顾客', '客户', '会员', '上次', '刚才', '之前',
  // Particles.
  '呢', '吧', '啊', '呀', '哈', '嘛', '了',
];
const GENERIC_ZH = new RegExp(`^(?:${GENERIC.sort((a, b) => b.length - a.length).join('|')})+$`);
const GENERIC_EN = /^(?:(?:please|pls|can you|could you|check|look|see|look at|have a look|take a look|handle|deal with|this|that|it|one|for me|at)\s*)+$/i;
/** A verb or pointer must be there: particles or 人 alone are no request at all ("了", "人"). */
const CORE = /查|看|瞅|弄|整|搞|处理|改|那个|这个|情况|数据|\b(?:check|look|see|handle|deal)\b/i;

/**
 * A phone number one digit short or long, alone ("1380000001", "138 0000 00012"): a member meant, but
 * which one cannot be known — asked, never looked up by a guess or answered with the help text.
 */
export const isMistypedPhone = (text: string): boolean => /^(?:1\d{9}|1\d{11})$/.test(text.replace(/[\s-]/g, ''));

const PERSON = /客人|顾客|客户|会员/;
const POINTER = /那个|这个|那|这|上次|刚才|之前/;

/** Whether the message is nothing but generic words (after punctuation and spaces are dropped). */
export function isVague(text: string): boolean {
  const zh = text.replace(/[\s\p{P}]/gu, '');
  if (PERSON.test(zh) && !POINTER.test(zh.replace(PERSON, ''))) return false;
  if (!zh || zh.length > 12 || !CORE.test(text)) return false;
  if (/[0-9]/.test(zh)) return false;
  return GENERIC_ZH.test(zh) || GENERIC_EN.test(text.replace(/[\p{P}]/gu, ' ').trim());
}
