import type { IntentDef } from '../../intents/types.ts';

/**
 * How a request names its member (phone, number or name) and what it says in words of its own: every
 * follow-up that puts another member into a request, or keeps a request's figures, reads its slots by these.
 */
export const MEMBER_REF = ['phone', 'memberNo', 'name'];
/** Free text a request keeps (its reason, content): a change of a held figure or a repeat for another member never rewrites it. */
export const FREE_TEXT = ['text', 'content', 'title', 'reason', 'note', 'message'];
/** Whether a request's slots name a member. */
export const namesMember = (slots: Record<string, unknown>) => MEMBER_REF.some((k) => slots[k] !== undefined);
/** Whether an intent's slots have one of that name. */
export const hasSlotNamed = (intent: IntentDef, name: string) => name in ((intent.slots as unknown as { shape?: object }).shape ?? {});
/** Whether an intent reads or writes one member (its slots take a member number). */
export const takesMember = (intent: IntentDef) => hasSlotNamed(intent, 'memberNo');
/** A request's slots without its member reference (phone, number or name), to put another member in. */
export const withoutMemberRefs = (slots: Record<string, unknown>) => Object.fromEntries(Object.entries(slots).filter(([k]) => !MEMBER_REF.includes(k)));
/** A request's slots without its free text: the figures a change or a repeat carries over. */
export const figuresOf = (slots: Record<string, unknown>) => Object.fromEntries(Object.entries(slots).filter(([k]) => !FREE_TEXT.includes(k)));
