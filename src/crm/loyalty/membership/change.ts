import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { audit, badRequest, notFound, requirePermission, txSql, type AnyTx, type StaffAccess } from '../../kernel/index.ts';
import { countedOrder, netAmount } from '../../sales/index.ts';
import type { Prisma } from '../../../db/prisma.ts';
import type { Services } from '../../../services.ts';
import { memberInScope, setMemberLevelRow } from '../../customers/index.ts';
import { listLevels, type LevelConfig } from './levels.ts';

export type EnrolSource = 'purchase' | 'gift' | 'system';

export function addMonths(d: Date, months: number): Date {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() + months);
  return x;
}

async function writeLevel(tx: AnyTx, services: Services, memberId: number, from: number | null, to: number, kind: string, source: string, reason: string | null, createdBy: string, validityMonths: number | null) {
  const now = services.now();
  await setMemberLevelRow(tx, memberId, { level: to, levelExpiresAt: validityMonths ? addMonths(now, validityMonths) : null }, now);
  await txSql(tx).run('INSERT INTO member_level_history (member_id, from_level, to_level, kind, source, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    memberId,
    from,
    to,
    kind,
    source,
    reason,
    createdBy,
    now,
  ]);
}

/**
 * Enrols a member into a level (membership.manage): bought (purchase), given (gift) or granted
 * by the system. Recorded in member_level_history with kind enrol; validity starts now.
 */
export async function enrolMember(access: StaffAccess, input: { memberId: number; level: number; source: EnrolSource; reason?: string }): Promise<{ from: number; to: number }> {
  requirePermission(access.actor, 'membership.manage');
  if (!['purchase', 'gift', 'system'].includes(input.source)) throw badRequest('invalid_source', '入会方式须为 purchase / gift / system。');
  await memberInScope(access.services, access.actor, input.memberId);
  const level = await access.services.db.membershipLevel.findUnique({ where: { level: input.level } });
  if (!level) throw badRequest('unknown_level', `没有等级 L${input.level}。`);
  const from = await access.services.db.$transaction(async (tx) => {
    const [cur] = await tx.$queryRaw<{ level: number }[]>`SELECT level FROM members WHERE id = ${input.memberId} FOR UPDATE`;
    await writeLevel(tx, access.services, input.memberId, cur!.level, input.level, 'enrol', input.source, input.reason ?? null, access.actor.wecomUserId, level.validityMonths);
    return cur!.level;
  });
  await audit(access.services, { actor: access.actor, action: 'membership.enrol', targetType: 'member', targetId: String(input.memberId), channel: access.channel, requestId: access.requestId, detail: { from, to: input.level, source: input.source } });
  return { from, to: input.level };
}

/** Sets a member's level by hand (membership.manage), with a reason; history kind upgrade/downgrade, source manual. */
export async function setMemberLevel(access: StaffAccess, input: { memberId: number; level: number; reason: string }): Promise<{ from: number; to: number; changed: boolean }> {
  requirePermission(access.actor, 'membership.manage');
  if (!input.reason?.trim()) throw badRequest('reason_required', '手动调整等级需要填写原因。');
  await memberInScope(access.services, access.actor, input.memberId);
  const level = await access.services.db.membershipLevel.findUnique({ where: { level: input.level } });
  if (!level) throw badRequest('unknown_level', `没有等级 L${input.level}。`);
  const from = await access.services.db.$transaction(async (tx) => {
    const [cur] = await tx.$queryRaw<{ level: number }[]>`SELECT level FROM members WHERE id = ${input.memberId} FOR UPDATE`;
    if (cur!.level !== input.level) {
      await writeLevel(tx, access.services, input.memberId, cur!.level, input.level, input.level > cur!.level ? 'upgrade' : 'downgrade', 'manual', input.reason.trim(), access.actor.wecomUserId, level.validityMonths);
    }
    return cur!.level;
  });
  if (from !== input.level) {
    await audit(access.services, { actor: access.actor, action: 'membership.level.set', targetType: 'member', targetId: String(input.memberId), channel: access.channel, requestId: access.requestId, detail: { from, to: input.level, reason: input.reason } });
  }
  return { from, to: input.level, changed: from !== input.level };
}

