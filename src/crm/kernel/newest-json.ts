/**
 * One page of an owner's newest rows (newest first by (time, id)) as a JSON array, in SQL, reading
 * only the rows of the page. JSON_ARRAYAGG's own ORDER BY … LIMIT formats EVERY row of the owner
 * before its LIMIT applies (a member's 300 orders to show 5), and MariaDB has no correlated derived
 * tables nor LIMIT in IN-subqueries. So the cut-off row — the (skip + take)-th newest, found by a
 * scalar subquery walking the (owner, time) index from its newest end — is joined by its id, and
 * only rows at or after its time are read (index condition on the same index): the ties on the
 * cut-off's time come along, and the aggregate's ORDER BY time DESC, id DESC LIMIT orders them
 * exactly as before. An owner with fewer rows has no cut-off row: the first aggregate is NULL and
 * COALESCE falls back to the plain aggregate, which then reads fewer rows than the page anyway.
 * In the kernel because customers (the card) and sales (member.orders) both read such pages.
 */

export interface NewestJson {
  /** The table, its time column (indexed after the owner column) and its owner column. */
  table: string;
  at: string;
  owner: string;
  /** The owner's id from the enclosing row (e.g. 'm.id'). */
  ownerOf: string;
  /** The JSON_OBJECT arguments, on alias x (and the joins' aliases). */
  fields: string;
  /** Joins beside x (aliases other than c, x, y). */
  joins?: string;
  /** More conditions on a row of the table under the given alias; its placeholders are `params`. */
  where?: (alias: string) => string;
  params?: unknown[];
  skip?: number;
  take: number;
}

/** The SQL (a scalar subquery, NULL when the page is empty) and its parameters, in order. */
export function newestJson({ table, at, owner, ownerOf, fields, joins = '', where, params = [], skip = 0, take }: NewestJson): { sql: string; params: unknown[] } {
  const and = (alias: string) => (where ? ` AND (${where(alias)})` : '');
  const page = `JSON_ARRAYAGG(JSON_OBJECT(${fields}) ORDER BY x.${at} DESC, x.id DESC LIMIT ${skip}, ${take})`;
  const cutOff = `(SELECT y.id FROM ${table} y WHERE y.${owner} = ${ownerOf}${and('y')} ORDER BY y.${at} DESC LIMIT 1 OFFSET ${skip + take - 1})`;
  return {
    sql: `COALESCE(
      (SELECT ${page} FROM ${table} c JOIN ${table} x ON x.${owner} = c.${owner} AND x.${at} >= c.${at} ${joins}
        WHERE c.id = ${cutOff}${and('x')}),
      (SELECT ${page} FROM ${table} x ${joins} WHERE x.${owner} = ${ownerOf}${and('x')}))`,
    params: [...params, ...params, ...params],
  };
}
