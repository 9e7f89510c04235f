import type { Candidate } from './state.ts';

/**
 * The members of an answer that found several where one was meant (a MemberSearch: a name
 * matching more than one member): the bot then waits for "第二个", a member number or a phone.
 */
export function ambiguousMembers(data: unknown): Candidate[] | null {
  if (!data || typeof data !== 'object') return null;
  // Writes answer { kind: 'many', search } (tag changes); reads answer the search itself.
  const inner = (data as { search?: unknown }).search;
  if (inner && typeof inner === 'object') return ambiguousMembers(inner);
  const d = data as { by?: unknown; total?: unknown; valid?: unknown; members?: unknown };
  if (typeof d.by !== 'string' || typeof d.total !== 'number' || d.total < 2 || d.valid === false || !Array.isArray(d.members)) return null;
  const candidates = d.members.flatMap((m: { memberNo?: unknown; name?: unknown; phone?: unknown; homeStore?: unknown; id?: unknown; level?: unknown }) => {
    if (typeof m?.memberNo !== 'string') return [];
    // The phone as shown (whole or masked, 138****0003): its last four digits stay readable either way.
    const tail = typeof m.phone === 'string' ? /(\d{4})$/.exec(m.phone)?.[1] : undefined;
    const store = typeof m.homeStore === 'string' && m.homeStore ? m.homeStore : undefined;
    const known = { ...(typeof m.id === 'number' ? { id: m.id } : {}), ...(typeof m.level === 'number' ? { level: m.level } : {}) };
    return [{ memberNo: m.memberNo, ...(typeof m.name === 'string' ? { name: m.name } : {}), ...(tail ? { tail } : {}), ...(store ? { store } : {}), ...known }];
  });
  return candidates.length > 1 ? candidates : null;
}
