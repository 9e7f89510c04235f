/**
 * replaceSelected's difference (write.ts) when the selection is a list in memory rather than a
 * query: the same three kinds of row as its SQL (op 0: a `source` row no longer selected; 1: a
 * kept `source` row whose confidence moved; 2: a selected member without the tag), computed by
 * one merge of two member-ordered lists instead of a session table of the whole selection and
 * two joins — at 1M members the selections are up to 433,663 members for a move of a few
 * thousand rows (docs/benchmarks.md, session 16). Decimals stay integers throughout, so the
 * comparisons are the database's exact DECIMAL ones.
 */

/** Members chosen in memory: ids ascending and distinct, each one's confidence in units of 10^-4 (the selection's DECIMAL(5,4)). */
export interface SelectedMembers {
  ids: Int32Array;
  confidence: Int32Array;
}

/** A tag's rows, ids ascending: whether each is of the source being replaced, and its confidence (DECIMAL(4,3)) in units of 10^-3. */
export interface TagRows {
  ids: ArrayLike<number>;
  own: ArrayLike<number>;
  confidence: ArrayLike<number>;
}

/** The difference, in member order: op as above, confidence in units of 10^-3 (null for op 0). */
export interface ListDifference {
  ids: number[];
  op: number[];
  confidence: (number | null)[];
}

/** ROUND(d, 3) of a DECIMAL(5,4) in units of 10^-4: half away from zero, as the database rounds decimals. */
export const round3 = (units4: number): number => (units4 < 0 ? -Math.floor((-units4 + 5) / 10) : Math.floor((units4 + 5) / 10));

/** Throws unless the ids ascend strictly (the merge below relies on it). */
export function assertAscending(ids: ArrayLike<number>, what: string): void {
  for (let k = 1; k < ids.length; k++) if (!(ids[k]! > ids[k - 1]!)) throw new Error(`${what}: member ids not ascending at ${k}`);
}

/**
 * The rows to write. `tolerance`: a kept row is rewritten when |stored − selected| > tolerance
 * (the SQL's `ABS(mt.confidence - s.confidence) > tolerance`), or with none (0) when its stored
 * value differs from the selected one rounded to 3 places.
 */
export function listDifference(selected: SelectedMembers, rows: TagRows, tolerance: number): ListDifference {
  assertAscending(selected.ids, 'replaceSelected list');
  assertAscending(rows.ids, 'replaceSelected tag rows');
  // The tolerance in 10^-4 units; an integer when it has at most 4 places (0.01 → 100).
  const t = tolerance * 10_000;
  const tol = Math.abs(t - Math.round(t)) < 1e-6 ? Math.round(t) : t;
  const out: ListDifference = { ids: [], op: [], confidence: [] };
  const push = (id: number, op: number, c: number | null) => {
    out.ids.push(id);
    out.op.push(op);
    out.confidence.push(c);
  };
  let a = 0;
  let b = 0;
  const na = selected.ids.length;
  const nb = rows.ids.length;
  while (a < na || b < nb) {
    const sid = a < na ? selected.ids[a]! : Infinity;
    const rid = b < nb ? rows.ids[b]! : Infinity;
    if (sid < rid) {
      push(sid, 2, round3(selected.confidence[a]!));
      a++;
    } else if (rid < sid) {
      if (rows.own[b]) push(rid, 0, null);
      b++;
    } else {
      if (rows.own[b]) {
        const s = selected.confidence[a]!;
        const stored = rows.confidence[b]!;
        const moved = tol > 0 ? Math.abs(stored * 10 - s) > tol : stored !== round3(s);
        if (moved) push(sid, 1, round3(s));
      }
      a++;
      b++;
    }
  }
  return out;
}
