import { peekAction } from '../confirmation.ts';
import { slotsOf } from '../gate.ts';
import { asksAboutHeld, assentNames } from '../understand/assent.ts';
import { namedWrite } from '../understand/requests.ts';
import { intentFamily } from '../../intents/types.ts';
import { analyseMood } from '../understand/mood.ts';
import { pointsAtMember } from '../../intents/router/member-pointer.ts';
import { MEMBER_REF } from './member-refs.ts';
import { hasActionWord } from '../../intents/router/action-words.ts';
import { t } from '../../i18n/index.ts';
import { actionLabel } from '../gate-text.ts';
import { asksAboutTheAction, readOfAction } from './about-action.ts';
import { CANCEL_INTENT, CONFIRM_INTENT, type DialogueContext, type Plan, type Turn } from './context.ts';
import { asksWhoIsReached } from './held-audience.ts';

/** The action waiting for 确认 (confirmation.ts), as peeked: its intent and slots. */
export type Waiting = Awaited<ReturnType<typeof peekAction>>;

/**
 * Follow-ups about the action that waits for 确认 or just ran: "发了吗?" asks its read, "行 发吧" confirms it, "发给谁啊"
 * asks whom it reaches. Why apart: assent is the one word that runs a held write, and it counts only when it names
 * that write. (A go-ahead after a declined or weighed write — "那就发吧 20块的" — is go-ahead.ts's.)
 */
export function heldAction({ services, getIntent, mayUse, prepare }: DialogueContext) {
  return async function aboutHeld({ msg, memory, actor, routed, lang }: Turn): Promise<{ plan: Plan | null; waiting: Waiting }> {
    // "发了吗?" while a recall waits for 确认, "开了吗" after a ticket was opened, "did it go out?": the action's
    // read (the held action's first, else the previous turn's write) — never a confirmation, never a new request.
    if (actor.kind === 'staff' && asksAboutTheAction(msg.text)) {
      const heldNow = memory.held ? await peekAction(services, actor, undefined, msg.conversationId) : null;
      const action = heldNow ? { intent: heldNow.intent, slots: heldNow.slots } : memory.previous;
      const read = action ? readOfAction(getIntent(action.intent), getIntent) : null;
      if (action && read && mayUse(actor, read)) return { plan: await prepare(memory, actor, read, { intent: read.name, slots: slotsOf(read, action.slots), confidence: 1 }, msg.text, lang), waiting: null };
    }
    // While an action waits for 确认: assent naming it ("行 发吧", "打上吧") is its confirmation, whatever the router
    // read (a new recall, a tag); a question about the people it reaches ("发给谁啊", "多少人") is answered by the read
    // that shows them, and it stays held.
    const waiting = actor.kind === 'staff' && memory.held ? await peekAction(services, actor, undefined, msg.conversationId) : null;
    if (waiting && routed.intent !== CANCEL_INTENT && assentNames(msg.text, waiting.intent)) {
      const confirm = getIntent(CONFIRM_INTENT);
      if (confirm) return { plan: { kind: 'run', intent: confirm, route: { intent: confirm.name, slots: {}, confidence: 1 }, text: msg.text }, waiting };
    }
    const reach = waiting && asksWhoIsReached(msg.text) ? getIntent(waiting.intent)?.reaches?.(waiting.slots) : undefined;
    const reachRead = reach && getIntent(reach.intent);
    if (reach && reachRead && reachRead.effect === 'read' && mayUse(actor, reachRead)) return { plan: await prepare(memory, actor, reachRead, { intent: reachRead.name, slots: reach.slots, confidence: 1 }, msg.text, lang), waiting };
    // A question about the held action's doing ("假如现在不发 明天再发会不会效果好点", "does this also tag 静安's churn list?"):
    // about it, declined as a question is — it stays held, reported as itself, and the reply says how to take or drop it.
    // Not a question about the member it is for ("他积分够扣吗": their record, answered by the router's read).
    const asked = waiting && getIntent(waiting.intent);
    const aboutMember = pointsAtMember(msg.text) || MEMBER_REF.some((k) => routed.slots[k] !== undefined);
    // Nor a read of the held write's own kind ("召回一般效果怎么样", "目前跑着几个召回" while a recall waits): that read answers,
    // unless the question supposes ("假如现在不发 …会不会…").
    const routedRead = getIntent(routed.intent);
    const ownKindRead = routedRead?.effect === 'read' && intentFamily(routed.intent) === intentFamily(waiting?.intent ?? '') && !analyseMood(msg.text).hypothetical;
    if (waiting && asked && !aboutMember && !ownKindRead && routed.intent !== CONFIRM_INTENT && asksAboutHeld(msg.text) && (routed.intent === waiting.intent || routed.intent === CANCEL_INTENT || hasActionWord(waiting.intent, msg.text) || intentFamily(namedWrite(msg.text) ?? '') === intentFamily(waiting.intent))) {
      const action = actionLabel(asked, lang);
      const text = `${t(lang, 'safety.heldQuestion', { action })}\n${t(lang, 'safety.pendingReminder', { code: waiting.code, action })}`;
      return { plan: { kind: 'reply', route: { intent: waiting.intent, slots: waiting.slots, confidence: 1 }, result: { text, outcome: 'declined' } }, waiting };
    }
    return { plan: null, waiting };
  };
}
