import { z } from 'zod';
import { phoneFor, type StaffActor } from '../kernel/index.ts';
import { openPhone } from './sealed.ts';
import type { Services } from '../../services.ts';
import { visibleMembersSql } from './scope.ts';

/**
 * The member columns every list shows (chat search results, the API's list page), read in one
 * statement with the home store joined — through Prisma a relation select is a second query,
 * one more round trip on every 360 view and list page.
 */
const memberRowSchema = z
  .object({
    id: z.number(),
    member_no: z.string(),
    name: z.string(),
    phone_enc: z.string(),
    level: z.number(),
    points: z.number(),
    status: z.enum(['active', 'frozen', 'deleted']),
    registered_at: z.date(),
    source_channel: z.string(),
    home_store_id: z.number().nullable(),
    store_name: z.string().nullable(),
  })
  .transform((r) => ({
    id: r.id,
    memberNo: r.member_no,
    name: r.name,
    phone: openPhone(r.phone_enc),
    level: r.level,
    points: r.points,
    status: r.status,
    homeStore: r.home_store_id === null ? null : { id: r.home_store_id, name: r.store_name ?? '' },
    registeredAt: r.registered_at,
    sourceChannel: r.source_channel,
  }));

export type MemberRow = z.output<typeof memberRowSchema>;

/**
 * The members the actor may see matching `where` (SQL on alias m), `orderBy`, at most `limit`,
 * phones as this actor may see them (masked without member.phone.view).
 */
export async function readMemberRows(services: Services, actor: StaffActor, where: string, params: unknown[], orderBy: string, limit: number): Promise<MemberRow[]> {
  const scope = visibleMembersSql(actor);
  const [rows] = await services.sql.query<any[]>(
    `SELECT m.id, m.member_no, m.name, m.phone_enc, m.level, m.points, m.status, m.registered_at, m.source_channel, m.home_store_id, s.name AS store_name
       FROM members m LEFT JOIN stores s ON s.id = m.home_store_id
      WHERE (${scope.sql}) AND (${where}) ORDER BY ${orderBy} LIMIT ?`,
    [...scope.params, ...params, limit],
  );
  return rows.map((r) => {
    const row = memberRowSchema.parse(r);
    return { ...row, phone: phoneFor(actor, row.phone) };
  });
}

/** `LIKE ?` parameter matching strings that start with `s` (wildcards in `s` taken literally). */
export const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, '\\$&')}%`;

/** The rows of these members the actor may see, in the order of `ids` (unseen ones left out). */
export async function memberRowsByIds(services: Services, actor: StaffActor, ids: number[]): Promise<MemberRow[]> {
  if (!ids.length) return [];
  const rows = await readMemberRows(services, actor, 'm.id IN (?)', [ids], 'm.id', ids.length);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
