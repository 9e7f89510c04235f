import type { Pool, RowDataPacket } from 'mysql2/promise';
import { reattributeRecalls } from '../../automation/index.ts';
import { createMemberRow, lockMemberForWrite, lockMembersForWrite, type MemberForWrite } from '../../customers/index.ts';
import { AppError, auditInTransaction, conflict, recordChanges, fieldError, isAppError, notFound, requirePermission, storeScope, withTransaction, type ChangeRow, type StaffAccess } from '../../kernel/index.ts';
import { loyaltyRules, orderLoyalty, type LoyaltyRules } from '../../loyalty/index.ts';
import { findOrdersByNo, insertOrders, ORDER_TX, type StoredOrder } from '../../sales/index.ts';
import { requestHash, twoDecimals, type OrderInput } from './schemas.ts';
import { splitLanes } from './lanes.ts';
import { fireAllAfterCommit, type IntakeDeps } from './triggers.ts';

/** What recording an order did; kept with the order, so a replay answers exactly this. */
export interface OrderReceipt {
  orderId: number;
  orderNo: string;
  memberId: number;
  memberNo: string;
  /** An unknown phone with createMember became this new member. */
  memberCreated: boolean;
  storeId: number;
  amount: string;
  paidAt: string;
  /** Points earned by the member's level rule (0 when the rule gives none). */
  pointsEarned: number;
  /** The level upgrade the order brought about at once, or null. */
  levelUp: { from: number; to: number } | null;
}

export interface OrderOutcome {
  receipt: OrderReceipt;
  /** The same request had been recorded before: nothing was written now. */
  replayed: boolean;
}

/** Per order of a batch, in the order given: what recording it did, or the error it got (an AppError, or an unexpected one). */
export type OrderWriteResult = OrderOutcome | Error;

/** paidAt may run ahead of our clock by this much (till clocks drift); more is a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The order's number taken meanwhile: its unique key, or its points' ledger key (`order:<no>`, written before the order row). */
const isDupOrderNo = (e: unknown) => (e as { errno?: number; sqlMessage?: string } | null)?.errno === 1062 && /orders_order_no_key|points_ledger_idempotency_key_key/.test((e as { sqlMessage?: string }).sqlMessage ?? '');
/** Order numbers compare as the column's collation does (case-insensitive), as its unique key does. */
const noKey = (orderNo: string) => orderNo.toLowerCase();

const conflictOf = (orderNo: string) =>
  conflict('order_conflict', `订单号 ${orderNo} 已用于另一笔订单（内容不同）；同一订单重发须与第一次完全相同。`, { issues: [{ path: ['orderNo'], message: 'already recorded with a different body', code: 'custom' }] });

/**
 * The answer to an order number seen before: the stored receipt when the request is the same
 * (hash), else 409. An order of a member the caller cannot see is a 409 too (its number is
 * taken), so nothing about it leaks.
 */
async function replayOf(sql: Pool, access: StaffAccess, seen: StoredOrder, orderNo: string, hash: string): Promise<OrderWriteResult> {
  const visible = seen.requestHash === hash && seen.intake ? await lockMemberForWrite(sql, access.actor, { memberId: seen.memberId }, { lock: false }) : null;
  if (!visible) return conflictOf(orderNo);
  return { receipt: receiptOf(seen), replayed: true };
}

/** What of a receipt the order row does not hold already: kept in `orders.intake` (storedReceipt). */
type StoredReceipt = Pick<OrderReceipt, 'memberId' | 'memberNo' | 'memberCreated' | 'storeId' | 'pointsEarned' | 'levelUp'>;

/**
 * The part of a receipt kept with the order: the row has its id, number, amount and paid time
 * already (never changed), so the JSON holds the rest — the member and store as answered too,
 * since a merge moves the row to the survivor (moveOrders) and the replay answers as the first
 * time — about half the full receipt's bytes in the batch's largest INSERT (docs/benchmarks.md).
 */
const storedReceipt = (r: Omit<OrderReceipt, 'orderId'>): StoredReceipt => ({ memberId: r.memberId, memberNo: r.memberNo, memberCreated: r.memberCreated, storeId: r.storeId, pointsEarned: r.pointsEarned, levelUp: r.levelUp });

