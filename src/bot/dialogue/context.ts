import { tagDictionary } from '../../crm/engagement/index.ts';
import { can } from '../../crm/kernel/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { storeDirectory } from '../../intents/router/stores.ts';
import { LOW_CONFIDENCE } from '../../intents/router/types.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { Services } from '../../services.ts';
import { moodFor } from '../gate.ts';
import type { TurnMemory } from '../memory.ts';
import type { Actor, InboundMessage, IntentResult, RouteResult } from '../types.ts';
import { missingDetail, type AskedNeed } from './missing.ts';
import type { RefineLookups } from './refine.ts';
import type { LastAnswer } from './state.ts';

/**
 * What to do with this message: the bot answers itself (`reply`: a question, a short reply to
 * small talk) or an intent runs through the pipeline's one run path (authorize, confirmation,
 * safety gate) — `text` is the request it runs for: the message itself, or, when the message
 * answered the bot's question ("2", "13800000003"), the original request. `changesHeld`: the run is a held action
 * changed in place ("改成1000" while 加2000 waits) — previewed and held again whatever its size, never run on the change.
 */
export type Plan =
  | { kind: 'reply'; route: RouteResult; result: IntentResult }
  | { kind: 'run'; intent: IntentDef; route: RouteResult; text: string; picked?: boolean; changesHeld?: boolean };

/**
 * The write the speaker's previous turn made on request, which a follow-on may correct, take back or add to
 * (correct-write.ts, undo-write.ts, also-figure.ts): staff only, nothing held now (the held action is what changes then),
 * a write — not a read or a control — that was asked for affirmatively (a refused or supposed one wrote nothing) and is
 * the sender's to make. Undefined otherwise.
 */
export function writeJustMade(
  { getIntent, mayUse }: Pick<DialogueContext, 'getIntent' | 'mayUse'>,
  memory: TurnMemory,
  actor: Actor,
  held: boolean,
): { previous: NonNullable<TurnMemory['previous']>; wrote: IntentDef } | undefined {
  const previous = memory.previous;
  const wrote = actor.kind === 'staff' && !held && previous ? getIntent(previous.intent) : undefined;
  if (!previous || !wrote || wrote.effect === 'read' || wrote.effect === 'control' || !moodFor(wrote, previous.text).affirmative || !mayUse(actor, wrote)) return undefined;
  return { previous, wrote };
}

export interface DialogueDeps {
  services: Services;
  getIntent: (name: string) => IntentDef | undefined;
  /** Each audience's answer to anything unrecognised (the help intents). */
  fallback: { staff: string; member: string };
}

/** One message in the dialogue: who said what, what the router made of it, the sender's memory and language. */
export interface Turn {
  msg: InboundMessage;
  memory: TurnMemory;
  actor: Actor;
  routed: RouteResult;
  lang: Lang;
}

/** The last answer to this sender (members refine their own too; naming another member is staff's) and its intent. */
export interface Recent {
  last: LastAnswer | null;
  /** The last answer when the sender is staff: what naming another member, a row or a correction goes on from. */
  staffLast: LastAnswer | null;
  lastIntent: IntentDef | null | undefined;
}

export const NEED_TEXT = { member: 'dialogue.needMember', tag: 'dialogue.needTag', points: 'dialogue.needPoints', reason: 'dialogue.needReason', amount: 'dialogue.needAmount' } as const satisfies Record<AskedNeed, string>;
/** 取消 and 确认 (a refusal of the bot's question, a refinement ending in "就行"). */
export { CANCEL_INTENT, CONFIRM_INTENT } from '../../intents/router/types.ts';
/** Small talk of either audience. */
export const SMALLTALK = /(?:^|\.)smalltalk$/;
/** "他们", "them": the people of a list, never the member in focus. */
export const PLURAL_POINTER = /[他她]们|\b(?:they|them|their)\b/i;
/** The people just listed ("给他们都打上召回中" after the churn list). */
export const THE_LISTED = /他们|她们|这些人?|这批人?|这几(?:个|位)人?|名单上的|上面的人|全部|全都|所有人|都|(?<![完安健齐周])全(?=[打加发贴标给删扣])|\b(?:them|these|those|all of them|everyone|everybody|all)\b/i;
/** A message put as a question ("她还有别的工单吗", "any other tickets?"): a new question, never content. */
export const ASKS = /(?:[?？]|吗|么|呢|没有?)[\s。.!！~～]*$|^(?:how|did|what|which|who|where|when|is|are|does|do|any|has|have)\b/i;

/**
 * What every concern of a turn shares (the files beside this one each take it): the catalogue, who may use
 * what, whether the router was sure, and the one way a request is prepared to run (its first missing detail asked).
 */
export function dialogueContext({ services, getIntent, fallback }: DialogueDeps) {
  const mayUse = (actor: Actor, intent: IntentDef) =>
    intent.audience === actor.kind && (!intent.permission || (actor.kind === 'staff' && can(actor, intent.permission)));

  /** Ask for the first missing detail (remembering the request), or run. */
  async function prepare(memory: TurnMemory, actor: Actor, intent: IntentDef, route: RouteResult, text: string, lang: Lang): Promise<Plan> {
    // Not asked when the actor may not use it anyway: the run path refuses in one line.
    // Nor for a write that was not asked for ("不用建单了"): the run path's write gate answers it.
    const asked = intent.effect === 'read' || intent.effect === 'control' || moodFor(intent, text).affirmative;
    const need = asked && mayUse(actor, intent) ? missingDetail(intent, route.slots) : null;
    if (!need) return { kind: 'run', intent, route, text };
    memory.savePending({ kind: 'fill', text, intent: intent.name, slots: route.slots, need });
    return { kind: 'reply', route: { ...route, intent: intent.name }, result: { text: t(lang, NEED_TEXT[need]), outcome: 'asked', data: { asked: need } } };
  }

  /** The router found nothing it was sure of, or found the request being answered again: the message may answer. */
  const weak = (actor: Actor, routed: RouteResult, intent?: string) =>
    routed.intent === fallback[actor.kind] || routed.confidence < LOW_CONFIDENCE || routed.intent === intent || !getIntent(routed.intent);

  /** What a refinement looks figures up in (the stores, the tag dictionary, the catalogue). */
  const lookups = async (routedIntent?: string): Promise<RefineLookups> => ({
    stores: await storeDirectory(services),
    tagNames: (await tagDictionary(services)).map((x) => x.name),
    getIntent,
    ...(routedIntent ? { routedIntent } : {}),
  });

  return { services, getIntent, fallback, mayUse, prepare, weak, lookups };
}

export type DialogueContext = ReturnType<typeof dialogueContext>;
