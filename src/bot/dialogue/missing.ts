import { parsePoints } from '../../intents/parse/service-text.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { Need } from './state.ts';

const MEMBER_REF = ['phone', 'memberNo', 'name'];

/** What the dialogue asks for itself (the write gate asks for content). */
export type AskedNeed = Exclude<Need, 'content'>;

/** The question the bot can ask for a required slot group: a member or a tag (others: the intent answers). */
function needOf(group: readonly string[]): AskedNeed | null {
  if (MEMBER_REF.every((s) => group.includes(s))) return 'member';
  if (group.length === 1 && group[0] === 'tag') return 'tag';
  return null;
}

/**
 * Details an intent needs that its rule does not declare: points.adjust reads the number of
 * points and the reason from its free text (or the LLM's delta/reason slots) and, without them,
 * would only say what is missing.
 */
const EXTRA: Record<string, (slots: Record<string, unknown>) => AskedNeed | null> = {
  'points.adjust': (s) => {
    const refs = [s.phone, s.memberNo, s.name].map((v) => (typeof v === 'string' ? v : undefined));
    const p = parsePoints(typeof s.text === 'string' ? s.text : '', refs);
    if (s.delta === undefined && p.delta === undefined) return 'points';
    if (s.reason === undefined && p.reason === undefined) return 'reason';
    return null;
  },
  // A mass send's coupon value is the sender's to choose (issue 11: never act on a guess): asked, never assumed. A recall
  // aimed at one member is the write gate's to answer (a recall goes to a list), not a question of its value.
  'recall.launch': (s) => (s.amount === undefined && s.member === undefined ? 'amount' : null),
};

/**
 * The first detail the intent still lacks that the bot knows how to ask for, in the order a
 * person would ask (who, then which tag or how many, then why); null when it can run.
 */
export function missingDetail(intent: IntentDef, slots: Record<string, unknown>): AskedNeed | null {
  for (const group of intent.rule.requires ?? []) {
    if (group.some((s) => slots[s] !== undefined)) continue;
    const need = needOf(group);
    if (need) return need;
  }
  return EXTRA[intent.name]?.(slots) ?? null;
}