/**
 * A stored order's receipt, as first answered: the row's own columns plus its `intake` (orders
 * recorded before the receipt was narrowed hold the whole receipt there; it answers the same).
 */
function receiptOf(seen: StoredOrder): OrderReceipt {
  const kept = seen.intake as StoredReceipt & Partial<OrderReceipt>;
  // An order recorded before kept its whole receipt (the same values, as answered then).
  const row = { orderNo: kept.orderNo ?? seen.orderNo, amount: kept.amount ?? seen.amount, paidAt: kept.paidAt ?? seen.paidAt.toISOString() };
  return { orderId: seen.id, orderNo: row.orderNo, memberId: kept.memberId, memberNo: kept.memberNo, memberCreated: kept.memberCreated, storeId: kept.storeId, amount: row.amount, paidAt: row.paidAt, pointsEarned: kept.pointsEarned, levelUp: kept.levelUp };
}

/** Stores by id and by code (one query), with the actor's scope checked; per order the store id or its error. */
async function storesOf(sql: Pool, access: StaffAccess, orders: OrderInput[]): Promise<(number | Error)[]> {
  const ids = [...new Set(orders.flatMap((o) => (o.storeId !== undefined ? [o.storeId] : [])))];
  const codes = [...new Set(orders.flatMap((o) => (o.storeCode !== undefined ? [o.storeCode] : [])))];
  const [rows] = await sql.query<RowDataPacket[]>('SELECT id, code FROM stores WHERE id IN (?) OR code IN (?)', [ids.length ? ids : [0], codes.length ? codes : ['']]);
  const byId = new Set(rows.map((r) => Number(r.id)));
  const byCode = new Map(rows.map((r) => [String(r.code).toLowerCase(), Number(r.id)]));
  const scope = storeScope(access.actor);
  return orders.map((o) => {
    const id = o.storeId !== undefined ? (byId.has(o.storeId) ? o.storeId : undefined) : byCode.get(o.storeCode!.toLowerCase());
    if (id === undefined) return fieldError('invalid_order', [o.storeId !== undefined ? 'storeId' : 'storeCode'], `没有门店「${o.storeId ?? o.storeCode}」`);
    if (scope !== null && !scope.includes(id)) return new AppError('store_out_of_scope', '门店角色只能记录自己门店的订单。');
    return id;
  });
}

/**
 * `dryRun`: roll back (the file import's --dry-run). `turn`/`locked`: batches written side by
 * side in a set order (the file import): this batch takes its members' locks only once `turn`
 * settles, and calls `locked` when it holds them (or has nothing to lock) — so the next batch,
 * waiting for that, queues behind it on any member they share and the orders land in file order.
 */
export interface WriteOptions {
  dryRun?: boolean;
  turn?: Promise<unknown>;
  locked?: () => void;
  /** Lanes for this batch (lanes.ts; default: DEFAULT_LANES for a large batch, else one). */
  lanes?: number;
}

interface Pending {
  /** Index in the caller's list. */
  at: number;
  input: OrderInput;
  hash: string;
  amount: string;
  paidAt: Date;
  storeId: number;
}

