import { txSql, type AnyTx } from './tx-sql.ts';

/**
 * The change feed (docs/sync.md): the transactional outbox of every sync connection. The owner
 * of a change records it here on the connection (or Prisma transaction) that makes the change,
 * so the row commits with the change or not at all — a sync worker reading after its cursor
 * never misses a committed change and never sees a rolled-back one. A row names the object and
 * the member it belongs to, never its data: the sync context reads the current state when it
 * delivers, so several changes of one object collapse into one push.
 */
export type ChangeObject = 'member' | 'order' | 'refund' | 'tag' | 'follow_up' | 'koc_referral';

export interface ChangeRow {
  object: ChangeObject;
  id: string | number;
  memberId?: number | null;
  op?: 'upsert' | 'delete';
}

/** Rows per INSERT: one statement for any batch the order writer makes (≤ 1,000 orders). */
const CHUNK = 2000;

/** Records changes in the caller's transaction: one multi-row INSERT per 2,000 rows, nothing per row. */
export async function recordChanges(tx: AnyTx, at: Date, rows: ChangeRow[]): Promise<void> {
  if (!rows.length) return;
  const sql = txSql(tx);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await sql.run(`INSERT INTO change_feed (object_type, object_id, member_id, op, changed_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, chunk.flatMap((r) => [r.object, String(r.id), r.memberId ?? null, r.op ?? 'upsert', at]));
  }
}

/** Drops the rows every connection has read (below `belowId`), at most `limit` per call. */
export async function pruneChanges(tx: AnyTx, belowId: number, limit = 50_000): Promise<void> {
  await txSql(tx).run('DELETE FROM change_feed WHERE id < ? ORDER BY id LIMIT ?', [belowId, limit]);
}
