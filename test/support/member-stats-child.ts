/**
 * A second process for src/crm/sales/rebuild-gate.test.ts: `rebuild` runs the whole-table
 * rebuild of member_stats, `order <memberId> <storeId> <orderNo>` records one order, each on
 * its own pool against DATABASE_URL, and prints `done` when it returns.
 */
import { createSqlPool } from '../../src/db/sql.ts';
import { rebuildMemberStats, recordOrder } from '../../src/crm/sales/rollup.ts';

const NOW = new Date(process.env.NOW!);
const sql = createSqlPool(process.env.DATABASE_URL!);
const [op, member, store, orderNo] = process.argv.slice(2);
try {
  if (op === 'rebuild') await rebuildMemberStats(sql, NOW);
  else await recordOrder({ sql, now: () => NOW }, { orderNo: orderNo!, memberId: Number(member), storeId: Number(store), amount: '66.60', items: [], paymentMethod: 'wechat', paidAt: new Date(NOW.getTime() - 3_600_000) });
  process.stdout.write('done\n');
} finally {
  await sql.end();
}
