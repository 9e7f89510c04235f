import { z } from 'zod';
import { AppError, badRequest, fieldError, type ErrorCode } from '../kernel/index.ts';
import { normalizePhone } from './identifiers.ts';

/**
 * The fields a member gets from outside (the create API, the profile patch, an order that
 * creates its member): their schemas, and the checks a schema cannot make (a phone as typed, an
 * e-mail address), each failing with the field named in `issues`, as the API's validation does.
 */

export const ADDRESS_TYPES = ['home', 'work', 'delivery', 'other'] as const;

export const addressSchema = z
  .object({
    type: z.enum(ADDRESS_TYPES).default('home'),
    province: z.string().trim().max(32).optional(),
    city: z.string().trim().max(32).optional(),
    district: z.string().trim().max(32).optional(),
    detail: z.string().trim().min(1).max(200),
    default: z.boolean().default(false),
  })
  .strict();
export type Address = z.output<typeof addressSchema>;

/** At most ten, and at most one default (the first is the default when none is marked). */
export const addressesSchema = z
  .array(addressSchema)
  .max(10)
  .refine((a) => a.filter((x) => x.default).length <= 1, { message: 'at most one address may be the default' });

/** A chain's own customer number: letters, digits, "-" and "_". */
export const customerNoSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - and _, at most 32');
export const remarksSchema = z.string().trim().max(1000);
/** Where the member came from (members.source_channel): pos, miniprogram, import, api … */
export const sourceSchema = z.string().trim().regex(/^[a-z][a-z0-9_-]{0,15}$/, 'lower-case letters, digits, - and _, at most 16');

/** A pragmatic e-mail check (one @, a dot in the domain, no spaces); the mail server has the last word. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** An e-mail address inside a chat message ("查一下 li.na@example.com"): staff name a member by it, and it says nothing about the message's language. */
export const EMAIL_IN_TEXT = /[^\s@，。、：:;；"'“”（）()<>\[\]]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** Whether a search text is a whole e-mail address (then it is looked up through its blind index). */
export const looksLikeEmail = (s: string): boolean => s.length <= 254 && EMAIL.test(s.trim());

/** The phone as stored (11 digits), or 400 invalid_phone naming `field`. */
export function phoneOrThrow(raw: string, field: (string | number)[] = ['phone']): string {
  const phone = normalizePhone(raw);
  if (!phone) throw fieldError('invalid_phone', field, `「${raw}」不是有效的中国大陆手机号`);
  return phone;
}

/** The e-mail as stored (trimmed, domain lower-cased), null to clear, or 400 invalid_email. */
export function emailOrThrow(raw: string | null, field: (string | number)[] = ['email']): string | null {
  if (raw === null) return null;
  const s = raw.trim();
  if (s === '') return null;
  if (s.length > 254 || !EMAIL.test(s)) throw fieldError('invalid_email', field, `「${raw}」不是有效的邮箱地址`);
  const at = s.lastIndexOf('@');
  return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
}

/** A calendar day (YYYY-MM-DD) that exists and is not after `today`, as a DATE column value. */
export function birthdayOrThrow(raw: string, now: Date, field: (string | number)[] = ['birthday']): Date {
  const d = new Date(`${raw}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) throw fieldError('invalid_member', field, `「${raw}」不是有效日期`);
  if (d.getTime() > now.getTime() || d.getUTCFullYear() < 1900) throw fieldError('invalid_member', field, '生日不能在今天之后或 1900 年之前');
  return d;
}

/** Addresses as stored: the default one marked (the first when none was). */
export function normalizeAddresses(list: Address[]): Address[] {
  if (!list.length || list.some((a) => a.default)) return list;
  return list.map((a, i) => ({ ...a, default: i === 0 }));
}

/** "zh***@example.com": the first two characters of the local part. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at < 0 ? '***' : `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

export const badMember = (message: string) => badRequest('invalid_member', message);
