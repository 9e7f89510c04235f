import { toSimplified } from './traditional.ts';

/**
 * Words that point at the member in focus rather than name one: pronouns and "this member",
 * Chinese and English. One list for the router (a store named beside a pronoun is still about the
 * member: scope-words.ts) and for the conversation (a write takes the member in focus only when
 * the request points at them: src/bot/dialogue/turn.ts; a repeat "her too" names no one new:
 * src/bot/dialogue/repeat.ts).
 */
const ZH_POINTERS = ['[他她](?:们)?', '这位', '这个人', '此人', '这人', '该会员', '该客户', '这个会员', '这个客户'];
const EN_POINTERS = ['she', 'he', 'her', 'him', 'his', 'they', 'them', 'their', 'this (?:member|customer|guest)'];

/** Somewhere in a message ("给她打个VIP", "and her orders?"). */
export const MEMBER_POINTER = new RegExp(`${ZH_POINTERS.join('|')}|(?<![a-z])ta(?![a-z])|\\b(?:${EN_POINTERS.join('|')})\\b`, 'i');

/** The whole of a phrase ("她", "他们", "her"): a pointer in place of a name, never a name. */
const WHOLE_POINTER = new RegExp(`^(?:${ZH_POINTERS.join('|')}|ta|${EN_POINTERS.join('|')})$`, 'i');

/** Whether the message points at a member instead of naming one ("给她打个VIP", "and her orders?"). */
export const pointsAtMember = (text: string): boolean => MEMBER_POINTER.test(text.normalize('NFKC'));

/** Whether the words are only a pointer ("her" of "her too", "她" of "她也一样"): no member named. */
export const isMemberPointer = (words: string): boolean => WHOLE_POINTER.test(words.normalize('NFKC').trim());

/** "刚才那位", "同一个人", "the same one": the member just talked about, said without a pronoun. */
const SAME_MEMBER = /^(?:(?:刚才|上面|前面|刚刚)(?:的)?(?:那个|那位|这个|这位)(?:人|会员|客户)?|同一个人?|(?:the )?same (?:one|member|customer|guest|person))$/i;

/**
 * A whole reply that gives the member in focus instead of naming one ("就她", "她吧", "刚才那位", "the same
 * one"): the pointer with its fillers around it, never a name. The conversation's one reader of such an answer
 * (src/bot/dialogue/turn.ts, answering "哪位会员？").
 */
export function pointsAtFocus(raw: string): boolean {
  const core = toSimplified(raw.normalize('NFKC'))
    .trim()
    .replace(/[\s。.!！~～]+$/u, '')
    .replace(/^(?:就是|就|是|给|那就|对|嗯)[\s，,]*/u, '')
    .replace(/[\s，,]*(?:吧|啊|呀|哈|就行|就好|please)$/iu, '')
    .trim();
  return isMemberPointer(core) || SAME_MEMBER.test(core);
}
