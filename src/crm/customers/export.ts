import { audit, badRequest, can, maskPhone, requirePermission, type StaffAccess } from '../kernel/index.ts';
import type { Prisma } from '../../db/prisma.ts';
import { visibleMembers } from './scope.ts';
import { openPhone } from './sealed.ts';

/** Fields a member export may contain; phone is masked unless asked for and allowed. */
export const EXPORT_FIELDS = ['memberNo', 'name', 'phone', 'gender', 'birthday', 'level', 'points', 'growthValue', 'registeredAt', 'sourceChannel', 'homeStore', 'status'] as const;
export type ExportField = (typeof EXPORT_FIELDS)[number];

export interface ExportOptions {
  fields?: ExportField[];
  /** Only these members (still intersected with the actor's scope). */
  memberIds?: number[];
  storeId?: number;
  tag?: string;
  /** Full phone numbers: only with member.phone.view; masked otherwise (the default). */
  unmaskPhone?: boolean;
  /** Rows per database round trip. */
  pageSize?: number;
}

/**
 * A member list export (member.export) as an async iterator of rows, in id order, paged by id
 * so a million members never sit in memory. Phones are masked by default; the export itself
 * (who, which fields, which filter, how many rows, masked or not) is one audit row written
 * when the iteration finishes, so a partial export is recorded with the rows actually read.
 */
export async function* exportMembers(access: StaffAccess, opts: ExportOptions = {}): AsyncGenerator<Record<string, string | number | null>> {
  requirePermission(access.actor, 'member.export');
  const fields = opts.fields?.length ? opts.fields : [...EXPORT_FIELDS];
  const bad = fields.filter((f) => !EXPORT_FIELDS.includes(f));
  if (bad.length) throw badRequest('invalid_fields', `不支持导出的字段：${bad.join(', ')}（可选 ${EXPORT_FIELDS.join(', ')}）。`);
  const unmask = Boolean(opts.unmaskPhone);
  if (unmask && !can(access.actor, 'member.phone.view')) throw badRequest('phone_view_not_allowed', '你的角色不能导出完整手机号。');
  const where: Prisma.MemberWhereInput = {
    AND: [
      visibleMembers(access.actor),
      opts.memberIds ? { id: { in: opts.memberIds } } : {},
      opts.storeId !== undefined ? { homeStoreId: opts.storeId } : {},
      opts.tag ? { tags: { some: { tag: { name: opts.tag } } } } : {},
    ],
  };
  const take = Math.min(Math.max(opts.pageSize ?? 1000, 1), 5000);
  let after = 0;
  let rows = 0;
  try {
    for (;;) {
      const page = await access.services.db.member.findMany({
        where: { AND: [where, { id: { gt: after } }] },
        orderBy: { id: 'asc' },
        take,
        select: { id: true, memberNo: true, name: true, phoneEnc: true, gender: true, birthday: true, level: true, points: true, growthValue: true, registeredAt: true, sourceChannel: true, status: true, homeStore: { select: { name: true } } },
      });
      for (const m of page) {
        const full: Record<ExportField, string | number | null> = {
          memberNo: m.memberNo,
          name: m.name,
          phone: unmask ? openPhone(m.phoneEnc) : maskPhone(openPhone(m.phoneEnc)),
          gender: m.gender,
          birthday: m.birthday ? m.birthday.toISOString().slice(0, 10) : null,
          level: m.level,
          points: m.points,
          growthValue: m.growthValue,
          registeredAt: m.registeredAt.toISOString(),
          sourceChannel: m.sourceChannel,
          homeStore: m.homeStore?.name ?? null,
          status: m.status,
        };
        rows++;
        yield Object.fromEntries(fields.map((f) => [f, full[f]]));
      }
      if (page.length < take) break;
      after = page[page.length - 1]!.id;
    }
  } finally {
    await audit(access.services, {
      actor: access.actor,
      action: 'member.export',
      targetType: 'member_search',
      targetId: `export:${opts.tag ?? ''}:${opts.storeId ?? ''}`,
      channel: access.channel,
      requestId: access.requestId,
      detail: { fields, rows, unmaskedPhone: unmask, storeId: opts.storeId ?? null, tag: opts.tag ?? null, memberIds: opts.memberIds?.length ?? null },
    });
  }
}
