import { chinaDay, formatDay } from '../crm/kernel/index.ts';
import { phoneColumns } from '../crm/customers/index.ts';
import { referralCode } from '../crm/loyalty/index.ts';
import { ticketNoFor } from '../crm/service/index.ts';
import type { GeneratedMember } from './member.ts';
import type { ServiceRecords, TicketDraft } from './service-records.ts';
import { centsToDecimal } from './money.ts';

/**
 * Generated members → SQL row arrays (column lists beside their converters, so they can't
 * drift apart). Every timestamp is set explicitly, created_at included, so a seed is
 * byte-identical in every database instead of carrying the time it happened to run.
 */

export const MEMBER_COLUMNS = [
  'id', 'member_no', 'name', 'phone_enc', 'phone_hash', 'phone_tail', 'gender', 'birthday', 'level', 'points', 'growth_value', 'registered_at',
  'source_channel', 'home_store_id', 'status', 'openid', 'external_user_id', 'created_at', 'updated_at',
] as const;
export const ORDER_COLUMNS = ['id', 'order_no', 'member_id', 'store_id', 'amount', 'items', 'payment_method', 'paid_at', 'created_at'] as const;
export const TRUTH_COLUMNS = ['member_id', 'persona', 'alive', 'churned_at', 'purchase_rate', 'dropout_prob', 'avg_spend', 'as_of'] as const;
export const MEMBER_TAG_COLUMNS = ['member_id', 'tag_id', 'source', 'confidence', 'created_by', 'created_at'] as const;

// A demo spans about a thousand distinct days but ten million orders: format each day once.
const YMD_CACHE = new Map<number, string>();

/** "YYYYMMDD" of a China day number, for order numbers. */
function chinaYmd(day: number): string {
  let s = YMD_CACHE.get(day);
  if (s === undefined) {
    s = formatDay(day, '');
    if (YMD_CACHE.size < 100_000) YMD_CACHE.set(day, s);
  }
  return s;
}

/** Order numbers: China-local pay date, store id, then the order id — unique, sortable, all digits. */
export function orderNo(paidAtMs: number, storeId: number, orderId: number): string {
  return `${chinaYmd(chinaDay(paidAtMs))}${storeId}${String(orderId).padStart(10, '0')}`;
}

/** First ids of a chunk's rows in each id sequence; a chunk's counts give the next chunk's. */
export interface IdBases {
  order: number;
  interaction: number;
  ticket: number;
  referral: number;
  ledger: number;
}

export const FIRST_IDS: IdBases = { order: 1, interaction: 1, ticket: 1, referral: 1, ledger: 1 };

export interface ChunkRows {
  members: unknown[][];
  orders: unknown[][];
  truth: unknown[][];
  memberTags: unknown[][];
  interactions: unknown[][];
  tickets: unknown[][];
  kocProfiles: unknown[][];
  kocReferrals: unknown[][];
  ledger: unknown[][];
}

export const INTERACTION_COLUMNS = [
  'id', 'member_id', 'staff_id', 'store_id', 'type', 'channel', 'content', 'outcome', 'next_action', 'follow_up_at', 'follow_up_done_at', 'ticket_id', 'activity', 'created_at',
] as const;
export const TICKET_COLUMNS = [
  'id', 'ticket_no', 'member_id', 'store_id', 'type', 'priority', 'status', 'title', 'description', 'assignee_id', 'created_by', 'first_response_at',
  'resolved_at', 'closed_at', 'resolution', 'satisfaction', 'escalation_level', 'escalated_at', 'response_due_at', 'resolve_due_at', 'created_at', 'updated_at',
] as const;
export const KOC_PROFILE_COLUMNS = ['member_id', 'level', 'referral_code', 'joined_at'] as const;
export const KOC_REFERRAL_COLUMNS = ['id', 'koc_member_id', 'referred_member_id', 'order_id', 'redeemed_at', 'commission', 'created_at'] as const;
export const LEDGER_COLUMNS = ['id', 'member_id', 'delta', 'balance_after', 'kind', 'reason', 'ref', 'expires_at', 'idempotency_key', 'created_by', 'created_at'] as const;

/** Table name, columns and rows of each part of a chunk, in writing order (parents first). */
export const CHUNK_TABLES = [
  { key: 'members', table: 'members', columns: MEMBER_COLUMNS },
  { key: 'orders', table: 'orders', columns: ORDER_COLUMNS },
  { key: 'truth', table: 'demo_member_truth', columns: TRUTH_COLUMNS },
  { key: 'memberTags', table: 'member_tags', columns: MEMBER_TAG_COLUMNS },
  { key: 'tickets', table: 'tickets', columns: TICKET_COLUMNS },
  { key: 'interactions', table: 'interactions', columns: INTERACTION_COLUMNS },
  { key: 'kocProfiles', table: 'koc_profiles', columns: KOC_PROFILE_COLUMNS },
  { key: 'kocReferrals', table: 'koc_referrals', columns: KOC_REFERRAL_COLUMNS },
  { key: 'ledger', table: 'points_ledger', columns: LEDGER_COLUMNS },
] as const satisfies readonly { key: keyof ChunkRows; table: string; columns: readonly string[] }[];

