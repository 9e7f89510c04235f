import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { z } from 'zod';
import { apartValue, requirePermission, zippedList, type StaffAccess } from '../kernel/index.ts';

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

const ISO = `'%Y-%m-%dT%H:%i:%s.%fZ'`;

/** The member's customer: the one bound last, ties to the smaller id (the same one on every read). */
const CUSTOMER_OF_M = 'SELECT c.external_userid FROM wecom_customers c WHERE c.member_id = m.id ORDER BY c.bound_at DESC, c.external_userid LIMIT 1';

/** The follows' arrays: in added order, the row's id breaking ties (alias x). */
const followsAgg = (value: string) => `JSON_ARRAYAGG(${value} ORDER BY x.added_at, x.id)`;
/** The follows' long column, aggregated apart (kernel apart-list.ts) and put back by zippedList. */
const FOLLOW_LONG = ['remark'] as const;
const followsList = zippedList(FOLLOW_LONG, z.record(z.string(), z.unknown()));

/**
 * The member's WeCom relationships as two columns correlated to a member row (alias m): the
 * customer's id and its follows as a JSON array, oldest first, times as ISO text. The 360 view
 * reads them in the card's own statement (customers' memberSummaryById `also`: one trip through
 * the pool a view, not two); memberWeCom on their own. Not scoped: the caller shows them only for
 * a member it has read in scope through customers. A member bound to several customers (a merge
 * moves the loser's to the survivor) shows the one bound last.
 */
export const memberWeComColumns = {
  // The follows as three arrays in the same order (kernel apartValue): the short fields, the
  // names, the remark. One JSON_OBJECT of them all is declared longer than 512 characters, a TEXT
  // in the aggregate's temporary table, which sends that table to disk on every read
  // (docs/benchmarks.md bench:http session 22); each of these stays in memory.
  columns: `(${CUSTOMER_OF_M}) AS wecom_customer,
  (SELECT ${apartValue(
    followsAgg,
    [
      `'staffUserId', x.staff_userid, 'addedAt', DATE_FORMAT(x.added_at, ${ISO}), 'deletedAt', DATE_FORMAT(x.deleted_at, ${ISO}),
         'deletedBy', x.deleted_by, 'state', x.state, 'storeId', x.store_id`,
      `'staffName', adder.name, 'storeName', s.name, 'attributedStaff', attr.name`,
    ],
    FOLLOW_LONG,
  )}
     FROM wecom_follows x LEFT JOIN staff adder ON adder.wecom_user_id = x.staff_userid LEFT JOIN stores s ON s.id = x.store_id LEFT JOIN staff attr ON attr.id = x.staff_id
    WHERE x.external_userid = (${CUSTOMER_OF_M})) AS wecom_follows`,
  params: [] as unknown[],
  read(raw: Record<string, unknown>): MemberWeComView | null {
    if (raw.wecom_customer === null || raw.wecom_customer === undefined) return null;
    // JSON text, or already parsed by the driver; [null, null, null] for a customer with no follows.
    const list = followsList.parse(raw.wecom_follows);
    return {
      externalUserId: String(raw.wecom_customer),
      relationships: list.map((r) => ({
        staffUserId: String(r.staffUserId),
        staffName: (r.staffName as string | null) ?? null,
        remark: String(r.remark),
        addedAt: new Date(String(r.addedAt)),
        deletedAt: r.deletedAt ? new Date(String(r.deletedAt)) : null,
        deletedBy: (r.deletedBy as string | null) ?? null,
        state: (r.state as string | null) ?? null,
        storeId: r.storeId === null || r.storeId === undefined ? null : Number(r.storeId),
        storeName: (r.storeName as string | null) ?? null,
        attributedStaff: (r.attributedStaff as string | null) ?? null,
      })),
    };
  },
};

/** The member's WeCom relationships (memberWeComColumns) on their own; null when the member has no WeCom customer. */
export async function memberWeCom(services: Services, memberId: number): Promise<MemberWeComView | null> {
  const [rows] = await services.sql.query<RowDataPacket[]>(`SELECT ${memberWeComColumns.columns} FROM members m WHERE m.id = ?`, [memberId]);
  return rows[0] ? memberWeComColumns.read(rows[0]) : null;
}
