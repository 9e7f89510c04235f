import { audit, requirePermission, type StaffAccess } from '../../kernel/index.ts';
import { memberInScope } from '../../customers/index.ts';
import { listLevels, type LevelConfig } from './levels.ts';

export interface MemberLevelStatus {
  memberId: number;
  memberNo: string;
  name: string;
  level: number;
  levelName: string;
  expiresAt: Date | null;
  points: number;
  growthValue: number;
  benefits: unknown;
  next: LevelConfig | null;
  history: { fromLevel: number | null; toLevel: number; kind: string; source: string; reason: string | null; createdAt: Date }[];
}

/** member.level: the level, its benefits and validity, the next level's conditions, recent changes. */
export async function memberLevelStatus(access: StaffAccess, memberId: number): Promise<MemberLevelStatus> {
  requirePermission(access.actor, 'member.read');
  const m0 = await memberInScope(access.services, access.actor, memberId);
  const { db } = access.services;
  const [member, levels, history] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { level: true, levelExpiresAt: true, points: true, growthValue: true } }),
    listLevels(access.services),
    db.memberLevelHistory.findMany({ where: { memberId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 5, select: { fromLevel: true, toLevel: true, kind: true, source: true, reason: true, createdAt: true } }),
  ]);
  const cur = levels.find((l) => l.level === member.level);
  await audit(access.services, { actor: access.actor, action: 'member.level', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId });
  return {
    memberId,
    memberNo: m0.memberNo,
    name: m0.name,
    level: member.level,
    levelName: cur?.name ?? `L${member.level}`,
    expiresAt: member.levelExpiresAt,
    points: member.points,
    growthValue: member.growthValue,
    benefits: cur?.benefits ?? {},
    next: levels.find((l) => l.level > member.level) ?? null,
    history,
  };
}
