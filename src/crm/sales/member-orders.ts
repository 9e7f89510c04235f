import { newestJson, requirePermission, zippedList, type LongColumn, type StaffAccess } from '../kernel/index.ts';
import { z } from 'zod';
import { auditMemberRead, resolveMember, resolveMemberWith, type MemberBrief, type MemberRef, type MemberSearch } from '../customers/index.ts';

export interface OrderLine {
  id: number;
  orderNo: string;
  paidAt: Date;
  /** Decimal string from the database ("99.90"). */
  amount: string;
  store: string;
  storeId: number;
  paymentMethod: string;
  items: { sku?: string; name?: string; qty?: number }[];
  /** Refunded so far, decimal string ("0.00" when none). */
  refundedAmount: string;
  /** dine-in, takeaway, mini-program … (null for orders from before the API). */
  channel: string | null;
}

export interface MemberOrders {
  member: MemberBrief;
  /** The window asked for (days back from now), null = all time. */
  days: number | null;
  /** Orders in the window (all pages). */
  total: number;
  /** How many newer orders of the window were skipped (paging). */
  offset: number;
  /** SUM(amount) of the window, by the database. */
  totalSpend: string;
  orders: OrderLine[];
}

export type MemberOrdersResult = { kind: 'one'; orders: MemberOrders } | { kind: 'none' | 'many'; search: MemberSearch };

export interface OrdersWindow {
  /** Only orders of the last N days (none: all time). */
  days?: number;
  /** Page size, 1–100 (default 5: what fits in a chat answer). */
  limit?: number;
  /** Newer orders to skip, for the following pages (default 0). */
  offset?: number;
}

/**
 * A member's orders (member.orders and the API's /customers/{id}/orders), newest first, within
 * the actor's store scope, optionally only the last `days` days, one page. Audited like any
 * member read. By a unique key (a whole phone, a member number) the member, the window's count
 * and sum and the page are one statement (customers' resolveMemberWith with `orderColumns`);
 * by a name or a phone's last digits the scoped search comes first (it may find several).
 */
export async function memberOrders(access: StaffAccess, ref: MemberRef, opts: OrdersWindow = {}): Promise<MemberOrdersResult> {
  requirePermission(access.actor, 'member.read');
  const detail = { days: opts.days ?? null, limit: opts.limit ?? null, offset: opts.offset ?? 0 };
  const window = orderColumns(access.services, opts);
  const withOrders = await resolveMemberWith(access, ref, window);
  if (withOrders) {
    const { resolved, raw } = withOrders;
    await auditMemberRead(access, 'member.orders', resolved.search, detail);
    return resolved.kind === 'one' ? { kind: 'one', orders: await window.read(resolved.member, raw) } : { kind: resolved.kind, search: resolved.search };
  }
  const resolved = await resolveMember(access, ref);
  await auditMemberRead(access, 'member.orders', resolved.search, detail);
  if (resolved.kind !== 'one') return { kind: resolved.kind, search: resolved.search };
  return { kind: 'one', orders: await ordersOf(access.services, resolved.member, opts) };
}

/** The orders of one already-authorized member (shared with the member's own my.orders): one statement. */
export async function ordersOf(services: StaffAccess['services'], member: MemberBrief, opts: OrdersWindow): Promise<MemberOrders> {
  const window = orderColumns(services, opts);
  const [rows] = await services.sql.query<any[]>(`SELECT ${window.columns} FROM members m WHERE m.id = ?`, [...window.params, member.id]);
  // A member deleted since it was resolved has no orders left to show.
  return await window.read(member, rows[0] ?? { order_total: 0, order_spend: null, order_page: null });
}

const ISO = `'%Y-%m-%dT%H:%i:%s.%fZ'`;

/**
 * The basket (a JSON column: LONGTEXT) in 2 pieces of 512 characters, aggregated apart from the
 * page's short fields, which go in two groups each declared under 512 characters (kernel
 * apart-list.ts): any value declared longer sends the aggregate's temporary table to disk on every
 * read. 1,024 characters hold a basket of ~17 lines (the demo's longest is 13); a longer one comes
 * back null and is read by its order's id (`read`).
 */
