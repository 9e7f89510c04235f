import type { RowDataPacket } from 'mysql2/promise';
import type { StaffRole } from '../../generated/prisma/enums.ts';
import type { Services } from '../../services.ts';
import type { StaffActor } from './actor.ts';

/** The Prisma `include` that loads what a StaffActor needs beside the staff row: its store ids. */
export const STAFF_STORES = { stores: { select: { storeId: true } } } as const;

/** A staff row (with its stores, see STAFF_STORES) as the actor it acts as. */
export function toStaffActor(s: { id: number; wecomUserId: string; name: string; role: StaffRole; stores: { storeId: number }[] }): StaffActor {
  return { kind: 'staff', staffId: s.id, wecomUserId: s.wecomUserId, name: s.name, role: s.role, storeIds: s.stores.map((x) => x.storeId) };
}

/**
 * The active staff member with this WeCom userid as an actor; null when unknown or inactive. One
 * query (the staff row and its stores, in staff_stores' key order as Prisma's include gives
 * them): every sign-in, token and chat turn asks it (chat through the cache of staff-identity.ts).
 */
export async function activeStaffActor(services: Pick<Services, 'sql'>, wecomUserId: string): Promise<StaffActor | null> {
  const [rows] = await services.sql.query<RowDataPacket[]>(
    `SELECT s.id, s.wecom_user_id, s.name, s.role, s.active, GROUP_CONCAT(ss.store_id ORDER BY ss.store_id) AS stores
       FROM staff s LEFT JOIN staff_stores ss ON ss.staff_id = s.id
      WHERE s.wecom_user_id = ? GROUP BY s.id`,
    [wecomUserId],
  );
  const s = rows[0];
  if (!s || !s.active) return null;
  const stores = s.stores == null ? [] : String(s.stores).split(',').map(Number);
  return toStaffActor({ id: Number(s.id), wecomUserId: String(s.wecom_user_id), name: String(s.name), role: s.role as StaffRole, stores: stores.map((storeId) => ({ storeId })) });
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