/**
 * THE order writer (order.write): every paid order — one POST /orders, a batch of up to 1,000,
 * a file import — is recorded here, a single order being a batch of one, so the rules exist
 * once. A batch is one transaction with a constant number of statements whatever its size (a
 * large one is split by member into lanes, lanes.ts: one such transaction each, side by side):
 *
 * - before it (on the pool, side by side): idempotency on orderNo by one look-up of all the
 *   numbers (the same request again answers its first receipt and writes nothing; another body
 *   → 409; a number twice in one batch: the second answers as a retry of the first), the stores
 *   in one query, the loyalty rules (levels, points expiry), the checks that need the clock
 *   (paidAt not in the future);
 * - in it: the members locked with their level and balance (customers' lockMembersForWrite: ids,
 *   numbers and openids in one locking read each; phones through customers' own look-up; an
 *   unknown phone with createMember creates the member), then sales' insertOrders — the
 *   members' orders read once, loyalty's orderLoyalty on them (points by each member's level,
 *   upgrades at once, in batch order: the same as the orders one after the other; one INSERT
 *   for the ledger), one multi-row INSERT of the orders, recall attribution for all the members
 *   in one statement, the audit rows in one INSERT, then the rollups (member_stats and digests in
 *   one upsert each) and the rows every order of a store shares (visit summary, day sales,
 *   cohorts — one upsert each, in key order), so a concurrent batch waits on them only until
 *   this commit; last the members' balances and levels (one UPDATE each: after the shared rows,
 *   so two concurrent writes never hold the members' index locks against each other — see
 *   orderLoyalty's `last`) and the change feed (the orders' rows and the members' whose points
 *   moved, one INSERT);
 * - after the commit: the `order_paid` (and, for a new member, `member_registered`) journey
 *   triggers, the active journeys read once (the trigger sweep catches up any that fail: same
 *   occurrence keys, nothing lost, nobody enrolled twice).
 *
 * An order that fails a check fails alone before anything is written; an unexpected failure of
 * the batch's transaction (a concurrent request took one of its numbers meanwhile …) reruns
 * each order as a batch of one, so the others still land. `dryRun`: every check and write, then
 * a rollback and no triggers (the file import's --dry-run).
 */
export async function writeOrders(access: StaffAccess, inputs: OrderInput[], deps: IntakeDeps = {}, opts: WriteOptions = {}): Promise<OrderWriteResult[]> {
  requirePermission(access.actor, 'order.write');
  try {
    return await writeBatch(access, inputs, deps, opts);
  } finally {
    // Nothing was locked (every order replayed or failed its checks) or the batch is done: the next may go.
    opts.locked?.();
  }
}

