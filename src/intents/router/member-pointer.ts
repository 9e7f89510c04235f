/**
 * Words that point at the member in focus rather than name one: pronouns and "this member",
 * Chinese and English. One list for the router (a store named beside a pronoun is still about the
 * member: scope-words.ts) and for the conversation (a write takes the member in focus only when
 * the request points at them: src/bot/dialogue/turn.ts).
 */
export const MEMBER_POINTER =
  /[他她]|(?<![a-z])ta(?![a-z])|这位|这个人|此人|这人|该会员|该客户|这个会员|这个客户|\b(?:she|he|her|him|his|them|their|this (?:member|customer|guest))\b/i;

/** Whether the message points at a member instead of naming one ("给她打个VIP", "and her orders?"). */
export const pointsAtMember = (text: string): boolean => MEMBER_POINTER.test(text.normalize('NFKC'));
