import { z } from 'zod';
import type { StaffRole } from '../../generated/prisma/enums.ts';
import type { StaffAccess } from './access.ts';
import { requirePermission } from './access.ts';
import { audit } from './audit.ts';
import { conflict, fieldErrors, notFound } from './errors.ts';
import { forgetStaffIdentities } from './staff-identity.ts';

/**
 * The staff directory as an administrator keeps it (settings.manage): who may use the bot and the
 * console, in which role and for which stores. Deactivating someone (they left, or moved out of
 * the chain) is immediate where identity is checked: console sessions and API tokens re-read
 * `staff.active` on every use (src/http/session.ts, src/api/auth.ts); chat turns and ADMIN_TOKEN's admin_01 use a copy at most
 * STAFF_IDENTITY_TTL_MS old (staff-identity.ts), dropped here at once for this process; and their open
 * tickets are reassigned by the hourly maintenance (service's assign-waiting). Rows are never
 * deleted: audit rows, tickets and segments keep pointing at them.
 */
export const STAFF_ROLES = ['admin', 'hq_operator', 'marketer', 'store_manager', 'agent'] as const satisfies readonly StaffRole[];

export const staffInputSchema = z.strictObject({
  wecomUserId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.@-]+$/, 'a WeCom userid: letters, digits, _ . @ -'),
  name: z.string().trim().min(1).max(64),
  role: z.enum(STAFF_ROLES),
  storeIds: z.array(z.number().int().positive()).max(500).default([]),
});
export const staffPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(64).optional(),
    role: z.enum(STAFF_ROLES).optional(),
    storeIds: z.array(z.number().int().positive()).max(500).optional(),
    active: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'give at least one of name, role, storeIds, active' });

export type StaffInput = z.input<typeof staffInputSchema>;
export type StaffPatch = z.input<typeof staffPatchSchema>;

export interface StaffView {
  id: number;
  wecomUserId: string;
  name: string;
  role: StaffRole;
  storeIds: number[];
  active: boolean;
  createdAt: Date;
}

const include = { stores: { select: { storeId: true } } } as const;
type Row = { id: number; wecomUserId: string; name: string; role: StaffRole; active: boolean; createdAt: Date; stores: { storeId: number }[] };
const toView = (r: Row): StaffView => ({ id: r.id, wecomUserId: r.wecomUserId, name: r.name, role: r.role, active: r.active, createdAt: r.createdAt, storeIds: r.stores.map((s) => s.storeId).sort((a, b) => a - b) });

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw fieldErrors('invalid_staff', r.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message, code: i.code })));
  return r.data;
}

async function checkStores(access: StaffAccess, storeIds: number[]): Promise<void> {
  if (!storeIds.length) return;
  const found = await access.services.db.store.findMany({ where: { id: { in: storeIds } }, select: { id: true } });
  const known = new Set(found.map((s) => s.id));
  const missing = storeIds.map((id, i) => ({ id, i })).filter((s) => !known.has(s.id));
  if (missing.length) throw fieldErrors('invalid_staff', missing.map((m) => ({ path: ['storeIds', m.i], message: `no store ${m.id}` })));
}

/** Every staff member (active first, then by id); `active` filters. */
export async function listStaff(access: StaffAccess, filter: { active?: boolean; storeId?: number } = {}): Promise<StaffView[]> {
  requirePermission(access.actor, 'settings.manage');
  const rows = await access.services.db.staff.findMany({
    where: { ...(filter.active !== undefined ? { active: filter.active } : {}), ...(filter.storeId !== undefined ? { stores: { some: { storeId: filter.storeId } } } : {}) },
    include,
    orderBy: [{ active: 'desc' }, { id: 'asc' }],
  });
  return rows.map(toView);
}

export async function getStaff(access: StaffAccess, id: number): Promise<StaffView> {
  requirePermission(access.actor, 'settings.manage');
  const row = await access.services.db.staff.findUnique({ where: { id }, include });
  if (!row) throw notFound('staff_not_found', `没有编号为 ${id} 的员工。`);
  return toView(row);
}

