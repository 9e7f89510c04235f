import { audit, badRequest, can, requirePermission, type StaffAccess } from '../kernel/index.ts';
import type { MemberBrief } from './find.ts';
import { normalizeName, normalizeText, phoneSearchOf } from './identifiers.ts';
import { tagCountParams, tagCountSql, tagPageHint } from './list-tag.ts';
import { likePrefix, readMemberRows } from './rows.ts';
import { looksLikeEmail } from './member-input.ts';
import { emailHash, phoneHash } from './sealed.ts';
import { visibleMembersSql } from './scope.ts';

/**
 * The filtered, sorted, paginated member list (the admin API's GET /customers). The total and
 * the page's ids come from hand-written SQL whose plans were chosen with EXPLAIN at 1M members
 * (Prisma wraps a count in a derived table, where MariaDB does not turn the tag filter into a
 * semi-join and scans every member: 523 ms for one tag at 100k). The page's rows then come
 * through the same select and masking as the chat search (find.ts).
 */

export const MEMBER_SORTS = ['registeredAt', '-registeredAt', 'name', '-name', 'points', '-points', 'level', '-level', 'memberNo', '-memberNo'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

const SORT_COLUMN = { registeredAt: 'registered_at', name: 'name', points: 'points', level: 'level', memberNo: 'member_no' } as const;

export interface MemberListFilters {
  q?: string;
  storeId?: number;
  level?: number;
  status?: 'active' | 'frozen';
  tag?: string;
  /** Inclusive lower bound on registered_at. */
  registeredFrom?: Date;
  /** Exclusive upper bound on registered_at. */
  registeredBefore?: Date;
  sort: MemberSort;
  skip: number;
  take: number;
}

/** A search result's fields, the home store with its id (for links), and two list columns more. */
export type MemberListRow = Omit<MemberBrief, 'homeStore'> & {
  homeStore: { id: number; name: string } | null;
  registeredAt: Date;
  sourceChannel: string;
};

type Condition = { sql: string; params: unknown[] };


/**
 * What `q` means: a whole phone number (with +86 / spaces / dashes) is found through its blind
 * index, the last four digits (`尾号1234`, `*1234`) through phone_tail, "M…" is a member-number
 * prefix, anything else a name prefix (LIKE 'x%' on its index). Phones are sealed, so any other
 * part of a number is a 400 `phone_partial_search` for every role (docs/api.md). Null: nothing can match.
 */
export function qCondition(q: string): Condition | null {
  const text = normalizeText(q).trim();
  const compact = text.replace(/[\s\-.()]/g, '');
  if (looksLikeEmail(text)) return { sql: 'm.email_hash = ?', params: [emailHash(text)] };
  const phone = phoneSearchOf(compact);
  if (phone?.kind === 'whole') return { sql: 'm.phone_hash = ?', params: [phoneHash(phone.phone)] };
  if (phone?.kind === 'tail') return { sql: 'm.phone_tail = ?', params: [phone.tail] };
  if (phone?.kind === 'partial' || /^\d+$/.test(compact)) {
    throw badRequest('phone_partial_search', 'phones are stored encrypted: search by the whole 11-digit number, the last four digits (尾号1234 or *1234), a member number or a name');
  }
  if (/^m\d*$/i.test(compact)) return { sql: 'm.member_no LIKE ?', params: [likePrefix(compact.toUpperCase())] };
  const name = normalizeName(text);
  return name ? { sql: 'm.name LIKE ?', params: [likePrefix(name)] } : null;
}

const TAG_EXISTS = 'EXISTS (SELECT 1 FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = m.id AND t.name = ?)';

function conditions(access: StaffAccess, f: MemberListFilters): Condition[] {
  const and: Condition[] = [visibleMembersSql(access.actor)];
  if (f.q !== undefined) and.push(qCondition(f.q) ?? { sql: 'FALSE', params: [] });
  if (f.storeId !== undefined) and.push({ sql: 'm.home_store_id = ?', params: [f.storeId] });
  if (f.level !== undefined) and.push({ sql: 'm.level = ?', params: [f.level] });
  if (f.status !== undefined) and.push({ sql: 'm.status = ?', params: [f.status] });
  // MariaDB turns this EXISTS into a semi-join, free to start from the tag's member_tags rows.
  if (f.tag !== undefined) and.push({ sql: TAG_EXISTS, params: [normalizeText(f.tag).trim()] });
  if (f.registeredFrom) and.push({ sql: 'm.registered_at >= ?', params: [f.registeredFrom] });
  if (f.registeredBefore) and.push({ sql: 'm.registered_at < ?', params: [f.registeredBefore] });
  return and;
}

/** One page of the members the actor may see, matching every given filter; one audit row per page read. */
export async function listMembers(access: StaffAccess, f: MemberListFilters): Promise<{ total: number; rows: MemberListRow[] }> {
  requirePermission(access.actor, 'member.read');
  const { sql } = access.services;
  const and = conditions(access, f);
  const where = and.map((c) => `(${c.sql})`).join(' AND ');
  const params = and.flatMap((c) => c.params);
  const desc = f.sort.startsWith('-');
  const column = SORT_COLUMN[(desc ? f.sort.slice(1) : f.sort) as keyof typeof SORT_COLUMN];
  const dir = desc ? 'DESC' : 'ASC';
  // The id tie-break makes pages stable: no row appears on two pages or on none.
  const pageSql = (hint: string) => `SELECT m.id FROM members m${hint} WHERE ${where} ORDER BY m.${column} ${dir}, m.id ${dir} LIMIT ? OFFSET ?`;
  const pageParams = [...params, f.take, f.skip];
  let total: number;
  let page: any[];
  if (f.tag === undefined || f.q !== undefined) {
    const [[counted], [rows]] = await Promise.all([sql.query<any[]>(`SELECT COUNT(*) AS n FROM members m WHERE ${where}`, params), sql.query<any[]>(pageSql(''), pageParams)]);
    total = Number(counted[0].n);
    page = rows;
  } else {
    // A tag filter: count first, then page by whichever plan reads fewer rows for that count.
    const [[counted]] = await sql.query<any[]>(tagCountSql(access, f, where), tagCountParams(access, f, params));
    total = Number(counted.n);
    [page] = total === 0 ? [[]] : await sql.query<any[]>(pageSql(tagPageHint(column, total, Number(counted.span), f)), pageParams);
  }
  const ids = page.map((r: { id: number }) => Number(r.id));
  const { skip, take, ...filters } = f;
  // The audit row needs only the page's ids: it is written while the rows are read.
  const [found] = await Promise.all([
    ids.length ? readMemberRows(access.services, access.actor, 'm.id IN (?)', [ids], 'm.id', ids.length) : [],
    audit(access.services, {
      actor: access.actor,
      action: 'member.list',
      targetType: 'member_search',
      targetId: `list:${f.q ?? '*'}`,
      channel: access.channel,
      requestId: access.requestId,
      detail: { ...filters, skip, take, total, memberIds: ids },
    }),
  ]);
  const byId = new Map(found.map((m) => [m.id, m]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  return { total, rows };
}
