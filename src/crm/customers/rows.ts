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
  return (await readMemberRowsWith(services, actor, where, params, orderBy, limit)).map((r) => r.row);
}

/**
 * Columns another read adds beside the member row, in the same statement (SQL on alias m; its
 * placeholders' values in `params`), with `joins` after the home store's: a read that needs the
 * member and facts about it (the 360 card, a member's orders) finds both in one round trip.
 */
export interface ExtraColumns {
  columns: string;
  params: unknown[];
  joins?: string;
}

/** readMemberRows with `extra` columns beside each row (`raw`: the whole row as the driver read it). */
export async function readMemberRowsWith(
  services: Services,
  actor: StaffActor,
  where: string,
  params: unknown[],
  orderBy: string,
  limit: number,
  extra?: ExtraColumns,
  opts: { prepared?: boolean } = {},
): Promise<{ row: MemberRow; raw: Record<string, unknown> }[]> {
  const scope = visibleMembersSql(actor);
  const select = (limitSql: string) => `SELECT ${MEMBER_ROW_COLUMNS}${extra ? `, ${extra.columns}` : ''}
       FROM members m LEFT JOIN stores s ON s.id = m.home_store_id ${extra?.joins ?? ''}
      WHERE (${scope.sql}) AND (${where}) ORDER BY ${orderBy} LIMIT ${limitSql}`;
  const values = [...(extra?.params ?? []), ...scope.params, ...params];
  const prepared = opts.prepared ? preparedForm(select(String(Math.trunc(limit))), values) : undefined;
  const [rows] = prepared ? await services.sql.execute<any[]>(prepared.sql, prepared.values as any[]) : await services.sql.query<any[]>(select('?'), [...values, limit]);
  return rows.map((r) => ({ row: memberRowOf(actor, r), raw: r }));
}

/**
 * A statement as a server-side prepared one (mysql2 `execute`, cached per connection): MariaDB
 * parses the text once per connection, not on every read, and mysql2 does not scan and escape
 * it client-side — for the 360 view's card, ~4 KB of SQL with nine subqueries, read on every view
 * (docs/benchmarks.md, bench:http session 21). A list value (`IN (?)`, the store scope) becomes
 * one placeholder per item. Undefined when the placeholders cannot be counted safely (a `?`
 * in a literal): the caller then sends the text query.
 */
function preparedForm(sql: string, values: unknown[]): { sql: string; values: unknown[] } | undefined {
  const parts = placeholderSplit(sql);
  if (!parts || parts.length - 1 !== values.length) return undefined;
  let text = parts[0]!;
  const flat: unknown[] = [];
  values.forEach((v, i) => {
    if (Array.isArray(v)) {
      text += v.map(() => '?').join(', ');
      flat.push(...v);
    } else {
      text += '?';
      flat.push(v);
    }
    text += parts[i + 1]!;
  });
  return { sql: text, values: flat };
}

/** A statement's text split at its placeholders, null with a `?` inside a literal; per text, kept (a few texts, bounded). */
const splits = new Map<string, string[] | null>();
function placeholderSplit(sql: string): string[] | null {
  let parts = splits.get(sql);
  if (parts !== undefined) return parts;
  const outsideLiterals = sql.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`/g, '').split('?').length;
  parts = sql.split('?');
  if (outsideLiterals !== parts.length) parts = null;
  if (splits.size >= 64) splits.clear();
  splits.set(sql, parts);
  return parts;
}

/** The columns of a member row (members m, its home store s LEFT JOINed). */
const MEMBER_ROW_COLUMNS = 'm.id, m.member_no, m.name, m.phone_enc, m.level, m.points, m.status, m.registered_at, m.source_channel, m.home_store_id, s.name AS store_name';

/** One row of MEMBER_ROW_COLUMNS as the actor may see it (phone masked without member.phone.view). */
function memberRowOf(actor: StaffActor, r: unknown): MemberRow {
  const row = memberRowSchema.parse(r);
  return { ...row, phone: phoneFor(actor, row.phone) };
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
