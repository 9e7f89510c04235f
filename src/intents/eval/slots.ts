import { isDeepStrictEqual } from 'node:util';

/**
 * Slots that carry free text (a note's content, a ticket's title, a reason): how the router cuts
 * them out of a sentence is a matter of taste, so the evaluation ignores them on both sides.
 */
export const FREE_TEXT_SLOTS: ReadonlySet<string> = new Set(['text', 'content', 'title', 'reason', 'note', 'message']);

/**
 * The structured slots a line of an evaluation set may state (the blind set's writing brief
 * names exactly these). A slot of the router outside this list (a health period, a
 * confirmation code, clarification options) counts only when the line states it: otherwise a
 * line could not be right without naming something its writer was told not to name.
 */
export const LABELLED_SLOTS: ReadonlySet<string> = new Set([
  'phone', 'memberNo', 'name', 'days', 'limit', 'tag', 'list', 'type', 'channel', 'followUpDays', 'priority',
  'ticketNo', 'status', 'escalate', 'satisfaction', 'delta', 'amount', 'minSpend', 'store', 'metric', 'level', 'mode', 'kind',
]);

/** The slots that count: the line's own and the router's labelled ones, free text aside; every one compared exactly. */
export function slotsMatch(expected: Record<string, unknown>, got: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(expected), ...Object.keys(got).filter((k) => LABELLED_SLOTS.has(k))]);
  for (const k of keys) {
    if (FREE_TEXT_SLOTS.has(k)) continue;
    if (!isDeepStrictEqual(expected[k], got[k])) return false;
  }
  return true;
}
