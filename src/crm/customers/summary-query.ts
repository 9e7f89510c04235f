import { z } from 'zod';
import { notFound } from '../kernel/index.ts';
import { openAddresses, openEmail, openRemarks } from './sealed.ts';
import type { Services } from '../../services.ts';

/**
 * Everything the 360 view shows beyond the member's search row, read in ONE statement: at 1M
 * members the view's budget (p95 ≤ 50 ms on a shared 2-core machine) has no room for a dozen
 * ORM round trips, each paying query compilation and a trip through the pool. Every part is an
 * indexed lookup by member id (orders(member_id, paid_at), member_tags PK, tickets(member_id,
 * created_at), interactions(member_id, created_at), koc_referrals(koc_member_id, created_at));
 * the short lists come back as JSON arrays, their rows formatted by the database: amounts as
 * the DECIMAL's own text, times as ISO strings.
 */

const ISO = `'%Y-%m-%dT%H:%i:%s.%fZ'`;

/** One newest-first list of at most :take rows as a JSON array (NULL when empty). */
const newest = (cols: string, from: string, where: string, take: string, fields: string) => `
  (SELECT JSON_ARRAYAGG(JSON_OBJECT(${fields}) ORDER BY r.created_at DESC, r.id DESC)
     FROM (SELECT ${cols} FROM ${from} WHERE ${where} ORDER BY x.created_at DESC, x.id DESC LIMIT ${take}) r)`;

const SUMMARY_SQL = `
SELECT m.gender, m.birthday, m.growth_value, m.registered_at, m.source_channel, m.email_enc, m.remarks, m.addresses, m.customer_no,
  (SELECT name FROM membership_levels WHERE level = m.level) AS level_name,
  o.n AS order_count, o.spend, o.last_at,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('orderNo', r.order_no, 'paidAt', DATE_FORMAT(r.paid_at, ${ISO}), 'amount', CAST(r.amount AS CHAR), 'store', s.name) ORDER BY r.paid_at DESC, r.id DESC)
     FROM (SELECT id, order_no, paid_at, amount, store_id FROM orders WHERE member_id = :id ORDER BY paid_at DESC, id DESC LIMIT :recent) r
     JOIN stores s ON s.id = r.store_id) AS recent_orders,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('name', t.name, 'category', t.category, 'source', mt.source) ORDER BY mt.created_at, mt.tag_id)
     FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = :id) AS tags,
  ${newest(
    'x.id, x.ticket_no, x.type, x.priority, x.status, x.title, x.created_at, x.resolve_due_at',
    'tickets x',
    "x.member_id = :id AND x.status IN ('open', 'in_progress')",
    '5',
    `'ticketNo', r.ticket_no, 'type', r.type, 'priority', r.priority, 'status', r.status, 'title', r.title, 'createdAt', DATE_FORMAT(r.created_at, ${ISO}), 'resolveDueAt', DATE_FORMAT(r.resolve_due_at, ${ISO})`,
  )} AS open_tickets,
  ${newest(
    'x.id, x.content, x.created_at, tk.ticket_no',
    'interactions x LEFT JOIN tickets tk ON tk.id = x.ticket_id',
    "x.member_id = :id AND x.type = 'complaint' AND x.created_at >= :complaintsSince",
    '3',
    `'content', r.content, 'createdAt', DATE_FORMAT(r.created_at, ${ISO}), 'ticketNo', r.ticket_no`,
  )} AS complaints,
  ${newest(
    'x.id, x.type, x.channel, x.content, x.created_at',
    'interactions x',
    'x.member_id = :id',
    '3',
    `'type', r.type, 'channel', r.channel, 'content', r.content, 'createdAt', DATE_FORMAT(r.created_at, ${ISO})`,
  )} AS interactions,
  (SELECT COUNT(*) FROM interactions WHERE member_id = :id AND follow_up_at <= :now AND follow_up_done_at IS NULL) AS pending_follow_ups,
  kp.level AS koc_level, k.referrals, k.redemptions, k.earnings
FROM members m
CROSS JOIN (SELECT COUNT(*) AS n, SUM(amount - refunded_amount) AS spend, MAX(paid_at) AS last_at FROM orders WHERE member_id = :id AND (refunded_amount = 0 OR refunded_amount < amount)) o
CROSS JOIN (SELECT COUNT(*) AS referrals, COUNT(redeemed_at) AS redemptions, SUM(commission) AS earnings FROM koc_referrals WHERE koc_member_id = :id) k
LEFT JOIN koc_profiles kp ON kp.member_id = m.id
WHERE m.id = :id`;

