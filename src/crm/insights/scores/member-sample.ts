/**
 * Which members a fit is run on when there are more than it needs: chosen by a hash of the
 * member id, never by position. A position sample (every k-th row read) is a different set
 * of members as soon as one member before them appears or goes (a deletion, a merge, a new
 * buyer), and at 1M members that moved the BG/NBD fit from r 0.6737 to 0.6696 on data that
 * differed by one member (2026-12-06, a 100,000-member copy). By id, scoring the same members
 * always fits the same sample, and a member added or removed changes it by that member alone.
 */

/** MurmurHash3's 32-bit finaliser: an even spread of consecutive ids over 0 … 2³² − 1. */
function mix(id: number): number {
  let h = id >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The positions in `ids` of `max` members, in the order given: every one when there are no more
 * than `max`, else the `max` whose ids hash lowest. The hash is a bijection of 32-bit ids (no
 * ties), so a member outside the sample who goes leaves it exactly as it was, and one who comes
 * changes it by at most one member in and one out.
 */
export function memberSample(ids: ArrayLike<number>, max: number): number[] {
  const n = ids.length;
  const out: number[] = [];
  if (n <= max) {
    for (let i = 0; i < n; i++) out.push(i);
    return out;
  }
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = mix(ids[i]!);
  const cut = Uint32Array.from(hashes).sort()[max - 1]!;
  for (let i = 0; i < n; i++) if (hashes[i]! <= cut) out.push(i);
  return out;
}
