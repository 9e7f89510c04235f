import type { RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import { isAppError } from '../kernel/index.ts';
import { memberTagIds } from '../engagement/index.ts';
import type { ContactsPort } from './port.ts';

/** Tags one staff member may put on one customer (Tencent: 编辑客户企业标签, 每个成员对同一个客户最多可以添加3000个标签). */
export const TAGS_PER_PAIR_LIMIT = 3000;

export interface MirrorResult {
  /** mark_tag calls made. */
  marked: number;
  /** Pairs left alone because the change would pass TAGS_PER_PAIR_LIMIT. */
  overLimit: number;
  /** Pairs WeCom refused for good (e.g. 84061: no longer a contact of that staff member). */
  refused: number;
}

const parseTags = (raw: unknown): string[] => (Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? (JSON.parse(raw) as string[]) : []);

/**
 * CRM → WeCom: makes the corp tags on each live relationship of these members match the CRM
 * tags linked to corp tags (add what the member holds, remove linked tags they no longer hold;
 * WeCom tags with no CRM link are left alone). Run by the outbound job `member-tags-changed`.
 *
 * No echo: the pair's tags are recorded *before* mark_tag, so the edit_external_contact event
 * WeCom may send for our own call finds no difference (src/crm/contacts/tag-inbound.ts); a
 * failed call puts the record back. A pair in sync makes no call at all.
 */
export async function mirrorMemberTags(services: Services, port: ContactsPort, memberIds: number[]): Promise<MirrorResult> {
  const out: MirrorResult = { marked: 0, overLimit: 0, refused: 0 };
  if (!memberIds.length) return out;
  const [links] = await services.sql.query<RowDataPacket[]>('SELECT wecom_tag_id, tag_id FROM wecom_corp_tags WHERE deleted_at IS NULL AND tag_id IS NOT NULL');
  const linked = new Set(links.map((l) => String(l.wecom_tag_id)));
  const [pairs] = await services.sql.query<RowDataPacket[]>(
    `SELECT c.member_id, f.external_userid, f.staff_userid, f.wecom_tags FROM wecom_customers c
     JOIN wecom_follows f ON f.external_userid = c.external_userid AND f.deleted_at IS NULL WHERE c.member_id IN (?)`,
    [memberIds],
  );
  const held = new Map<number, Set<number>>();
  for (const p of pairs) {
    const memberId = Number(p.member_id);
    if (!held.has(memberId)) held.set(memberId, new Set(await memberTagIds(services, memberId)));
    const tags = held.get(memberId)!;
    const want = links.filter((l) => tags.has(Number(l.tag_id))).map((l) => String(l.wecom_tag_id));
    const have = parseTags(p.wecom_tags);
    const add = [...new Set(want.filter((t) => !have.includes(t)))];
    const remove = have.filter((t) => linked.has(t) && !want.includes(t));
    if (!add.length && !remove.length) continue;
    const next = [...have.filter((t) => !remove.includes(t)), ...add];
    if (next.length > TAGS_PER_PAIR_LIMIT) {
      services.logger.warn({ externalUserId: p.external_userid, staff: p.staff_userid, tags: next.length }, 'wecom tag mirror: over the per-customer tag limit, left alone');
      out.overLimit++;
      continue;
    }
    const where = [p.external_userid, p.staff_userid];
    await services.sql.query('UPDATE wecom_follows SET wecom_tags = ?, updated_at = ? WHERE external_userid = ? AND staff_userid = ?', [JSON.stringify(next), services.now(), ...where]);
    try {
      await port.markTag(String(p.staff_userid), String(p.external_userid), add, remove);
      out.marked++;
    } catch (e) {
      await services.sql.query('UPDATE wecom_follows SET wecom_tags = ? WHERE external_userid = ? AND staff_userid = ?', [JSON.stringify(have), ...where]);
      if (!isAppError(e) || e.retryable) throw e;
      services.logger.warn({ externalUserId: p.external_userid, staff: p.staff_userid, err: e.message }, 'wecom tag mirror: mark_tag refused');
      out.refused++;
    }
  }
  return out;
}
