import { z } from 'zod';
import { apartValue, newestJson, zippedList, type StaffActor } from '../kernel/index.ts';
import { openAddresses, openEmail, openRemarks } from './sealed.ts';
import type { Services } from '../../services.ts';
import { readMemberRowsWith, type ExtraColumns, type MemberRow } from './rows.ts';

/**
 * The member and everything the 360 view shows beyond the member's search row, read in ONE
 * statement: at 1M members the card's budget (p95 ≤ 15 ms in chat, ≤ 50 ms for the API's view)
 * has no room for more round trips, each paying a trip through the pool. The member is found by
 * its key within the actor's scope, and every part is a subquery correlated to that row, an
 * indexed lookup by member id (orders(member_id, paid_at, amount, refunded_amount), member_tags
 * PK, tickets(member_id, created_at), interactions(member_id, created_at), koc_referrals
 * (koc_member_id, created_at)); the short lists come back as JSON arrays (JSON_ARRAYAGG's own
 * ORDER BY … LIMIT: MariaDB has no correlated derived tables; the recent orders through
 * newestJson, which reads only the orders shown), their rows formatted by the database:
 * amounts as the DECIMAL's own text, times as ISO strings.
 */

const ISO = `'%Y-%m-%dT%H:%i:%s.%fZ'`;

/**
 * One newest-first list of at most `take` rows (alias x) as JSON (NULL parts when empty). The
 * aggregate formats every matching row before its LIMIT: fine for the short lists (open tickets,
 * complaints of 90 days, interactions — at most 38 for a member at 1M, where reading only the
 * page saved less than its two extra subqueries cost the optimizer). The orders, hundreds for a
 * big buyer, read only their page (kernel newestJson).
 *
 * The long columns (`long`: a VARCHAR(2000) content, a ticket's title) are aggregated on their
 * own, beside a JSON_OBJECT of the short `fields` (kernel apartValue), and put back into their
 * rows by kernel zippedList: a JSON_OBJECT declared longer than 512 characters would send the
 * aggregate's temporary table to disk on every read. summary.test.ts checks that the card creates
 * no disk table.
 */
const newest = (from: string, where: string, take: number, fields: string, long: readonly string[]) => {
  const agg = (value: string) => `JSON_ARRAYAGG(${value} ORDER BY x.created_at DESC, x.id DESC LIMIT ${take})`;
  return `
  (SELECT ${apartValue(agg, fields, long)} FROM ${from} WHERE ${where})`;
};

/** Each list's long columns (of alias x): aggregated apart by `newest`, put back under the same names by zippedList. */
const LONG = { openTickets: ['title'], complaints: ['content'], interactions: ['content'] } as const;

/** Orders counted in the card: fully refunded ones count nowhere. */
const COUNTED = 'o.member_id = m.id AND (o.refunded_amount = 0 OR o.refunded_amount < o.amount)';

/**
 * The card's columns beside the member row; placeholders: now, complaints since (in this order).
 * Each scalar subquery costs the statement its own optimisation and index walk (~0.2 ms a part on
 * this machine: docs/benchmarks.md, Chat turns, session 17), so aggregates over the same rows come
 * out of one subquery as a JSON array (the orders' count, spend and last date; a KOC's three
 * figures) and the level's name is a join: 9 subqueries where there were 14.
 */
