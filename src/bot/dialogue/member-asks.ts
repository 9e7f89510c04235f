import { CLARIFY_INTENT } from '../../intents/router/types.ts';
import { assentOf } from '../understand/assent.ts';
import { analyseMood } from '../understand/mood.ts';
import { claimsToBeStaff, namedMemberWrite } from '../understand/requests.ts';
import { SMALLTALK, type DialogueContext, type Plan, type Turn } from './context.ts';

/** "那查我自己的", "我的呢", "what about mine": the member's own account, asked again. */
const MY_OWN = /^(?:(?:好吧|好的?|行吧?|嗯+|哦+|ok(?:ay)?)[\s，,]*)?(?:那|那就|还是)?(?:查|看)?(?:看|查|一下|下)?我(?:自己)?的(?:呢|吧|就行|就好)?[?？。.!！]*$|^(?:(?:ok(?:ay)?|fine)[,\s]+)?(?:what about|and|just|then)? ?(?:show me |check )?(?:mine|my own)[?？.!]*$/i;

/** "还能再升吗", "那还能用吗": a short question going on from the last answer, naming nothing new. */
const GOES_ON = /^(?:那|还|那还|再)[^\s，,。]{0,8}[吗呢么嘛][?？]*$/u;
/**
 * A member introducing themself by whom they know, and nothing more ("你好 我是王店长的亲妹妹", "I'm the manager's cousin"): small
 * talk — no claim acts on anything, and there is no request to clarify.
 */
const SELF_INTRO = /^(?:(?:你好|您好|hi|hello|hey|嗨|哈喽)[\s，,!！~]*)?(?:我是|i'?m|i am)\s*[^，,。?？!！]{0,12}?(?:的|'s\s+)?(?:亲|好)?(?:妹妹|姐姐|哥哥|弟弟|妹|姐|哥|弟|妈妈|妈|爸爸|爸|老婆|老公|女儿|儿子|朋友|亲戚|表妹|表姐|表哥|表弟|堂妹|堂姐|家人|同学|邻居|女朋友|男朋友|闺蜜|sister|brother|mother|mom|father|dad|wife|husband|friend|cousin|relative|daughter|son|niece|nephew|neighbou?r)\s*(?:哦|呀|啊|哈|啦)?[\s。.!！~～]*$/i;

/** The member's small talk (a bare 嗯 with nothing waiting is no request). */
const MY_SMALLTALK = 'my.smalltalk';

/**
 * A member's message the router was unsure of: "那查我自己的" is their last question about themself; a claim to be
 * staff, a refusal or a question that names a member write goes to the member gate, which declines or answers it.
 * Why apart: a member never acts for anyone else — these turns only ever read their own account or get a no.
 */
export function memberAsks({ getIntent, mayUse, weak }: DialogueContext) {
  return function memberTurn({ msg, memory, actor, routed }: Turn): Plan | null {
    if (actor.kind !== 'member') return null;
    // "如果我退订了还能收到券吗", "if I complain what happens": a member's supposition of their own write is about that write,
    // however sure the router was of the record it mentions (the member gate declines it; never a "did you mean").
    const supposed = analyseMood(msg.text).hypothetical && namedMemberWrite(msg.text) !== null;
    if (!supposed && !(routed.intent === CLARIFY_INTENT || weak(actor, routed) || SMALLTALK.test(routed.intent))) return null;
    // "那查我自己的" after a question about someone else's account: the member's last question, about themself.
    const previous = memory.previous && getIntent(memory.previous.intent);
    if (MY_OWN.test(msg.text.normalize('NFKC').trim()) && previous && previous.effect === 'read' && !previous.rule.fallback && mayUse(actor, previous)) {
      return { kind: 'run', intent: previous, route: { intent: previous.name, slots: {}, confidence: 1 }, text: msg.text };
    }
    // "还能再升吗" after 我现在几级: the same question about their own account, taken further (the answer says how to go on).
    if (GOES_ON.test(msg.text.normalize('NFKC').trim()) && previous && previous.effect === 'read' && !previous.rule.fallback && !SMALLTALK.test(previous.name) && mayUse(actor, previous)) {
      return { kind: 'run', intent: previous, route: { intent: previous.name, slots: {}, confidence: 1 }, text: msg.text };
    }
    // "嗯嗯" with nothing waiting (unsure between small talk and the action just done): small talk, never a "did you mean"
    // (a bare 确认 is no chat: the member is told there is nothing of theirs to confirm).
    const chat = getIntent(MY_SMALLTALK);
    if (((assentOf(msg.text) === 'vague' && !memory.held) || SELF_INTRO.test(msg.text.normalize('NFKC').trim())) && !memory.pending() && chat && mayUse(actor, chat)) {
      return { kind: 'run', intent: chat, route: { intent: chat.name, slots: {}, confidence: routed.confidence }, text: msg.text };
    }
    // "我是店员 给我开个工单", "怎么投诉啊", "我不是要投诉": the member write it names, for the member gate to
    // decline or answer — a claim, a refusal or a question never makes a ticket; no "did you mean".
    const name = namedMemberWrite(msg.text);
    const own = name ? getIntent(name) : undefined;
    const mood = analyseMood(msg.text);
    if (own && mayUse(actor, own) && (claimsToBeStaff(msg.text) || mood.negated || mood.question || mood.hypothetical || mood.reported || mood.deferred)) {
      return { kind: 'run', intent: own, route: { intent: own.name, slots: {}, confidence: routed.confidence }, text: msg.text };
    }
    return null;
  };
}
