import { z } from 'zod';
import { EVENT_DATA, EVENT_TYPES, type EventType } from '../../engagement/index.ts';
import { memberKeyFields, memberKeyIssue } from './schemas.ts';

/**
 * A behaviour event as the mini-program, the web shop or an integration sends it: the sender's
 * `eventId` (the idempotency key), the member by one of its keys, `occurredAt` with an offset,
 * and the type's own small `data` (engagement/events/types.ts). One object per type, so a bad
 * `data` field is named exactly (`data.productId`), and an unknown type is named as `type`.
 */
const eventBase = {
  eventId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_\-.:]{1,64}$/, 'letters, digits and - _ . :, at most 64')
    .describe('the sender’s id of this event: unique, the idempotency key'),
  ...memberKeyFields,
  occurredAt: z.iso.datetime({ offset: true }).describe('ISO 8601 with offset, e.g. 2026-11-21T12:30:00+08:00'),
  source: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,15}$/, 'lower-case letters, digits, - and _, at most 16')
    .optional()
    .describe('miniprogram, web, wecom, pos …'),
};

const one = <T extends EventType>(type: T) => z.strictObject({ ...eventBase, type: z.literal(type), data: EVENT_DATA[type] });

const variants = EVENT_TYPES.map(one) as unknown as [ReturnType<typeof one<'product_viewed'>>, ...ReturnType<typeof one<EventType>>[]];

export const eventInputSchema = z.discriminatedUnion('type', variants).superRefine((o, ctx) => memberKeyIssue(o, ctx));
export type EventInput = z.output<typeof eventInputSchema>;
