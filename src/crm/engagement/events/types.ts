import { z } from 'zod';

/**
 * Behaviour events: what a member did in the mini-program, on the web, in a WeCom group or at
 * an event, as the chain reports it. Each type carries a small typed `data` object, and one of
 * its fields is the event's `ref` — what it is about — which segment conditions and journey
 * triggers match on ("viewed product SKU-1 three times", "registered for activity A-7").
 */
export const EVENT_TYPES = ['product_viewed', 'activity_registered', 'activity_checked_in', 'form_submitted', 'group_joined', 'staff_added', 'coupon_redeemed', 'custom'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An id as the chain's systems spell it (SKU, activity id, WeCom chat id …). */
const ident = z.string().trim().min(1).max(64);
const label = z.string().trim().min(1).max(128);

/** A custom event's free properties, serialised, may take at most this many bytes (UTF-8). */
export const CUSTOM_PROPS_MAX_BYTES = 2048;

const customProps = z
  .record(z.string().min(1).max(64), z.unknown())
  .refine((p) => Buffer.byteLength(JSON.stringify(p), 'utf8') <= CUSTOM_PROPS_MAX_BYTES, `at most ${CUSTOM_PROPS_MAX_BYTES} bytes of JSON`);

/** A form's answers: a few short values by question key. */
const formFields = z.record(z.string().min(1).max(32), z.union([z.string().max(200), z.number(), z.boolean()])).refine((f) => Object.keys(f).length <= 30, 'at most 30 answers');

export const EVENT_DATA = {
  product_viewed: z.strictObject({ productId: ident, productName: label.optional(), category: z.string().trim().min(1).max(32).optional() }),
  activity_registered: z.strictObject({ activityId: ident, activityName: label.optional() }),
  activity_checked_in: z.strictObject({ activityId: ident, activityName: label.optional(), storeCode: z.string().trim().min(1).max(16).optional() }),
  form_submitted: z.strictObject({ formId: ident, formName: label.optional(), fields: formFields.optional() }),
  // WeCom reports a join with the group's chat id; it is optional only because the old
  // /journeys/events alias reported joins without one.
  group_joined: z.strictObject({ groupId: ident.optional(), groupName: label.optional() }),
  staff_added: z.strictObject({ staffUserId: ident.optional() }),
  coupon_redeemed: z.strictObject({ couponCode: ident, couponId: z.number().int().positive().optional(), orderNo: z.string().trim().min(1).max(32).optional() }),
  custom: z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, _ . -, at most 64'), props: customProps.optional() }),
} as const satisfies Record<EventType, z.ZodType>;

export type EventData<T extends EventType = EventType> = z.output<(typeof EVENT_DATA)[T]>;

/** The data field that is the event's ref, per type. */
const REF_FIELD = {
  product_viewed: 'productId',
  activity_registered: 'activityId',
  activity_checked_in: 'activityId',
  form_submitted: 'formId',
  group_joined: 'groupId',
  staff_added: 'staffUserId',
  coupon_redeemed: 'couponCode',
  custom: 'name',
} as const satisfies Record<EventType, string>;

/** What the event is about (its `ref`), or null when the type's ref field was not given. */
export function refOf(type: EventType, data: Record<string, unknown>): string | null {
  const v = data[REF_FIELD[type]];
  return typeof v === 'string' ? v : null;
}

/** The ref field's name (docs, messages): productId for product_viewed … */
export const refField = (type: EventType): string => REF_FIELD[type];
