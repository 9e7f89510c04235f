import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/env.ts';
import { isAppError } from '../../kernel/errors.ts';
import { compileMemberIds } from './compile.ts';
import { dropMembersTable, materializeMembers } from './evaluate.ts';
import { insertSegData, SEG_NOW, type RowMember, type SegData } from '../../../../test/support/segment-test-data.ts';
import { parseSegmentTree, type SegmentNode } from './tree.ts';

// Every condition type, operator and nesting against the real database. The expected member
// set is computed here in JS from the rows the test inserted, never by the compiler.
const DAY = 86_400_000;
type Pred = (m: RowMember) => boolean;

describe('segment compiler (real MariaDB)', () => {
  let env: TestEnv;
  let d: SegData;
  beforeAll(async () => {
    env = await createTestEnv('seg_compile');
    d = await insertSegData(env.services, 70, 7);
  });
  afterAll(async () => env?.cleanup());

  async function ids(root: SegmentNode, stores: number[] | null = null): Promise<number[]> {
    const tree = parseSegmentTree({ version: 1, root });
    const { sql, params } = compileMemberIds(tree, { now: SEG_NOW, stores });
    const [rows] = await env.services.sql.query<any[]>(sql, params);
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }
  /** The same tree through the evaluator, every order condition forced per window or per member. */
  async function evaluated(root: SegmentNode, plan: 'window' | 'probe' | 'auto', stores: number[] | null = null): Promise<number[]> {
    const tree = parseSegmentTree({ version: 1, root });
    const conn = await env.services.sql.getConnection();
    try {
      const n = await materializeMembers(conn, 'test_eval', tree, { now: SEG_NOW, stores, plan });
      const [rows] = await conn.query<any[]>('SELECT id FROM test_eval ORDER BY id');
      expect(rows.length).toBe(n);
      return rows.map((r) => Number(r.id));
    } finally {
      await dropMembersTable(conn, 'test_eval');
      conn.release();
    }
  }
  const expected = (p: Pred, stores: number[] | null = null) =>
    d.members.filter((m) => m.status !== 'deleted' && (stores === null || (m.homeStoreId !== null && stores.includes(m.homeStoreId))) && p(m)).map((m) => m.id).sort((a, b) => a - b);

  // ---- independent JS semantics ----
  const orders = (m: RowMember, days?: number) => d.orders.filter((o) => o.memberId === m.id && o.paidAt <= SEG_NOW && (days === undefined || o.paidAt.getTime() > SEG_NOW.getTime() - days * DAY));
  const spendCents = (m: RowMember, days?: number) => orders(m, days).reduce((s, o) => s + o.cents, 0);
  const daysSinceLast = (m: RowMember) => {
    const os = orders(m);
    if (!os.length) return null;
    const last = Math.max(...os.map((o) => o.paidAt.getTime()));
    return Math.floor((SEG_NOW.getTime() - last) / DAY);
  };
  const hasTag = (m: RowMember, tag: string, source?: string[], minConf?: number) =>
    d.tags.some((t) => t.memberId === m.id && t.tag === tag && (!source || source.includes(t.source)) && (minConf === undefined || t.confidence >= minConf));
  const complaints = (m: RowMember, days?: number) =>
    d.interactions.filter((c) => c.memberId === m.id && c.type === 'complaint' && c.at <= SEG_NOW && (days === undefined || c.at.getTime() > SEG_NOW.getTime() - days * DAY)).length;
  const joined = (m: RowMember, name: string, days?: number, now = SEG_NOW) =>
    d.activities.some((a) => a.memberId === m.id && a.name === name && a.type === 'activity' && a.at <= now && (days === undefined || a.at.getTime() > now.getTime() - days * DAY));
  const regAgo = (days: number, now = SEG_NOW) => new Date(now.getTime() - days * DAY);
  const day = (t: Date) => t.toISOString().slice(0, 10);
  const bMonth = (m: RowMember) => (m.birthday ? Number(m.birthday.slice(5, 7)) : null);

  /** Leaves: the tree node and the JS predicate it must mean. */
  function leaves(): [SegmentNode, Pred][] {
    const { S1, S2 } = d.stores;
    return [
      [{ field: 'level', op: 'eq', value: 3 }, (m) => m.level === 3],
      [{ field: 'level', op: 'ne', value: 3 }, (m) => m.level !== 3],
      [{ field: 'level', op: 'gt', value: 3 }, (m) => m.level > 3],
      [{ field: 'level', op: 'gte', value: 3 }, (m) => m.level >= 3],
      [{ field: 'level', op: 'lt', value: 2 }, (m) => m.level < 2],
      [{ field: 'level', op: 'lte', value: 2 }, (m) => m.level <= 2],
      [{ field: 'level', op: 'in', value: [1, 5] }, (m) => m.level === 1 || m.level === 5],
      [{ field: 'points', op: 'between', value: [1000, 3000] }, (m) => m.points >= 1000 && m.points <= 3000],
      [{ field: 'growth_value', op: 'gte', value: 5000 }, (m) => m.growthValue >= 5000],
      [{ field: 'home_store', op: 'eq', value: S1 }, (m) => m.homeStoreId === S1],
      [{ field: 'home_store', op: 'ne', value: S1 }, (m) => m.homeStoreId !== S1], // no home store counts as "not S1"
      [{ field: 'home_store', op: 'in', value: [S1, S2] }, (m) => m.homeStoreId === S1 || m.homeStoreId === S2],
      [{ field: 'home_store', op: 'is_null' }, (m) => m.homeStoreId === null],
      [{ field: 'birthday_month', op: 'eq', value: 5 }, (m) => bMonth(m) === 5],
      [{ field: 'birthday_month', op: 'between', value: [3, 6] }, (m) => bMonth(m) !== null && bMonth(m)! >= 3 && bMonth(m)! <= 6],
      [{ field: 'birthday', op: 'lt', value: '1985-01-01' }, (m) => m.birthday !== null && m.birthday < '1985-01-01'],
      [{ field: 'birthday', op: 'is_null' }, (m) => m.birthday === null],
      [{ field: 'registered_at', op: 'gte', value: '2026-01-01' }, (m) => day(m.registeredAt) >= '2026-01-01'],
      [{ field: 'registered_at', op: 'gt', value: day(d.members[3]!.registeredAt) }, (m) => day(m.registeredAt) > day(d.members[3]!.registeredAt)],
      [{ field: 'registered_at', op: 'eq', value: day(d.members[5]!.registeredAt) }, (m) => day(m.registeredAt) === day(d.members[5]!.registeredAt)],
      [{ field: 'registered_at', op: 'lte', value: day(d.members[8]!.registeredAt) }, (m) => day(m.registeredAt) <= day(d.members[8]!.registeredAt)],
      [{ field: 'registered_at', op: 'between', value: ['2025-06-01', '2025-12-31'] }, (m) => day(m.registeredAt) >= '2025-06-01' && day(m.registeredAt) <= '2025-12-31'],
      [{ field: 'registered_at', op: 'lt', value: d.members[2]!.registeredAt.toISOString() }, (m) => m.registeredAt < d.members[2]!.registeredAt],
      [{ field: 'source_channel', op: 'eq', value: 'wecom' }, (m) => m.sourceChannel === 'wecom'],
      [{ field: 'source_channel', op: 'in', value: ['store', 'miniprogram'] }, (m) => m.sourceChannel !== 'wecom'],
      [{ field: 'gender', op: 'eq', value: 'female' }, (m) => m.gender === 'female'],
      [{ field: 'status', op: 'eq', value: 'frozen' }, (m) => m.status === 'frozen'],
      [{ field: 'name', op: 'contains', value: '张' }, (m) => m.name.includes('张')],
      [{ field: 'name', op: 'contains', value: '%_' }, (m) => m.name.includes('%_')], // LIKE wildcards are literal
      [{ field: 'name', op: 'contains', value: 'zhang' }, (m) => m.name.toLowerCase().includes('zhang')], // case-insensitive collation
      [{ field: 'openid', op: 'is_null' }, (m) => m.openid === null],
      [{ field: 'openid', op: 'contains', value: 'oid_1' }, (m) => m.openid !== null && m.openid.includes('oid_1')],
      [{ tag: 'VIP' }, (m) => hasTag(m, 'VIP')],
      [{ tag: 'vip', has: false }, (m) => !hasTag(m, 'VIP')],
      [{ tag: '高价值', source: 'model', minConfidence: 0.5 }, (m) => hasTag(m, '高价值', ['model'], 0.5)],
      [{ tag: '易流失', source: ['rule', 'manual'] }, (m) => hasTag(m, '易流失', ['rule', 'manual'])],
      [{ tag: '新客', has: false, minConfidence: 0.8 }, (m) => !hasTag(m, '新客', undefined, 0.8)],
      [{ metric: 'order_count', days: 90, op: 'gte', value: 2 }, (m) => orders(m, 90).length >= 2],
      [{ metric: 'order_count', days: 90, op: 'eq', value: 0 }, (m) => orders(m, 90).length === 0],
      [{ metric: 'order_count', op: 'between', value: [2, 4] }, (m) => orders(m).length >= 2 && orders(m).length <= 4],
      [{ metric: 'order_count', days: 180, op: 'in', value: [1, 3] }, (m) => [1, 3].includes(orders(m, 180).length)],
      [{ metric: 'spend', days: 30, op: 'gt', value: '500' }, (m) => spendCents(m, 30) > 50000],
      [{ metric: 'spend', op: 'gt', value: '2000.00' }, (m) => spendCents(m) > 200000],
      [{ metric: 'spend', op: 'lte', value: 1000 }, (m) => spendCents(m) <= 100000],
      [{ metric: 'spend', days: 365, op: 'ne', value: '0' }, (m) => spendCents(m, 365) !== 0],
      [{ metric: 'days_since_last_order', op: 'gt', value: 60 }, (m) => (daysSinceLast(m) ?? -1) > 60],
      [{ metric: 'days_since_last_order', op: 'lte', value: 30 }, (m) => daysSinceLast(m) !== null && daysSinceLast(m)! <= 30],
      [{ metric: 'complaint_count', days: 90, op: 'gte', value: 1 }, (m) => complaints(m, 90) >= 1],
      [{ metric: 'complaint_count', op: 'eq', value: 0 }, (m) => complaints(m) === 0],
      [{ metric: 'order_count', days: 60, op: 'lt', value: 1 }, (m) => orders(m, 60).length < 1],
      [{ metric: 'order_count', days: 60, op: 'ne', value: 0 }, (m) => orders(m, 60).length !== 0],
      [{ metric: 'order_count', days: 60, op: 'gt', value: 0 }, (m) => orders(m, 60).length > 0],
      [{ metric: 'order_count', days: 60, op: 'lte', value: 0 }, (m) => orders(m, 60).length <= 0],
      [{ metric: 'order_count', days: 60, op: 'gte', value: 1 }, (m) => orders(m, 60).length >= 1],
      [{ metric: 'order_count', days: 60, op: 'lt', value: 2 }, (m) => orders(m, 60).length < 2],
      [{ activity: '2026中秋品鉴会' }, (m) => joined(m, '2026中秋品鉴会')],
      [{ activity: '春茶与点心节', days: 90 }, (m) => joined(m, '春茶与点心节', 90)],
      [{ activity: '新品试吃会', joined: false }, (m) => !joined(m, '新品试吃会')],
      [{ activity: '新品试吃会', days: 60, joined: false }, (m) => !joined(m, '新品试吃会', 60)],
      [{ activity: '没有这个活动' }, () => false],
      [{ field: 'registered_at', op: 'gte', value: '-30d' }, (m) => m.registeredAt >= regAgo(30)],
      [{ field: 'registered_at', op: 'gt', value: '-200d' }, (m) => m.registeredAt > regAgo(200)],
      [{ field: 'registered_at', op: 'lt', value: '-365d' }, (m) => m.registeredAt < regAgo(365)],
      [{ field: 'registered_at', op: 'lte', value: '-90d' }, (m) => m.registeredAt <= regAgo(90)],
      [{ field: 'registered_at', op: 'between', value: ['-400d', '-100d'] }, (m) => m.registeredAt >= regAgo(400) && m.registeredAt <= regAgo(100)],
    ];
  }

  it('matches the independent expectation for every leaf, operator and value type', async () => {
    for (const [node, pred] of leaves()) {
      const exp = expected(pred);
      expect({ node, ids: await ids(node) }).toEqual({ node, ids: exp });
    }
    // Sanity: the data exercises both sides of most leaves.
    const sizes = await Promise.all(leaves().map(async ([n]) => (await ids(n)).length));
    expect(sizes.filter((s) => s > 0).length).toBeGreaterThan(leaves().length - 6);
  });

  it('nests and / or / not, including randomly generated trees', async () => {
    const ls = leaves();
    const L = (i: number) => ls[i % ls.length]!;
    const fixed: [SegmentNode, Pred][] = [
      [{ and: [L(3)[0], L(42)[0]] }, (m) => L(3)[1](m) && L(42)[1](m)],
      [{ or: [L(0)[0], { not: L(32)[0] }] }, (m) => L(0)[1](m) || !L(32)[1](m)],
      [{ not: { and: [L(9)[0], { or: [L(25)[0], L(38)[0]] }] } }, (m) => !(L(9)[1](m) && (L(25)[1](m) || L(38)[1](m)))],
      [{ not: { not: L(45)[0] } }, L(45)[1]],
      [{ and: [L(12)[0]] }, L(12)[1]],
    ];
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const gen = (depth: number): [SegmentNode, Pred] => {
      const r = rnd();
      if (depth >= 3 || r < 0.35) return ls[Math.floor(rnd() * ls.length)]!;
      if (r < 0.5) {
        const [n, p] = gen(depth + 1);
        return [{ not: n }, (m) => !p(m)];
      }
      const kids = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => gen(depth + 1));
      return r < 0.75
        ? [{ and: kids.map((k) => k[0]) }, (m) => kids.every((k) => k[1](m))]
        : [{ or: kids.map((k) => k[0]) }, (m) => kids.some((k) => k[1](m))];
    };
    const trees = [...fixed, ...Array.from({ length: 40 }, () => gen(0))];
    for (const [node, pred] of trees) expect({ node, ids: await ids(node) }).toEqual({ node, ids: expected(pred) });
  });

  it('the evaluator gives the same members with order conditions per window or per member, alone, nested and under a store scope', async () => {
    const ls = leaves();
    const orderLeaves = ls.filter(([n]) => 'metric' in n && n.metric !== 'complaint_count');
    const { S1, S2 } = d.stores;
    const level3 = ls.find(([n]) => 'field' in n && n.field === 'level' && n.op === 'gte')!;
    const vip = ls.find(([n]) => 'tag' in n && n.tag === 'VIP' && n.has === undefined)!;
    const cases: [SegmentNode, Pred][] = [
      ...orderLeaves,
      // a top-level AND: the candidates come from the other conjuncts
      ...orderLeaves.map(([n, p]): [SegmentNode, Pred] => [{ and: [level3[0], n, vip[0]] }, (m) => level3[1](m) && p(m) && vip[1](m)]),
      // order conditions under OR / NOT, and two in one tree
      ...orderLeaves.map(([n, p], i): [SegmentNode, Pred] => {
        const [n2, p2] = orderLeaves[(i + 3) % orderLeaves.length]!;
        return [{ and: [{ or: [vip[0], { not: n }] }, { not: { and: [n2, level3[0]] } }] }, (m) => (vip[1](m) || !p(m)) && !(p2(m) && level3[1](m))];
      }),
      // the chat example "最近90天没消费 且 累计消费大于2000" (docs/segments.md): a none-in-the-window and a whole-history sum, nothing else
      [{ and: [{ metric: 'order_count', days: 90, op: 'eq', value: 0 }, { metric: 'spend', op: 'gt', value: '2000' }] }, (m) => orders(m, 90).length === 0 && spendCents(m) > 200000],
      // two whole-history conditions, both holding for members without orders
      [{ and: [{ metric: 'spend', op: 'lte', value: 1000 }, { metric: 'order_count', op: 'lt', value: 3 }] }, (m) => spendCents(m) <= 100000 && orders(m).length < 3],
    ];
    for (const [node, pred] of cases) {
      const exp = expected(pred);
      expect({ node, window: await evaluated(node, 'window') }).toEqual({ node, window: exp });
      expect({ node, probe: await evaluated(node, 'probe') }).toEqual({ node, probe: exp });
      expect({ node, auto: await evaluated(node, 'auto') }).toEqual({ node, auto: exp });
    }
    // Neither side is empty or everyone for the chat example (the test data would prove nothing otherwise).
    const example = expected(cases.at(-2)![1]).length;
    expect(example > 0 && example < expected(() => true).length).toBe(true);
    const scoped = orderLeaves[0]!;
    expect(await evaluated({ and: [scoped[0], level3[0]] }, 'window', [S1, S2])).toEqual(expected((m) => scoped[1](m) && level3[1](m), [S1, S2]));
    expect(await evaluated(scoped[0], 'window', [])).toEqual([]);
  });

  it('activity and relative-date leaves split the members (neither empty nor everyone)', async () => {
    const all = expected(() => true).length;
    for (const [node] of leaves().filter(([n]) => 'activity' in n || ('field' in n && /-\d+d/.test(String(n.value))))) {
      if ('activity' in node && node.activity === '没有这个活动') continue;
      const n = (await ids(node)).length;
      expect({ node, between: n > 0 && n < all }).toEqual({ node, between: true });
    }
    // Rows of another type naming the activity exist, and are not participation.
    expect(d.activities.some((a) => a.type !== 'activity')).toBe(true);
  });

  it('keeps relative conditions relative: the same tree evaluated 40 days later moves its windows', async () => {
    const later = new Date(SEG_NOW.getTime() + 40 * DAY);
    const nodes: [SegmentNode, Pred][] = [
      [{ field: 'registered_at', op: 'gte', value: '-60d' }, (m) => m.registeredAt >= regAgo(60, later)],
      [{ activity: '2026中秋品鉴会', days: 60 }, (m) => joined(m, '2026中秋品鉴会', 60, later)],
    ];
    for (const [node, pred] of nodes) {
      const tree = parseSegmentTree({ version: 1, root: node });
      const { sql, params } = compileMemberIds(tree, { now: later, stores: null });
      const [rows] = await env.services.sql.query<any[]>(sql, params);
      const got = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
      expect({ node, ids: got }).toEqual({ node, ids: expected(pred) });
      // …and differs from the answer at NOW, so the test would notice a frozen date.
      expect(got).not.toEqual(await ids(node));
    }
  });

  it('applies the store scope and never returns deleted members', async () => {
    const all: SegmentNode = { field: 'level', op: 'gte', value: 1 };
    const { S1, S2 } = d.stores;
    expect(await ids(all, [S1])).toEqual(expected(() => true, [S1]));
    expect(await ids(all, [S1, S2])).toEqual(expected(() => true, [S1, S2]));
    expect(await ids(all, [])).toEqual([]);
    const deleted = d.members.filter((m) => m.status === 'deleted').map((m) => m.id);
    expect(deleted.length).toBeGreaterThan(0);
    expect((await ids(all)).filter((id) => deleted.includes(id))).toEqual([]);
  });

  it('passes every value as a parameter: hostile strings stay data', async () => {
    const tree = parseSegmentTree({ version: 1, root: { or: [{ field: 'name', op: 'eq', value: "x' OR '1'='1" }, { tag: "VIP' OR 1=1 -- " }] } });
    const { sql, params } = compileMemberIds(tree, { now: SEG_NOW, stores: null });
    expect(sql).not.toContain("'1'='1");
    expect(params).toContain("x' OR '1'='1");
    const [rows] = await env.services.sql.query<any[]>(sql, params);
    expect(rows).toEqual([]);
  });

  describe('malformed trees → 400 naming the node', () => {
    const bad = (raw: unknown): { status: number; code: string; path: string } => {
      try {
        parseSegmentTree(raw);
      } catch (e) {
        if (!isAppError(e)) throw e;
        return { status: e.status, code: e.code, path: (e.details as { path: string }).path };
      }
      throw new Error('accepted a malformed tree');
    };
    const t = (root: unknown) => ({ version: 1, root });
    const cases: [unknown, string][] = [
      [{ version: 2, root: { tag: 'VIP' } }, 'tree.version'],
      [{ root: { tag: 'VIP' } }, 'tree.version'],
      [t({ and: [{ tag: 'VIP' }, { tag: 'x' }, { field: 'level', op: 'bigger', value: 3 }] }), 'root.and[2].op'],
      [t({ and: [] }), 'root.and'],
      [t({ or: [{ not: { field: 'colour', op: 'eq', value: 'red' } }] }), 'root.or[0].not.field'],
      [t({ field: 'level', op: 'eq', value: 'three' }), 'root.value'],
      [t({ field: 'level', op: 'eq', value: 2.5 }), 'root.value'],
      [t({ field: 'level', op: 'in', value: [1, 'x'] }), 'root.value[1]'],
      [t({ field: 'level', op: 'in', value: [] }), 'root.value'],
      [t({ field: 'level', op: 'between', value: [5, 1] }), 'root.value'],
      [t({ field: 'level', op: 'between', value: 3 }), 'root.value'],
      [t({ field: 'level', op: 'eq' }), 'root.value'],
      [t({ field: 'level', op: 'is_null' }), 'root.op'],
      [t({ field: 'home_store', op: 'is_null', value: 1 }), 'root.value'],
      [t({ field: 'gender', op: 'eq', value: 'other' }), 'root.value'],
      [t({ field: 'gender', op: 'gt', value: 'male' }), 'root.op'],
      [t({ field: 'level', op: 'contains', value: '3' }), 'root.op'],
      [t({ field: 'registered_at', op: 'gte', value: '2026-13-45' }), 'root.value'],
      [t({ field: 'level', op: 'eq', value: 3, extra: 1 }), 'root'],
      [t({ tag: '' }), 'root.tag'],
      [t({ tag: 'VIP', source: 'robot' }), 'root.source'],
      [t({ tag: 'VIP', minConfidence: 2 }), 'root.minConfidence'],
      [t({ metric: 'order_count', days: 0, op: 'gte', value: 1 }), 'root.days'],
      [t({ metric: 'spend', days: 30, op: 'gt', value: '5.005' }), 'root.value'],
      [t({ metric: 'days_since_last_order', days: 30, op: 'gt', value: 5 }), 'root.days'],
      [t({ metric: 'order_count', op: 'contains', value: 1 }), 'root.op'],
      [t({ metric: 'visits', op: 'gt', value: 1 }), 'root.metric'],
      [t({ score: 'no_such_score', op: 'gt', value: '0.5' }), 'root.score'],
      [t({ and: [{ tag: 'VIP' }], or: [{ tag: 'VIP' }] }), 'root'],
      [t([{ tag: 'VIP' }]), 'root'],
      [t({ and: [{ and: [{ tag: 'VIP' }, 'level > 3'] }] }), 'root.and[0].and[1]'],
      [t({ field: 'registered_at', op: 'eq', value: '-30d' }), 'root.op'],
      [t({ field: 'registered_at', op: 'in', value: ['2026-01-01', '-30d'] }), 'root.op'],
      [t({ field: 'registered_at', op: 'gte', value: '-5000d' }), 'root.value'],
      [t({ field: 'registered_at', op: 'gte', value: '-30days' }), 'root.value'],
      [t({ field: 'registered_at', op: 'between', value: ['-30d', '-60d'] }), 'root.value'],
      [t({ or: [{ tag: 'VIP' }, { activity: '' }] }), 'root.or[1].activity'],
      [t({ activity: '中秋品鉴会', days: 0 }), 'root.days'],
      [t({ activity: '中秋品鉴会', joined: 'yes' }), 'root.joined'],
      [t({ activity: '中秋品鉴会', op: 'eq' }), 'root'],
    ];
    for (const [raw, path] of cases) {
      it(`${JSON.stringify(raw)} → ${path}`, () => {
        expect(bad(raw)).toEqual({ status: 400, code: 'invalid_segment', path });
      });
    }
    it('bounds depth and size', () => {
      let deep: unknown = { tag: 'VIP' };
      for (let i = 0; i < 20; i++) deep = { not: deep };
      expect(bad(t(deep)).path).toMatch(/^root(\.not)+$/);
      expect(bad(t({ or: Array.from({ length: 300 }, () => ({ tag: 'VIP' })) })).path).toMatch(/^root/);
    });
  });
});
