import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { requirePermission, type StaffAccess } from '../kernel/index.ts';

export interface ContactListItem {
  externalUserId: string;
  name: string;
  memberId: number | null;
  boundBy: string | null;
  staff: { userId: string; remark: string; addedAt: Date; deletedAt: Date | null; deletedBy: string | null; state: string | null }[];
}

/**
 * WeCom customers, the unbound ones (`bound: false`) for a person to match by hand. Not store
 * scoped by member (an unbound customer has none): HQ roles and store managers both see the
 * customers of their stores' staff, admin and HQ all.
 */
export async function listContacts(access: StaffAccess, filter: { bound?: boolean; limit?: number } = {}): Promise<ContactListItem[]> {
  requirePermission(access.actor, 'contacts.manage');
  const where = filter.bound === undefined ? '' : filter.bound ? 'WHERE c.member_id IS NOT NULL' : 'WHERE c.member_id IS NULL';
  const [rows] = await access.services.sql.query<RowDataPacket[]>(
    `SELECT c.external_userid, c.name, c.member_id, c.bound_by FROM wecom_customers c ${where} ORDER BY c.created_at DESC, c.external_userid LIMIT ?`,
    [Math.min(filter.limit ?? 200, 1000)],
  );
  return Promise.all(rows.map(async (r) => ({ externalUserId: String(r.external_userid), name: String(r.name), memberId: r.member_id === null ? null : Number(r.member_id), boundBy: r.bound_by ?? null, staff: await followsOf(access.services, String(r.external_userid)) })));
}

async function followsOf(services: Services, externalUserId: string): Promise<ContactListItem['staff']> {
  const [rows] = await services.sql.query<RowDataPacket[]>('SELECT staff_userid, remark, added_at, deleted_at, deleted_by, state FROM wecom_follows WHERE external_userid = ? ORDER BY added_at', [externalUserId]);
  return rows.map((f) => ({ userId: String(f.staff_userid), remark: String(f.remark), addedAt: new Date(f.added_at), deletedAt: f.deleted_at ? new Date(f.deleted_at) : null, deletedBy: f.deleted_by ?? null, state: f.state ?? null }));
}

export interface MemberWeComView {
  externalUserId: string;
  /** Who added the member on WeCom, when, and the store/staff the QR code attributes them to. */
  relationships: { staffUserId: string; staffName: string | null; remark: string; addedAt: Date; deletedAt: Date | null; deletedBy: string | null; state: string | null; storeId: number | null; storeName: string | null; attributedStaff: string | null }[];
}

/**
 * The member's WeCom relationships for the 360 view, in one statement (the customer row, then its
 * follows). Not scoped: the caller shows it only for a member it has read in scope through customers.
 * A member bound to several customers (a merge moves the loser's to the survivor) shows the one
 * bound last, the same one on every read (ties: the smaller id).
 */
export async function memberWeCom(services: Services, memberId: number): Promise<MemberWeComView | null> {
  const [all] = await services.sql.query<RowDataPacket[]>(
    `SELECT c.external_userid AS customer, f.staff_userid, adder.name AS staff_name, f.remark, f.added_at, f.deleted_at, f.deleted_by, f.state, f.store_id, s.name AS store_name, attr.name AS attributed
     FROM (SELECT external_userid FROM wecom_customers WHERE member_id = ? ORDER BY bound_at DESC, external_userid LIMIT 1) c
     LEFT JOIN wecom_follows f ON f.external_userid = c.external_userid
     LEFT JOIN staff adder ON adder.wecom_user_id = f.staff_userid LEFT JOIN stores s ON s.id = f.store_id LEFT JOIN staff attr ON attr.id = f.staff_id
     ORDER BY f.added_at, f.id`,
    [memberId],
  );
  if (!all[0]) return null;
  const id = String(all[0].customer);
  // A customer with no follows comes back as one row of NULLs beside its id.
  const rows = all.filter((r) => r.staff_userid !== null);
  return {
    externalUserId: id,
    relationships: rows.map((r) => ({
      staffUserId: String(r.staff_userid),
      staffName: r.staff_name ?? null,
      remark: String(r.remark),
      addedAt: new Date(r.added_at),
      deletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
      deletedBy: r.deleted_by ?? null,
      state: r.state ?? null,
      storeId: r.store_id === null ? null : Number(r.store_id),
      storeName: r.store_name ?? null,
      attributedStaff: r.attributed ?? null,
    })),
  };
}