/**
 * The opening entry of a member's points ledger: members.points arrives as one balance (the
 * demo does not replay every earn and redemption), so the ledger starts from it and a later
 * adjustment's balance_after is right. Kind `adjust` like an import's opening balance
 * (import.ts '导入初始积分'); no expiry, so the points-expiry job never lapses a seeded balance.
 */
export const OPENING_BALANCE = { kind: 'adjust', reason: '期初积分', ref: 'seed', createdBy: 'system' } as const;

/** A demo phone as stored: sealed, its blind index and last four digits (src/crm/customers/sealed.ts). */
const sealedPhone = (phone: string): [string, string, string] => {
  const p = phoneColumns(phone);
  return [p.phone_enc, p.phone_hash, p.phone_tail];
};

const at = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Rows of a run of generated members and their service records; ids continue from `bases`. */
export function toRows(generated: readonly GeneratedMember[], services: readonly ServiceRecords[], bases: IdBases, asOf: Date): ChunkRows {
  const out: ChunkRows = { members: [], orders: [], truth: [], memberTags: [], interactions: [], tickets: [], kocProfiles: [], kocReferrals: [], ledger: [] };
  const next = { ...bases };
  for (let i = 0; i < generated.length; i++) {
    const g = generated[i]!;
    const m = g.member;
    const registeredAt = new Date(m.registeredAtMs);
    out.members.push([
      m.id, m.memberNo, m.name, ...sealedPhone(m.phone), m.gender, m.birthday, m.level, m.points, m.growthValue, registeredAt,
      m.sourceChannel, m.homeStoreId, 'active', m.openid, m.externalUserId, registeredAt, new Date(m.updatedAtMs),
    ]);
    for (const o of g.orders) {
      const paidAt = new Date(o.paidAtMs);
      const id = next.order++;
      out.orders.push([id, orderNo(o.paidAtMs, o.storeId, id), m.id, o.storeId, centsToDecimal(o.amountCents), o.itemsJson, o.paymentMethod, paidAt, paidAt]);
    }
    const t = g.truth;
    out.truth.push([
      m.id, t.persona, t.alive, t.churnedAtMs === null ? null : new Date(t.churnedAtMs), t.rate.toFixed(6), t.dropout.toFixed(6),
      centsToDecimal(t.meanSpendCents), asOf,
    ]);
    for (const tag of g.tags) out.memberTags.push([m.id, tag.tagId, 'manual', '1.000', tag.createdBy, new Date(tag.createdAtMs)]);
    if (m.points > 0) {
      const b = OPENING_BALANCE;
      out.ledger.push([next.ledger++, m.id, m.points, m.points, b.kind, b.reason, b.ref, null, null, b.createdBy, new Date(m.updatedAtMs)]);
    }

    const s = services[i]!;
    const ticketIds = new Map<TicketDraft, number>();
    for (const k of s.tickets) {
      const id = next.ticket++;
      ticketIds.set(k, id);
      const createdAt = new Date(k.createdAtMs);
      out.tickets.push([
        id, ticketNoFor(id, createdAt), m.id, k.storeId, k.type, k.priority, k.status, k.title, k.description, k.assigneeId, k.createdBy, at(k.firstResponseAtMs),
        at(k.resolvedAtMs), at(k.closedAtMs), k.resolution, k.satisfaction, k.escalationLevel, at(k.escalatedAtMs), at(k.responseDueAtMs), at(k.resolveDueAtMs), createdAt, at(k.updatedAtMs),
      ]);
    }
    for (const x of s.interactions) {
      out.interactions.push([
        next.interaction++, m.id, x.staffId, x.storeId, x.type, x.channel, x.content, x.outcome, x.nextAction, at(x.followUpAtMs), at(x.followUpDoneAtMs),
        x.ticket ? ticketIds.get(x.ticket)! : null, x.activity, new Date(x.createdAtMs),
      ]);
    }
    if (s.koc) out.kocProfiles.push([m.id, s.koc.level, referralCode(m.memberNo), new Date(s.koc.joinedAtMs)]);
    // order_id is filled after the load (seed.ts linkReferralOrders): the invitee's order may be in another chunk.
    for (const r of s.referrals) out.kocReferrals.push([next.referral++, m.id, r.referredMemberId, null, at(r.redeemedAtMs), centsToDecimal(r.commissionCents), new Date(r.createdAtMs)]);
  }
  return out;
}
