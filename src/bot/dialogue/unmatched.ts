import { t } from '../../i18n/index.ts';
import type { IntentDef } from '../../intents/types.ts';
import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import { assentOf } from '../understand/assent.ts';
import { analyseMood } from '../understand/mood.ts';
import { asksAboutOthers, claimsToBeStaff } from '../understand/requests.ts';
import type { DialogueContext, Plan, Turn } from './context.ts';
import { classifyUnmatched, shortReply, twoExamples } from './short-reply.ts';
import { onlyGivesUp, remarkAroundCancel } from './withdrawn.ts';

/**
 * What no intent took: a remark around 算了 is small talk, help only when asked for, otherwise one line and two
 * examples. Why apart: the answer to what is not understood never guesses a request.
 */
export function unmatchedReply({ getIntent, mayUse, prepare, fallback }: DialogueContext) {
  /**
   * "哦 那是静安的 算了", "好吧 算了 我自己打电话": 算了 with nothing held, nothing asked and no write named, said around
   * words of its own, is a remark that closes the topic — small talk, not 取消 ("算了" alone stays 取消).
   */
  async function remark({ msg, memory, actor, routed, lang }: Turn, cancelsNothing: boolean): Promise<Plan | null> {
    // A member has no 取消: their giving up with nothing pending ("哦那算了", "嗯 那算了吧"), read as their fallback or asked
    // about (the model hears 算了 near 退订), closes the topic — small talk too.
    const memberGivesUp = actor.kind === 'member' && (routed.intent === fallback.member || routed.intent === CLARIFY_INTENT) && onlyGivesUp(msg.text);
    const chat = (memberGivesUp || (cancelsNothing && remarkAroundCancel(msg.text))) && !memory.pending() ? getIntent(actor.kind === 'staff' ? 'smalltalk' : 'my.smalltalk') : undefined;
    return chat && mayUse(actor, chat) ? prepare(memory, actor, chat, { intent: chat.name, slots: {}, confidence: routed.confidence }, msg.text, lang) : null;
  }

  /** The message no intent took: the full help only when asked for; otherwise one line and two examples. */
  function unmatched({ msg, actor, routed, lang }: Turn, help: IntentDef): Plan {
    const route = { ...routed, intent: help.name };
    const kind = classifyUnmatched(msg.text);
    // Assent ("好的") and a member's claim to be staff or ask about someone else go to the run
    // path, whose confirmation and write gates answer them (src/bot/gate*.ts).
    const gated = assentOf(msg.text) !== null || (actor.kind === 'member' && (claimsToBeStaff(msg.text) || asksAboutOthers(msg.text, actor.phone)));
    if (kind === 'help' || gated) return { kind: 'run', intent: help, route, text: msg.text };
    // "不用了" / "don't" with nothing to refer to: nothing is done, and the reply says so.
    if (kind === 'unknown' && analyseMood(msg.text).negated) return { kind: 'reply', route, result: { text: t(lang, 'dialogue.dropped'), outcome: 'declined' } };
    const text = shortReply(kind, twoExamples(msg.text, actor, getIntent), lang);
    return { kind: 'reply', route, result: { text, outcome: kind === 'unknown' ? 'asked' : 'answered', data: { unmatched: kind } } };
  }

  return { remark, unmatched };
}
