import { describe, expect, it } from 'vitest';
import { asksForDetail, listedItems, pointedRow } from './list-pick.ts';

describe('list-pick', () => {
  it('remembers the rows of a list answer by number', () => {
    expect(listedItems([{ id: 12, state: 'running' }, { id: 9 }])).toEqual([{ id: 12 }, { id: 9 }]);
    expect(listedItems([{ memberNo: 'M00000001', name: '张伟' }])).toEqual([{ memberNo: 'M00000001' }]);
    expect(listedItems({ memberNo: 'M00000001' })).toBeNull();
    // A list with its total (the churn list): its entries are the rows.
    expect(listedItems({ total: 7, entries: [{ memberId: 3, memberNo: 'M00000009' }, { memberNo: 'M00000002' }] })).toEqual([{ memberNo: 'M00000009' }, { memberNo: 'M00000002' }]);
    expect(listedItems({ total: 0, entries: [] })).toBeNull();
    expect(listedItems([{ name: 'x' }])).toBeNull();
  });

  it('finds the row a message points at by its place, and the words beside it', () => {
    expect(pointedRow('停掉第一个', 3)).toEqual({ index: 0, rest: '停掉' });
    expect(pointedRow('第二名的详细数据', 5)).toEqual({ index: 1, rest: '的详细数据' });
    expect(pointedRow('stop the first one', 2)).toEqual({ index: 0, rest: 'stop' });
    expect(pointedRow('最后一个停了吧', 4)).toEqual({ index: 3, rest: '停了吧' });
    // Out of range, or no place named: none.
    expect(pointedRow('第五个', 3)).toBeNull();
    expect(pointedRow('停掉召回', 3)).toBeNull();
    expect(pointedRow('第一次来的有几个', 3)).toBeNull();
  });

  it('tells a request to see the row from anything else', () => {
    expect(asksForDetail('的详细数据')).toBe(true);
    expect(asksForDetail('看下的详情')).toBe(true);
    expect(asksForDetail('的订单')).toBe(false);
    expect(asksForDetail('加个VIP')).toBe(false);
  });
});
