import { z } from 'zod';

/**
 * A short list of rows as JSON in one scalar subquery, without a temporary table on disk.
 * JSON_ARRAYAGG keeps its values in a temporary table typed like the value (one for every
 * aggregate, with or without ORDER BY), and a value declared longer than 512 characters is a TEXT
 * there, which sends the table to disk (Aria: made and dropped on every read, ~190 µs of MariaDB
 * CPU a list — docs/benchmarks.md, bench:http session 22). So a list aggregates apart, in the
 * same ORDER BY … LIMIT (a total order: the id breaks ties, so the arrays line up): its short
 * fields as one JSON_OBJECT per group, each declared ≤ 512 characters; each long VARCHAR column
 * as the column (a table's own VARCHAR(2000) stays in memory); each TEXT column (a JSON column is
 * a LONGTEXT) in pieces of 512 characters. `zippedList` puts them back into rows. Shared by
 * customers (the 360 card's lists) and sales (member.orders' page, through newestJson).
 */

/** The characters of one piece of a TEXT column: the longest value a temporary table keeps in memory. */
export const PIECE = 512;

/**
 * A long column of alias x: a VARCHAR one by its name; a TEXT one (`text`) read as `pieces`
 * pieces of PIECE characters. A TEXT value longer than its pieces comes back as null (zippedList):
 * the caller reads such a row's value by its id.
 */
export type LongColumn = string | { text: string; pieces: number };

const width = (c: LongColumn) => (typeof c === 'string' ? 1 : c.pieces);

/**
 * The list's value: JSON_ARRAY of one `agg` per group of `fields` (JSON_OBJECT arguments) and per
 * long column (or piece); `agg` wraps a value in the list's JSON_ARRAYAGG(… ORDER BY … LIMIT).
 */
export function apartValue(agg: (value: string) => string, fields: string | readonly string[], long: readonly LongColumn[]): string {
  const groups = typeof fields === 'string' ? [fields] : fields;
  const columns = long.flatMap((c) =>
    typeof c === 'string' ? [`x.${c}`] : Array.from({ length: c.pieces }, (_, k) => `SUBSTRING(x.${c.text}, ${1 + k * PIECE}, ${PIECE})`),
  );
  return `JSON_ARRAY(${[...groups.map((g) => agg(`JSON_OBJECT(${g})`)), ...columns.map(agg)].join(', ')})`;
}

/** Characters as MariaDB counts them (code points, not UTF-16 units). */
const characters = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A list read by `apartValue`: [rows of each group of short fields, then one array per long column
 * or piece], each NULL when empty (the whole value NULL from a missing row); the groups are merged
 * into one row and the long columns put back under `long`'s names. A TEXT column's pieces are
 * joined; when its last piece is full the value may have been longer, and it is null (read it by id).
 */
export const zippedList = <T extends z.ZodType>(long: readonly LongColumn[], item: T) =>
  z
    .union([z.string(), z.array(z.unknown()), z.null()])
    .transform((v) => {
      const parts = (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as (unknown[] | null)[];
      const groups = parts.length - long.reduce((n, c) => n + width(c), 0);
      const rows = (parts[0] ?? []) as Record<string, unknown>[];
      return rows.map((row, i) => {
        for (let g = 1; g < groups; g++) Object.assign(row, parts[g]![i]);
        let at = groups;
        for (const c of long) {
          if (typeof c === 'string') row[c] = parts[at++]![i];
          else {
            const pieces = parts.slice(at, (at += c.pieces)).map((p) => p![i] as string | null);
            const last = pieces[pieces.length - 1];
            row[c.text] = pieces[0] === null || last === null || characters(last!) === PIECE ? null : pieces.join('');
          }
        }
        return row;
      }) as unknown;
    })
    .pipe(z.array(item));
