/**
 * The churn list's rank of each candidate (1 = first; 0 for members who are not candidates):
 * in the list's window first (`part` 1 before 0), then risk to the percent, past spend (cents),
 * both descending, then member id ascending. Member ids are unique, so the order is total and
 * any exact sort gives the same ranks.
 *
 * At 1M members a comparator sort of the candidates took 1.5–3 s of the run's CPU (its closures
 * called ~20 million times). Instead, when the members come in ascending id order (the scoring
 * read's order) and the spend's range allows it, one numeric sort of packed keys (spend
 * descending, then position) and a stable counting pass over the (part, percent) buckets give the
 * same order; otherwise the comparator sort. rank-order.test.ts checks both against each other.
 */
export function rankOrder(ids: ArrayLike<number>, candidate: ArrayLike<boolean>, part: (i: number) => 0 | 1, riskPct: ArrayLike<number>, cents: ArrayLike<number>): Int32Array {
  const n = ids.length;
  const rank = new Int32Array(n);
  const members: number[] = [];
  let ascending = true;
  let minCents = Infinity;
  let maxCents = -Infinity;
  let minPct = Infinity;
  let maxPct = -Infinity;
  for (let i = 0; i < n; i++) {
    if (i > 0 && !(ids[i]! > ids[i - 1]!)) ascending = false;
    if (!candidate[i]) continue;
    members.push(i);
    const c = cents[i]!;
    const p = riskPct[i]!;
    if (c < minCents) minCents = c;
    if (c > maxCents) maxCents = c;
    if (p < minPct) minPct = p;
    if (p > maxPct) maxPct = p;
  }
  if (!members.length) return rank;
  const spread = maxCents - minCents + 1;
  const integral = members.every((i) => Number.isInteger(cents[i]!) && Number.isInteger(riskPct[i]!));
  if (!ascending || !integral || spread * n > Number.MAX_SAFE_INTEGER || maxPct - minPct > 100_000) {
    members.sort((a, b) => part(b) - part(a) || riskPct[b]! - riskPct[a]! || cents[b]! - cents[a]! || ids[a]! - ids[b]!);
    members.forEach((i, k) => (rank[i] = k + 1));
    return rank;
  }
  // Spend descending, then position (= id) ascending, as one exact integer key per candidate.
  const keys = new Float64Array(members.length);
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!;
    keys[k] = (maxCents - cents[i]!) * n + i;
  }
  keys.sort();
  // Buckets by (part, percent), first bucket first: part 1 before 0, then higher percent first.
  const pcts = maxPct - minPct + 1;
  const bucketOf = (i: number) => (1 - part(i)) * pcts + (maxPct - riskPct[i]!);
  const starts = new Int32Array(2 * pcts + 1);
  for (const i of members) starts[bucketOf(i) + 1]!++;
  for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
  // Stable: within a bucket, in the keys' order.
  for (let k = 0; k < keys.length; k++) {
    const i = keys[k]! % n;
    rank[i] = ++starts[bucketOf(i)]!;
  }
  return rank;
}
