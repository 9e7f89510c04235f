import { z } from 'zod';
import { Prisma } from '../../db/prisma.ts';
import { AppError, audit, badRequest, recordChanges, can, maskPhone, requirePermission, storeScope, type StaffAccess } from '../kernel/index.ts';
import { normalizeName, normalizePhone } from './identifiers.ts';
import { memberInScope } from './in-scope.ts';
import { addressesValue, emailColumns, openAddresses, openEmail, openHistoryValue, openPhone, openRemarks, phoneColumns, phoneHash, sealHistoryValue, storedRemarks } from './sealed.ts';
import { addressesSchema, emailOrThrow, maskEmail, normalizeAddresses, remarksSchema } from './member-input.ts';

export const profilePatchSchema = z
  .object({
    name: z.string().trim().min(1).max(64).optional(),
    phone: z.string().optional(),
    gender: z.enum(['male', 'female', 'unknown']).optional(),
    birthday: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.null()]).optional(),
    homeStoreId: z.number().int().positive().nullable().optional(),
    email: z.string().max(254).nullable().optional().describe('null or "" clears it'),
    remarks: remarksSchema.nullable().optional(),
    addresses: addressesSchema.nullable().optional().describe('replaces the whole list; null clears it'),
    status: z.enum(['active', 'frozen']).optional().describe('frozen: the account is suspended (deletion goes through a deletion request)'),
  })
  .strict();
export type ProfilePatch = z.input<typeof profilePatchSchema>;

/** A value as the history keeps it (255 characters at most; lists as JSON). */
const show = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > 255 ? `${s.slice(0, 254)}…` : s;
};
/** Compares whole values (a long remark changed after its 255th character still counts). */
const canon = (v: unknown) => (v === undefined || v === null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : v);
const same = (a: unknown, b: unknown) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));

/**
 * Changes profile fields of one member in scope (member.write) and records each changed field
 * in member_profile_changes (who, field, old → new) in the same transaction. A store manager
 * cannot move a member to a store outside their scope.
 */
export async function updateMemberProfile(access: StaffAccess, memberId: number, raw: ProfilePatch): Promise<{ changed: { field: string; old: string | null; new: string | null }[] }> {
  requirePermission(access.actor, 'member.write');
  const parsed = profilePatchSchema.safeParse(raw);
  if (!parsed.success) throw badRequest('invalid_profile', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  const patch = parsed.data;
  const { services, actor } = access;
  await memberInScope(services, actor, memberId);
  const data: Record<string, unknown> = {};
  if (patch.name !== undefined) data.name = normalizeName(patch.name);
  if (patch.phone !== undefined) {
    const phone = normalizePhone(patch.phone);
    if (!phone) throw badRequest('invalid_phone', `「${patch.phone}」不是有效的手机号。`);
    data.phone = phone;
  }
  if (patch.gender !== undefined) data.gender = patch.gender;
  if (patch.email !== undefined) data.email = emailOrThrow(patch.email);
  if (patch.remarks !== undefined) data.remarks = patch.remarks || null;
  if (patch.addresses !== undefined) data.addresses = patch.addresses === null || !patch.addresses.length ? null : normalizeAddresses(patch.addresses);
  if (patch.status !== undefined) data.status = patch.status;
  if (patch.birthday !== undefined) data.birthday = patch.birthday === null ? null : new Date(`${patch.birthday}T00:00:00Z`);
  if (patch.homeStoreId !== undefined) {
    const stores = storeScope(actor);
    if (patch.homeStoreId !== null && stores !== null && !stores.includes(patch.homeStoreId)) throw new AppError('store_out_of_scope', '不能把会员转到你不管理的门店。');
    if (patch.homeStoreId === null && stores !== null) throw new AppError('store_out_of_scope', '门店角色不能解除会员的门店绑定。');
    data.homeStoreId = patch.homeStoreId;
  }
  const now = services.now();
  const changed = await services.db.$transaction(async (tx) => {
    const { phoneEnc, emailEnc, remarks, addresses, ...stored } = await tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { name: true, phoneEnc: true, gender: true, birthday: true, homeStoreId: true, emailEnc: true, remarks: true, addresses: true, status: true } });
    const before = { ...stored, phone: openPhone(phoneEnc), email: openEmail(emailEnc), remarks: openRemarks(remarks), addresses: openAddresses(addresses) };
    const diffs = Object.entries(data)
      .filter(([field, value]) => !same(before[field as keyof typeof before], value))
      .map(([field, value]) => ({ field, old: show(before[field as keyof typeof before]), new: show(value) }));
    if (!diffs.length) return diffs;
    if (data.phone && (await tx.member.findFirst({ where: { phoneHash: phoneHash(data.phone as string), id: { not: memberId } }, select: { id: true } }))) {
      throw new AppError('phone_taken', '这个手机号已属于另一位会员（可用合并处理重复会员）。');
    }
    // Prisma wants DbNull, not null, to clear a JSON column.
    // Phone and email are stored sealed with their blind index, remarks and addresses sealed when
    // PERSONAL_DATA_FIELDS names them (sealed.ts).
    const columns = (field: string): [string, unknown][] => {
      if (field === 'phone') {
        const p = phoneColumns(data.phone as string);
        return [['phoneEnc', p.phone_enc], ['phoneHash', p.phone_hash], ['phoneTail', p.phone_tail]];
      }
      if (field === 'email') {
        const e = emailColumns(data.email as string | null);
        return [['emailEnc', e.email_enc], ['emailHash', e.email_hash]];
      }
      if (field === 'remarks') return [['remarks', storedRemarks(data.remarks as string | null)]];
      if (field === 'addresses') return [['addresses', data.addresses === null ? Prisma.DbNull : addressesValue(data.addresses as unknown[])]];
      return [[field, data[field]]];
    };
    await tx.member.update({ where: { id: memberId }, data: Object.fromEntries(diffs.flatMap((d) => columns(d.field))) });
    await recordChanges(tx, now, [{ object: 'member', id: memberId, memberId }]);
    await tx.memberProfileChange.createMany({
      data: diffs.map((d) => ({ memberId, field: d.field, oldValue: sealHistoryValue(d.field, d.old), newValue: sealHistoryValue(d.field, d.new), changedBy: actor.wecomUserId, channel: access.channel, requestId: access.requestId, createdAt: now })),
    });
    return diffs;
  });
  if (changed.length) {
    // Field names only: the audit log must not become a second copy of personal data.
    await audit(services, { actor, action: 'member.update', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId, detail: { fields: changed.map((c) => c.field) } });
  }
  return { changed };
}

/** A member's profile change history, newest first. Phones and emails in it are masked unless the role may see phones. */
export async function profileHistory(access: StaffAccess, memberId: number, limit = 50) {
  requirePermission(access.actor, 'member.read');
  await memberInScope(access.services, access.actor, memberId);
  const rows = await access.services.db.memberProfileChange.findMany({ where: { memberId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  const full = can(access.actor, 'member.phone.view');
  await audit(access.services, { actor: access.actor, action: 'member.profile_history', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId });
  // The same masking as the 360 view (memberSummary): phones and emails whole only for roles that may see phones.
  const shown = (field: string, v: string | null) => (full || !v ? v : field === 'phone' ? maskPhone(v) : field === 'email' ? maskEmail(v) : v);
  return rows.map((r) => ({
    id: r.id.toString(),
    field: r.field,
    oldValue: shown(r.field, openHistoryValue(r.field, r.oldValue)),
    newValue: shown(r.field, openHistoryValue(r.field, r.newValue)),
    changedBy: r.changedBy,
    channel: r.channel,
    createdAt: r.createdAt,
  }));
}