const summaryColumns = (recent: number) => `
  m.gender, m.birthday, m.growth_value, m.email_enc, m.remarks, m.addresses, m.customer_no,
  ml.name AS level_name,
  (SELECT JSON_ARRAY(COUNT(*), CAST(SUM(o.amount - o.refunded_amount) AS CHAR), DATE_FORMAT(MAX(o.paid_at), ${ISO})) FROM orders o WHERE ${COUNTED}) AS order_totals,
  ${
    newestJson({
      table: 'orders',
      at: 'paid_at',
      owner: 'member_id',
      ownerOf: 'm.id',
      joins: 'JOIN stores os ON os.id = x.store_id',
      fields: `'orderNo', x.order_no, 'paidAt', DATE_FORMAT(x.paid_at, ${ISO}), 'amount', CAST(x.amount AS CHAR), 'store', os.name`,
      take: recent,
    }).sql
  } AS recent_orders,
  (SELECT JSON_ARRAYAGG(JSON_OBJECT('name', t.name, 'category', t.category, 'source', mt.source) ORDER BY mt.created_at, mt.tag_id)
     FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = m.id) AS tags,
  ${newest(
    'tickets x',
    "x.member_id = m.id AND x.status IN ('open', 'in_progress')",
    5,
    `'ticketNo', x.ticket_no, 'type', x.type, 'priority', x.priority, 'status', x.status, 'createdAt', DATE_FORMAT(x.created_at, ${ISO}), 'resolveDueAt', DATE_FORMAT(x.resolve_due_at, ${ISO})`,
    LONG.openTickets,
  )} AS open_tickets,
  (SELECT COUNT(*) FROM interactions f WHERE f.member_id = m.id AND f.follow_up_at <= ? AND f.follow_up_done_at IS NULL) AS pending_follow_ups,
  ${newest(
    'interactions x LEFT JOIN tickets tk ON tk.id = x.ticket_id',
    "x.member_id = m.id AND x.type = 'complaint' AND x.created_at >= ?",
    3,
    `'createdAt', DATE_FORMAT(x.created_at, ${ISO}), 'ticketNo', tk.ticket_no`,
    LONG.complaints,
  )} AS complaints,
  ${newest('interactions x', 'x.member_id = m.id', 3, `'type', x.type, 'channel', x.channel, 'createdAt', DATE_FORMAT(x.created_at, ${ISO})`, LONG.interactions)} AS interactions,
  kp.level AS koc_level,
  IF(kp.member_id IS NULL, NULL, (SELECT JSON_ARRAY(COUNT(*), COUNT(k.redeemed_at), CAST(SUM(k.commission) AS CHAR)) FROM koc_referrals k WHERE k.koc_member_id = m.id)) AS koc_totals`;

const isoDate = z.string().transform((s) => new Date(s));
/** A JSON_ARRAYAGG column: text (or a parsed value, depending on the driver), NULL for no rows. */
const jsonList = <T extends z.ZodType>(item: T) =>
  z
    .union([z.string(), z.array(z.unknown()), z.null()])
    .transform((v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : (v ?? [])))
    .pipe(z.array(item));
const count = z.union([z.number(), z.string(), z.bigint()]).transform(Number);
/** A JSON_ARRAY column (text, or parsed by the driver): a scalar subquery's several aggregates in one value. */
const jsonValue = <T extends z.ZodType>(of: T) =>
  z
    .union([z.string(), z.array(z.unknown()), z.null()])
    .transform((v) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v))
    .pipe(of);

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
  // [COUNT, SUM as the DECIMAL's text or null, MAX(paid_at) as ISO text or null]: one walk of the member's orders.
  order_totals: jsonValue(z.tuple([count, z.string().nullable(), isoDate.nullable()])),
  recent_orders: jsonList(z.object({ orderNo: z.string(), paidAt: isoDate, amount: z.string(), store: z.string() })),
  tags: jsonList(z.object({ name: z.string(), category: z.string(), source: z.string() })),
  open_tickets: zippedList(
    LONG.openTickets,
    z.object({ ticketNo: z.string(), type: z.string(), priority: z.string(), status: z.string(), title: z.string(), createdAt: isoDate, resolveDueAt: isoDate }),
  ),
  complaints: zippedList(LONG.complaints, z.object({ content: z.string(), createdAt: isoDate, ticketNo: z.string().nullable() })),
  interactions: zippedList(LONG.interactions, z.object({ type: z.string(), channel: z.string(), content: z.string(), createdAt: isoDate })),
  pending_follow_ups: count,
  koc_level: z.number().nullable(),
  // [referrals, redemptions, SUM(commission) as text or null]; null for a member who is no KOC.
  koc_totals: jsonValue(z.tuple([count, count, z.string().nullable()]).nullable()),
});