/** The member's figures over a window, as the level conditions read them (refunds netted out); on `sql`, a transaction's connection to see its own writes. */
async function windowFigures(sql: Pool | PoolConnection, now: Date, memberId: number, months: number): Promise<{ spend: number; orders: number; points: number }> {
  const since = addMonths(now, -months);
  const [[row]] = await sql.query<RowDataPacket[]>(
    `SELECT COALESCE(SUM(${netAmount('o')}), 0) AS spend, COUNT(o.id) AS orders, (SELECT points FROM members WHERE id = ?) AS points
       FROM orders o WHERE o.member_id = ? AND o.paid_at >= ? AND ${countedOrder('o')}`,
    [memberId, memberId, since],
  );
  return { spend: Number(row?.spend ?? 0), orders: Number(row?.orders ?? 0), points: Number(row?.points ?? 0) };
}

/** Why an automatic review moved a level: the window's figures, as the level history shows them. */
export const reviewReason = (months: number, f: { spend: number; orders: number; points: number }): string => `近 ${months} 个月消费 ¥${f.spend.toFixed(2)}，${f.orders} 笔，积分 ${f.points}`;

/** The highest level whose upgrade conditions (any one) hold; level 1 always. */
export function qualifyingLevel(levels: LevelConfig[], f: { spend: number; orders: number; points: number }): number {
  let best = levels[0]?.level ?? 1;
  for (const l of levels) {
    const spend = Number(l.minSpend);
    const ok = l.level === levels[0]?.level || (spend > 0 && f.spend >= spend) || (l.minOrders > 0 && f.orders >= l.minOrders) || (l.minPoints > 0 && f.points >= l.minPoints);
    if (ok && l.level > best) best = l.level;
  }
  return best;
}

/**
 * Automatic level review of one member (after an order, on schedule): upgrade when a higher
 * level's conditions hold; at expiry, keep the level (and extend it) when the window spend
 * reaches keep_min_spend, otherwise downgrade to the level the figures qualify for.
 */
export async function reviewMemberLevel(services: Services, memberId: number): Promise<{ from: number; to: number; kind: 'upgrade' | 'downgrade' | 'keep' | 'none' }> {
  const levels = await listLevels(services);
  const member = await services.db.member.findUnique({ where: { id: memberId }, select: { level: true, levelExpiresAt: true, status: true } });
  if (!member) throw notFound('member_not_found', '没有找到这位会员。');
  if (member.status === 'deleted') return { from: member.level, to: member.level, kind: 'none' };
  const current = levels.find((l) => l.level === member.level);
  const months = current?.validityMonths ?? 12;
  const figures = await windowFigures(services.sql, services.now(), memberId, months);
  const target = qualifyingLevel(levels, figures);
  const expired = member.levelExpiresAt !== null && member.levelExpiresAt <= services.now();
  let to = member.level;
  let kind: 'upgrade' | 'downgrade' | 'keep' | 'none' = 'none';
  if (target > member.level) {
    to = target;
    kind = 'upgrade';
  } else if (expired && current) {
    const keep = current.keepMinSpend === null || figures.spend >= Number(current.keepMinSpend);
    if (keep) kind = 'keep';
    else if (target < member.level) {
      to = target;
      kind = 'downgrade';
    } else kind = 'keep';
  }
  if (kind === 'none') return { from: member.level, to, kind };
  const validity = levels.find((l) => l.level === to)?.validityMonths ?? 12;
  await services.db.$transaction(async (tx) => {
    if (kind === 'keep') await setMemberLevelRow(tx, memberId, { levelExpiresAt: addMonths(services.now(), validity) }, services.now());
    else await writeLevel(tx, services, memberId, member.level, to, kind, 'auto', reviewReason(months, figures), 'system', validity);
  });
  return { from: member.level, to, kind };
}

/** A member's level history, newest first (audited read). */
export async function levelHistory(access: StaffAccess, memberId: number, limit = 20) {
  requirePermission(access.actor, 'member.read');
  await memberInScope(access.services, access.actor, memberId);
  const rows = await access.services.db.memberLevelHistory.findMany({ where: { memberId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  return rows;
}
