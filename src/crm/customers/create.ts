import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { AppError, auditInTransaction, recordChanges, conflict, fieldError, requirePermission, storeScope, type StaffAccess } from '../kernel/index.ts';
import { MEMBER_NO, normalizeName } from './identifiers.ts';
import { emailColumns, phoneColumns, phoneHash, storedAddresses, storedRemarks } from './sealed.ts';
import {
  addressesSchema,
  birthdayOrThrow,
  customerNoSchema,
  emailOrThrow,
  normalizeAddresses,
  phoneOrThrow,
  remarksSchema,
  sourceSchema,
} from './member-input.ts';

/**
 * A new member from outside (POST /customers, an order with createMember): the schema of the
 * request, and the row written inside the caller's transaction. The phone and e-mail are
 * checked by the domain (any formatting of a mainland mobile is accepted), each failure naming
 * its field.
 */
export const memberCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    phone: z.string().min(1).max(32).describe('mainland mobile, any formatting (+86, spaces, dashes)'),
    email: z.string().max(254).nullable().optional(),
    gender: z.enum(['male', 'female', 'unknown']).optional(),
    birthday: z.string().optional().describe('YYYY-MM-DD'),
    homeStoreId: z.number().int().positive().optional(),
    homeStore: z.string().trim().min(1).max(16).optional().describe('store code, instead of homeStoreId'),
    source: sourceSchema.optional().describe('where the member came from: pos, miniprogram, api … (default api)'),
    remarks: remarksSchema.optional(),
    addresses: addressesSchema.optional(),
    tags: z.array(z.string().trim().min(1).max(32)).max(20).optional().describe('names of existing tags'),
    customerNo: customerNoSchema.optional().describe("the chain's own customer number (unique)"),
    referralCode: z.string().trim().min(1).max(16).optional().describe("a KOC's referral code (K…): the member is recorded as that KOC's referral"),
  })
  .strict()
  .refine((m) => m.homeStoreId === undefined || m.homeStore === undefined, { message: 'give homeStoreId or homeStore, not both', path: ['homeStore'] });
export type MemberCreate = z.output<typeof memberCreateSchema>;

export interface CreatedMember {
  id: number;
  memberNo: string;
  homeStoreId: number | null;
}

/** A store id by id or code, or 400 naming the field. */
export async function storeIdByRef(conn: PoolConnection, ref: { id?: number; code?: string }, field: { id: string; code: string }): Promise<number | null> {
  if (ref.id === undefined && ref.code === undefined) return null;
  const [rows] = ref.id !== undefined ? await conn.query<RowDataPacket[]>('SELECT id FROM stores WHERE id = ?', [ref.id]) : await conn.query<RowDataPacket[]>('SELECT id FROM stores WHERE code = ?', [ref.code]);
  if (!rows[0]) throw fieldError('invalid_member', [ref.id !== undefined ? field.id : field.code], `没有门店「${ref.id ?? ref.code}」`);
  return Number(rows[0].id);
}

const dupKey = (e: unknown): string | null => {
  const err = e as { errno?: number; sqlMessage?: string } | null;
  if (err?.errno !== 1062) return null;
  return /members_phone_hash_key/.test(err.sqlMessage ?? '') ? 'phone' : /members_customer_no_key/.test(err.sqlMessage ?? '') ? 'customerNo' : /members_member_no_key/.test(err.sqlMessage ?? '') ? 'memberNo' : 'other';
};

async function existingId(conn: PoolConnection, column: 'phone' | 'customer_no', value: string): Promise<number | null> {
  // A phone is found by its blind index only (it is stored sealed).
  const [rows] = column === 'phone' ? await conn.query<RowDataPacket[]>('SELECT id FROM members WHERE phone_hash = ?', [phoneHash(value)]) : await conn.query<RowDataPacket[]>('SELECT id FROM members WHERE customer_no = ?', [value]);
  return rows[0] ? Number(rows[0].id) : null;
}

const taken = (field: 'phone' | 'customerNo', id: number) =>
  field === 'phone'
    ? conflict('phone_taken', `这个手机号已属于会员 ${id}。`, { existingId: id, issues: [{ path: ['phone'], message: `belongs to member ${id}`, code: 'custom' }] })
    : conflict('customer_no_taken', `这个客户编号已属于会员 ${id}。`, { existingId: id, issues: [{ path: ['customerNo'], message: `belongs to member ${id}`, code: 'custom' }] });

