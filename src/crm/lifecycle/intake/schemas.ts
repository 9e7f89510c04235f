import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What a POS, a mini-program or an integration sends: a paid order and a refund. The schemas
 * check shape (the API answers 422 naming the field); rules that need the database or the
 * clock (the member, the store, paidAt not in the future) are checked by the intake, 400/404.
 */

/** Money in yuan as a decimal string ("88.5", "88.50"): never a float. */
export const yuan = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'a decimal amount in yuan such as "88.50"');
/** A chain's order or refund number. */
const documentNo = z.string().trim().regex(/^[A-Za-z0-9_\-.:]{1,32}$/, 'letters, digits and - _ . :, at most 32');

export const orderItemSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    qty: z.number().positive().max(100_000),
    price: yuan.describe('unit price, decimal string'),
    category: z.string().trim().min(1).max(32).optional(),
    sku: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

const MEMBER_KEYS = ['memberId', 'memberNo', 'openid', 'phone'] as const;

/** How an order or an event names its member: the four keys, exactly one of them given (memberKeyIssue). */
export const memberKeyFields = {
  memberId: z.number().int().positive().optional(),
  memberNo: z.string().min(1).max(16).optional(),
  openid: z.string().min(1).max(64).optional().describe('mini-program openid'),
  phone: z.string().min(1).max(32).optional().describe('mainland mobile, any formatting'),
};

/** The issue when a body names its member by none or more than one of the keys. */
export function memberKeyIssue(o: Partial<Record<(typeof MEMBER_KEYS)[number], unknown>>, ctx: z.RefinementCtx): void {
  const given = MEMBER_KEYS.filter((k) => o[k] !== undefined);
  if (given.length !== 1) ctx.addIssue({ code: 'custom', path: [given[1] ?? 'memberId'], message: 'name the member by exactly one of memberId, memberNo, openid, phone' });
}

export const orderInputSchema = z
  .object({
    orderNo: documentNo.describe('unique per chain; the idempotency key'),
    ...memberKeyFields,
    createMember: z.boolean().optional().describe('with phone: an unknown phone creates the member (home store = the order’s store)'),
    memberName: z.string().trim().min(1).max(64).optional().describe('the new member’s name when createMember creates one (default 顾客 + last four digits)'),
    storeId: z.number().int().positive().optional(),
    storeCode: z.string().trim().min(1).max(16).optional(),
    amount: yuan.refine((a) => Number(a) > 0, 'must be more than 0'),
    paidAt: z.iso.datetime({ offset: true }).describe('ISO 8601 with offset, e.g. 2026-11-21T12:30:00+08:00'),
    paymentMethod: z.string().trim().min(1).max(16).describe('wechat, alipay, card, cash …'),
    items: z.array(orderItemSchema).min(1).max(200),
    channel: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_-]{0,15}$/, 'lower-case letters, digits, - and _, at most 16')
      .optional()
      .describe('dine-in, takeaway, mini-program …'),
  })
  .strict()
  .superRefine((o, ctx) => {
    memberKeyIssue(o, ctx);
    if ((o.storeId === undefined) === (o.storeCode === undefined)) ctx.addIssue({ code: 'custom', path: ['storeId'], message: 'give exactly one of storeId, storeCode' });
    if (o.createMember && o.phone === undefined) ctx.addIssue({ code: 'custom', path: ['createMember'], message: 'createMember needs the phone' });
    if (o.memberName !== undefined && !o.createMember) ctx.addIssue({ code: 'custom', path: ['memberName'], message: 'memberName only with createMember' });
  });
export type OrderInput = z.output<typeof orderInputSchema>;

export const refundInputSchema = z
  .object({
    refundNo: documentNo.describe('unique per chain; the idempotency key of the refund'),
    amount: yuan.refine((a) => Number(a) > 0, 'must be more than 0').optional().describe('default: everything not yet refunded (a full refund)'),
    reason: z.string().trim().min(1).max(128).optional(),
    refundedAt: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  })
  .strict();
export type RefundInput = z.output<typeof refundInputSchema>;

/** One refund of a batch (POST /orders/refunds/batch): the refund as the single route takes it, with the order's number. */
export const refundBatchItemSchema = refundInputSchema.extend({ orderNo: documentNo.describe('the refunded order') }).strict();

/** Two decimals ("88.5" → "88.50"), exact (string arithmetic on cents). */
export function twoDecimals(amount: string): string {
  const [int = '0', frac = ''] = amount.split('.');
  return `${BigInt(int).toString()}.${(frac + '00').slice(0, 2)}`;
}

/** Integer cents of a decimal string (amounts stay below 2^53 cents). */
export const centsOf = (amount: string): number => {
  const [int = '0', frac = ''] = twoDecimals(amount).split('.');
  return Number(int) * 100 + Number(frac);
};
export const yuanOf = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** JSON with sorted keys, so two spellings of one body hash alike. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The hash a request is known by: its parsed body with amounts at two decimals and times as
 * instants, so "88.5" and "88.50", or +08:00 and the same instant in Z, are the same request.
 */
export function requestHash(kind: 'order' | 'refund' | 'event', body: Record<string, unknown>): string {
  const norm = Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, (k === 'amount' || k === 'price') && typeof v === 'string' ? twoDecimals(v) : (k === 'paidAt' || k === 'refundedAt' || k === 'occurredAt') && typeof v === 'string' ? new Date(v).toISOString() : v]),
  );
  if (Array.isArray(norm.items)) norm.items = norm.items.map((i) => ({ ...(i as object), price: twoDecimals(String((i as { price: string }).price)) }));
  return createHash('sha256').update(`${kind}:${canonical(norm)}`).digest('hex');
}
