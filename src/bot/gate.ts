import { t, type Lang } from '../i18n/index.ts';
import { intentFamily, type IntentDef } from '../intents/types.ts';
import type { Services } from '../services.ts';
import { dropAction, peekAction } from './confirmation.ts';
import { gateMember } from './gate-member.ts';
import { actionLabel, exampleOf } from './gate-text.ts';
import type { Actor, IntentResult, RouteResult } from './types.ts';
import { withoutMembersQuestion } from '../intents/parse/members-question.ts';
import { SAID_AGAIN_ZH } from './understand/lexicon.ts';
import { analyseMood, type Mood } from './understand/mood.ts';
import { toSimplified } from '../intents/router/traditional.ts';
import { aimsAtOneMember, isBareContent, isViewRequest } from './understand/requests.ts';
import { hasActionWord, listsActionWords, namesNothingToActOn, writesNamedIn } from '../intents/router/action-words.ts';
import { CANCEL_INTENT, CLARIFY_INTENT, namesEntity } from '../intents/router/types.ts';

/**
 * What the write gate decided for one turn: run the intent as routed (it may still hold for
 * confirmation), answer with its read counterpart instead, or reply without running anything.
 */
export type GateVerdict =
  | { kind: 'proceed' }
  | { kind: 'read'; intent: IntentDef; route: RouteResult; lead?: string }
  | { kind: 'reply'; result: IntentResult };

export interface GateInput {
  services: Services;
  actor: Actor;
  intent: IntentDef;
  route: RouteResult;
  text: string;
  lang: Lang;
  getIntent: (name: string) => IntentDef | undefined;
  /** The group chat the request came from (src/bot/confirmation.ts: held actions are per conversation). */
  conversationId?: string;
  /** The intent the speaker's previous turn was reported as (TurnMemory.previous): what a bare "发吧" may go on with. */
  previous?: string | null;
  /** Whether an action of the speaker's was held when the turn started (TurnMemory.held). */
  held?: boolean;
}

/**
 * Confirming or cancelling the held action is itself the answer to the bot's question ("算了不要了"
 * is a cancel, not a negated one): the gate does not read their mood. Every other control action
 * (停止召回) is gated like a write: a negation or a question about it never carries it out.
 */
const HELD_ACTION_CONTROLS: ReadonlySet<string> = new Set(['action.confirm', 'action.cancel']);

