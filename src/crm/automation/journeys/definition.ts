/**
 * A journey is versioned data (docs/journeys.md): a trigger, then steps. Every version is
 * validated by `parseJourneyDefinition` before it is stored, so the engine only ever walks
 * a well-formed graph (unique ids, existing targets, no cycles, split shares adding to 100).
 *
 * Steps (the first one is the entry; `next` defaults to the following step in the array):
 *   wait       {duration:{days,hours,minutes}} | {until:{field:'birthday', offsetDays?, atTime?}} | {atTime:'HH:MM'}
 *   condition  {if:{segment?: <segment node>, orderedSinceEntry?: true}, then, else}
 *   split      {branches:[{name, percent, next}]}   deterministic per member (hash)
 *   action     {action: coupon | message | wecom_mass | staff_task | tag | points}
 *   exit
 */
import { z } from 'zod';
import { AppError } from '../../kernel/index.ts';
import { EVENT_TYPES } from '../../engagement/index.ts';
import { parseSegmentTree, type SegmentNode } from '../../insights/index.ts';

export const TRIGGER_TYPES = [
  'member_registered',
  'birthday',
  'order_paid',
  'no_order',
  'product_browsed',
  'wecom_joined',
  'complaint',
  'segment_entered',
  'segment_left',
  'points_expiring',
  'level_changed',
  'member_event',
  'manual',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (China time)');
const stepId = z.string().regex(/^[a-z0-9_-]{1,64}$/i, 'step ids are 1–64 letters, digits, _ or -');

export const triggerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('member_registered') }),
  z.strictObject({ type: z.literal('birthday'), daysBefore: z.number().int().min(0).max(60).default(0) }),
  z.strictObject({ type: z.literal('order_paid'), minAmount: z.number().min(0).optional() }),
  z.strictObject({ type: z.literal('no_order'), days: z.number().int().min(1).max(3650) }),
  z.strictObject({ type: z.literal('product_browsed'), productId: z.string().max(64).optional() }),
  z.strictObject({ type: z.literal('wecom_joined'), kind: z.enum(['group', 'staff', 'any']).default('any') }),
  z.strictObject({ type: z.literal('complaint') }),
  z.strictObject({ type: z.literal('segment_entered'), segmentId: z.number().int().positive() }),
  z.strictObject({ type: z.literal('segment_left'), segmentId: z.number().int().positive() }),
  z.strictObject({ type: z.literal('points_expiring'), withinDays: z.number().int().min(1).max(365).default(30) }),
  z.strictObject({ type: z.literal('level_changed'), direction: z.enum(['up', 'down', 'any']).default('any') }),
  // Any recorded behaviour event of a type (activity registered, form submitted …), optionally about one ref (activity id, form id …).
  z.strictObject({ type: z.literal('member_event'), eventType: z.enum(EVENT_TYPES), ref: z.string().min(1).max(64).optional() }),
  z.strictObject({ type: z.literal('manual') }),
]);
export type JourneyTrigger = z.infer<typeof triggerSchema>;

export const CHANNELS = ['miniprogram', 'wecom', 'sms', 'email'] as const;
export type MessageChannel = (typeof CHANNELS)[number];

const subscribeSchema = z.strictObject({
  templateId: z.string().min(1).max(128),
  /** Template fields; values may use {name} {coupon} {amount} {points} placeholders. */
  data: z.record(z.string().regex(/^[a-z_]+\d+$/), z.string().max(200)),
  page: z.string().max(256).optional(),
});

