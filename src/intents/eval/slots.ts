import { isDeepStrictEqual } from 'node:util';

/**
 * Slots that carry free text (a note's content, a ticket's title, a reason): how the router cuts
 * them out of a sentence is a matter of taste, so the evaluation ignores them on both sides.
 * Every other slot is compared exactly (no extra slot, none missing, same type).
 */
export const FREE_TEXT_SLOTS: ReadonlySet<string> = new Set(['text', 'content', 'title', 'reason', 'note', 'message']);

/** The slots that count: all but the free-text ones. */
export function comparableSlots(slots: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(slots).filter(([k, v]) => !FREE_TEXT_SLOTS.has(k) && v !== undefined));
}

export function slotsMatch(expected: Record<string, unknown>, got: Record<string, unknown>): boolean {
  return isDeepStrictEqual(comparableSlots(expected), comparableSlots(got));
}
