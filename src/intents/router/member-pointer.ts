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
