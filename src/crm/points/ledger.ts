import type { Actor } from '../../bot/types.ts';
import { AppError, badRequest, notFound } from '../../errors.ts';
import type { Prisma } from '../../db/prisma.ts';
import type { Services } from '../../services.ts';
import { auditActor } from '../audit.ts';

type Tx = Prisma.TransactionClient;

/** earn | redeem | adjust | expire | merge: why the balance moved. */
export type PointsKind = 'earn' | 'redeem' | 'adjust' | 'expire' | 'merge';

export interface LedgerInput {
  memberId: number;
  /** Positive adds, negative deducts; never 0. */
  delta: number;
  kind: PointsKind;
  reason: string;
  ref?: string | null;
  expiresAt?: Date | null;
  idempotencyKey?: string | null;
}

export interface LedgerEntry {
  id: string;
  memberId: number;
  delta: number;
  balanceAfter: number;
  kind: string;
  reason: string;
  ref: string | null;
  expiresAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

/** Long enough for 50+ adjustments of one member queued on its row lock. */
export const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 } as const;

const toEntry = (e: { id: bigint; memberId: number; delta: number; balanceAfter: number; kind: string; reason: string; ref: string | null; expiresAt: Date | null; createdBy: string; createdAt: Date }): LedgerEntry => ({
  ...e,
  id: e.id.toString(),
});

/**
 * Appends one ledger entry inside the caller's transaction, with the member row locked
 * (SELECT … FOR UPDATE): concurrent adjustments of one member queue on the lock, so each reads
 * the balance the previous one wrote and none is lost; a deduction below zero is refused
 * (409 insufficient_points) and leaves nothing behind. The idempotency key is checked after
 * the lock, so a retry racing its original sees the committed entry and returns it.
 */
export async function appendLedger(tx: Tx, services: Services, actor: Actor | 'system', input: LedgerInput): Promise<{ entry: LedgerEntry; replayed: boolean }> {
  if (!Number.isInteger(input.delta) || input.delta === 0) throw badRequest('invalid_points', '积分变动必须是非零整数。');
  const rows = await tx.$queryRaw<{ points: number }[]>`SELECT points FROM members WHERE id = ${input.memberId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound('member_not_found', '没有找到这位会员。');
  if (input.idempotencyKey) {
    const seen = await tx.pointsLedger.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (seen) {
      if (seen.memberId !== input.memberId || seen.delta !== input.delta) throw badRequest('idempotency_key_reused', '这个幂等键已用于另一笔积分变动。');
      return { entry: toEntry(seen), replayed: true };
    }
  }
  const balance = Number(row.points);
  const next = balance + input.delta;
  if (next < 0) throw new AppError('insufficient_points', `积分不足：当前 ${balance}，需扣 ${-input.delta}。`, 409);
  await tx.member.update({ where: { id: input.memberId }, data: { points: next } });
  const entry = await tx.pointsLedger.create({
    data: {
      memberId: input.memberId,
      delta: input.delta,
      balanceAfter: next,
      kind: input.kind,
      reason: input.reason.slice(0, 128),
      ref: input.ref ?? null,
      expiresAt: input.delta > 0 ? (input.expiresAt ?? null) : null,
      idempotencyKey: input.idempotencyKey ?? null,
      createdBy: actor === 'system' ? 'system' : auditActor(actor).actorId,
      createdAt: services.now(),
    },
  });
  return { entry: toEntry(entry), replayed: false };
}
