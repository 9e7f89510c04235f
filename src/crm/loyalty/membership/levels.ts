import { z } from 'zod';
import { audit, badRequest, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import type { Services } from '../../../services.ts';

export interface LevelConfig {
  level: number;
  name: string;
  /** Upgrade conditions, any one suffices (0 = not a condition), over the last validityMonths. */
  minSpend: string;
  minOrders: number;
  minPoints: number;
  /** Spend over the window needed to keep the level at expiry; null = kept for good. */
  keepMinSpend: string | null;
  validityMonths: number;
  benefits: unknown;
  /** Points earned per yuan paid at this level, a decimal string ("1.20"). */
  pointsPerYuan: string;
}

const money = z.union([z.string().regex(/^\d{1,10}(\.\d{1,2})?$/), z.number().nonnegative().transform((n) => n.toFixed(2))]);
export const levelConfigSchema = z.object({
  level: z.number().int().min(1).max(20),
  name: z.string().trim().min(1).max(32),
  minSpend: money.default('0'),
  minOrders: z.number().int().min(0).default(0),
  minPoints: z.number().int().min(0).default(0),
  keepMinSpend: money.nullable().default(null),
  validityMonths: z.number().int().min(1).max(120).default(12),
  benefits: z.record(z.string(), z.unknown()).default({}),
  pointsPerYuan: z.union([z.string().regex(/^\d{1,3}(\.\d{1,2})?$/), z.number().min(0).max(999).transform((n) => n.toFixed(2))]).default('1.00'),
});

type Dec = { toFixed(n: number): string };
type Row = { level: number; name: string; minSpend: Dec; minOrders: number; minPoints: number; keepMinSpend: Dec | null; validityMonths: number; benefits: unknown; pointsPerYuan: Dec };
const toConfig = (r: Row): LevelConfig => ({
  level: r.level,
  name: r.name,
  minSpend: r.minSpend.toFixed(2),
  minOrders: r.minOrders,
  minPoints: r.minPoints,
  keepMinSpend: r.keepMinSpend?.toFixed(2) ?? null,
  validityMonths: r.validityMonths,
  benefits: r.benefits,
  pointsPerYuan: r.pointsPerYuan.toFixed(2),
});

/** Every configured level, lowest first. */
export async function listLevels(services: Services): Promise<LevelConfig[]> {
  return (await services.db.membershipLevel.findMany({ orderBy: { level: 'asc' } })).map(toConfig);
}

/** Creates or replaces one level's configuration (membership.manage). Level 1 is the entry level and has no conditions. */
export async function upsertLevel(access: StaffAccess, raw: z.input<typeof levelConfigSchema>): Promise<LevelConfig> {
  requirePermission(access.actor, 'membership.manage');
  const parsed = levelConfigSchema.safeParse(raw);
  if (!parsed.success) throw badRequest('invalid_level', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const c = parsed.data;
  const data = { name: c.name, minSpend: c.minSpend, minOrders: c.minOrders, minPoints: c.minPoints, keepMinSpend: c.keepMinSpend, validityMonths: c.validityMonths, benefits: c.benefits as object, pointsPerYuan: c.pointsPerYuan, updatedAt: access.services.now() };
  const clash = await access.services.db.membershipLevel.findFirst({ where: { name: c.name, level: { not: c.level } } });
  if (clash) throw badRequest('level_name_taken', `等级名「${c.name}」已被 L${clash.level} 使用。`);
  const row = await access.services.db.membershipLevel.upsert({ where: { level: c.level }, create: { level: c.level, ...data }, update: data });
  await audit(access.services, { actor: access.actor, action: 'membership.level.upsert', targetType: 'membership_level', targetId: String(c.level), channel: access.channel, requestId: access.requestId, detail: { ...c } });
  return toConfig(row);
}
