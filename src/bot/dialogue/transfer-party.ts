import { loneParty } from '../../intents/slots/transfer-parties.ts';
import { peekAction } from '../confirmation.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';

const TRANSFER = 'contacts.transfer';
/** The two parties said the wrong way round: "反了", "搞反了", "说反了", "倒过来", "the other way round", "backwards". */
const SWAPPED = /(?:搞|弄|说|写)?反了|倒过来|\bthe other way (?:round|around)\b|\b(?:swapped|backwards|reversed)\b|\bswap (?:them|it)\b/i;

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
  /**
   * "反了反了 是小刘转给王店长", "搞反了", "the other way round" while a transfer waits for 确认: the two parties swapped,
   * each as the words now name it when they say a shorter form of it ("小刘" for 客服小刘), previewed again — never run.
   */
  async function swapParties(text: string, memory: Turn['memory'], actor: Turn['actor'], lang: Turn['lang'], conversationId: Turn['msg']['conversationId']): Promise<Plan | null> {
    if (!SWAPPED.test(text.normalize('NFKC'))) return null;
    const held = await peekAction(services, actor, undefined, conversationId);
    const intent = getIntent(TRANSFER);
    if (!held || held.intent !== TRANSFER || !intent || typeof held.slots.from !== 'string' || typeof held.slots.to !== 'string') return null;
    const asSaid = (party: string) => {
      // A role said before the name may be left out ("小刘" for 客服小刘); nothing else of the name.
      const role = /^(?:客服|店长|市场|导购|经理|运营|前台|收银)/u.exec(party)?.[0];
      return role && !text.includes(party) && party.length - role.length >= 2 && text.includes(party.slice(role.length)) ? party.slice(role.length) : party;
    };
    return prepare(memory, actor, intent, { intent: TRANSFER, slots: { ...held.slots, from: asSaid(held.slots.to), to: asSaid(held.slots.from) }, confidence: 1 }, text, lang);
  }

  return async function partySaid({ msg, memory, actor, routed, lang }: Turn): Promise<Plan | null> {
    const intent = getIntent(TRANSFER);
    if (actor.kind !== 'staff' || !intent || !mayUse(actor, intent)) return null;
    const swapped = await swapParties(msg.text, memory, actor, lang, msg.conversationId);
    if (swapped) return swapped;
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
