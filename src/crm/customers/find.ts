import { requirePermission, type StaffAccess } from '../kernel/index.ts';
import { auditMemberRead } from './audit-read.ts';
import { normalizeMemberNo, normalizeName, normalizePhone, phoneSearchOf } from './identifiers.ts';
import type { MemberRef } from './ref.ts';
import { likePrefix, readMemberRows } from './rows.ts';
import { looksLikeEmail, maskEmail } from './member-input.ts';
import { emailHash, phoneHash } from './sealed.ts';
import { visibleMembersSql } from './scope.ts';

/** One line of a search result; `phone` is already masked for actors without member.phone.view. */
export interface MemberBrief {
  id: number;
  memberNo: string;
  name: string;
  phone: string;
  level: number;
  points: number;
  homeStore: string | null;
  status: 'active' | 'frozen' | 'deleted';
}

export interface MemberSearch {
  /** `email`: an exact address through its blind index (query shows it masked). */
  by: 'phone' | 'phoneTail' | 'memberNo' | 'name' | 'email';
  /** The canonical query (normalized phone / member no / name) or the raw text when invalid. */
  query: string;
  /** False when the phone or member number is malformed (nothing was searched). */
  valid: boolean;
  /** Part of a phone number other than its last four digits: phones are sealed, so it cannot be searched (members.partialPhone). */
  partialPhone?: boolean;
  /** All matches in scope; `members` holds at most `limit` of them. */
  total: number;
  members: MemberBrief[];
}

/** A short list is what fits in one chat message; the total tells staff to narrow down. */
export const DEFAULT_LIST_LIMIT = 5;

/**
 * Searches within the actor's store scope without auditing: for callers that audit their own,
 * more specific action (summary, tagging). Phone beats member number beats name when several
 * are given; names match exactly first and by prefix only when nobody matches exactly.
 */
export async function searchMembers(access: StaffAccess, ref: MemberRef, limit = DEFAULT_LIST_LIMIT): Promise<MemberSearch> {
  const { services, actor } = access;
  const take = Math.max(limit, 1);
  const run = async (by: MemberSearch['by'], query: string, where: string, param: string): Promise<MemberSearch> => {
    const find = () => readMemberRows(services, actor, where, [param], 'm.name, m.id', take);
    const count = async () => {
      const scope = visibleMembersSql(actor);
      const [[row]] = await services.sql.query<any[]>(`SELECT COUNT(*) AS n FROM members m WHERE (${scope.sql}) AND (${where})`, [...scope.params, param]);
      return Number(row.n);
    };
    // Phone and member number are unique: the one row found is the total, no COUNT query needed.
    const [total, rows] = by === 'name' || by === 'phoneTail' || by === 'email' ? await Promise.all([count(), find()]) : await find().then((r) => [r.length, r] as const);
    const members = rows.map(({ registeredAt: _r, sourceChannel: _s, ...m }) => ({ ...m, homeStore: m.homeStore?.name ?? null }));
    return { by, query, valid: true, total, members };
  };
  const invalid = (by: MemberSearch['by'], raw: string): MemberSearch => ({ by, query: raw, valid: false, total: 0, members: [] });

  // Phones are sealed (sealed.ts): a whole number is found through its blind index, the last four
  // digits ("尾号1234") through phone_tail; any other part of a number cannot be searched.
  const tailQuery = ref.phone ?? (ref.name && !ref.memberNo ? ref.name : undefined);
  const phoneSearch = tailQuery === undefined ? null : phoneSearchOf(tailQuery);
  if (phoneSearch?.kind === 'tail') return run('phoneTail', phoneSearch.tail, 'm.phone_tail = ?', phoneSearch.tail);
  const unique = uniqueKeyOf(ref);
  if (unique) return run(unique.by, unique.query, unique.where, unique.param);
  if (ref.phone) return { ...invalid('phone', ref.phone), partialPhone: phoneSearch?.kind === 'partial' };
  if (ref.memberNo) return invalid('memberNo', ref.memberNo);
  // E-mails are sealed like phones: a whole address is found through email_hash (shared addresses
  // are possible, so it is counted); the answer and the audit row carry it masked.
  if (ref.name && looksLikeEmail(ref.name)) return run('email', maskEmail(ref.name.trim()), 'm.email_hash = ?', emailHash(ref.name));
  const name = normalizeName(ref.name ?? '');
  if (!name) return invalid('name', ref.name ?? '');
  const exact = await run('name', name, 'm.name = ?', name);
  return exact.total > 0 ? exact : run('name', name, 'm.name LIKE ?', likePrefix(name));
}

/** A search by a unique key: at most one member matches, so no COUNT is needed. */
export interface UniqueKey {
  by: 'phone' | 'memberNo';
  /** The canonical query (normalized phone / member no). */
  query: string;
  /** SQL on alias m, and its one parameter. */
  where: string;
  param: string;
}

/**
 * The unique key searchMembers would search `ref` by — a whole valid phone, else a valid member
 * number, when no last-four-digits search comes first — or null (a name, a phone tail, an e-mail,
 * a malformed key: searchMembers decides). Lets a read that needs the member and more about it
 * (the 360 card) find both in one statement.
 */
export function uniqueKeyOf(ref: MemberRef): UniqueKey | null {
  const tailQuery = ref.phone ?? (ref.name && !ref.memberNo ? ref.name : undefined);
  if (tailQuery !== undefined && phoneSearchOf(tailQuery)?.kind === 'tail') return null;
  if (ref.phone) {
    const phone = normalizePhone(ref.phone);
    return phone ? { by: 'phone', query: phone, where: 'm.phone_hash = ?', param: phoneHash(phone) } : null;
  }
  if (ref.memberNo) {
    const memberNo = normalizeMemberNo(ref.memberNo);
    return memberNo ? { by: 'memberNo', query: memberNo, where: 'm.member_no = ?', param: memberNo } : null;
  }
  return null;
}

/**
 * Member lookup as staff use it (member.lookup): one audit row per lookup, found or not, so
 * the log also shows who searched for members outside their stores.
 */
export async function findMembers(access: StaffAccess, ref: MemberRef, limit = DEFAULT_LIST_LIMIT): Promise<MemberSearch> {
  requirePermission(access.actor, 'member.read');
  const result = await searchMembers(access, ref, limit);
  await auditMemberRead(access, 'member.lookup', result);
  return result;
}
