import type { Prisma } from '../../db/prisma.ts';
import { txSql, type AnyTx } from '../kernel/index.ts';

/**
 * The writes of a member row that other contexts make inside their own transaction, with the
 * row already locked by them (SELECT … FOR UPDATE): loyalty's points balance and level. The
 * members table is written only here and in the rest of this context.
 */

/** The points balance the ledger has just computed (loyalty's appendLedger). */
export async function setPointsBalance(tx: AnyTx, memberId: number, points: number, at: Date): Promise<void> {
  await txSql(tx).run('UPDATE members SET points = ?, updated_at = ? WHERE id = ?', [points, at, memberId]);
}

/** A new level and its validity end (null = no expiry), or only a new validity end (the level kept). */
export async function setMemberLevelRow(tx: AnyTx, memberId: number, change: { level?: number; levelExpiresAt: Date | null }): Promise<void> {
  if ('$queryRawUnsafe' in tx) {
    await (tx as Prisma.TransactionClient).member.update({ where: { id: memberId }, data: change.level === undefined ? { levelExpiresAt: change.levelExpiresAt } : { level: change.level, levelExpiresAt: change.levelExpiresAt } });
    return;
  }
  if (change.level === undefined) await txSql(tx).run('UPDATE members SET level_expires_at = ? WHERE id = ?', [change.levelExpiresAt, memberId]);
  else await txSql(tx).run('UPDATE members SET level = ?, level_expires_at = ? WHERE id = ?', [change.level, change.levelExpiresAt, memberId]);
}