async function writeBatch(access: StaffAccess, inputs: OrderInput[], deps: IntakeDeps, opts: WriteOptions): Promise<OrderWriteResult[]> {
  const { services } = access;
  const results: (OrderWriteResult | undefined)[] = new Array(inputs.length);
  if (!inputs.length) return [];
  const hashes = inputs.map((o) => requestHash('order', o));
  // The look-ups before the transaction, side by side on the pool: the numbers seen, the stores, the loyalty rules (and, for an order alone, its earn entry).
  const single = inputs.length === 1;
  const [found, stores, rules] = await Promise.all([
    findOrdersByNo(services.sql, inputs.map((o) => o.orderNo)),
    storesOf(services.sql, access, inputs),
    // A batch does not look up its orders' earn entries (a thousand probes of the ledger's key): an
    // entry is written only with its order, whose number the look-up beside this one finds free.
    // One there anyway (an order row removed by hand) meets the ledger's unique key, the batch's
    // transaction fails, and the batch reruns order by order (below), where an order alone looks
    // its entry up and answers it again — the same outcome as before, at no cost when all is well.
    single ? loyaltyRules(services, [inputs[0]!.orderNo]) : loyaltyRules(services).then((r): LoyaltyRules => ({ ...r, earned: new Map() })),
  ]);
  const seen = new Map([...found.values()].map((o) => [noKey(o.orderNo), o]));
  const nowMs = services.now().getTime();
  /** First index of each number in this batch; later ones answer as its retry. */
  const firstOf = new Map<string, number>();
  const repeats: number[] = [];
  const pending: Pending[] = [];
  for (const [i, input] of inputs.entries()) {
    const key = noKey(input.orderNo);
    const stored = seen.get(key);
    if (stored) {
      results[i] = await replayOf(services.sql, access, stored, input.orderNo, hashes[i]!);
      continue;
    }
    if (firstOf.has(key)) {
      repeats.push(i);
      continue;
    }
    firstOf.set(key, i);
    const paidAt = new Date(input.paidAt);
    const store = stores[i]!;
    if (paidAt.getTime() > nowMs + CLOCK_SKEW_MS) results[i] = fieldError('invalid_order', ['paidAt'], '付款时间在未来');
    else if (store instanceof Error) results[i] = store;
    else pending.push({ at: i, input, hash: hashes[i]!, amount: twoDecimals(input.amount), paidAt, storeId: store });
  }
  if (pending.length) {
    // A large batch goes in lanes (lanes.ts): members split over transactions written side by
    // side; every lane takes its members' locks only after `turn`, and the batch counts as locked
    // (the next batch of a file may take its own) once every lane holds its own.
    const lanes = splitLanes(pending, opts.lanes);
    const lockedLanes = lanes.map(() => {
      let done!: () => void;
      return { promise: new Promise<void>((r) => (done = r)), done };
    });
    if (opts.locked) void Promise.all(lockedLanes.map((l) => l.promise)).then(opts.locked);
    const recorded: OrderOutcome[] = [];
    await Promise.all(
      lanes.map(async (lane, k) => {
        const laneOpts: WriteOptions = { dryRun: opts.dryRun, turn: opts.turn, locked: lockedLanes[k]!.done };
        try {
          const written = await writePending(access, lane, rules, laneOpts);
          for (const [at, r] of written) {
            results[at] = r;
            if (!(r instanceof Error)) recorded.push(r);
          }
        } catch (e) {
          laneOpts.locked!();
          if (lane.length > 1) {
            // One order broke the lane's transaction: each on its own, in batch order, so the others land.
            for (const p of lane) results[p.at] = (await writeOrders(access, [p.input], deps, { dryRun: opts.dryRun, turn: opts.turn }))[0]!;
          } else {
            const p = lane[0]!;
            // The same number committed by a concurrent request meanwhile (the unique key): answer as for a retry.
            const again = isDupOrderNo(e) ? (await findOrdersByNo(services.sql, [p.input.orderNo])).values().next().value : undefined;
            results[p.at] = again ? await replayOf(services.sql, access, again, p.input.orderNo, p.hash) : (e as Error);
          }
        }
      }),
    );
    if (!opts.dryRun && recorded.length) {
      await fireAllAfterCommit(services, deps, [
        ...recorded.filter((r) => r.receipt.memberCreated).map((r) => ({ type: 'member_registered' as const, memberId: r.receipt.memberId, occurrence: 'registered' })),
        ...recorded.map((r) => ({ type: 'order_paid' as const, memberId: r.receipt.memberId, occurrence: `o${r.receipt.orderId}`, data: { amount: Number(r.receipt.amount) } })),
      ]);
    }
  }
  for (const i of repeats) {
    const first = results[firstOf.get(noKey(inputs[i]!.orderNo))!]!;
    if (first instanceof Error) results[i] = first;
    else if (hashes[i] !== hashes[firstOf.get(noKey(inputs[i]!.orderNo))!]) results[i] = conflictOf(inputs[i]!.orderNo);
    else results[i] = { receipt: first.receipt, replayed: true };
  }
  return results as OrderWriteResult[];
}

