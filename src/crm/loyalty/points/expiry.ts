import { z } from 'zod';
import { changeSetting, readSetting, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';
import { appendLedger, TX_OPTIONS } from './ledger.ts';

/**
 * The points expiry rule (crm_settings key `points.expiry`): earned points lapse `months`
 * after they were earned (0 = never). Read when points are earned, so a rule change applies
 * to points earned afterwards, never retroactively.
 */
export const expiryRuleSchema = z.object({ months: z.number().int().min(0).max(120) });
export type ExpiryRule = z.infer<typeof expiryRuleSchema>;
export const DEFAULT_EXPIRY: ExpiryRule = { months: 24 };
const KEY = 'points.expiry';

export async function getExpiryRule(services: Services): Promise<ExpiryRule> {
  return readSetting(services, KEY, expiryRuleSchema, DEFAULT_EXPIRY);
}

/** The rule in force as the settings page shows it (settings.manage). */
export async function expiryRuleSetting(access: StaffAccess): Promise<ExpiryRule> {
  requirePermission(access.actor, 'settings.manage');
  return getExpiryRule(access.services);
}

/** Replaces the rule (settings.manage), audited with the rule before and after. */
export async function setExpiryRule(access: StaffAccess, rule: ExpiryRule): Promise<ExpiryRule> {
  requirePermission(access.actor, 'settings.manage');
  const value = expiryRuleSchema.parse(rule);
  await changeSetting(access, KEY, { old: await getExpiryRule(access.services), value, action: 'points.expiry.set' });
  return value;
}

/** When points earned now lapse under the rule (null = never). */
export function expiryFor(rule: ExpiryRule, earnedAt: Date): Date | null {
  if (rule.months === 0) return null;
  const d = new Date(earnedAt);
  d.setUTCMonth(d.getUTCMonth() + rule.months);
  return d;
}

/**
 * Expires what is due for one member, in one locked transaction. Deductions consume the
 * earliest-expiring points first (FIFO by expiry), so the lapsed amount is
 * (points earned with expires_at ≤ now) − (everything deducted or expired so far), capped by the
 * balance; the ledger stays append-only (no per-entry "remaining" to update).
 */
export async function expireMemberPoints(services: Services, memberId: number): Promise<number> {
  const now = services.now();
  return services.db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ points: number }[]>`SELECT points FROM members WHERE id = ${memberId} FOR UPDATE`;
    if (!lock) return 0;
    const [sums] = await tx.$queryRaw<{ due: unknown; debits: unknown }[]>`
      SELECT COALESCE(SUM(CASE WHEN delta > 0 AND expires_at IS NOT NULL AND expires_at <= ${now} THEN delta END), 0) AS due,
             COALESCE(-SUM(CASE WHEN delta < 0 THEN delta END), 0) AS debits
        FROM points_ledger WHERE member_id = ${memberId}`;
    const lapse = Math.min(Number(lock.points), Math.max(0, Number(sums?.due ?? 0) - Number(sums?.debits ?? 0)));
    if (lapse <= 0) return 0;
    await appendLedger(tx, services, 'system', { memberId, delta: -lapse, kind: 'expire', reason: '积分到期', ref: now.toISOString().slice(0, 10) });
    return lapse;
  }, TX_OPTIONS);
}

/** The scheduled run: every member with points due to lapse. Returns members touched and points expired. */
export async function expireDuePoints(services: Services): Promise<{ members: number; points: number }> {
  const rows = await services.db.pointsLedger.findMany({
    where: { delta: { gt: 0 }, expiresAt: { lte: services.now() } },
    distinct: ['memberId'],
    select: { memberId: true },
  });
  let members = 0;
  let points = 0;
  for (const { memberId } of rows) {
    const n = await expireMemberPoints(services, memberId);
    if (n > 0) {
      members++;
      points += n;
    }
  }
  return { members, points };
}
