import { describe, expect, it } from 'vitest';
import { rankOrder } from './rank-order.ts';

// The churn list's ranks from the packed-key sort equal a plain comparator sort's (rank-order.ts).
describe('rankOrder', () => {
  let seed = 5;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const reference = (ids: number[], candidate: boolean[], part: (i: number) => 0 | 1, pct: ArrayLike<number>, cents: ArrayLike<number>) => {
    const rank = new Int32Array(ids.length);
    const order = [...ids.keys()].filter((i) => candidate[i]);
    order.sort((a, b) => part(b) - part(a) || pct[b]! - pct[a]! || cents[b]! - cents[a]! || ids[a]! - ids[b]!);
    order.forEach((i, k) => (rank[i] = k + 1));
    return rank;
  };

  const cases = {
    'ascending ids, many ties (the packed sort)': (i: number) => ({ id: 3 * i + 1, cents: Math.round(rand() * 20) * 100 }),
    'ascending ids, negative and large spends': (i: number) => ({ id: i + 10, cents: Math.round(rand() * 4e9) - 2e9 }),
    'ids out of order (the comparator sort)': (i: number) => ({ id: ((i * 7919) % 5003) + 1, cents: Math.round(rand() * 50) }),
    'spend too wide to pack (the comparator sort)': (i: number) => ({ id: i + 1, cents: i % 2 ? 2 ** 50 : -(2 ** 50) }),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const n = 5003;
      const rows = Array.from({ length: n }, (_, i) => make(i));
      const ids = rows.map((r) => r.id);
      const cents = Float64Array.from(rows, (r) => r.cents);
      const pct = Int16Array.from(rows, () => Math.floor(rand() * 101));
      const candidate = rows.map(() => rand() < 0.8);
      const inWindow = rows.map(() => (rand() < 0.6 ? 1 : 0) as 0 | 1);
      const part = (i: number) => inWindow[i]!;
      expect(Array.from(rankOrder(ids, candidate, part, pct, cents))).toEqual(Array.from(reference(ids, candidate, part, pct, cents)));
    });
  }

  it('no candidates: every rank 0', () => {
    expect(Array.from(rankOrder([1, 2, 3], [false, false, false], () => 1, [1, 2, 3], [1, 2, 3]))).toEqual([0, 0, 0]);
  });
});