const LONG: readonly LongColumn[] = [{ text: 'items', pieces: 2 }];

const orderLine = z.object({
  id: z.number(),
  orderNo: z.string(),
  paidAt: z.string().transform((s) => new Date(s)),
  amount: z.string(),
  store: z.string(),
  storeId: z.number(),
  paymentMethod: z.string(),
  // The basket's JSON text; null when longer than its pieces.
  items: z.string().nullable(),
  refundedAmount: z.string(),
  channel: z.string().nullable(),
});
const windowRow = z.object({
  order_total: z.union([z.number(), z.string(), z.bigint()]).transform(Number),
  order_spend: z.string().nullable(),
  order_page: zippedList(LONG, orderLine),
});

/** A basket as recorded: its lines, [] for anything else. */
const basket = (text: string): OrderLine['items'] => {
  const v = JSON.parse(text) as unknown;
  return Array.isArray(v) ? (v as OrderLine['items']) : [];
};

/**
 * A member's orders of the window as three columns on the member's row (alias m): how many, their
 * sum (the DECIMAL's own text) and one page newest first as a JSON array (kernel newestJson: only
 * the page's orders are read and formatted, not every order of the member) — each an indexed range
 * of orders(member_id, paid_at, …). `read` turns such a row into MemberOrders (reading by id the
 * baskets too long for the page's pieces, if any).
 */
function orderColumns(services: StaffAccess['services'], { days, limit = 5, offset = 0 }: OrdersWindow) {
  const now = services.now();
  const since = days ? new Date(now.getTime() - days * 86_400_000) : undefined;
  const window = since ? ' AND o.paid_at >= ? AND o.paid_at <= ?' : '';
  const at = since ? [since, now] : [];
  const skip = Math.max(0, Math.trunc(offset) || 0);
  const take = Math.max(1, Math.min(Math.trunc(limit) || 1, 100));
  const page = newestJson({
    table: 'orders',
    at: 'paid_at',
    owner: 'member_id',
    ownerOf: 'm.id',
    joins: 'JOIN stores os ON os.id = x.store_id',
    fields: [
      `'id', x.id, 'orderNo', x.order_no, 'paidAt', DATE_FORMAT(x.paid_at, ${ISO}), 'amount', CAST(x.amount AS CHAR), 'storeId', x.store_id,
      'paymentMethod', x.payment_method, 'refundedAmount', CAST(x.refunded_amount AS CHAR)`,
      `'store', os.name, 'channel', x.channel`,
    ],
    long: LONG,
    where: since ? (x) => `${x}.paid_at >= ? AND ${x}.paid_at <= ?` : undefined,
    params: at,
    skip,
    take,
  });
  return {
    columns: `(SELECT COUNT(*) FROM orders o WHERE o.member_id = m.id${window}) AS order_total,
      (SELECT CAST(SUM(o.amount) AS CHAR) FROM orders o WHERE o.member_id = m.id${window}) AS order_spend,
      ${page.sql} AS order_page`,
    params: [...at, ...at, ...page.params],
    read: async (member: MemberBrief, raw: unknown): Promise<MemberOrders> => {
      const r = windowRow.parse(raw);
      const cut = r.order_page.filter((o) => o.items === null).map((o) => o.id);
      const long = new Map<number, string>();
      if (cut.length) {
        const [rows] = await services.sql.query<any[]>('SELECT id, items FROM orders WHERE id IN (?)', [cut]);
        for (const row of rows) long.set(Number(row.id), typeof row.items === 'string' ? row.items : JSON.stringify(row.items));
      }
      // An order deleted between the two reads shows no lines.
      const orders = r.order_page.map((o) => ({ ...o, items: basket(o.items ?? long.get(o.id) ?? '[]') }));
      return { member, days: days ?? null, total: r.order_total, offset: skip, totalSpend: r.order_spend ?? '0.00', orders };
    },
  };
}
