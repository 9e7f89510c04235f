import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { setMembersPointsAndLevels } from '../customers/index.ts';
import { AppError, auditActor, type Actor, type ChangeRow } from '../kernel/index.ts';
import type { Services } from '../../services.ts';
import { addMonths, qualifyingLevel, reviewReason } from './membership/change.ts';
import { listLevels } from './membership/levels.ts';
import { expiryFor, getExpiryRule, type ExpiryRule } from './points/expiry.ts';
import type { LevelConfig } from './membership/levels.ts';
import { cents, earnKey, pointsFor } from './points/order-points.ts';

/** A paid order as loyalty sees it. */
export interface PaidOrderFacts {
  memberId: number;
  orderNo: string;
  /** Decimal string in yuan, two decimals ("88.50"). */
  amount: string;
  paidAt: Date;
}

export interface OrderLoyalty {
  /** Points earned by the member's level rule when the order was paid (0 when the rule gives none). */
  pointsEarned: number;
  /** The upgrade the order brought about at once, or null. */
  levelUp: { from: number; to: number } | null;
}

/** The configuration an order's loyalty effects follow: the levels (earn rates, upgrade conditions) and the points expiry rule. */
export interface LoyaltyRules {
  levels: LevelConfig[];
  expiry: ExpiryRule;
  /** The ledger's earn entries already there for the batch's order numbers (by idempotency key), when read with the rules. */
  earned?: Map<string, { memberId: number; delta: number }>;
}

/** The ledger's earn entries of these order numbers (normally none: an order's points are written with the order). */
async function earnedFor(sql: Pool | PoolConnection, orderNos: string[]): Promise<Map<string, { memberId: number; delta: number }>> {
  const [rows] = await sql.query<RowDataPacket[]>('SELECT idempotency_key, member_id, delta FROM points_ledger WHERE idempotency_key IN (?)', [orderNos.map(earnKey)]);
  return new Map(rows.map((r) => [String(r.idempotency_key), { memberId: Number(r.member_id), delta: Number(r.delta) }]));
}

/**
 * The rules as configured now (two reads of configuration, not of the members), and with
 * `orderNos` the ledger's earn entries of those orders: the order writer reads an order alone's
 * beside its other look-ups before its transaction, so it costs no round trip inside it (a batch
 * reads none: write-orders.ts says why). (The rules were
 * never read under the members' locks; an earn entry is written only with its order, whose
 * number the writer has just found free — one written meanwhile meets the ledger's unique key.)
 */
export async function loyaltyRules(services: Services, orderNos?: string[]): Promise<LoyaltyRules> {
  const [levels, expiry, earned] = await Promise.all([listLevels(services), getExpiryRule(services), orderNos?.length ? earnedFor(services.sql, orderNos) : undefined]);
  return { levels, expiry, ...(earned ? { earned } : {}) };
}

/**
 * The loyalty effects of a batch of paid orders, inside their transaction with the members'
 * rows locked, in the batch's order — exactly as if each order were recorded alone, one after
 * the other: each earns points by its member's level at that moment (membership_levels
 * .points_per_yuan, rounded down per order; once per order number, the ledger's idempotency
 * key), then the member's figures over the level's window (spend and orders that still count,
 * the points balance) are checked against the upgrade conditions and a higher level is taken
 * at once (never a downgrade: that waits for the level's expiry review). So a second order of
 * the same member in one batch earns at the level the first one reached.
 *
 * The figures come from `before` — each member's counted orders before the batch (sales'
 * insertOrders hands them over) — plus the batch's own orders, in memory: a handful of
 * statements per batch (the seen ledger keys unless read with the rules, then one multi-row write each for the ledger, the
 * members' balances and levels, the level history), whatever its size. `opts.rules` are the
 * rules read beforehand (loyaltyRules), `opts.members` the members' level and balance as the
 * caller's locking read found them (customers' lockMembersForWrite) — each read here when not
 * given; `opts.feed`: the members' change-feed rows are added to it for the caller to write with
 * its own (the order writer's one INSERT), not written here. `opts.last`: the members' balance
 * and level UPDATE is handed to the caller to run last before its commit (and adds its feed rows
 * then) — an UPDATE of `points` rewrites the members' secondary index entries, whose next-key
 * locks blocked (and deadlocked) another transaction updating members next to them in those
 * indexes until commit; run last, after the rows every order of a store shares, two concurrent
 * order writes meet on those rows first and so never hold member index locks against each other.
 */