const isoDate = z.string().transform((s) => new Date(s));
/** A JSON_ARRAYAGG column: text (or a parsed value, depending on the driver), NULL for no rows. */
const jsonList = <T extends z.ZodType>(item: T) =>
  z
    .union([z.string(), z.array(z.unknown()), z.null()])
    .transform((v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : (v ?? [])))
    .pipe(z.array(item));
const count = z.union([z.number(), z.string(), z.bigint()]).transform(Number);

const summaryRow = z.object({
  gender: z.enum(['male', 'female', 'unknown']),
  birthday: z.date().nullable(),
  growth_value: z.number(),
  registered_at: z.date(),
  source_channel: z.string(),
  email_enc: z.string().nullable(),
  remarks: z.string().nullable(),
  // Sealed when PERSONAL_DATA_FIELDS names it (sealed.ts): openAddresses reads either form.
  addresses: z.union([z.string(), z.array(z.unknown()), z.null()]).transform((v) => openAddresses(v) ?? []),
  customer_no: z.string().nullable(),
  level_name: z.string().nullable(),
  order_count: count,
  spend: z.string().nullable(),
  last_at: z.date().nullable(),
  recent_orders: jsonList(z.object({ orderNo: z.string(), paidAt: isoDate, amount: z.string(), store: z.string() })),
  tags: jsonList(z.object({ name: z.string(), category: z.string(), source: z.string() })),
  open_tickets: jsonList(
    z.object({ ticketNo: z.string(), type: z.string(), priority: z.string(), status: z.string(), title: z.string(), createdAt: isoDate, resolveDueAt: isoDate }),
  ),
  complaints: jsonList(z.object({ content: z.string(), createdAt: isoDate, ticketNo: z.string().nullable() })),
  interactions: jsonList(z.object({ type: z.string(), channel: z.string(), content: z.string(), createdAt: isoDate })),
  pending_follow_ups: count,
  koc_level: z.number().nullable(),
  referrals: count,
  redemptions: count,
  earnings: z.string().nullable(),
});

export type SummaryFacts = ReturnType<typeof toFacts>;

const COMPLAINT_WINDOW_DAYS = 90;

function toFacts(r: z.infer<typeof summaryRow>, now: Date) {
  return {
    profile: { gender: r.gender, birthday: r.birthday, growthValue: r.growth_value, registeredAt: r.registered_at, sourceChannel: r.source_channel, email: openEmail(r.email_enc), remarks: openRemarks(r.remarks), addresses: r.addresses, customerNo: r.customer_no },
    levelName: r.level_name,
    orderCount: r.order_count,
    /** SUM(amount − refunded) as the database computed it (DECIMAL text), "0.00" without orders; fully refunded orders count nowhere. */
    totalSpend: r.spend ?? '0.00',
    lastOrderAt: r.last_at,
    recentOrders: r.recent_orders,
    tags: r.tags,
    openTickets: r.open_tickets.map(({ resolveDueAt, ...t }) => ({ ...t, overdue: resolveDueAt < now })),
    recentComplaints: r.complaints,
    recentInteractions: r.interactions,
    pendingFollowUps: r.pending_follow_ups,
    koc: r.koc_level === null ? null : { level: r.koc_level, referrals: r.referrals, redemptions: r.redemptions, earnings: r.earnings ?? '0.00' },
  };
}

/** The 360 facts of one member the caller has already resolved within its scope. */
export async function readSummaryFacts(services: Services, memberId: number, recent: number): Promise<SummaryFacts> {
  const now = services.now();
  const [rows] = await services.sql.query<any[]>(
    { sql: SUMMARY_SQL, namedPlaceholders: true },
    { id: memberId, recent: Math.max(1, Math.min(recent, 20)), now, complaintsSince: new Date(now.getTime() - COMPLAINT_WINDOW_DAYS * 86_400_000) },
  );
  // Only when the member was deleted between resolving and reading.
  if (!rows[0]) throw notFound('member_not_found', `member ${memberId} no longer exists`);
  return toFacts(summaryRow.parse(rows[0]), now);
}
