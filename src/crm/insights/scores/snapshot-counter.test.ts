import { describe, expect, it } from 'vitest';
import { SnapshotCounter, type SnapshotDim } from './snapshot.ts';

// The scoring pass's per-store counts (snapshot.ts): every (store, dimension, key) cell holds the
// members added to it and their summed cents, exactly, as a plain grouping of the same adds gives.
describe('SnapshotCounter', () => {
  it('rows equal a grouping of the adds (members, spend to the cent; no home store counted as store 0)', () => {
    const counter = new SnapshotCounter();
    const naive = new Map<string, { members: number; cents: number }>();
    const dims: SnapshotDim[] = ['cell', 'quadrant', 'level', 'churn', 'grade', 'reg'];
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    for (let i = 0; i < 5000; i++) {
      const store = next(5) === 0 ? null : next(4) + 1;
      const cents = next(1_000_000);
      for (const dim of dims) {
        const key = dim === 'reg' ? (next(3) ? String(20_000 + next(30)) : 'old') : `${dim}-${next(3)}`;
        counter.add(store, dim, key, cents);
        const k = `${store ?? 0}|${dim}|${key}`;
        const c = naive.get(k) ?? { members: 0, cents: 0 };
        naive.set(k, { members: c.members + 1, cents: c.cents + cents });
      }
    }
    const rows = counter.rows(42);
    expect(rows.length).toBe(naive.size);
    for (const [run, store, dim, key, members, spend] of rows) {
      expect(run).toBe(42);
      const c = naive.get(`${store}|${dim}|${key}`);
      expect(c, `${store} ${dim} ${key}`).toBeDefined();
      expect(members).toBe(c!.members);
      expect(spend).toBe((c!.cents / 100).toFixed(2));
    }
    expect(rows.some((r) => r[1] === 0)).toBe(true);
  });
});
