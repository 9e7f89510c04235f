import { chinaDayIndex, chinaYmd } from './calendar.ts';
import type { GeneratedMember } from './member.ts';
import { centsToDecimal } from './money.ts';

/**
 * Generated members → SQL row arrays (column lists beside their converters, so they can't
 * drift apart). Every timestamp is set explicitly, created_at included, so a seed is
 * byte-identical in every database instead of carrying the time it happened to run.
 */

export const MEMBER_COLUMNS = [
  'id', 'member_no', 'name', 'phone', 'gender', 'birthday', 'level', 'points', 'growth_value', 'registered_at',
  'source_channel', 'home_store_id', 'status', 'openid', 'external_user_id', 'created_at', 'updated_at',
] as const;
export const ORDER_COLUMNS = ['id', 'order_no', 'member_id', 'store_id', 'amount', 'items', 'payment_method', 'paid_at', 'created_at'] as const;
export const TRUTH_COLUMNS = ['member_id', 'persona', 'alive', 'churned_at', 'purchase_rate', 'dropout_prob', 'avg_spend', 'as_of'] as const;
export const MEMBER_TAG_COLUMNS = ['member_id', 'tag_id', 'source', 'confidence', 'created_by', 'created_at'] as const;

/** Order numbers: China-local pay date, store id, then the order id — unique, sortable, all digits. */
export function orderNo(paidAtMs: number, storeId: number, orderId: number): string {
  return `${chinaYmd(chinaDayIndex(paidAtMs))}${storeId}${String(orderId).padStart(10, '0')}`;
}

export interface ChunkRows {
  members: unknown[][];
  orders: unknown[][];
  truth: unknown[][];
  memberTags: unknown[][];
}

/** Rows of a run of generated members; order ids continue from `firstOrderId`. */
export function toRows(generated: readonly GeneratedMember[], firstOrderId: number, asOf: Date): ChunkRows {
  const out: ChunkRows = { members: [], orders: [], truth: [], memberTags: [] };
  let orderId = firstOrderId;
  for (const g of generated) {
    const m = g.member;
    const registeredAt = new Date(m.registeredAtMs);
    out.members.push([
      m.id, m.memberNo, m.name, m.phone, m.gender, m.birthday, m.level, m.points, m.growthValue, registeredAt,
      m.sourceChannel, m.homeStoreId, 'active', m.openid, m.externalUserId, registeredAt, new Date(m.updatedAtMs),
    ]);
    for (const o of g.orders) {
      const paidAt = new Date(o.paidAtMs);
      out.orders.push([orderId, orderNo(o.paidAtMs, o.storeId, orderId), m.id, o.storeId, centsToDecimal(o.amountCents), o.itemsJson, o.paymentMethod, paidAt, paidAt]);
      orderId++;
    }
    const t = g.truth;
    out.truth.push([
      m.id, t.persona, t.alive, t.churnedAtMs === null ? null : new Date(t.churnedAtMs), t.rate.toFixed(6), t.dropout.toFixed(6),
      centsToDecimal(t.meanSpendCents), asOf,
    ]);
    for (const tag of g.tags) out.memberTags.push([m.id, tag.tagId, 'manual', '1.000', tag.createdBy, new Date(tag.createdAtMs)]);
  }
  return out;
}