/**
 * Writes a new member inside the caller's transaction (member.write; store roles only into
 * their stores, and a store manager of one store gets it as the default home store): the next
 * member number, the row, an audit row. A phone or customer number already held → 409 with the
 * holder's id (`details.existingId`), also when a concurrent create wins the race.
 */
export async function createMemberRow(conn: PoolConnection, access: StaffAccess, input: MemberCreate, opts: { defaultStoreId?: number | null; defaultSource?: string } = {}): Promise<CreatedMember> {
  requirePermission(access.actor, 'member.write');
  const now = access.services.now();
  const phone = phoneOrThrow(input.phone);
  const email = input.email === undefined ? null : emailOrThrow(input.email);
  const birthday = input.birthday === undefined ? null : birthdayOrThrow(input.birthday, now);
  const name = normalizeName(input.name);
  if (!name) throw fieldError('invalid_member', ['name'], '姓名不能为空');
  const scope = storeScope(access.actor);
  let storeId = (await storeIdByRef(conn, { id: input.homeStoreId, code: input.homeStore }, { id: 'homeStoreId', code: 'homeStore' })) ?? opts.defaultStoreId ?? null;
  if (storeId === null && scope !== null && scope.length === 1) storeId = scope[0]!;
  if (scope !== null && (storeId === null || !scope.includes(storeId))) throw new AppError('store_out_of_scope', '门店角色只能把会员建在自己管理的门店。');

  const holder = await existingId(conn, 'phone', phone);
  if (holder !== null) throw taken('phone', holder);
  if (input.customerNo !== undefined) {
    const other = await existingId(conn, 'customer_no', input.customerNo);
    if (other !== null) throw taken('customerNo', other);
  }
  const addresses = input.addresses ? normalizeAddresses(input.addresses) : null;
  const sealedPhone = phoneColumns(phone);
  const sealedEmail = emailColumns(email);
  // The next number after the largest; the row lock on the index's last entry makes concurrent
  // creates queue, and a number taken meanwhile by an import (its own lock) is simply skipped.
  const [[top]] = await conn.query<RowDataPacket[]>("SELECT MAX(member_no) AS member_no FROM members WHERE member_no LIKE 'M%' FOR UPDATE");
  let next = Number(String(top?.member_no ?? 'M00000000').slice(1)) || 0;
  for (let attempt = 0; ; attempt++) {
    const memberNo = `M${String(++next).padStart(8, '0')}`;
    if (!MEMBER_NO.test(memberNo)) throw new AppError('member_no_sequence', '会员号已用尽（M99999999）。');
    try {
      const [res] = await conn.query<ResultSetHeader>(
        `INSERT INTO members (member_no, name, phone_enc, phone_hash, phone_tail, email_enc, email_hash, gender, birthday, registered_at, source_channel, home_store_id, customer_no, remarks, addresses, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [memberNo, name, sealedPhone.phone_enc, sealedPhone.phone_hash, sealedPhone.phone_tail, sealedEmail.email_enc, sealedEmail.email_hash, input.gender ?? 'unknown', birthday, now, input.source ?? opts.defaultSource ?? 'api', storeId, input.customerNo ?? null, storedRemarks(input.remarks || null), storedAddresses(addresses), now, now],
      );
      const id = res.insertId;
      await recordChanges(conn, now, [{ object: 'member', id, memberId: id }]);
      await auditInTransaction(conn, [{ actor: access.actor, action: 'member.create', targetType: 'member', targetId: String(id), channel: access.channel, requestId: access.requestId, detail: { source: input.source ?? opts.defaultSource ?? 'api' } }], now);
      return { id, memberNo, homeStoreId: storeId };
    } catch (e) {
      const key = dupKey(e);
      if (key === 'memberNo' && attempt < 5) continue;
      if (key === 'phone') throw taken('phone', (await existingId(conn, 'phone', phone)) ?? 0);
      if (key === 'customerNo') throw taken('customerNo', (await existingId(conn, 'customer_no', input.customerNo!)) ?? 0);
      throw e;
    }
  }
}
