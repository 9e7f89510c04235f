import type { Prisma } from '../../db/prisma.ts';
import type { StaffAccess } from '../../crm/access.ts';
import { requirePermission } from '../../crm/access.ts';
import { audit } from '../../crm/audit.ts';
import { phoneFor } from '../../crm/mask.ts';
import { normalizeName, normalizePhone, normalizeText } from '../../crm/members/identifiers.ts';
import { can } from '../../crm/auth/permissions.ts';
import { badRequest } from '../../errors.ts';
import { visibleMembers } from '../../crm/members/scope.ts';

/**
 * The filtered, paginated customer list of the admin API. There is no CRM list function yet
 * (the chat searches return one short list), so this composes the CRM's own building blocks:
 * the store scope (visibleMembers), phone masking (phoneFor) and the audit log. It belongs in
 * src/crm/members once the domain grows one; the API route would then only call it.
 */

export const CUSTOMER_SORTS = ['registeredAt', '-registeredAt', 'name', '-name', 'points', '-points', 'level', '-level', 'memberNo', '-memberNo'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerFilters {
  q?: string;
  storeId?: number;
  level?: number;
  status?: 'active' | 'frozen';
  tag?: string;
  /** Inclusive lower bound on registered_at. */
  registeredFrom?: Date;
  /** Exclusive upper bound on registered_at. */
  registeredBefore?: Date;
  sort: CustomerSort;
  skip: number;
  take: number;
}

export interface CustomerRow {
  id: number;
  memberNo: string;
  name: string;
  phone: string;
  level: number;
  points: number;
  status: 'active' | 'frozen' | 'deleted';
  homeStore: { id: number; name: string } | null;
  registeredAt: Date;
  sourceChannel: string;
}

/**
 * What `q` means: digits (with +86 / spaces / dashes) are a phone prefix, "M…" a member-number
 * prefix, anything else a name prefix. Prefixes use the unique/name indexes (LIKE 'x%').
 * Without member.phone.view only a whole number is searched: prefix answers would let a caller
 * who sees 138****0001 recover the hidden digits one query at a time.
 */
export function qWhere(q: string, phonePrefixAllowed: boolean): Prisma.MemberWhereInput | null {
  const text = normalizeText(q).trim();
  const compact = text.replace(/[\s\-.()]/g, '');
  if (/^(?:\+86|0086)?\d+$/.test(compact)) {
    const digits = compact.replace(/^(?:\+86|0086)/, '');
    if (phonePrefixAllowed) return { phone: { startsWith: digits } };
    const phone = normalizePhone(digits);
    if (!phone) throw badRequest('phone_prefix_not_allowed', 'your role sees masked phones: search by the whole 11-digit number, a member number or a name');
    return { phone };
  }
  if (/^m\d*$/i.test(compact)) return { memberNo: { startsWith: compact.toUpperCase() } };
  const name = normalizeName(text);
  return name ? { name: { startsWith: name } } : null;
}

function orderBy(sort: CustomerSort): Prisma.MemberOrderByWithRelationInput[] {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as 'registeredAt' | 'name' | 'points' | 'level' | 'memberNo';
  const dir = desc ? 'desc' : 'asc';
  // The id tie-break makes pages stable: no row appears on two pages or on none.
  return [{ [field]: dir }, { id: dir }];
}

/** One page of the members the actor may see, matching every given filter; one audit row per page read. */
export async function listCustomers(access: StaffAccess, f: CustomerFilters): Promise<{ total: number; rows: CustomerRow[] }> {
  requirePermission(access.actor, 'member.read');
  const { db } = access.services;
  const and: Prisma.MemberWhereInput[] = [visibleMembers(access.actor)];
  if (f.q !== undefined) and.push(qWhere(f.q, can(access.actor, 'member.phone.view')) ?? { id: -1 });
  if (f.storeId !== undefined) and.push({ homeStoreId: f.storeId });
  if (f.level !== undefined) and.push({ level: f.level });
  if (f.status !== undefined) and.push({ status: f.status });
  if (f.tag !== undefined) and.push({ tags: { some: { tag: { name: normalizeText(f.tag).trim() } } } });
  if (f.registeredFrom) and.push({ registeredAt: { gte: f.registeredFrom } });
  if (f.registeredBefore) and.push({ registeredAt: { lt: f.registeredBefore } });
  const where: Prisma.MemberWhereInput = { AND: and };
  const [total, members] = await Promise.all([
    db.member.count({ where }),
    db.member.findMany({
      where,
      orderBy: orderBy(f.sort),
      skip: f.skip,
      take: f.take,
      select: {
        id: true,
        memberNo: true,
        name: true,
        phone: true,
        level: true,
        points: true,
        status: true,
        registeredAt: true,
        sourceChannel: true,
        homeStore: { select: { id: true, name: true } },
      },
    }),
  ]);
  const rows = members.map((m) => ({ ...m, phone: phoneFor(access.actor, m.phone), homeStore: m.homeStore ?? null }));
  const { skip, take, ...filters } = f;
  await audit(access.services, {
    actor: access.actor,
    action: 'member.list',
    targetType: 'member_search',
    targetId: `list:${f.q ?? '*'}`,
    channel: access.channel,
    requestId: access.requestId,
    detail: { ...filters, skip, take, total, memberIds: rows.map((r) => r.id) },
  });
  return { total, rows };
}