export type SummaryFacts = ReturnType<typeof toFacts>;

const COMPLAINT_WINDOW_DAYS = 90;

function toFacts(r: z.infer<typeof summaryRow>, now: Date) {
  const [orderCount, spend, lastAt] = r.order_totals;
  const [referrals, redemptions, earnings] = r.koc_totals ?? [0, 0, null];
  return {
    profile: { gender: r.gender, birthday: r.birthday, growthValue: r.growth_value, registeredAt: r.registered_at, sourceChannel: r.source_channel, email: openEmail(r.email_enc), remarks: openRemarks(r.remarks), addresses: r.addresses, customerNo: r.customer_no },
    levelName: r.level_name,
    orderCount,
    /** SUM(amount − refunded) as the database computed it (DECIMAL text), "0.00" without orders; fully refunded orders count nowhere. */
    totalSpend: spend ?? '0.00',
    lastOrderAt: lastAt,
    recentOrders: r.recent_orders,
    tags: r.tags,
    openTickets: r.open_tickets.map(({ resolveDueAt, ...t }) => ({ ...t, overdue: resolveDueAt < now })),
    recentComplaints: r.complaints,
    recentInteractions: r.interactions,
    pendingFollowUps: r.pending_follow_ups,
    koc: r.koc_level === null ? null : { level: r.koc_level, referrals, redemptions, earnings: earnings ?? '0.00' },
  };
}

/** A member row (rows.ts) and its 360 facts. */
export interface MemberWithSummary {
  row: MemberRow;
  facts: SummaryFacts;
  /** The whole row as the driver read it (the columns of `also`, when given). */
  raw: Record<string, unknown>;
}

/**
 * The members the actor may see matching `where` (SQL on alias m: a unique key or the id), at most
 * `limit` in id order, each with its 360 facts — one statement.
 */
export async function readSummaries(services: Services, actor: StaffActor, where: string, params: unknown[], limit: number, recent: number, also?: ExtraColumns, opts: { prepared?: boolean } = {}): Promise<MemberWithSummary[]> {
  const card = summaryExtra(services, recent);
  const columns: ExtraColumns = also
    ? { columns: `${card.columns}, ${also.columns}`, params: [...card.params, ...also.params], joins: [card.joins, also.joins].filter(Boolean).join(' ') }
    : card;
  const rows = await readMemberRowsWith(services, actor, where, params, 'm.id', limit, columns, opts);
  return rows.map(({ row, raw }) => ({ row, facts: card.read(raw), raw }));
}

/** The card's columns text by its `recent` (1–20), built once each: the same ~4 KB of SQL on every read. */
const columnsText = new Map<number, string>();
function columnsFor(recent: number): string {
  let text = columnsText.get(recent);
  if (text === undefined) columnsText.set(recent, (text = summaryColumns(recent)));
  return text;
}

/** The card's columns for a read of member rows (customers' resolveMemberWith, readMemberRowsWith); `read` turns such a row into the facts. */
export function summaryExtra(services: Services, recent: number): ExtraColumns & { read(raw: unknown): SummaryFacts } {
  const now = services.now();
  return {
    columns: columnsFor(Math.max(1, Math.min(Math.trunc(recent) || 1, 20))),
    params: [now, new Date(now.getTime() - COMPLAINT_WINDOW_DAYS * 86_400_000)],
    joins: 'LEFT JOIN koc_profiles kp ON kp.member_id = m.id LEFT JOIN membership_levels ml ON ml.level = m.level',
    read: (raw) => toFacts(summaryRow.parse(raw), now),
  };
}
