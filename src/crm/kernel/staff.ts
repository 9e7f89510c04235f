import type { StaffRole } from '../../generated/prisma/enums.ts';
import type { Services } from '../../services.ts';
import type { StaffActor } from './actor.ts';

/** The Prisma `include` that loads what a StaffActor needs beside the staff row: its store ids. */
export const STAFF_STORES = { stores: { select: { storeId: true } } } as const;

/** A staff row (with its stores, see STAFF_STORES) as the actor it acts as. */
export function toStaffActor(s: { id: number; wecomUserId: string; name: string; role: StaffRole; stores: { storeId: number }[] }): StaffActor {
  return { kind: 'staff', staffId: s.id, wecomUserId: s.wecomUserId, name: s.name, role: s.role, storeIds: s.stores.map((x) => x.storeId) };
}

/** The active staff member with this WeCom userid as an actor; null when unknown or inactive. */
export async function activeStaffActor(services: Pick<Services, 'db'>, wecomUserId: string): Promise<StaffActor | null> {
  const s = await services.db.staff.findUnique({ where: { wecomUserId }, include: STAFF_STORES });
  return s && s.active ? toStaffActor(s) : null;
}

/**
 * The active store managers of a store, by id, each as an actor acting for that store only
 * (storeIds = [storeId], whatever else they manage): who is alerted about the store's members
 * and whose scope reads the store's lists.
 */
export async function storeManagers(services: Pick<Services, 'db'>, storeId: number): Promise<StaffActor[]> {
  const rows = await services.db.staff.findMany({
    where: { active: true, role: 'store_manager', stores: { some: { storeId } } },
    select: { id: true, wecomUserId: true, name: true, role: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((s) => toStaffActor({ ...s, stores: [{ storeId }] }));
}