export const actionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('coupon'),
    title: z.string().min(1).max(64),
    amount: z.number().positive().max(100000),
    validDays: z.number().int().min(1).max(365).default(30),
  }),
  z.strictObject({
    kind: z.literal('message'),
    /** Plain text; {name} {coupon} {amount} {points} are filled in per member. */
    text: z.string().min(1).max(1000),
    subject: z.string().max(128).optional(),
    /** Tried in order; the first that reaches the member is used (quota, contact, provider). */
    channels: z.array(z.enum(CHANNELS)).min(1).max(4).optional(),
    subscribe: subscribeSchema.optional(),
    /** Marketing messages obey unsubscribe, the weekly cap and quiet hours; service ones only quiet hours. */
    marketing: z.boolean().default(true),
  }),
  /**
   * A WeCom 群发 to the member (externalcontact/add_msg_template, chat_type single): WeCom sends
   * it only once the staff member confirms it in their WeCom client, so the step waits — asking
   * WeCom every few minutes — until it is sent, refused (not a contact, over the customer's
   * receive limit) or `confirmHours` pass (then it is withdrawn and the journey goes on). The
   * member counts against the 群发 cap while it waits and once sent, not when it lapses.
   */
  z.strictObject({
    kind: z.literal('wecom_mass'),
    /** Plain text (WeCom: at most 4000 bytes); {name} {coupon} {amount} {points} are filled in per member. */
    text: z.string().min(1).max(1000),
    confirmHours: z.number().int().min(1).max(72).default(24),
    marketing: z.boolean().default(true),
  }),
  z.strictObject({ kind: z.literal('staff_task'), text: z.string().min(1).max(500), to: z.string().max(64).default('store_manager') }),
  z.strictObject({ kind: z.literal('tag'), op: z.enum(['add', 'remove']), tag: z.string().min(1).max(32) }),
  z.strictObject({ kind: z.literal('points'), delta: z.number().int().min(-100000).max(100000).refine((v) => v !== 0, 'non-zero'), reason: z.string().min(1).max(100) }),
]);
export type JourneyAction = z.infer<typeof actionSchema>;

const durationSchema = z
  .strictObject({ days: z.number().int().min(0).max(3650).optional(), hours: z.number().int().min(0).max(10000).optional(), minutes: z.number().int().min(0).max(100000).optional() })
  .refine((d) => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0, 'a duration must be longer than zero');

export const stepSchema = z.discriminatedUnion('type', [
  z.strictObject({
    id: stepId,
    type: z.literal('wait'),
    duration: durationSchema.optional(),
    until: z.strictObject({ field: z.literal('birthday'), offsetDays: z.number().int().min(-60).max(60).default(0), atTime: hhmm.default('10:00') }).optional(),
    atTime: hhmm.optional(),
    next: stepId.optional(),
  }),
  z.strictObject({
    id: stepId,
    type: z.literal('condition'),
    if: z.strictObject({ segment: z.unknown().optional(), orderedSinceEntry: z.boolean().optional() }),
    then: stepId,
    else: stepId,
  }),
  z.strictObject({
    id: stepId,
    type: z.literal('split'),
    branches: z.array(z.strictObject({ name: z.string().min(1).max(32), percent: z.number().int().min(0).max(100), next: stepId })).min(2).max(10),
  }),
  z.strictObject({ id: stepId, type: z.literal('action'), action: actionSchema, next: stepId.optional() }),
  z.strictObject({ id: stepId, type: z.literal('exit') }),
]);
export type JourneyStep = z.infer<typeof stepSchema>;

export const definitionSchema = z.strictObject({
  schema: z.literal(1).default(1),
  trigger: triggerSchema,
  /** never: a member enters once per trigger occurrence (the default); the key still dedupes duplicates. */
  reentry: z.enum(['never', 'per_occurrence']).default('per_occurrence'),
  /** Conversion: an order within this many days of entering (stats, recall attribution). */
  goal: z.strictObject({ orderWithinDays: z.number().int().min(1).max(365) }).default({ orderWithinDays: 30 }),
  /** Overrides JOURNEY_QUIET_HOURS for this journey. */
  quietHours: z.string().regex(/^(off|\d{2}:\d{2}-\d{2}:\d{2})$/).optional(),
  /** Default channel order of message actions. */
  channels: z.array(z.enum(CHANNELS)).min(1).max(4).default(['miniprogram', 'wecom', 'sms']),
  steps: z.array(stepSchema).min(1).max(100),
});
export type JourneyDefinition = z.infer<typeof definitionSchema>;
export type JourneyDefinitionInput = z.input<typeof definitionSchema>;

