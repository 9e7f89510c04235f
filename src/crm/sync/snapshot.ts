import type { Pool } from 'mysql2/promise';
import { memberSyncFacts } from '../customers/index.ts';
import { memberTagNames } from '../engagement/index.ts';
import { kocFigures } from '../loyalty/index.ts';
import { memberSalesFigures, ordersForTimeline, refundsForTimeline } from '../sales/index.ts';
import { interactionsForTimeline } from '../service/index.ts';
import type { Activity, FieldValues } from './connector.ts';

/**
 * What a push sends: the current state of members and of timeline entries, read at delivery
 * (the change feed names objects, not data: several changes of a member collapse into one push).
 * Through each owner's reader (customers, sales, loyalty, engagement, service), one statement
 * per reader for a whole page of the change feed; never their tables.
 */
export interface MemberSnapshot {
  id: number;
  fields: FieldValues;
  tags: string[];
  /** Merged away or erased: its contact is discarded. */
  deleted: boolean;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const dec = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2));

export async function memberSnapshots(sql: Pool, ids: number[]): Promise<Map<number, MemberSnapshot>> {
  const out = new Map<number, MemberSnapshot>();
  if (!ids.length) return out;
  const [facts, sales, koc, tags] = await Promise.all([memberSyncFacts(sql, ids), memberSalesFigures(sql, ids), kocFigures(sql, ids), memberTagNames(sql, ids)]);
  for (const [id, m] of facts) {
    const st = sales.get(id);
    const k = koc.get(id);
    out.set(id, {
      id,
      deleted: m.status === 'deleted',
      tags: tags.get(id) ?? [],
      fields: {
        name: m.name,
        phone: m.phone,
        gender: m.gender,
        birthday: day(m.birthday),
        member_no: m.memberNo,
        status: m.status,
        level: String(m.level),
        points: String(m.points),
        home_store: m.homeStoreCode,
        total_spend: dec(st?.totalSpend ?? 0),
        order_count: String(st?.orderCount ?? 0),
        last_order_at: st?.lastOrderAt ? new Date(st.lastOrderAt).toISOString() : null,
        koc_referrals: String(k?.referrals ?? 0),
        koc_earnings: dec(k?.earnings ?? 0),
      },
    });
  }
  return out;
}

/** A timeline entry and the member it belongs to. */
export interface ActivitySnapshot {
  memberId: number;
  activity: Activity;
}

/**
 * Orders (by number), refunds (by number) and follow-ups (interaction id) as timeline entries,
 * by the change feed's key (`order:<no>` …). A follow-up marked done has a second entry
 * (`follow_up:<id>:done`, with the outcome): an entry is sent once and never edited, so the
 * completion goes as an entry of its own.
 */
export async function activitySnapshots(sql: Pool, want: { order: string[]; refund: string[]; follow_up: string[] }): Promise<Map<string, ActivitySnapshot[]>> {
  const out = new Map<string, ActivitySnapshot[]>();
  const [orders, refunds, interactions] = await Promise.all([ordersForTimeline(sql, want.order), refundsForTimeline(sql, want.refund), interactionsForTimeline(sql, want.follow_up.map(Number))]);
  for (const o of orders) {
    const key = `order:${o.orderNo}`;
    out.set(key, [{ memberId: o.memberId, activity: { key, kind: 'order', title: `消费 ¥${dec(o.amount)}`, content: `订单 ${o.orderNo}，${o.storeName ?? ''} ¥${dec(o.amount)}`, at: o.paidAt } }]);
  }
  for (const r of refunds) {
    const key = `refund:${r.refundNo}`;
    out.set(key, [{ memberId: r.memberId, activity: { key, kind: 'refund', title: `退款 ¥${dec(r.amount)}`, content: `订单 ${r.orderNo} 退款 ${r.refundNo} ¥${dec(r.amount)}`, at: r.refundedAt } }]);
  }
  for (const i of interactions) {
    const key = `follow_up:${i.id}`;
    const list: ActivitySnapshot[] = [{ memberId: i.memberId, activity: { key, kind: 'follow_up', title: `跟进（${i.type}）`, content: i.content, at: i.createdAt } }];
    if (i.followUpDoneAt) list.push({ memberId: i.memberId, activity: { key: `${key}:done`, kind: 'follow_up', title: `跟进完成（${i.type}）`, content: i.outcome ?? '已完成', at: i.followUpDoneAt } });
    out.set(key, list);
  }
  return out;
}
