/**
 * Subscribe-message quota (table mp_subscriptions): one-time subscriptions add up, one per
 * "accept" in the subscription popup, and each subscribeMessage.send spends one (docs/wecom.md,
 * protocol rules: track each member's remaining quota per template from the subscribe events
 * and never send without one). Every change is one atomic SQL statement, so concurrent sends can never spend
 * the same subscription twice and concurrent events never lose an increment.
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { SqlPool } from '../../db/sql.ts';
import type { SubscriptionItem } from './payload.ts';

export interface SubscriptionRow {
  openid: string;
  memberId: number | null;
  templateId: string;
  remaining: number;
  lastStatus: string;
  acceptedTotal: number;
  sentTotal: number;
  updatedAt: Date;
}

export interface SubscriptionStore {
  /**
   * Applies a subscribe event's List. popup/change "accept" → +1; "reject" → 0 (we never send
   * against a stated refusal, even with quota left); a sent event whose delivery failed with
   * 43101 → 0. Returns the rows touched.
   */
  applyEvent(openid: string, event: string, items: SubscriptionItem[], now: Date): Promise<number>;
  /** Spends one subscription atomically; false when there is none left. */
  consume(openid: string, templateId: string, now: Date): Promise<boolean>;
  /** Gives one back after a send that WeChat did not accept for a reason other than the quota. */
  refund(openid: string, templateId: string, now: Date): Promise<void>;
  /** WeChat disagrees with our count (43101): nothing is left. */
  zero(openid: string, templateId: string, now: Date, status?: string): Promise<void>;
  get(openid: string, templateId: string): Promise<SubscriptionRow | undefined>;
  list(openid: string): Promise<SubscriptionRow[]>;
}

const COLUMNS =
  'openid, member_id AS memberId, template_id AS templateId, remaining, last_status AS lastStatus, accepted_total AS acceptedTotal, sent_total AS sentTotal, updated_at AS updatedAt';

/** WeChat template ids are 43 url-safe characters; anything wildly off is not stored. */
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function createSubscriptionStore(sql: SqlPool): SubscriptionStore {
  async function memberIdOf(openid: string): Promise<number | null> {
    const [rows] = await sql.query<RowDataPacket[]>('SELECT id FROM members WHERE openid = ? LIMIT 1', [openid]);
    return rows[0] ? Number(rows[0].id) : null;
  }

  async function setZero(openid: string, templateId: string, now: Date, status: string): Promise<void> {
    await sql.execute(
      `INSERT INTO mp_subscriptions (openid, member_id, template_id, remaining, last_status, updated_at)
       VALUES (?, ?, ?, 0, ?, ?)
       ON DUPLICATE KEY UPDATE remaining = 0, last_status = VALUES(last_status), updated_at = VALUES(updated_at)`,
      [openid, await memberIdOf(openid), templateId, status, now],
    );
  }

  return {
    async applyEvent(openid, event, items, now) {
      let touched = 0;
      const memberId = await memberIdOf(openid);
      for (const item of items) {
        if (!TEMPLATE_ID.test(item.templateId)) continue;
        if (event === 'subscribe_msg_sent_event') {
          if (item.errorCode === '43101') {
            await setZero(openid, item.templateId, now, 'reject');
            touched++;
          }
          continue;
        }
        if (item.status === 'accept') {
          await sql.execute(
            `INSERT INTO mp_subscriptions (openid, member_id, template_id, remaining, last_status, accepted_total, updated_at)
             VALUES (?, ?, ?, 1, 'accept', 1, ?)
             ON DUPLICATE KEY UPDATE remaining = remaining + 1, accepted_total = accepted_total + 1, last_status = 'accept',
               member_id = COALESCE(VALUES(member_id), member_id), updated_at = VALUES(updated_at)`,
            [openid, memberId, item.templateId, now],
          );
          touched++;
        } else if (item.status === 'reject') {
          await setZero(openid, item.templateId, now, 'reject');
          touched++;
        }
      }
      return touched;
    },
    async consume(openid, templateId, now) {
      const [res] = await sql.execute<ResultSetHeader>(
        'UPDATE mp_subscriptions SET remaining = remaining - 1, sent_total = sent_total + 1, updated_at = ? WHERE openid = ? AND template_id = ? AND remaining > 0',
        [now, openid, templateId],
      );
      return res.affectedRows === 1;
    },
    async refund(openid, templateId, now) {
      await sql.execute(
        'UPDATE mp_subscriptions SET remaining = remaining + 1, sent_total = GREATEST(sent_total - 1, 0), updated_at = ? WHERE openid = ? AND template_id = ?',
        [now, openid, templateId],
      );
    },
    zero: (openid, templateId, now, status = 'refused') => setZero(openid, templateId, now, status),
    async get(openid, templateId) {
      const [rows] = await sql.query<RowDataPacket[]>(`SELECT ${COLUMNS} FROM mp_subscriptions WHERE openid = ? AND template_id = ?`, [openid, templateId]);
      return rows[0] as SubscriptionRow | undefined;
    },
    async list(openid) {
      const [rows] = await sql.query<RowDataPacket[]>(`SELECT ${COLUMNS} FROM mp_subscriptions WHERE openid = ? ORDER BY template_id`, [openid]);
      return rows as SubscriptionRow[];
    },
  };
}
