import { choiceCard, clarifyingQuestion, MAX_OPTIONS, type ClarifyOption } from '../clarify.ts';
import { actorKey, newTaskId } from '../confirmation.ts';
import { registerCardTask } from '../card-action.ts';
import { bareWriteAsked, writesNamedBy } from '../../intents/router/action-words.ts';
import { slotsAs } from '../../intents/router/rules.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import { CANCEL_INTENT, CONFIRM_INTENT, type DialogueContext, type Plan, type Turn } from './context.ts';
import { takesMember } from './member-refs.ts';

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

/**
 * "加?", "扣吗" with a member in focus: a write's bare verb asked — what to add to them is not said, so the bot asks which
 * of the writes that verb names for one member (加 → 积分 or 标签), each about the member in focus; nothing is written,
 * and the option picked asks for its figure.
 * Why here: it is a choice question whose options are the verb's writes, read by answer-pending.ts like any other.
 */
export function bareWriteQuestion({ getIntent, mayUse }: DialogueContext, askChoice: (turn: Turn) => Promise<Plan>) {
  return async function bareWrite(turn: Turn): Promise<Plan | null> {
    const { msg, memory, actor, routed } = turn;
    const focus = memory.focus();
    const verb = actor.kind === 'staff' && focus?.memberNo && !memory.held ? bareWriteAsked(msg.text) : null;
    if (!verb || !focus?.memberNo) return null;
    const writes = writesNamedBy(msg.text)
      .map((name) => getIntent(name))
      .filter((i): i is NonNullable<typeof i> => i !== undefined && mayUse(actor, i) && takesMember(i));
    if (!writes.length) return null;
    const slots = { memberNo: focus.memberNo };
    const options = writes.map((i) => i.name).sort();
    // The option picked is the verb as an order ("加"): its missing figure is asked next, never read as the question.
    return askChoice({ ...turn, msg: { ...msg, text: verb }, routed: { intent: CLARIFY_INTENT, slots: { options }, confidence: routed.confidence, alternatives: options.map((intent) => ({ intent, slots, confidence: routed.confidence })) } });
  };
}