export async function orderLoyalty(
  conn: PoolConnection,
  services: Services,
  actor: Actor | 'system',
  orders: PaidOrderFacts[],
  before: Map<number, { paidAt: Date; cents: number }[]>,
  opts: { rules?: LoyaltyRules; members?: Map<number, { level: number; points: number }>; feed?: ChangeRow[]; last?: (() => Promise<void>)[] } = {},
): Promise<OrderLoyalty[]> {
  if (!orders.length) return [];
  const now = services.now();
  const { levels, expiry, earned: earnedBefore } = opts.rules ?? (await loyaltyRules(services));
  // A level without a row earns one point per yuan (100 hundredths), as the single path did.
  const rate = new Map(levels.map((l) => [l.level, Math.round(Number(l.pointsPerYuan) * 100)]));
  const ids = [...new Set(orders.map((o) => o.memberId))];
  const given = opts.members;
  const memberRows = given
    ? ids.flatMap((id) => (given.has(id) ? [{ id, ...given.get(id)! }] : []))
    : (await conn.query<RowDataPacket[]>('SELECT id, level, points FROM members WHERE id IN (?) FOR UPDATE', [ids]))[0].map((r) => ({ id: Number(r.id), level: Number(r.level), points: Number(r.points) }));
  const state = new Map(
    memberRows.map((r) => [r.id, { level: r.level, points: r.points, pointsChanged: false, levelChanged: false, levelExpiresAt: null as Date | null, orders: [...(before.get(r.id) ?? [])] }]),
  );
  const seen = new Map(earnedBefore ?? (await earnedFor(conn, orders.map((o) => o.orderNo))));
  const expiresAt = expiryFor(expiry, now);
  const createdBy = actor === 'system' ? 'system' : auditActor(actor).actorId;
  const ledger: unknown[][] = [];
  const history: unknown[][] = [];
  const out: OrderLoyalty[] = [];
  for (const o of orders) {
    const m = state.get(o.memberId);
    if (!m) throw new AppError('member_not_found', '没有找到这位会员。');
    const orderCents = cents(o.amount);
    let earned = pointsFor(orderCents, rate.get(m.level) ?? 100);
    if (earned > 0) {
      const key = earnKey(o.orderNo);
      const prior = seen.get(key);
      if (prior) {
        // The ledger already holds this order's points (the single path answered the entry again).
        if (prior.memberId !== o.memberId || prior.delta !== earned) throw new AppError('idempotency_key_reused', '这个幂等键已用于另一笔积分变动。');
      } else {
        m.points += earned;
        m.pointsChanged = true;
        seen.set(key, { memberId: o.memberId, delta: earned });
        ledger.push([o.memberId, earned, m.points, 'earn', `消费 ¥${o.amount}`.slice(0, 128), o.orderNo, expiresAt, key, createdBy, now]);
      }
    } else earned = 0;
    m.orders.push({ paidAt: o.paidAt, cents: orderCents });
    const months = levels.find((l) => l.level === m.level)?.validityMonths ?? 12;
    const since = addMonths(now, -months).getTime();
    let spendCents = 0;
    let count = 0;
    for (const x of m.orders) {
      if (x.paidAt.getTime() < since) continue;
      spendCents += x.cents;
      count++;
    }
    const figures = { spend: Number((spendCents / 100).toFixed(2)), orders: count, points: m.points };
    const to = qualifyingLevel(levels, figures);
    let levelUp: OrderLoyalty['levelUp'] = null;
    if (to > m.level) {
      const validity = levels.find((l) => l.level === to)?.validityMonths ?? 12;
      history.push([o.memberId, m.level, to, 'upgrade', 'auto', reviewReason(months, figures), 'system', now]);
      levelUp = { from: m.level, to };
      m.level = to;
      m.levelChanged = true;
      m.levelExpiresAt = validity ? addMonths(now, validity) : null;
    }
    out.push({ pointsEarned: earned, levelUp });
  }
  if (ledger.length) {
    await conn.query('INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, ref, expires_at, idempotency_key, created_by, created_at) VALUES ?', [ledger]);
  }
  const changed = [...state.entries()];
  const writeMembers = () =>
    setMembersPointsAndLevels(
      conn,
      changed.filter(([, m]) => m.pointsChanged).map(([memberId, m]) => ({ memberId, points: m.points })),
      changed.filter(([, m]) => m.levelChanged).map(([memberId, m]) => ({ memberId, level: m.level, levelExpiresAt: m.levelExpiresAt })),
      now,
      opts.feed,
    );
  if (opts.last) opts.last.push(writeMembers);
  else await writeMembers();
  if (history.length) await conn.query('INSERT INTO member_level_history (member_id, from_level, to_level, kind, source, reason, created_by, created_at) VALUES ?', [history]);
  return out;
}
