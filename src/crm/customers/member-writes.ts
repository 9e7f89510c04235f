import type { Prisma } from '../../db/prisma.ts';
import { recordChanges, txSql, type AnyTx, type ChangeRow } from '../kernel/index.ts';

/**
 * The writes of a member row that other contexts make inside their own transaction, with the
 * row already locked by them (SELECT … FOR UPDATE): loyalty's points balance and level. The
 * members table is written only here and in the rest of this context.
 */

/** The points balance the ledger has just computed (loyalty's appendLedger). */
export async function setPointsBalance(tx: AnyTx, memberId: number, points: number, at: Date): Promise<void> {
  await txSql(tx).run('UPDATE members SET points = ?, updated_at = ? WHERE id = ?', [points, at, memberId]);
  await recordChanges(tx, at, [{ object: 'member', id: memberId, memberId }]);
}

/**
 * A new level and its validity end (null = no expiry), or only a new validity end (the level
 * kept). A new level goes into the change feed in the same transaction (the level is synced,
 * docs/sync.md); a validity end alone is not mirrored.
 */
export async function setMemberLevelRow(tx: AnyTx, memberId: number, change: { level?: number; levelExpiresAt: Date | null }, at: Date): Promise<void> {
  if ('$queryRawUnsafe' in tx) {
    await (tx as Prisma.TransactionClient).member.update({ where: { id: memberId }, data: change.level === undefined ? { levelExpiresAt: change.levelExpiresAt } : { level: change.level, levelExpiresAt: change.levelExpiresAt } });
  } else if (change.level === undefined) await txSql(tx).run('UPDATE members SET level_expires_at = ? WHERE id = ?', [change.levelExpiresAt, memberId]);
  else await txSql(tx).run('UPDATE members SET level = ?, level_expires_at = ? WHERE id = ?', [change.level, change.levelExpiresAt, memberId]);
  if (change.level !== undefined) await recordChanges(tx, at, [{ object: 'member', id: memberId, memberId }]);
}

/**
 * Many members' new points balances and levels at once (a batch of orders, loyalty's
 * orderLoyalty), rows already locked: the same columns as setPointsBalance and
 * setMemberLevelRow, one statement each however many members, and the change feed as they do.
 */
export async function setMembersPointsAndLevels(
  tx: AnyTx,
  points: { memberId: number; points: number }[],
  levels: { memberId: number; level: number; levelExpiresAt: Date | null }[],
  at: Date,
  /** The caller writes the change feed with its own rows (the order writer: one INSERT for orders and members): the members' rows are added here instead of written. */
  feed?: ChangeRow[],
): Promise<void> {
  const db = txSql(tx);
  // The new balances as one JSON parameter read by JSON_TABLE (MySQL 8 and MariaDB 10.6 alike),
  // joined by id: a thousand members cost one short statement (a UNION ALL derived table of a
  // thousand SELECTs took several times longer to parse and plan).
  if (points.length) {
    await db.run(
      `UPDATE members m JOIN JSON_TABLE(?, '$[*]' COLUMNS (id INT PATH '$[0]', points INT PATH '$[1]')) v ON v.id = m.id SET m.points = v.points, m.updated_at = ?`,
      [JSON.stringify(points.map((p) => [p.memberId, p.points])), at],
    );
  }
  if (levels.length) {
    // The same JSON_TABLE join as the balances (a batch of orders upgrades hundreds of members at
    // once: a UNION ALL derived table of them cost ~0.1 s a 500-order lane, loaded). The expiry as
    // the pool writes a date (time zone 'Z': UTC, milliseconds), null for a level that never expires.
    const utc = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 23).replace('T', ' '));
    await db.run(
      `UPDATE members m JOIN JSON_TABLE(?, '$[*]' COLUMNS (id INT PATH '$[0]', level INT PATH '$[1]', expires DATETIME(3) PATH '$[2]')) v ON v.id = m.id SET m.level = v.level, m.level_expires_at = v.expires`,
      [JSON.stringify(levels.map((l) => [l.memberId, l.level, utc(l.levelExpiresAt)]))],
    );
  }
  // Points and levels are synced (docs/sync.md): one feed row per member moved, one INSERT.
  const moved = [...new Set([...points.map((p) => p.memberId), ...levels.map((l) => l.memberId)])];
  const rows = moved.map((memberId) => ({ object: 'member' as const, id: memberId, memberId }));
  if (feed) feed.push(...rows);
  else await recordChanges(tx, at, rows);
}