/** A refusal that is itself the request (退订): only a negation of the intent's own word counts. */
const NEGATED_REFUSAL =
  /(?:不要|别|不用|先不|不想|暂时不|不是要|不是想|没(?:有)?要|don'?t|do not|no need to|not (?:asking|trying) to)\s*(?:(?:给|帮|把|替|将)我|me)?\s*(?:退订|取消订阅|unsubscribe|opt[- ]?out)/i;

/** The mood of `text` as an instruction to run `intent` (a refusal that is itself the request, 退订, is affirmative). */
export function moodFor(intent: Pick<IntentDef, 'name' | 'refusalIsRequest' | 'freeText'>, text: string): Mood {
  // A write that records what was said (a note, a ticket) reads the member's own question told in it as content
  // ("周杰来电问生日宴怎么订 三天后回访"), and a member's words relayed to be handled as what to record.
  const read = intent.freeText ? recordsWhatWasSaid(analyseMood(withoutMembersQuestion(text))) : analyseMood(text);
  // One action refused, another asked instead ("不用建工单 就记一下 …"): the mood is the asked one's, but an intent
  // whose words are in the refused clause (or that has no words listed) is what was refused — declined, never run.
  const mood = read.refused !== undefined && refuses(intent.name, toSimplified(read.refused), text) && !saidAgainAfter(intent.name, text, read.refused) ? refusedMood(read) : read;
  if (!intent.refusalIsRequest) return mood;
  // A disclaimer ("我没说要退订啊", "我不是要退订") takes the refusal back as much as a negation of its word.
  const negated = NEGATED_REFUSAL.test(toSimplified(text.normalize('NFKC'))) || mood.cues.some((c) => c.startsWith('disclaimer:'));
  return { ...mood, negated, affirmative: !negated && !mood.question && !mood.hypothetical && !mood.deferred && !mood.reported };
}

/**
 * Whether a refused clause refuses `intent`: its own words in it; for a write with no words listed (segment.create, handoff),
 * any refusal — unless it closes the message naming another write's own words ("先建个人群包 5级的 别导出": the export).
 */
function refuses(intent: string, refused: string, text: string): boolean {
  if (listsActionWords(intent)) return hasActionWord(intent, refused);
  // Refused last, after what was asked, naming another write's words: that write ("别导出"). Before it ("不要转人工 我自己看看"), any
  // refusal may be of this one — declined.
  const t = toSimplified(text.normalize('NFKC')).replace(/[\s，,。；;!！]+$/u, '');
  return !(t.endsWith(refused) && writesNamedIn(refused).length > 0);
}

/**
 * The refused write said again after its refusal, with other words ("不是要扣分 是要加 给陈静加80分", "别删李娜的投诉过标签
 * 把新客从刘洋那去掉", "…不用打了 改成流失风险"): what follows is the request — the same write for another member or value.
 * Only after: "给流失名单发券 不要发给王芳" keeps its exclusion (declined, never run without it).
 */
function saidAgainAfter(intent: string, text: string, refused: string): boolean {
  const t = toSimplified(text.normalize('NFKC'));
  const at = t.indexOf(refused);
  if (at < 0) return false;
  const after = t.slice(at + refused.length).replace(/^[\s，,。；;!！]+/u, '');
  // A new order with its object, or the value replaced ("把…", "给…", "是要…", "改成…") — not "就记一下 …" after "不用建工单",
  // which asks a note whatever words of a ticket it shares.
  return SAID_AGAIN_ZH.test(after) && listsActionWords(intent) && hasActionWord(intent, after);
}

function refusedMood(mood: Mood): Mood {
  return { ...mood, negated: true, affirmative: false, cues: [...mood.cues, `neg:${mood.refused}`] };
}

/** A member's words relayed for the staff member to handle ("陈静说菜里有沙子 麻烦跟进"): not someone else's instruction. */
function recordsWhatWasSaid(mood: Mood): Mood {
  if (!mood.relayedForService || !mood.reported) return mood;
  return { ...mood, reported: false, affirmative: !mood.negated && !mood.question && !mood.hypothetical && !mood.deferred };
}

/**
 * Never act on a guess (docs/intents.md): below every router, an intent that is not a read runs
 * (or is previewed) only on an affirmative instruction from the person themself. A request to
 * see records and a question about an action get the read counterpart; a negation, deferral,
 * hypothesis or someone else's instruction get a reply saying what was understood; a write
 * whose dictated text is only the request asks for the text. Members: see gate-member.ts.
 */
export async function gate(g: GateInput): Promise<GateVerdict> {
  const { intent, text, lang } = g;
  if (g.actor.kind === 'member') {
    const member = gateMember(g.actor, intent, text, lang, moodFor(intent, text));
    if (member) return member;
    return { kind: 'proceed' };
  }
  if (intent.effect === 'read' || HELD_ACTION_CONTROLS.has(intent.name)) return { kind: 'proceed' };
  const params = { action: actionLabel(intent, lang), example: exampleOf(intent, lang) };
  const counterpart = intent.readCounterpart ? g.getIntent(intent.readCounterpart) : undefined;
  const readable = counterpart && counterpart.audience === g.actor.kind ? counterpart : undefined;
  const read = (lead?: string): GateVerdict =>
    readable
      ? { kind: 'read', intent: readable, route: { ...g.route, intent: readable.name, slots: slotsOf(readable, g.route.slots) }, ...(lead ? { lead } : {}) }
      : { kind: 'reply', result: { text: t(lang, 'safety.question', params), outcome: 'answered' } };

  if (intent.readCounterpart && isViewRequest(text)) return read();

  const mood = moodFor(intent, text);
  if (mood.negated) {
    const pending = await peekAction(g.services, g.actor, undefined, g.conversationId);
    if (pending && pending.intent === intent.name) {
      await dropAction(g.services, g.actor, pending);
      // A negated request of what is held withdraws it: 取消, as the card's cancel button would.
      return { kind: 'reply', result: { text: t(lang, 'safety.cancelledPending', { ...params, code: pending.code }), outcome: 'declined', intent: CANCEL_INTENT, data: { cancelled: pending.intent, code: pending.code } } };
    }
    return decline(lang, 'safety.negated', params, mood);
  }
  if (mood.reported) return decline(lang, 'safety.reported', params, mood);
  if (mood.hypothetical) return decline(lang, 'safety.hypothetical', params, mood);
  if (mood.deferred) return decline(lang, 'safety.deferred', params, mood);
  if (mood.question) return read(t(lang, 'safety.questionLead', params));
  // A list-wide write (a recall reaches the churn list) asked for one member: the preview would be for everyone on the list.
  if (intent.reaches && intent.confirm && !g.held && aimsAtOneMember(text, g.route.slots.member)) return { kind: 'reply', result: { text: t(lang, 'safety.oneMember', params), outcome: 'asked', data: { asked: 'audience', gate: 'one-member' } } };
  if (actsOnNothing(g)) return { kind: 'reply', result: { text: t(lang, 'safety.askObject', params), outcome: 'asked', intent: CLARIFY_INTENT, data: { asked: 'object', gate: 'bare' } } };

  if (intent.freeText) {
    const parsed = intent.slots.safeParse(g.route.slots);
    if (parsed.success) {
      const s = parsed.data as Record<string, unknown>;
      const refs = ['phone', 'memberNo', 'name'].map((k) => (typeof s[k] === 'string' ? (s[k] as string) : undefined));
      if (isBareContent(intent.freeText(parsed.data), refs)) return { kind: 'reply', result: { text: t(lang, 'safety.askContent', params), outcome: 'asked', data: { asked: 'content' } } };
    }
  }
  return { kind: 'proceed' };
}

/**
 * A write chosen with nothing to act on — the message only a verb, its instrument, an amount or a pointer
 * ("发券", "群发一下", "导出", "send coupons"; action-words.ts namesNothingToActOn), no member, tag, store or
 * ticket in its slots, nothing held — is a guess at the object when the conversation was not about it: a
 * recall would go to the churn list by default, an export to the sender's newest segment. The bot asks what
 * is meant instead of holding a preview. The previous turn supplies the object when it was about the same
 * things (aboutSameThings): "流失名单" → "给他们发30的券", a question about the recall → "那就发吧", a segment
 * just made → "导出".
 */
function actsOnNothing(g: GateInput): boolean {
  const { intent, route } = g;
  if (intent.effect === 'read' || intent.effect === 'control' || g.held || namesEntity(route.slots)) return false;
  return namesNothingToActOn(g.text) && !(g.previous && aboutSameThings(intent, route.slots, g.previous));
}

/**
 * Whether a turn reported as `previous` was about what `intent` acts on: an intent of the same area
 * (recall.*, segment.*, tag.*), the write's read counterpart or the read of whom it reaches (the churn list), or the
 * confirmation or withdrawal of a held action just before ("wait" → "ok export it now").
 */
function aboutSameThings(intent: IntentDef, slots: Record<string, unknown>, previous: string): boolean {
  if (HELD_ACTION_CONTROLS.has(previous) || intentFamily(previous) === intentFamily(intent.name)) return true;
  return previous === intent.readCounterpart || previous === intent.reaches?.(slots as never)?.intent;
}

/** The write's slots the read takes ("她VIP标签还在吗": her member number, not the tag the write would have added). */
export function slotsOf(intent: IntentDef, slots: Record<string, unknown>): Record<string, unknown> {
  const shape = (intent.slots as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.fromEntries(Object.entries(slots).filter(([k]) => k in shape)) : slots;
}

function decline(lang: Lang, key: 'safety.negated' | 'safety.reported' | 'safety.hypothetical' | 'safety.deferred', params: Record<string, string>, mood: Mood): GateVerdict {
  return { kind: 'reply', result: { text: t(lang, key, params), outcome: 'declined', data: { gate: key.slice('safety.'.length), cues: mood.cues } } };
}