/** A parsed definition with the graph resolved: each step's successors and the segment trees. */
export interface CompiledJourney {
  def: JourneyDefinition;
  entry: string;
  steps: Map<string, JourneyStep>;
  /** Default successor of wait/action steps (the following step, or none = complete). */
  nextOf: Map<string, string | undefined>;
  segments: Map<string, SegmentNode>;
}

export function invalidJourney(path: string, message: string): AppError {
  return new AppError('invalid_journey', `旅程定义有误（${path}）：${message}`, { details: { path, message } });
}

/** Validates and compiles a definition; throws 400 invalid_journey naming the bad path. */
export function parseJourneyDefinition(raw: unknown): CompiledJourney {
  const r = definitionSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalidJourney(issue.path.join('.') || 'definition', issue.message);
  }
  const def = r.data;
  const steps = new Map<string, JourneyStep>();
  const nextOf = new Map<string, string | undefined>();
  const segments = new Map<string, SegmentNode>();
  def.steps.forEach((s, i) => {
    if (steps.has(s.id)) throw invalidJourney(`steps[${i}].id`, `step id "${s.id}" is used twice`);
    steps.set(s.id, s);
  });
  def.steps.forEach((s, i) => {
    const path = `steps[${i}]`;
    const targets: string[] = [];
    if (s.type === 'wait') {
      const kinds = [s.duration, s.until, s.atTime].filter((x) => x !== undefined).length;
      if (kinds !== 1) throw invalidJourney(path, 'a wait needs exactly one of duration, until, atTime');
    }
    if (s.type === 'wait' || s.type === 'action') {
      const n = s.next ?? def.steps[i + 1]?.id;
      nextOf.set(s.id, n);
      if (n) targets.push(n);
    }
    if (s.type === 'condition') {
      if (s.if.segment === undefined && !s.if.orderedSinceEntry) throw invalidJourney(`${path}.if`, 'give a segment condition and/or orderedSinceEntry');
      if (s.if.segment !== undefined) {
        try {
          segments.set(s.id, parseSegmentTree({ version: 1, root: s.if.segment }).root);
        } catch (e) {
          throw invalidJourney(`${path}.if.segment`, (e as Error).message);
        }
      }
      targets.push(s.then, s.else);
    }
    if (s.type === 'split') {
      const total = s.branches.reduce((a, b) => a + b.percent, 0);
      if (total !== 100) throw invalidJourney(`${path}.branches`, `percentages add up to ${total}, not 100`);
      targets.push(...s.branches.map((b) => b.next));
    }
    if (s.type === 'action' && s.action.kind === 'message') {
      const chans = s.action.channels ?? def.channels;
      if (chans.includes('miniprogram') && !s.action.subscribe) {
        if (s.action.channels?.includes('miniprogram')) throw invalidJourney(`${path}.action.subscribe`, 'the miniprogram channel needs a subscribe template (templateId, data)');
      }
    }
    for (const t of targets) if (!steps.has(t)) throw invalidJourney(path, `goes to step "${t}", which does not exist`);
  });
  // No cycles: a member walks each step at most once, which is what the idempotency key assumes.
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw invalidJourney('steps', `cycle: ${[...trail, id].join(' → ')}`);
    state.set(id, 1);
    for (const n of successors(steps.get(id)!, nextOf)) visit(n, [...trail, id]);
    state.set(id, 2);
  };
  visit(def.steps[0]!.id, []);
  return { def, entry: def.steps[0]!.id, steps, nextOf, segments };
}

export function successors(s: JourneyStep, nextOf: Map<string, string | undefined>): string[] {
  if (s.type === 'condition') return [s.then, s.else];
  if (s.type === 'split') return s.branches.map((b) => b.next);
  if (s.type === 'exit') return [];
  const n = nextOf.get(s.id);
  return n ? [n] : [];
}

/** Marketing sends count against unsubscribe and the weekly cap. */
export function isMarketing(step: JourneyStep): boolean {
  return step.type === 'action' && (step.action.kind === 'message' || step.action.kind === 'wecom_mass') && step.action.marketing;
}
