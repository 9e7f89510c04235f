import type { StaffAccess } from '../kernel/index.ts';
import { searchMembers, uniqueKeyOf, type MemberBrief, type MemberSearch } from './find.ts';
import { readMemberRowsWith, type ExtraColumns, type MemberRow } from './rows.ts';
import type { MemberRef } from './ref.ts';

/** Exactly one member, or why not: operations on "the" member (summary, tagging) need one. */
export type ResolvedMember =
  | { kind: 'one'; member: MemberBrief; search: MemberSearch }
  | { kind: 'none'; search: MemberSearch }
  | { kind: 'many'; search: MemberSearch };

/** Resolves a reference within the actor's store scope; a member of another store is 'none'. */
export async function resolveMember(access: StaffAccess, ref: MemberRef): Promise<ResolvedMember> {
  const search = await searchMembers(access, ref);
  const first = search.members[0];
  if (search.total === 1 && first) return { kind: 'one', member: first, search };
  return search.total === 0 ? { kind: 'none', search } : { kind: 'many', search };
}

/**
 * resolveMember and another read's `extra` columns on the member's row in ONE statement, when
 * `ref` is a unique key (a whole phone, a member number: at most one member, no COUNT); null
 * otherwise — the caller then resolves first and reads after. `raw` is the row as the driver
 * read it (null when no member in scope matched).
 */
export async function resolveMemberWith(access: StaffAccess, ref: MemberRef, extra: ExtraColumns): Promise<{ resolved: ResolvedMember; raw: Record<string, unknown> | null } | null> {
  const key = uniqueKeyOf(ref);
  if (!key) return null;
  const [found] = await readMemberRowsWith(access.services, access.actor, key.where, [key.param], 'm.id', 1, extra);
  const member = found ? briefOf(found.row) : null;
  const search: MemberSearch = { by: key.by, query: key.query, valid: true, total: member ? 1 : 0, members: member ? [member] : [] };
  return { resolved: member ? { kind: 'one', member, search } : { kind: 'none', search }, raw: found?.raw ?? null };
}

/** A member row as a search result line. */
export const briefOf = ({ registeredAt: _r, sourceChannel: _s, ...row }: MemberRow): MemberBrief => ({ ...row, homeStore: row.homeStore?.name ?? null });