/** The batch's transaction (see writeOrders): per caller index, the outcome or the error of a check made inside it. */
async function writePending(access: StaffAccess, pending: Pending[], rules: LoyaltyRules, opts: WriteOptions): Promise<Map<number, OrderWriteResult>> {
  const { services, actor } = access;
  return withTransaction(
    services.sql,
    async (conn, tx) => {
      const out = new Map<number, OrderWriteResult>();
      if (opts.dryRun) tx.rollbackOnly();
      const now = services.now();
      // The members' row locks come first (lockMembersForWrite: before any plain read of this transaction).
      await opts.turn;
      const members = await lockMembersForWrite(conn, actor, pending.map((p) => p.input));
      opts.locked?.();
      const created = new Set<number>();
      const accepted: { p: Pending; member: MemberForWrite }[] = [];
      for (const [k, p] of pending.entries()) {
        let member: MemberForWrite | null | Error = members[k]!;
        if (member === null && p.input.createMember) {
          // An earlier order of this batch may have created it already.
          const phone = p.input.phone!;
          member = await lockMemberForWrite(conn, actor, { phone }).catch((e: Error) => e);
          if (member === null) {
            await conn.query('SAVEPOINT new_member');
            try {
              const row = await createMemberRow(conn, access, { name: p.input.memberName ?? `顾客${phone.replace(/\D/g, '').slice(-4)}`, phone }, { defaultStoreId: p.storeId, defaultSource: p.input.channel ?? 'pos' });
              const fresh = await lockMemberForWrite(conn, actor, { memberId: row.id });
              if (fresh) created.add(fresh.id);
              member = fresh ?? notFound('member_not_found', '新建的会员不在你可查看的门店。');
            } catch (e) {
              if (!isAppError(e)) throw e;
              await conn.query('ROLLBACK TO SAVEPOINT new_member');
              member = e;
            }
          }
        }
        if (member === null) out.set(p.at, notFound('member_not_found', '没有找到这位会员（或不在你可查看的门店）；新顾客可带 createMember: true 和手机号。'));
        else if (member instanceof Error) out.set(p.at, member);
        else accepted.push({ p, member });
      }
      if (!accepted.length) return out;
      const receipts: Omit<OrderReceipt, 'orderId'>[] = [];
      // The members' change-feed rows (points moved), written in one INSERT with the orders' own.
      const feed: ChangeRow[] = [];
      // The members' balance and level UPDATE (loyalty's), run last: see orderLoyalty's `last`.
      const last: (() => Promise<void>)[] = [];
      const memberIds = [...new Set(accepted.map((a) => a.member.id))];
      const ids = await insertOrders(
        conn,
        now,
        memberIds,
        async (before) => {
          const loyalty = await orderLoyalty(
            conn,
            services,
            actor,
            accepted.map(({ p, member }) => ({ memberId: member.id, orderNo: p.input.orderNo, amount: p.amount, paidAt: p.paidAt })),
            before,
            { rules, members: new Map(accepted.map(({ member }) => [member.id, member])), feed, last },
          );
          receipts.length = 0;
          return accepted.map(({ p, member }, k) => {
            const receipt = {
              orderNo: p.input.orderNo,
              memberId: member.id,
              memberNo: member.memberNo,
              memberCreated: created.has(member.id) && accepted.findIndex((a) => a.member.id === member.id) === k,
              storeId: p.storeId,
              amount: p.amount,
              paidAt: p.paidAt.toISOString(),
              pointsEarned: loyalty[k]!.pointsEarned,
              levelUp: loyalty[k]!.levelUp,
            };
            receipts.push(receipt);
            return {
              orderNo: p.input.orderNo,
              memberId: member.id,
              storeId: p.storeId,
              amount: p.amount,
              items: p.input.items,
              paymentMethod: p.input.paymentMethod,
              paidAt: p.paidAt,
              channel: p.input.channel ?? null,
              requestHash: p.hash,
              intake: storedReceipt(receipt),
            };
          });
        },
        // Right after the INSERT, before the rollups' shared rows (insertOrders' `then`).
        async () => {
          await reattributeRecalls(conn, memberIds);
          await auditInTransaction(
            conn,
            receipts.map((r) => ({ actor, action: 'order.record', targetType: 'member', targetId: String(r.memberId), channel: access.channel, requestId: access.requestId, detail: { orderNo: r.orderNo, amount: r.amount, pointsEarned: r.pointsEarned, memberCreated: r.memberCreated } })),
            now,
          );
        },
      );
      // Last, after the shared store rows: the members' balances and levels, then the change feed
      // (the orders' rows and the members' whose points moved, one INSERT).
      for (const write of last) await write();
      await recordChanges(conn, now, [...feed, ...receipts.map((r): ChangeRow => ({ object: 'order', id: r.orderNo, memberId: r.memberId }))]);
      for (const [k, { p }] of accepted.entries()) {
        const r = receipts[k]!;
        out.set(p.at, { receipt: { orderId: ids.get(p.input.orderNo) ?? ids.get(noKey(p.input.orderNo)) ?? [...ids].find(([no]) => noKey(no) === noKey(p.input.orderNo))![1], ...r }, replayed: false });
      }
      return out;
    },
    ORDER_TX(pending.length === 1 ? pending[0]!.input.orderNo : `${pending[0]!.input.orderNo} …`),
  );
}
