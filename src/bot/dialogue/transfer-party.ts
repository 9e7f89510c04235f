import { loneParty } from '../../intents/slots/transfer-parties.ts';
import { peekAction } from '../confirmation.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';

const TRANSFER = 'contacts.transfer';

/**
 * A party of a hand-over said alone: "王店长" after 小刘的企微客户要交接 was answered with what is missing, "给agent_01",
 * "等下 转给李店长吧" or "no wait, 市场小陈" while a transfer waits for 确认. Why apart: the hand-over's parties are staff,
 * whom the member look-up (a bare name) and the change of a held figure (a number, a tag) never read; a name alone
 * names no request, so only the conversation says whose place it takes.
 * - held: the taker changed (the one who hands over stays), previewed again — never run before 确认;
 * - the speaker's previous turn a transfer missing one party: that party, the request completed, its text the one
 *   first said (so its mood — a supposition, a refusal — is the gate's to read again), unless this message restates
 *   the transfer itself ("那现在就转给王店长吧"), whose own mood the gate then reads.
 */
export function transferParty({ services, getIntent, mayUse, prepare }: DialogueContext) {
  return async function partySaid({ msg, memory, actor, routed, lang }: Turn): Promise<Plan | null> {
    const intent = getIntent(TRANSFER);
    if (actor.kind !== 'staff' || !intent || !mayUse(actor, intent)) return null;
    const lone = loneParty(msg.text);
    if (!lone) return null;
    const { party, said } = lone;
    const held = await peekAction(services, actor, undefined, msg.conversationId);
    if (held) {
      if (held.intent !== TRANSFER || held.slots.to === party || held.slots.from === party) return null;
      // The gate reads what asks for the change: "等等" before it pauses to correct, it puts nothing off.
      return prepare(memory, actor, intent, { intent: TRANSFER, slots: { ...held.slots, to: party }, confidence: 1 }, said, lang);
    }
    const previous = memory.previous;
    if (previous?.intent !== TRANSFER) return null;
    const has = (k: 'from' | 'to') => typeof previous.slots[k] === 'string' && previous.slots[k] !== '';
    if (has('from') === has('to')) return null;
    const slot = has('from') ? 'to' : 'from';
    if (previous.slots[slot === 'to' ? 'from' : 'to'] === party) return null;
    const slots = { from: previous.slots.from, to: previous.slots.to, [slot]: party };
    const text = routed.intent === TRANSFER ? msg.text : previous.text;
    return prepare(memory, actor, intent, { intent: TRANSFER, slots, confidence: 1 }, text, lang);
  };
}
