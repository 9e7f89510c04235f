import { choiceCard, clarifyingQuestion, MAX_OPTIONS, type ClarifyOption } from '../clarify.ts';
import { actorKey, newTaskId } from '../confirmation.ts';
import { registerCardTask } from '../card-action.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import { CANCEL_INTENT, CONFIRM_INTENT, type DialogueContext, type Plan, type Turn } from './context.ts';

/**
 * "你是想：1 … 2 …": the router's alternatives (or its option names with the slots each would take), as a numbered
 * question and a card; the answer is read by answer-pending.ts. Why apart: a guess never runs a write — it is asked.
 */
export function choiceQuestion({ services, getIntent, mayUse, prepare }: DialogueContext) {
  return async function askChoice({ msg, memory, actor, routed, lang }: Turn): Promise<Plan> {
    const names = Array.isArray(routed.slots.options) ? (routed.slots.options as string[]) : [];
    const readings = routed.alternatives?.length ? routed.alternatives : names.map((intent) => ({ intent, slots: undefined as Record<string, unknown> | undefined, confidence: routed.confidence }));
    const options: ClarifyOption[] = [];
    for (const r of readings) {
      const intent = getIntent(r.intent);
      if (!intent || !mayUse(actor, intent) || options.some((o) => o.intent === intent)) continue;
      const slots = r.slots ?? (await slotsAs(intent, msg.text, { audience: actor.kind, actor, services }));
      options.push({ intent, slots });
      if (options.length === MAX_OPTIONS) break;
    }
    // 确认 / 取消 answer a held action: with nothing held and no open question they are no reading of the message
    // ("好吧 那我自己跟": 确认 or small talk). One reading left that only reads (small talk, a look-up) is the answer;
    // a write left alone is still asked about (a guess never runs a write).
    const answersHeld = (o: ClarifyOption) => o.intent.name === CONFIRM_INTENT || o.intent.name === CANCEL_INTENT;
    const live = !memory.held && memory.pending() === null ? options.filter((o) => !answersHeld(o)) : options;
    if (live.length === 1 && live.length < options.length && live[0]!.intent.effect === 'read') {
      const only = live[0]!;
      return prepare(memory, actor, only.intent, { intent: only.intent.name, slots: only.slots, confidence: routed.confidence }, msg.text, lang);
    }
    if (options.length === 0) return { kind: 'reply', route: routed, result: { text: clarifyingQuestion(options, lang), outcome: 'asked' } };
    // Listed by name, as the router's options are (slots.options, sorted): "1" is the same option whichever reading was likelier.
    options.sort((a, b) => a.intent.name.localeCompare(b.intent.name));
    // The options as a card too (src/bot/card-action.ts): a click on one answers like its number typed.
    const card = choiceCard(newTaskId('choice'), options, lang);
    await registerCardTask(services, card.taskId, { kind: 'choice', owner: actorKey(actor), ownerName: actor.name, options: card.options });
    memory.savePending({ kind: 'choose', text: msg.text, options: options.map((o) => ({ intent: o.intent.name, slots: o.slots })), taskId: card.taskId });
    return { kind: 'reply', route: routed, result: { text: clarifyingQuestion(options, lang), outcome: 'asked', card } };
  };
}
