import { audit, phoneFor, storeScope, storeScopeSql, type StaffAccess } from '../../kernel/index.ts';
import { openPhone } from '../../customers/index.ts';
import type { PreviewMember } from './preview.ts';
import { getSegment } from './segments.ts';

/** A member of a saved segment: the preview's member row, and when they joined the list. */
export interface SegmentMemberRow extends PreviewMember {
  /** When the member joined the list (a static list: when it was frozen). */
  addedAt: Date;
}

/**
 * One page of a saved segment's list as the reader may see it: the segment must be visible to
 * them (else 404) and only members of their stores are listed, whoever built the segment
 * (docs/segments.md). Id order, so no member appears on two pages; `total` is across all pages.
 * Audited like any member list page, with the ids shown.
 */
export async function segmentMembers(access: StaffAccess, id: number, page: { page: number; pageSize: number }): Promise<{ items: SegmentMemberRow[]; total: number }> {
  const seg = await getSegment(access, id);
  const { services, actor } = access;
  const stores = storeScope(actor);
  const scope = storeScopeSql(stores);
  const params: unknown[] = [seg.id, ...scope.params];
  const from = `FROM segment_members sm JOIN members m ON m.id = sm.member_id WHERE sm.segment_id = ? AND m.status <> 'deleted'${scope.sql}`;
  const [[count]] = await services.sql.query<any[]>(`SELECT COUNT(*) AS n ${from}`, params);
  const [rows] = await services.sql.query<any[]>(
    `SELECT m.id, m.member_no, m.name, m.phone_enc, m.level, st.name AS store_name, sm.added_at
     ${from.replace('WHERE', 'LEFT JOIN stores st ON st.id = m.home_store_id WHERE')} ORDER BY m.id LIMIT ? OFFSET ?`,
    [...params, page.pageSize, (page.page - 1) * page.pageSize],
  );
  const items = rows.map((r) => ({
    memberId: Number(r.id),
    memberNo: String(r.member_no),
    name: String(r.name),
    phone: phoneFor(actor, openPhone(String(r.phone_enc))),
    level: Number(r.level),
    homeStore: r.store_name == null ? null : String(r.store_name),
    addedAt: new Date(r.added_at),
  }));
  await audit(services, {
    actor,
    action: 'segment.members',
    targetType: 'segment',
    targetId: String(seg.id),
    channel: access.channel,
    requestId: access.requestId,
    detail: { page: page.page, pageSize: page.pageSize, total: Number(count.n), memberIds: items.map((i) => i.memberId) },
  });
  return { items, total: Number(count.n) };
}