/** Adds a staff member (their WeCom userid is how the bot and web login know them). */
export async function createStaff(access: StaffAccess, input: StaffInput): Promise<StaffView> {
  requirePermission(access.actor, 'settings.manage');
  const data = parse(staffInputSchema, input);
  await checkStores(access, data.storeIds);
  const { db } = access.services;
  const existing = await db.staff.findUnique({ where: { wecomUserId: data.wecomUserId }, select: { id: true } });
  if (existing) throw conflict('staff_exists', `企业微信账号 ${data.wecomUserId} 已是员工（编号 ${existing.id}）。`, { existingId: existing.id });
  const row = await db.staff.create({
    data: { wecomUserId: data.wecomUserId, name: data.name, role: data.role, createdAt: access.services.now(), stores: { create: data.storeIds.map((storeId) => ({ storeId })) } },
    include,
  });
  const view = toView(row);
  forgetStaffIdentities(access.services); // someone remembered as unknown is staff now
  await audit(access.services, { actor: access.actor, action: 'staff.create', targetType: 'staff', targetId: String(view.id), channel: access.channel, requestId: access.requestId, detail: { new: { ...view, createdAt: undefined } } });
  return view;
}

/**
 * Changes a staff member's name, role, stores or active flag in one transaction. Refused: an
 * administrator deactivating or demoting themselves, and leaving the chain with no active
 * administrator (nobody could undo it through the API).
 */
export async function updateStaff(access: StaffAccess, id: number, patch: StaffPatch): Promise<StaffView> {
  requirePermission(access.actor, 'settings.manage');
  const p = parse(staffPatchSchema, patch);
  if (p.storeIds) await checkStores(access, p.storeIds);
  const { db } = access.services;
  const { before, after } = await db.$transaction(async (tx) => {
    const before = await tx.staff.findUnique({ where: { id }, include });
    if (!before) throw notFound('staff_not_found', `没有编号为 ${id} 的员工。`);
    const losesAdmin = before.role === 'admin' && before.active && ((p.active === false) || (p.role !== undefined && p.role !== 'admin'));
    if (losesAdmin && before.id === access.actor.staffId) throw conflict('staff_self_change', '不能停用自己或取消自己的管理员角色；请另一位管理员操作。');
    if (losesAdmin) {
      // Counted under the row locks of every active admin, so two concurrent demotions cannot both pass.
      const admins = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM staff WHERE role = 'admin' AND active = TRUE FOR UPDATE`;
      if (admins.filter((a) => a.id !== id).length === 0) throw conflict('last_admin', '这是最后一位在职管理员，不能停用或改为其他角色。');
    }
    if (p.storeIds) {
      await tx.staffStore.deleteMany({ where: { staffId: id } });
      if (p.storeIds.length) await tx.staffStore.createMany({ data: [...new Set(p.storeIds)].map((storeId) => ({ staffId: id, storeId })) });
    }
    const after = await tx.staff.update({
      where: { id },
      data: { ...(p.name !== undefined ? { name: p.name } : {}), ...(p.role !== undefined ? { role: p.role } : {}), ...(p.active !== undefined ? { active: p.active } : {}) },
      include,
    });
    return { before: toView(before), after: toView(after) };
  });
  forgetStaffIdentities(access.services);
  const action = before.active && !after.active ? 'staff.deactivate' : !before.active && after.active ? 'staff.reactivate' : 'staff.update';
  const changed = (Object.keys(p) as (keyof typeof p)[]).filter((k) => p[k] !== undefined);
  await audit(access.services, {
    actor: access.actor,
    action,
    targetType: 'staff',
    targetId: String(id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { wecomUserId: after.wecomUserId, old: Object.fromEntries(changed.map((k) => [k, before[k]])), new: Object.fromEntries(changed.map((k) => [k, after[k]])) },
  });
  return after;
}
