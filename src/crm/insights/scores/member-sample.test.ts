import { describe, expect, it } from 'vitest';
import { memberSample } from './member-sample.ts';

describe('memberSample (the fits choose members by id)', () => {
  const ids = Array.from({ length: 200_000 }, (_, k) => 3 * k + 1);
  const chosen = (list: number[], max: number) => memberSample(list, max).map((k) => list[k]!);

  it('takes everyone when there are no more than asked', () => {
    expect(memberSample([5, 9, 2], 3)).toEqual([0, 1, 2]);
  });

  it('takes the number asked, the same members for the same ids in any order', () => {
    const a = chosen(ids, 20_000);
    expect(a).toHaveLength(20_000);
    const reversed = chosen([...ids].reverse(), 20_000);
    expect([...reversed].sort((x, y) => x - y)).toEqual(a);
  });

  it('a member removed or added changes the sample by that member alone (a position sample shifted every member after it)', () => {
    const a = new Set(chosen(ids, 20_000));
    const outside = ids.find((id) => !a.has(id))!;
    expect(chosen(ids.filter((id) => id !== outside), 20_000)).toEqual([...a]);
    const inside = [...a][0]!;
    const fewer = chosen(ids.filter((id) => id !== inside), 20_000);
    expect(fewer.filter((id) => !a.has(id))).toHaveLength(1);
    const more = chosen([2, ...ids], 20_000);
    expect(more.filter((id) => !a.has(id) && id !== 2)).toEqual([]);
    expect([...a].filter((id) => !more.includes(id)).length).toBeLessThanOrEqual(1);
  });
});
