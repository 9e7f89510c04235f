import { describe, expect, it } from 'vitest';
import { VisitTally, type VisitOrder } from './visits.ts';

/** Deterministic pseudo-random numbers (the same cases every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** A member's orders in paid_at order: days ascending (several a day sometimes), over three stores. */
function history(rnd: () => number, n: number, fromDay: number): VisitOrder[] {
  const out: VisitOrder[] = [];
  let day = fromDay;
  for (let i = 0; i < n; i++) {
    day += rnd() < 0.3 ? 0 : 1 + Math.floor(rnd() * (rnd() < 0.2 ? 400 : 40));
    out.push({ store: 1 + Math.floor(rnd() * 3), day, cents: 100 + Math.floor(rnd() * 50_000) });
  }
  return out;
}

/** What a change does to a history: orders appended (the usual case), back-dated, refunded (cents), removed. */
function changed(rnd: () => number, before: VisitOrder[]): VisitOrder[] {
  const after = before.map((o) => ({ ...o }));
  const kind = Math.floor(rnd() * 5);
  const last = after.at(-1)?.day ?? 20_000;
  if (kind === 0 || !after.length) after.push(...history(rnd, 1 + Math.floor(rnd() * 3), last));
  else if (kind === 1) {
    // A back-dated order somewhere in the middle (its day between its neighbours').
    const at = Math.floor(rnd() * after.length);
    after.splice(at, 0, { store: 1 + Math.floor(rnd() * 3), day: after[at]!.day, cents: 999 });
  } else if (kind === 2) after[Math.floor(rnd() * after.length)]!.cents -= 50;
  else if (kind === 3) after.splice(Math.floor(rnd() * after.length), 1);
  else after.push({ ...after.at(-1)! });
  return after;
}

describe('VisitTally.addChange', () => {
  it('counts exactly what subtracting the whole history and adding it back counts', () => {
    const rnd = random(7);
    for (let round = 0; round < 300; round++) {
      const whole = new VisitTally();
      const diff = new VisitTally();
      for (let m = 0; m < 5; m++) {
        const before = rnd() < 0.1 ? [] : history(rnd, Math.floor(rnd() * 30), 20_000 + Math.floor(rnd() * 300));
        const after = changed(rnd, before);
        whole.addMember(before, -1);
        whole.addMember(after, 1);
        diff.addChange(before, after);
      }
      expect(diff.gapRows()).toEqual(whole.gapRows().filter((r) => r[4] !== 0));
      expect(diff.dayRows()).toEqual(whole.dayRows());
    }
  });

  it('counts nothing for an unchanged history, and a whole history for a new member', () => {
    const rnd = random(11);
    const orders = history(rnd, 20, 20_100);
    const same = new VisitTally();
    same.addChange(orders, orders.map((o) => ({ ...o })));
    expect([same.gapRows(), same.dayRows()]).toEqual([[], []]);
    const fresh = new VisitTally();
    fresh.addChange([], orders);
    const whole = new VisitTally();
    whole.addMember(orders);
    expect([fresh.gapRows(), fresh.dayRows()]).toEqual([whole.gapRows(), whole.dayRows()]);
    expect(fresh.dayRows().length).toBeGreaterThan(0);
  });
});
