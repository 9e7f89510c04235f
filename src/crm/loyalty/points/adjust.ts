import { audit, badRequest, replayKey, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import { memberInScope } from '../../customers/index.ts';
import { appendLedger, TX_OPTIONS, type LedgerEntry, type PointsKind } from './ledger.ts';
import { expiryFor, getExpiryRule } from './expiry.ts';

/** Above this many points (either way) a chat adjustment asks for confirmation first. */
export const POINTS_CONFIRM_LIMIT = 1000;

/**
 * Whether a chat adjustment of `delta` points is held until the same person confirms it: every
 * deduction (a negative delta, however it was written: "扣 100 积分", "加 -100 积分", a negative
 * slot), and any change above POINTS_CONFIRM_LIMIT points (docs/intents.md, confirmation).
 */
export function pointsChangeNeedsConfirmation(delta: number): boolean {
  return delta < 0 || Math.abs(delta) > POINTS_CONFIRM_LIMIT;
}

export interface AdjustInput {
  memberId: number;
  delta: number;
  reason: string;
  /** earn (default for additions) | redeem (default for deductions) | adjust. */
  kind?: Extract<PointsKind, 'earn' | 'redeem' | 'adjust'>;
  ref?: string;
  idempotencyKey?: string;
}

/**
 * Adds or deducts points for one member in the actor's scope (points.adjust): one ledger entry
 * with the balance after, the expiry of the current rule on additions, an audit row. Parallel
 * calls never lose an update and never take the balance below zero (see appendLedger).
 */
export async function adjustPoints(access: StaffAccess, input: AdjustInput): Promise<{ entry: LedgerEntry; replayed: boolean }> {
  requirePermission(access.actor, 'points.adjust');
  const reason = input.reason?.trim();
  if (!reason) throw badRequest('reason_required', '积分调整需要填写原因。');
  if (Math.abs(input.delta) > 1_000_000) throw badRequest('invalid_points', '单次积分调整不能超过 1,000,000。');
  const { services } = access;
  await memberInScope(services, access.actor, input.memberId);
  const expiresAt = input.delta > 0 ? expiryFor(await getExpiryRule(services), services.now()) : null;
  // A chat message's own key when the caller gave none: its retry after a crash between this commit
  // and the inbox's completion replays this entry instead of moving the points twice.
  const idempotencyKey = input.idempotencyKey ?? replayKey('points');
  const result = await services.db.$transaction(
    (tx) =>
      appendLedger(tx, services, access.actor, {
        memberId: input.memberId,
        delta: input.delta,
        kind: input.kind ?? (input.delta > 0 ? 'earn' : 'redeem'),
        reason,
        ref: input.ref ?? null,
        expiresAt,
        idempotencyKey,
      }),
    TX_OPTIONS,
  );
  if (!result.replayed) {
    await audit(services, {
      actor: access.actor,
      action: 'points.adjust',
      targetType: 'member',
      targetId: String(input.memberId),
      channel: access.channel,
      requestId: access.requestId,
      detail: { delta: input.delta, reason, balanceAfter: result.entry.balanceAfter, entryId: result.entry.id },
    });
  }
  return result;
}
