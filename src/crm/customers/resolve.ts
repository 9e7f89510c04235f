import type { StaffAccess } from '../kernel/index.ts';
import { searchMembers, type MemberBrief, type MemberSearch } from './find.ts';
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
