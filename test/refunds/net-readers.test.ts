import { describe, expect, it } from 'vitest';
import { useCrmTestEnv } from '../support/crm/crm-test-env.ts';
import { recordRefund } from '../../src/crm/lifecycle/index.ts';
import { compileWhere, type SegmentTree } from '../../src/crm/insights/index.ts';
import { compileMetricSet } from '../../src/crm/insights/segments/compile.ts';
import type { MetricCondition } from '../../src/crm/insights/segments/tree.ts';
import { ruleChurnList } from '../../src/crm/insights/churn/list.ts';
import { ruleSql, type TagRuleDef } from '../../src/crm/engagement/tags/rule-schema.ts';
import { orderTotals } from '../../src/crm/sales/index.ts';
import { withTransaction } from '../../src/crm/kernel/index.ts';

// Every reader that counts orders or sums their amounts, after a full and a partial refund
// recorded through the intake: a fully refunded order is no order, a partial one counts for
// what is left. The expectations are computed here, in JS, from the raw order rows.
const DAY = 86_400_000;

describe('readers of orders net of refunds', () => {
  const crm = useCrmTestEnv('net_readers');
  const { as, id } = crm;

  interface Row {
    member: number;
    store: number;
    paid: number;
    /** What is left after refunds, in cents. */
    net: number;
    counted: boolean;
  }
  async function rows(): Promise<Row[]> {
    const [r] = await crm.services.sql.query<any[]>('SELECT member_id, store_id, paid_at, ROUND(amount * 100) AS a, ROUND(refunded_amount * 100) AS r FROM orders');
    return r.map((o) => ({ member: Number(o.member_id), store: Number(o.store_id), paid: new Date(o.paid_at).getTime(), net: Number(o.a) - Number(o.r), counted: Number(o.r) < Number(o.a) }));
  }
  const orderNoOf = async (memberNo: string, daysAgo: number) => {
    const [[o]] = await crm.services.sql.query<any[]>('SELECT order_no FROM orders WHERE member_id = ? ORDER BY ABS(TIMESTAMPDIFF(SECOND, paid_at, ?)) LIMIT 1', [id(memberNo), new Date(crm.now().getTime() - daysAgo * DAY)]);
    return String(o.order_no);
  };
  const live = async () => {
    const [r] = await crm.services.sql.query<any[]>("SELECT id FROM members WHERE status <> 'deleted'");
    return r.map((x) => Number(x.id));
  };
  const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

  it('records a full and a partial refund through the intake', async () => {
    // 张伟 M00000003: his only order (5 days ago, 19.90) fully refunded; 陈静 M00000007: her last
    // order (95 days ago) fully refunded; 张伟 M00000001: 60.00 of 99.90 (40 days ago) back;
    // 李娜 M00000004: 100.00 of her last order (150 days ago, 480.50) back.
    const full1 = await recordRefund(as('hq'), await orderNoOf('M00000003', 5), { refundNo: 'RF-1' });
    const full2 = await recordRefund(as('hq'), await orderNoOf('M00000007', 95), { refundNo: 'RF-2' });
    const part1 = await recordRefund(as('hq'), await orderNoOf('M00000001', 40), { refundNo: 'RF-3', amount: '60.00' });
    const part2 = await recordRefund(as('hq'), await orderNoOf('M00000004', 150), { refundNo: 'RF-4', amount: '100.00' });
    expect([full1, full2, part1, part2].map((r) => r.receipt.fullyRefunded)).toEqual([true, true, false, false]);
    const r = await rows();
    expect(r.filter((o) => !o.counted).map((o) => o.member).sort()).toEqual(sorted([id('M00000003'), id('M00000007')]));
  });

  it('segment spend, order count and days since the last order conditions', async () => {
    const r = (await rows()).filter((o) => o.counted);
    const now = crm.now().getTime();
    const inWindow = (o: Row, days?: number) => o.paid <= now && (days === undefined || o.paid > now - days * DAY);
    const spend = (m: number, days?: number) => r.filter((o) => o.member === m && inWindow(o, days)).reduce((a, o) => a + o.net, 0);
    const count = (m: number, days?: number) => r.filter((o) => o.member === m && inWindow(o, days)).length;
    const last = (m: number) => Math.max(-Infinity, ...r.filter((o) => o.member === m && o.paid <= now).map((o) => o.paid));
    const conditions: [MetricCondition, (m: number) => boolean][] = [
      // 张伟 M00000001 spent 1234.80 gross, 1174.80 net in the whole history.
      [{ metric: 'spend', op: 'gte', value: '1200' }, (m) => spend(m) >= 120_000],
      [{ metric: 'spend', days: 60, op: 'gte', value: '100' }, (m) => spend(m, 60) >= 10_000],
      [{ metric: 'spend', days: 365, op: 'gt', value: '1000' }, (m) => spend(m, 365) > 100_000],
      [{ metric: 'order_count', days: 30, op: 'gte', value: 1 }, (m) => count(m, 30) >= 1],
      [{ metric: 'order_count', days: 120, op: 'gte', value: 2 }, (m) => count(m, 120) >= 2],
      [{ metric: 'order_count', days: 100, op: 'eq', value: 0 }, (m) => count(m, 100) === 0],
      [{ metric: 'days_since_last_order', op: 'gt', value: 100 }, (m) => last(m) > -Infinity && Math.floor((now - last(m)) / DAY) > 100],
    ];
    const members = await live();
    for (const [c, holds] of conditions) {
      const expected = sorted(members.filter(holds));
      const tree: SegmentTree = { version: 1, root: c };
      const { where, params } = compileWhere(tree, { now: crm.now(), stores: null });
      const [got] = await crm.services.sql.query<any[]>(`SELECT m.id FROM members m WHERE ${where} ORDER BY m.id`, params);
      expect(got.map((x) => Number(x.id)), `${JSON.stringify(c)} (correlated)`).toEqual(expected);
      // The set-wise scan of the window (the evaluator's other plan) over the same rows.
      const set = compileMetricSet(c, { now: crm.now(), candidates: null, storeIds: [crm.fx.stores.S1, crm.fx.stores.S2] });
      const [ids] = await crm.services.sql.query<any[]>(set.sql, set.params);
      const withRows = new Set(r.filter((o) => inWindow(o, c.days)).map((o) => o.member));
      const listed = sorted(ids.map((x) => Number(x.id)));
      expect(listed, `${JSON.stringify(c)} (window scan)`).toEqual(sorted([...withRows].filter((m) => (set.complement ? !holds(m) : holds(m)))));
    }
    // The refunds matter here: with gross amounts 张伟 M00000003 would have ordered in the last 30 days.
    expect(count(id('M00000003'), 30)).toBe(0);
  });

  it('tag rule spend and order-count conditions', async () => {
    const r = (await rows()).filter((o) => o.counted);
    const now = crm.now().getTime();
    const since = (o: Row, days?: number) => days === undefined || o.paid >= now - days * DAY;
    const rules: [TagRuleDef, (m: number) => boolean][] = [
      [{ kind: 'spend', min: '1200' }, (m) => r.filter((o) => o.member === m).reduce((a, o) => a + o.net, 0) >= 120_000],
      [{ kind: 'spend', min: '60', days: 60 }, (m) => r.filter((o) => o.member === m && since(o, 60)).reduce((a, o) => a + o.net, 0) >= 6_000],
      [{ kind: 'order_count', min: 1, days: 30 }, (m) => r.filter((o) => o.member === m && since(o, 30)).length >= 1],
      [{ kind: 'order_count', min: 4 }, (m) => r.filter((o) => o.member === m).length >= 4],
    ];
    const [all] = await crm.services.sql.query<any[]>('SELECT id FROM members');
    for (const [rule, holds] of rules) {
      const { sql, params } = ruleSql(rule, crm.now());
      const [got] = await crm.services.sql.query<any[]>(`SELECT m.id FROM members m WHERE ${sql} ORDER BY m.id`, params);
      expect(got.map((x) => Number(x.id)), JSON.stringify(rule)).toEqual(sorted(all.map((x) => Number(x.id)).filter(holds)));
    }
  });

  it('the churn rule list: spend, order count, rhythm and silence without the refunded orders', async () => {
    const list = await ruleChurnList(as('manager1'), { limit: 100 });
    const r = (await rows()).filter((o) => o.counted);
    const now = crm.now().getTime();
    const byNo = new Map(list.entries.map((e) => [e.memberNo, e]));
    for (const no of ['M00000004', 'M00000007']) {
      const mine = r.filter((o) => o.member === id(no)).sort((a, b) => a.paid - b.paid);
      const e = byNo.get(no);
      expect(e, no).toBeDefined();
      expect(e!.orderCount).toBe(mine.length);
      expect(e!.totalSpend).toBe((mine.reduce((a, o) => a + o.net, 0) / 100).toFixed(2));
      expect(e!.daysSinceLastOrder).toBe(Math.floor((now - mine[mine.length - 1]!.paid) / DAY));
    }
    // 陈静's refunded order 95 days ago is gone: her last order stands 195 days back, 3 orders of 50.00.
    expect(byNo.get('M00000007')).toMatchObject({ orderCount: 3, totalSpend: '150.00', daysSinceLastOrder: 195 });
  });

  it('the totals an erasure keeps', async () => {
    const r = (await rows()).filter((o) => o.counted);
    for (const no of ['M00000001', 'M00000003']) {
      const mine = r.filter((o) => o.member === id(no));
      const kept = await withTransaction(crm.services.sql, (conn) => orderTotals(conn, id(no)));
      expect(kept).toEqual({ orders: mine.length, totalSpend: (mine.reduce((a, o) => a + o.net, 0) / 100).toFixed(2) });
    }
  });
});
