import type { OrderInput } from './schemas.ts';

/**
 * Lanes: a large batch's orders split by member into groups with no member in common, each
 * written in its own transaction on its own connection, side by side — so one lane's Node work
 * (validation, the rollup fold) and round trips overlap the server's work on another's, and the
 * server works on two statements at once. Exactness does not rest on the split: every lane locks
 * its members first (in id order) and reads their "before" under that lock, and the rows lanes
 * share (the store visit summary, day sales, cohorts) are additive upserts written last, in key
 * order, so two lanes queue on them (a deadlock is retried as for any order write). The split
 * only keeps each member's orders in one lane, in batch order, so a member's second order still
 * earns at the level the first one reached, exactly as one after the other.
 */

/** Lanes of a large batch: two — one per core on the 2-core target (more measured no faster). */
export const DEFAULT_LANES = 2;
/** A batch smaller than this many orders a lane is written in one transaction (a lane costs a connection and ~15 statements). */
export const MIN_LANE_ORDERS = 200;

/**
 * The order's member key as the lock sees it, when every order of the batch names its member
 * the same way (else null: two spellings of one member — a number and a phone — could not be
 * told apart before the lock, so the batch stays in one lane and its order holds).
 */
function memberKey(o: OrderInput): string {
  if (o.memberId !== undefined) return `i:${o.memberId}`;
  // Member numbers and openids compare as their columns do (case-insensitive); phones by their digits.
  if (o.memberNo !== undefined) return `n:${o.memberNo.normalize('NFKC').trim().toUpperCase()}`;
  if (o.openid !== undefined) return `o:${o.openid.toLowerCase()}`;
  return `p:${(o.phone ?? '').replace(/\D/g, '').slice(-11)}`;
}

/** A small stable string hash (FNV-1a), to spread members over lanes. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The batch's items split into at most `lanes` groups by member (each group in batch order), or
 * one group when the batch is too small, names its members in more than one way, or `lanes` ≤ 1.
 * `lanes` given explicitly (tests) ignores the size threshold.
 */
export function splitLanes<T extends { input: OrderInput }>(items: T[], lanes?: number): T[][] {
  const n = lanes ?? (items.length >= 2 * MIN_LANE_ORDERS ? DEFAULT_LANES : 1);
  if (n <= 1 || items.length < 2) return [items];
  const keys = items.map((p) => memberKey(p.input));
  if (new Set(keys.map((k) => k[0])).size > 1) return [items];
  const out: T[][] = Array.from({ length: n }, () => []);
  items.forEach((p, k) => out[hash(keys[k]!) % n]!.push(p));
  return out.filter((g) => g.length);
}
