import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, runTsx, stopChildren } from '../../../test/support/child.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { generate } from '../../../test/support/health-expected.ts';
import { waitFor } from '../../../test/support/wait-for.ts';
import { withTransaction } from '../kernel/index.ts';
import { asTheOnlyWriter } from './rebuild-gate.ts';
import { insertOrder, rebuildMemberStats, recomputeMembers } from './rollup.ts';

// The whole-table rebuild of member_stats and order writes, in two processes: neither may write
// a rollup the other's commit made stale (rebuild-gate.ts).
const NOW = new Date('2026-11-21T16:00:00.000Z');
/**
 * How long a child process may take to reach its lock wait: tsx compiles its whole import graph on
 * first use, ~45 s in a fresh clone on a quiet machine (CI failed at 60 s beside other suites).
 */
const CHILD_START = 200_000;

describe('member_stats rebuild gate', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('stats_gate', {}, { now: () => NOW });
    await generate(env.services, 120, NOW);
    await rebuildMemberStats(env.services.sql, NOW);
  }, 120_000);
  afterAll(async () => {
    await stopChildren();
    await env?.cleanup();
  });

  const child = (args: string[]) => runTsx(['test/support/member-stats-child.ts', ...args], childEnv(env.config, { NOW: NOW.toISOString() }), 240_000);
  /** A transaction of another connection waiting for a row lock (the other process is blocked). */
  const someoneWaits = async (on = '%member_stats_gate%') => {
    // MariaDB lists a transaction that has taken no lock yet nowhere in INNODB_TRX, also while it
    // waits for its first one (seen: the order's gate read waiting 46 s in state "Statistics", absent
    // there); the process list shows every statement of this database still running.
    const [rows] = await env.services.sql.query<any[]>(
      "SELECT INFO FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND COMMAND = 'Query' AND TIME >= 1 AND INFO LIKE ?",
      [on],
    );
    return rows.length > 0 && String(rows[0].INFO);
  };
  const statsOf = async (member: number) => {
    const [[row]] = await env.services.sql.query<any[]>('SELECT order_count, total_spend FROM member_stats WHERE member_id = ?', [member]);
    const [[truth]] = await env.services.sql.query<any[]>('SELECT COUNT(*) AS n, COALESCE(SUM(amount - refunded_amount), 0) AS s FROM orders WHERE member_id = ? AND amount > refunded_amount AND paid_at <= ?', [member, NOW]);
    return { stored: [Number(row.order_count), Number(row.total_spend)], orders: [Number(truth.n), Number(truth.s)] };
  };

  it('a rebuild in another process waits for an order transaction in flight and reads its order', async () => {
    const member = 7;
    let rebuild: ReturnType<typeof child> | undefined;
    await withTransaction(env.services.sql, async (conn) => {
      await insertOrder(conn, NOW, { orderNo: 'GATE-1', memberId: member, storeId: 1, amount: '88.80', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - 7_200_000) });
      // The order and its rollup row are written, not committed: the rebuild starts now, in another process.
      rebuild = child(['rebuild']);
      const waiting = await waitFor(someoneWaits, CHILD_START, 'the rebuild to wait for the order transaction');
      expect(waiting).toContain('member_stats_gate');
    });
    const run = await rebuild!;
    expect(run.stdout, run.stderr).toContain('done');
    const s = await statsOf(member);
    expect(s.stored).toEqual(s.orders);
  }, 300_000);

  it('an order in another process waits while a rebuild holds the gate, then lands in its rollup', async () => {
    const member = 9;
    let order: ReturnType<typeof child> | undefined;
    await asTheOnlyWriter(env.services.sql, async () => {
      order = child(['order', String(member), '1', 'GATE-2']);
      const waiting = await waitFor(someoneWaits, CHILD_START, 'the order to wait for the rebuild');
      expect(waiting).toContain('member_stats_gate');
      const [[landed]] = await env.services.sql.query<any[]>("SELECT COUNT(*) AS n FROM orders WHERE order_no = 'GATE-2'");
      expect(Number(landed.n)).toBe(0);
    });
    const run = await order!;
    expect(run.stdout, run.stderr).toContain('done');
    const s = await statsOf(member);
    expect(s.stored).toEqual(s.orders);
    expect(s.orders[0]).toBeGreaterThan(0);
  }, 300_000);

  // The nightly move recomputes the members with new orders whole (window.ts → recomputeMembers):
  // it read their orders and upserted their rows outside any lock, so an order committed in
  // between had the older rollup written over its row (2026-12-06, fixed: it locks the members
  // as an order writer does, and takes the writers' share of the gate).
  it("the nightly move's recompute of a member waits for that member's order in flight and reads it", async () => {
    const member = 11;
    let recompute: Promise<number> | undefined;
    await withTransaction(env.services.sql, async (conn) => {
      await insertOrder(conn, NOW, { orderNo: 'GATE-3', memberId: member, storeId: 1, amount: '77.70', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - 3_600_000) });
      recompute = recomputeMembers(env.services.sql, NOW, [member, member + 1]);
      const waiting = await waitFor(() => someoneWaits('%FOR UPDATE%'), 60_000, 'the recompute to wait for the order transaction');
      expect(waiting).toContain('FOR UPDATE');
    });
    expect(await recompute!).toBe(2);
    const s = await statsOf(member);
    expect(s.stored).toEqual(s.orders);
    expect(s.orders[0]).toBeGreaterThan(0);
  }, 120_000);

  it("the nightly move's recompute waits while a rebuild holds the gate", async () => {
    let recompute: Promise<number> | undefined;
    await asTheOnlyWriter(env.services.sql, async () => {
      recompute = recomputeMembers(env.services.sql, NOW, [13]);
      expect(await waitFor(() => someoneWaits(), 60_000, 'the recompute to wait for the rebuild')).toContain('member_stats_gate');
    });
    expect(await recompute!).toBe(1);
    const s = await statsOf(13);
    expect(s.stored).toEqual(s.orders);
  }, 120_000);
});
