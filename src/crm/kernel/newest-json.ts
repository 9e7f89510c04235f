import { apartValue, type LongColumn } from './apart-list.ts';

/**
 * One page of an owner's newest rows (newest first by (time, id)) as a JSON array, in SQL, reading
 * only the rows of the page. JSON_ARRAYAGG's own ORDER BY … LIMIT formats EVERY row of the owner
 * before its LIMIT applies (a member's 300 orders to show 5), and MariaDB has no correlated derived
 * tables nor LIMIT in IN-subqueries. So the cut-off row — the (skip + take)-th newest, found by a
 * scalar subquery walking the (owner, time) index from its newest end — is LEFT JOINed by its id,
 * and only rows at or after its time are read (an index condition on that same index, checked
 * before the row is fetched): the ties on the cut-off's time come along, and the aggregate's
 * ORDER BY time DESC, id DESC LIMIT orders them exactly as before. An owner with fewer rows has
 * no cut-off row (NULL): every row of it is read, fewer than the page. The one-row constant table
 * only anchors the LEFT JOIN, so one aggregate serves both cases. In the kernel because customers
 * (the card) and sales (member.orders) both read such pages.
 *
 * A page whose rows are declared longer than 512 characters (member.orders' short fields, its
 * items a LONGTEXT) gives its fields in groups and its long columns in `long`: they are aggregated
 * apart (kernel apartValue, no temporary table on disk) and the page is read with zippedList.
 */

export interface NewestJson {
  /** The table, its time column (indexed after the owner column) and its owner column. */
  table: string;
  at: string;
  owner: string;
  /** The owner's id from the enclosing row (e.g. 'm.id'). */
  ownerOf: string;
  /**
   * The JSON_OBJECT arguments, on alias x (and the joins' aliases); several groups (each declared
   * ≤ 512 characters) are aggregated apart, like `long`.
   */
  fields: string | readonly string[];
  /** Long columns of x aggregated apart (kernel apart-list.ts); with them, or several groups, the value is read by zippedList. */
  long?: readonly LongColumn[];
  /** Joins beside x (aliases other than one, c, x, y). */
  joins?: string;
  /** More conditions on a row of the table under the given alias; its placeholders are `params`. */
  where?: (alias: string) => string;
  params?: unknown[];
  skip?: number;
  take: number;
}

/** The SQL (a scalar subquery, NULL when the page is empty — a zipped list: its parts NULL) and its parameters, in order. */
export function newestJson({ table, at, owner, ownerOf, fields, long, joins = '', where, params = [], skip = 0, take }: NewestJson): { sql: string; params: unknown[] } {
  const and = (alias: string) => (where ? ` AND (${where(alias)})` : '');
  const agg = (value: string) => `JSON_ARRAYAGG(${value} ORDER BY x.${at} DESC, x.id DESC LIMIT ${skip}, ${take})`;
  const value = typeof fields === 'string' && !long ? agg(`JSON_OBJECT(${fields})`) : apartValue(agg, fields, long ?? []);
  const cutOff = `(SELECT y.id FROM ${table} y WHERE y.${owner} = ${ownerOf}${and('y')} ORDER BY y.${at} DESC LIMIT 1 OFFSET ${skip + take - 1})`;
  return {
    sql: `(SELECT ${value}
        FROM (SELECT 1) AS one LEFT JOIN ${table} c ON c.id = ${cutOff}
        JOIN ${table} x ON x.${owner} = ${ownerOf} AND x.${at} >= IFNULL(c.${at}, TIMESTAMP'1000-01-01 00:00:00') ${joins}
        WHERE TRUE${and('x')})`,
    params: [...params, ...params],
  };
}
