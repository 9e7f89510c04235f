import type { z } from 'zod';
import type { Actor, Channel, IntentResult, MemberActor, StaffActor } from '../bot/types.ts';

/** A held action's preview and the one member it is about, if one. */
export interface HeldPreview {
  text: string;
  focus?: IntentResult['focus'];
}

/** A held action's preview as the intent gave it: its text and the member it is about. */
export const heldPreview = (p: HeldPreview | string): HeldPreview => (typeof p === 'string' ? { text: p } : p);
import type { Permission } from '../crm/kernel/index.ts';
import type { Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';

/** What an intent's run() gets besides its slots. */
export interface IntentContext<A extends Actor = Actor> {
  services: Services;
  actor: A;
  channel: Channel;
  requestId: string;
  /** The language to answer in: the user's own (src/i18n; texts come from its catalogue). */
  lang: Lang;
  /** The message as typed (for intents that keep the member's own words, e.g. handoff). */
  text?: string;
  /**
   * The request changes an action held for 确认 ("改成1000" while 加2000 waits): confirm() previews it whatever its size
   * — a change is said to a preview, and is answered with one; only 确认 runs it.
   */
  changesHeld?: boolean;
}

/** What an intent does when it runs (see IntentDef.effect). */
/** An intent's family: the part of its name before the dot ("tag" of tag.add / tag.remove; a name without one is its own). */
export const intentFamily = (name: string): string => name.split('.')[0]!;

export type IntentEffect = 'read' | 'write' | 'send' | 'export' | 'control';

/** One example utterance; the rule router's tests and the help text are derived from these. */
export interface IntentExample<S> {
  text: string;
  /** The slots the rule router must extract from `text` (the router table test checks equality). */
  slots?: Partial<S>;
}

/** The rule router's slot extractors (src/intents/router/extract.ts) an intent can ask for. */
/** 'text': the whole message (NFKC-normalised, trimmed), for intents that parse free text themselves (segment conditions). */
/** dateFrom / dateTo: the two ends of a range of dates the message names (YYYY-MM-DD), read against the request's clock. */
export type ExtractorKind = 'phone' | 'memberNo' | 'name' | 'tag' | 'days' | 'amount' | 'count' | 'list' | 'code' | 'text' | 'store' | 'level' | 'dateFrom' | 'dateTo';

/**
 * A trigger: a word or pattern, or an array of them that must all appear (e.g. ['去掉', '标签']).
 * Strings match case-insensitively in the NFKC-normalised text; ASCII words on word boundaries.
 * Keep patterns narrow (no `.*`): their matched text is stripped before a name is extracted.
 */
export type Trigger = string | RegExp | (string | RegExp)[];

/** How the rule router recognises an intent and fills its slots; derived, never duplicated. */
export interface RuleDecl<S> {
  keywords: Trigger[];
  /** Slot name → extractor that fills it. */
  extract?: { [K in keyof S & string]?: ExtractorKind };
  /** Groups of slots; each group needs one filled slot for a confident match ([['phone','memberNo','name'], ['tag']]). */
  requires?: (keyof S & string)[][];
  /** Route here when the message is nothing but a phone number or member number. */
  bareMemberRef?: boolean;
  /** Tie-break when several intents' triggers match: higher wins (the more specific intent). */
  priority?: number;
  /** The audience's answer to anything unrecognised (help): one per audience. */
  fallback?: boolean;
  /**
   * Talk about nothing in the CRM (help, small talk): a message in which another reading finds a
   * member, a tag, a store, a level, a metric or a ticket ("周杰 电话", "客单 昨天") is not this.
   */
  chat?: boolean;
  /**
   * Slots the intent reads from the message itself with its own parser (a metric, a count-or-list
   * mode, a ticket's status): called last, with the message and the slots extracted so far (to leave
   * the member reference out); it fills only slots still empty, so every router reading carries them.
   */
  derive?(text: string, slots: Partial<S>): Partial<S>;
}

/**
 * An intent is data (docs/architecture.md, conventions): the rule router, the LLM tool list and the help
 * text are all derived from this one declaration. Adding an intent is adding one file.
 */
export interface IntentDef<S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  name: string;
  audience: 'staff' | 'member';
  /** English, one sentence: the LLM tool description. */
  description: string;
  /** Chinese one-liner shown in the help text. */
  title: string;
  /** Required permission (staff intents); null = anyone of the audience. */
  permission: Permission | null;
  /**
   * What running it does to the world: `read` only answers; `write` changes records; `send`
   * messages members; `export` hands out personal data; `control` confirms or cancels a held
   * action. Anything but `read` runs only on an affirmative instruction (docs/intents.md, never act on a guess).
   */
  effect: IntentEffect;
  /**
   * The read intent that answers a question about this write ("给他打过VIP了吗" → member.summary)
   * or a request to see its records ("她的跟进记录给我看看" → member.interactions). A question
   * or view request never runs the write (src/bot/gate.ts); without a counterpart it gets a short answer.
   */
  readCounterpart?: string;
  /**
   * A store-wide read's question about one member: the read that answers it when the message points at the member in
   * focus ("她有啥单子没处理" after 李娜 read as today's work → her tickets; src/bot/dialogue/focus.ts aboutFocusInstead).
   * Undefined when the message's words do not say which record: the router's next reading of one member decides.
   */
  aboutOneMember?(slots: z.infer<S>): string | undefined;
  /**
   * The read that shows whom this action reaches (the churn list a recall or a batch tag goes to, the
   * segment an export writes), with its slots: a question about its people while it waits for 确认
   * ("发给谁啊", "多少人", "how many is that") is answered by it and the action stays held
   * (src/bot/dialogue/held-audience.ts).
   */
  reaches?(slots: z.infer<S>): { intent: string; slots: Record<string, unknown> };
  /**
   * The held controls that act on one row this read lists, and the slot the row's number goes in ("停掉第一个" after
   * the recall list → recall.stop with recallId = the first row's id): a pick of a listed record names its control
   * here, declared, not found by a naming convention (src/bot/dialogue/row-pick.ts).
   */
  rowControls?: { intent: string; idSlot: string }[];
  /**
   * The free text this write would store (an interaction's content, a ticket's title), from its
   * slots. The gate asks for it instead of writing when it is empty or only the request's own words.
   */
  freeText?(slots: z.infer<S>): string | undefined;
  /** The request is itself a refusal (退订: "别给我发了"): a negation counts only when it negates the intent's own word. */
  refusalIsRequest?: boolean;
  slots: S;
  /** Chinese first (the help text shows the first), then English. */
  examples: IntentExample<z.infer<S>>[];
  rule: RuleDecl<z.infer<S>>;
  run(ctx: IntentContext<StaffActor | MemberActor>, slots: z.infer<S>): Promise<IntentResult>;
  /**
   * Mass or irreversible actions (recall to a list, batch tagging, large points changes,
   * exports): return a preview such as "将向 128 位高风险会员发送召回券，回复 确认 执行" to hold
   * the action until the same person confirms (action.confirm) within a few minutes; null runs
   * it at once. The pipeline stores the pending action; run() executes it after confirmation.
   * A preview about one member names it (`HeldPreview.focus`): the conversation keeps that member
   * in focus while the action is held ("他积分够扣吗" asks about them).
   */
  confirm?(ctx: IntentContext<StaffActor | MemberActor>, slots: z.infer<S>): Promise<HeldPreview | string | null>;
  /**
   * A member action that alerts staff or writes (hand-off, unsubscribe): counted against the
   * member's rate limit; past it the pipeline answers politely instead of running (src/bot/rate-limit.ts;
   * a staff member's writes, sends and exports are counted by their effect).
   */
  memberRateLimited?: boolean;
}

/** Declares an intent with its slot type inferred from the schema (and checked against examples and rule). */
export function defineIntent<S extends z.ZodType<Record<string, unknown>>>(def: IntentDef<S>): IntentDef<S> {
  return def;
}
