import { t, type Lang } from '../../i18n/index.ts';
import { registerCardTask } from '../card-action.ts';
import { actorKey, newTaskId } from '../confirmation.ts';
import { intentFamily } from '../../intents/types.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, IntentResult } from '../types.ts';
import { SMALLTALK, type DialogueContext, type Plan } from './context.ts';
import { listedItems } from './list-pick.ts';
import { shownMembers } from './shown-pick.ts';
import { shownTickets } from './ticket-pick.ts';
import { ambiguousMembers } from './member-list.ts';
import { hasSlotNamed, namesMember, withoutMemberRefs } from './member-refs.ts';

/** A member list's card shows this many (template_card button_list: at most 6). */
const MAX_CARD_OPTIONS = 6;

/**
 * After an intent ran: a list of members is a question ("第二个"), an asked-for content is a question, a read answer is
 * what the next message may refine or point into. Why apart: this is the only place the dialogue's memory of an answer
 * is written — every follow-up reads what this saved.
 */
export function answerMemory({ services, getIntent }: DialogueContext) {
  return async function remember(memory: TurnMemory, actor: Actor, plan: Extract<Plan, { kind: 'run' }>, result: IntentResult, lang: Lang): Promise<IntentResult> {
    const candidates = ambiguousMembers(result.data);
    if (candidates) {
      const slots = withoutMemberRefs(plan.route.slots);
      // The list as a card too: a click on a member answers like "第二个" (src/bot/card-action.ts).
      const options = candidates.slice(0, MAX_CARD_OPTIONS).map((c, i) => ({ key: String(i + 1), label: c.name ? `${c.name} ${c.memberNo}` : c.memberNo }));
      const card = { kind: 'choice' as const, taskId: newTaskId('pick'), title: t(lang, 'cards.pickTitle'), options };
      await registerCardTask(services, card.taskId, { kind: 'choice', owner: actorKey(actor), ownerName: actor.name, options });
      memory.savePending({ kind: 'pick', text: plan.text, intent: plan.intent.name, slots, candidates, taskId: card.taskId });
      memory.saveShown(candidates);
      return { ...result, text: `${result.text}\n${t(lang, 'dialogue.pickHint')}`, outcome: 'asked', card };
    }
    if (result.outcome === 'asked' && (result.data as { asked?: unknown } | undefined)?.asked === 'content') {
      memory.savePending({ kind: 'fill', text: plan.text, intent: plan.intent.name, slots: plan.route.slots, need: 'content' });
      return result;
    }
    // "建个人群包 …" done: what was made is what "有多少人" / "导出吧" ask about next — the family's count reads it.
    const counter = plan.intent.name.endsWith('.create') && result.outcome === 'done' ? getIntent(`${intentFamily(plan.intent.name)}.count`) : undefined;
    if (counter && counter.effect === 'read') {
      const slots = Object.fromEntries(Object.entries(plan.route.slots).filter(([k]) => hasSlotNamed(counter, k)));
      memory.saveLast({ intent: counter.name, slots, text: plan.text });
      return result;
    }
    // Small talk ("谢谢") is no answer to refine: the one before it stays what "只要近30天的" narrows.
    if (plan.intent.effect === 'read' && !plan.intent.rule.fallback && !SMALLTALK.test(plan.intent.name) && result.outcome !== 'asked') {
      // The member found is the member meant next ("只要上个月的" after 陈静's orders): by member number, as resolved.
      const found = result.focus?.memberNo;
      const named = found && namesMember(plan.route.slots);
      const slots = named ? { ...withoutMemberRefs(plan.route.slots), memberNo: found } : plan.route.slots;
      // The rows a list showed ("停掉第一个", "第一名的详细数据" point at them next).
      const items = listedItems(result.data);
      const tickets = shownTickets(result.data);
      const members = shownMembers(result.data);
      memory.saveLast({ intent: plan.intent.name, slots, text: plan.text, ...(items ? { items } : {}), ...(tickets ? { tickets } : {}), ...(members ? { members } : {}) });
    }
    return result;
  };
}
