import { z } from 'zod';
import { countedOrder, netAmount } from '../../sales/index.ts';

/**
 * A rule tag's condition, stored as JSON in tag_rules.rule. Windows count back `days` from now
 * (the injected clock); no `days` means all time.
 *   interaction_count: "participated in ≥3 activities" = { kind, type: 'activity', min: 3 }
 *   spend:             "spent ≥ 5000 in 90 days"      = { kind, min: '5000', days: 90 }
 *   order_count, points (current balance), all (every sub-rule holds).
 */
export type TagRuleDef =
  | { kind: 'interaction_count'; type?: 'consultation' | 'complaint' | 'praise' | 'activity' | 'koc_promotion'; min: number; days?: number }
  | { kind: 'spend'; min: string; days?: number }
  | { kind: 'order_count'; min: number; days?: number }
  | { kind: 'points'; min: number }
  | { kind: 'all'; rules: TagRuleDef[] };

const days = z.number().int().min(1).max(3650).optional();
// The id names the schema once, so a document generated from it (the API's OpenAPI) refers to
// the recursive `all` rule by reference instead of unfolding it forever.
export const tagRuleSchema: z.ZodType<TagRuleDef> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('interaction_count'), type: z.enum(['consultation', 'complaint', 'praise', 'activity', 'koc_promotion']).optional(), min: z.number().int().min(1), days }),
    z.object({ kind: z.literal('spend'), min: z.union([z.string().regex(/^\d{1,10}(\.\d{1,2})?$/), z.number().nonnegative().transform((n) => n.toFixed(2))]), days }),
    z.object({ kind: z.literal('order_count'), min: z.number().int().min(1), days }),
    z.object({ kind: z.literal('points'), min: z.number().int().min(0) }),
    z.object({ kind: z.literal('all'), rules: z.array(tagRuleSchema).min(1).max(10) }),
  ]),
).meta({ id: 'TagRule' }) as z.ZodType<TagRuleDef>;

/**
 * The rule as a SQL condition on `members m` with its parameters (values are always bound,
 * never spliced). Each count/sum is an uncorrelated `m.id IN (SELECT … GROUP BY member_id
 * HAVING …)`, which MariaDB materialises once per statement (one pass over the window's
 * orders) instead of probing per member; min ≥ 1 for counts, and a spend minimum of 0 is
 * "everyone", so members without rows are handled exactly as the correlated form would.
 */
export function ruleSql(rule: TagRuleDef, now: Date): { sql: string; params: unknown[] } {
  const since = (d?: number) => (d ? new Date(now.getTime() - d * 86_400_000) : null);
  switch (rule.kind) {
    case 'interaction_count': {
      const s = since(rule.days);
      const where = [rule.type ? 'i.type = ?' : '', s ? 'i.created_at >= ?' : ''].filter(Boolean);
      return {
        sql: `m.id IN (SELECT i.member_id FROM interactions i${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY i.member_id HAVING COUNT(*) >= ?)`,
        params: [...(rule.type ? [rule.type] : []), ...(s ? [s] : []), rule.min],
      };
    }
    // Net of refunds (sales' net.ts): a fully refunded order is no order, a partial refund lowers the spend.
    case 'spend': {
      if (Number(rule.min) <= 0) return { sql: '1 = 1', params: [] };
      const s = since(rule.days);
      return {
        sql: `m.id IN (SELECT o.member_id FROM orders o WHERE ${countedOrder('o')}${s ? ' AND o.paid_at >= ?' : ''} GROUP BY o.member_id HAVING SUM(${netAmount('o')}) >= CAST(? AS DECIMAL(14,2)))`,
        params: [...(s ? [s] : []), rule.min],
      };
    }
    case 'order_count': {
      const s = since(rule.days);
      return { sql: `m.id IN (SELECT o.member_id FROM orders o WHERE ${countedOrder('o')}${s ? ' AND o.paid_at >= ?' : ''} GROUP BY o.member_id HAVING COUNT(*) >= ?)`, params: [...(s ? [s] : []), rule.min] };
    }
    case 'points':
      return { sql: 'm.points >= ?', params: [rule.min] };
    case 'all': {
      const parts = rule.rules.map((r) => ruleSql(r, now));
      return { sql: `(${parts.map((p) => p.sql).join(' AND ')})`, params: parts.flatMap((p) => p.params) };
    }
  }
}

/** A short Chinese description for replies and the API. */
export function describeRule(rule: TagRuleDef): string {
  const win = (d?: number) => (d ? `近 ${d} 天` : '累计');
  switch (rule.kind) {
    case 'interaction_count':
      return `${win(rule.days)}${rule.type === 'activity' ? '参加活动' : '互动'} ≥ ${rule.min} 次`;
    case 'spend':
      return `${win(rule.days)}消费 ≥ ¥${rule.min}`;
    case 'order_count':
      return `${win(rule.days)}订单 ≥ ${rule.min} 笔`;
    case 'points':
      return `积分 ≥ ${rule.min}`;
    case 'all':
      return rule.rules.map(describeRule).join(' 且 ');
  }
}
