import { slotsAs } from '../../intents/router/rules.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { RouteResult } from '../types.ts';
import { THE_LISTED, type DialogueContext, type Plan, type Recent, type Turn } from './context.ts';
import { slotFor } from './refine.ts';

/**
 * "给他们都打上召回中" after the churn list: a write that points at the people just listed is the batch write for that
 * list. Why apart: "them" after a list is never one member — the write takes the list, and its gates (确认) as a batch.
 */
export function listedBatch({ services, getIntent, mayUse, prepare }: DialogueContext) {
  /** Among the router's readings, the one that takes a list (a batch write), set to the churn list just shown. */
  async function batchReading({ msg, actor, routed }: Turn): Promise<{ intent: IntentDef; route: RouteResult } | null> {
    const names = Array.isArray(routed.slots.options) ? (routed.slots.options as string[]) : [];
    const readings = routed.alternatives?.length ? routed.alternatives : names.map((intent) => ({ intent, slots: undefined as Record<string, unknown> | undefined, confidence: routed.confidence }));
    for (const r of readings) {
      const intent = getIntent(r.intent);
      const listSlot = intent && slotFor(intent, 'list');
      if (!intent || !listSlot || !mayUse(actor, intent)) continue;
      const slots = r.slots ?? (await slotsAs(intent, msg.text, { audience: actor.kind, actor, services }));
      return { intent, route: { intent: intent.name, slots: { ...slots, [listSlot]: 'churn' }, confidence: r.confidence } };
    }
    return null;
  }

  /** "给他们都打上召回中" after the churn list, read as either a batch or a single tag: the batch of the people listed. */
  async function unsureBatch(turn: Turn, { last }: Recent): Promise<Plan | null> {
    const { msg, memory, actor, routed, lang } = turn;
    const batch = routed.intent === CLARIFY_INTENT && last?.intent === 'churn.list' && THE_LISTED.test(msg.text) ? await batchReading(turn) : null;
    return batch ? prepare(memory, actor, batch.intent, batch.route, msg.text, lang) : null;
  }

  /**
   * The routed intent pointed at the people just listed: "给他们都打上老客" read as one member's tag is the family's batch
   * write (a plan); a batch write's own list slot is set to the list (the route to go on with).
   */
  async function routedToList({ msg, memory, actor, routed, lang }: Turn, { last }: Recent, intent: IntentDef): Promise<{ plan: Plan } | { route: RouteResult }> {
    // A batch write that points at the people just listed: the list of the last answer.
    const listSlot = last?.intent === 'churn.list' ? slotFor(intent, 'list') : undefined;
    // "给他们都打上老客" read as one member's tag: the family's batch write, for the people listed.
    const batchOf = last?.intent === 'churn.list' && !listSlot && THE_LISTED.test(msg.text) ? getIntent(`${intent.name.split('.')[0]}.batch`) : undefined;
    const batchList = batchOf && slotFor(batchOf, 'list');
    if (batchOf && batchList && mayUse(actor, batchOf)) {
      const slots = await slotsAs(batchOf, msg.text, { audience: actor.kind, actor, services });
      return { plan: await prepare(memory, actor, batchOf, { intent: batchOf.name, slots: { ...slots, [batchList]: 'churn' }, confidence: routed.confidence }, msg.text, lang) };
    }
    return { route: listSlot && routed.slots[listSlot] === undefined && THE_LISTED.test(msg.text) ? { ...routed, slots: { ...routed.slots, [listSlot]: 'churn' } } : routed };
  }

  return { unsureBatch, routedToList };
}
