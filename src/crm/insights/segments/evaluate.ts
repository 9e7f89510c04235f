import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { compileCondition, compileMemberIds, compileMetricSet, compileScope, compileWhere, existsForm, holdsWithoutRows, scansByWindow } from './compile.ts';
import type { MetricCondition, SegmentNode, SegmentTree } from './tree.ts';

/**
 * Evaluates a tree once into a temporary table `table (id INT PRIMARY KEY)` on `conn`, so a
 * preview's count, samples and churn mix, or a refresh's diff, read the result instead of
 * re-running the conditions. Returns the number of members.
 *
 * A behaviour condition on orders ("spent > 500 in the last 30 days") can be answered two ways,
 * and which is cheaper depends on the data (compile.ts writes both):
 *  - per member, a correlated probe of the covering orders (member_id, paid_at, amount): MariaDB
 *    reads the member's order history in that index (a ref on member_id; paid_at only filters),
 *    so the cost grows with candidates × their orders ("none in the window" stops at one entry);
 *  - per window, one range scan of the covering index (store_id, paid_at, member_id, amount),
 *    joined to the candidates and grouped by member: the cost grows with the window's orders
 *    and the members it meets; the whole history (no days) is one scan of (member_id, paid_at,
 *    amount) in member order instead, whose GROUP BY streams without a temporary table.
 * So: first the candidates — members in scope satisfying the top-level conjuncts that hold no
 * such condition (level > 3, a tag …), one pass over members (with none, the first order
 * condition's set is the start); then the order conditions that are top-level conjuncts narrow
 * the candidates, cheapest first, each by window or per member, whichever is cheaper for the
 * candidates left; order conditions nested under OR / NOT become sets over the
 * candidates where cheaper; finally the rest of the tree runs over the candidates only, those
 * conditions replaced by key lookups in their sets. Every condition keeps its meaning (the
 * tests run both plans against the same independent expectation); only the plan changes.
 * Temporary tables are MEMORY: filling 40,832 ids from a members scan took 1.7 s into an InnoDB
 * temporary table and 0.34 s into a MEMORY one (crm_bench_1m, loaded machine).
 */
export interface EvaluateOptions {
  now: Date;
  stores: readonly number[] | null;
  /** Forces every order condition one way (tests prove both give the same members); default: by cost. */
  plan?: 'auto' | 'window' | 'probe';
}

/**
 * The cost model, in "window index entries" (one entry of a range scan ≈ 0.5 µs on the bench
 * machine), fitted on crm_bench_1m (10M orders, 1M members) with the covering indexes:
 *  - a window set: its entries, plus a temporary-table group per member it meets (≈ 7 entries):
 *    90-day window (1.45M orders) → 428k members in 4.6 s; joined to 219k candidates, 128k
 *    members in 1.5 s; 30-day window joined to 40,832 candidates in 0.4 s;
 *  - a whole-history set: one scan of orders (member_id, paid_at, amount) in member order, the
 *    GROUP BY streaming: 10M entries in 3.1 s (0.6 each), each entry ≈ 1 when it also probes
 *    the candidates;
 *  - a probe: a correlated aggregate over the member's history in that index ≈ 50 entries of
 *    overhead plus one per order (40,832 in 1.24 s); a none / at-least-one probe stops at the
 *    first entry (219k in 0.44 s, ≈ 4);
 *  - listing the candidates first (a probe or a "none in the window" set needs them listed,
 *    with no other condition: every member in scope) ≈ 4 per member.
 */
const GROUP = 7;
const WHOLE_ENTRY = 0.6;
const WHOLE_JOINED_ENTRY = 1;
const PROBE_OVERHEAD = 50;
const HISTORY_ENTRY = 1;
const EXISTS_PROBE = 4;
const LIST_MEMBER = 4;
/** MEMORY temporary tables take their size limit at creation; 1M ids need ~60 MB, the default is 16 MB. */
const HEAP_BYTES = 1024 * 1024 * 1024;
const GROUP_BYTES = 512 * 1024 * 1024;

export async function materializeMembers(conn: PoolConnection, table: string, tree: SegmentTree, evalOpts: EvaluateOptions): Promise<number> {
  const leaves = windowLeaves(tree.root);
  const temps: string[] = [];
  // MEMORY tables take their size limit at creation (portable: MySQL 8.4 in docker compose, MariaDB here);
  // tmp_table_size keeps a GROUP BY over a long window (a group per member) in memory: at the
  // 16 MB default, grouping 10M orders into 1M members spilled to disk and took 83 s.
  await conn.query('SET SESSION max_heap_table_size = ?, tmp_table_size = ?', [HEAP_BYTES, GROUP_BYTES]);
  try {
    await createIdTable(conn, table, true);
    const stats = await orderStats(conn);
    // The store ids are read a moment before the statements: a member of a store created in between is left out, as if the evaluation had run first.
    const opts = { ...evalOpts, allStores: stats.storeIds };
    if (!leaves.length) {
      const { sql, params } = compileMemberIds(tree, opts);
      return affected(await conn.query(`INSERT INTO ${table} (id) ${sql}`, params));
    }

    const conjuncts = 'and' in tree.root ? tree.root.and : [tree.root];
    const local = conjuncts.filter((c) => windowLeaves(c).length === 0);
    const sized = await Promise.all(leaves.map(async (leaf) => ({ leaf, rows: await windowSize(conn, leaf, opts.now, stats.storeIds) })));
    let tables = 0;
    const idTable = async (kind: string): Promise<string> => {
      const name = `${table}_${kind}${tables++}`;
      temps.push(name);
      await createIdTable(conn, name, false);
      return name;
    };

    // 1. Candidates: the top-level conjuncts without an order condition, evaluated once. With
    //    none, they start from the first order condition's set instead of every member in scope.
    let cand: string | null = null;
    let candidates = stats.members; // an estimate until the candidates exist
    const fill = async (name: string, select: { sql: string; params: unknown[] }) => {
      cand = name;
      candidates = affected(await conn.query(`INSERT INTO ${name} (id) ${select.sql}`, select.params));
      return name;
    };
    const scoped = (from: string | null): { sql: string; params: unknown[] } => {
      if (from === null) return compileMemberIds(local.length ? { version: 1, root: { and: local } } : null, opts);
      const scope = compileScope(opts.stores, opts.allStores);
      return { sql: `SELECT STRAIGHT_JOIN m.id FROM ${from} s JOIN members m ON m.id = s.id WHERE ${scope.where}`, params: scope.params };
    };
    const candTable = async (): Promise<string> => cand ?? fill(await idTable('cand'), scoped(null));
    if (local.length) await candTable();

    const plan = opts.plan ?? 'auto';
    // Joining the window to the candidates pays (fewer rows to group) unless nearly everyone is a candidate.
    const joined = () => cand !== null && candidates < stats.members / 2;
    const listing = () => (cand === null ? stats.members * LIST_MEMBER : 0);
    const windowCost = (s: Sized) =>
      (s.leaf.days === undefined ? s.rows * (joined() ? WHOLE_JOINED_ENTRY : WHOLE_ENTRY) : s.rows + Math.min(s.rows, candidates) * GROUP) + (holdsWithoutRows(s.leaf) ? listing() : 0);
    const probeCost = (s: Sized) => listing() + candidates * (existsForm(s.leaf) ? EXISTS_PROBE : PROBE_OVERHEAD + stats.ordersPerMember * HISTORY_ENTRY);
    const cost = (s: Sized) => (plan === 'window' ? windowCost(s) : plan === 'probe' ? probeCost(s) : Math.min(windowCost(s), probeCost(s)));
    const byWindow = (s: Sized) => plan === 'window' || (plan === 'auto' && windowCost(s) <= probeCost(s));
    const replace = new Map<SegmentNode, string>();
    const windowSet = async (leaf: MetricCondition): Promise<{ set: string; complement: boolean }> => {
      const set = await idTable('set');
      const q = compileMetricSet(leaf, { now: opts.now, candidates: joined() ? cand : null, storeIds: stats.storeIds });
      await conn.query(`INSERT INTO ${set} (id) ${q.sql}`, q.params);
      return { set, complement: q.complement };
    };

    // 2. Order conditions that are top-level conjuncts narrow the candidates one by one, the
    //    cheapest for the candidates left first (re-costed after each), so the costly ones work
    //    on fewer members: "none in 90 days and spent > 2000 in all" takes the whole-history scan
    //    first (no member listing needed) and then probes its 219k members, not the other way.
    const topLevel = new Set<SegmentNode>(conjuncts);
    const pending = sized.filter((s) => topLevel.has(s.leaf));
    while (pending.length) {
      if (cand !== null && candidates === 0) break;
      const next = pending.reduce((a, b) => (cost(b) < cost(a) ? b : a));
      pending.splice(pending.indexOf(next), 1);
      const leaf = next.leaf;
      if (byWindow(next)) {
        const { set, complement } = await windowSet(leaf);
        if (complement) {
          const c = await candTable();
          candidates -= affected(await conn.query(`DELETE m FROM ${c} m WHERE m.id IN (SELECT id FROM ${set})`));
        } else if (cand === null) {
          await fill(await idTable('cand'), scoped(set)); // scope ∩ set
        } else {
          const prev: string = cand;
          await fill(await idTable('cand'), { sql: `SELECT STRAIGHT_JOIN c.id FROM ${set} s JOIN ${prev} c ON c.id = s.id`, params: [] });
        }
      } else {
        // Kept members into a new table: a DELETE would run the subquery without index condition pushdown (every order row read).
        const c = await candTable();
        const probe = compileCondition(leaf, opts);
        await fill(await idTable('cand'), { sql: `SELECT m.id FROM ${c} m WHERE ${probe.where}`, params: probe.params });
      }
      replace.set(leaf, 'TRUE');
    }
    const candFinal = await candTable();
    if (candidates === 0) return 0;

    // 3. Order conditions nested under OR / NOT: a set over the remaining candidates where cheaper.
    for (const s of sized.filter((x) => !topLevel.has(x.leaf))) {
      if (!byWindow(s)) continue;
      const { set, complement } = await windowSet(s.leaf);
      replace.set(s.leaf, `(m.id ${complement ? 'NOT IN' : 'IN'} (SELECT id FROM ${set}))`);
    }

    // 4. The rest of the tree over the candidates — nothing left when every conjunct was applied.
    if (conjuncts.every((c) => local.includes(c) || replace.get(c) === 'TRUE')) return affected(await conn.query(`INSERT INTO ${table} (id) SELECT id FROM ${candFinal}`));
    const { where, params } = compileWhere(tree, { ...opts, replace });
    return affected(await conn.query(`INSERT INTO ${table} (id) SELECT STRAIGHT_JOIN m.id FROM ${candFinal} c JOIN members m ON m.id = c.id WHERE ${where}`, params));
  } finally {
    if (temps.length) await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${temps.join(', ')}`).catch(() => {});
    await conn.query('SET SESSION max_heap_table_size = DEFAULT, tmp_table_size = DEFAULT').catch(() => {});
  }
}

/** An order condition with the optimizer's estimate of the orders its window holds. */
interface Sized {
  leaf: MetricCondition;
  rows: number;
}

/** Drops the result table of materializeMembers. */
/**
 * Copies a temporary id table from one connection to the same-named one on another (a replica's
 * selection onto the primary, which writes segment_members from it), in id order, 10,000 a batch.
 */
export async function copyMembersTable(from: PoolConnection, into: PoolConnection, table: string): Promise<number> {
  await into.query('SET SESSION max_heap_table_size = ?', [HEAP_BYTES]); // as large as the one it copies
  await createIdTable(into, table, true);
  let copied = 0;
  for (let after = -1; ; ) {
    const [rows] = await from.query<RowDataPacket[]>(`SELECT id FROM ${table} WHERE id > ? ORDER BY id LIMIT 10000`, [after]);
    if (!rows.length) return copied;
    await into.query(`INSERT INTO ${table} (id) VALUES ?`, [rows.map((r) => [r.id])]);
    copied += rows.length;
    after = Number(rows[rows.length - 1]!.id);
  }
}

export async function dropMembersTable(conn: PoolConnection, table: string): Promise<void> {
  await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${table}`);
}

/** The order conditions of a subtree that can be computed by window. */
function windowLeaves(n: SegmentNode): MetricCondition[] {
  if ('and' in n) return n.and.flatMap(windowLeaves);
  if ('or' in n) return n.or.flatMap(windowLeaves);
  if ('not' in n) return windowLeaves(n.not);
  return 'metric' in n && scansByWindow(n) ? [n] : [];
}

/** A MEMORY table of ids: HASH for lookups (half the cost of a BTREE probe), BTREE when read in id order (samples, diffs). */
async function createIdTable(conn: PoolConnection, name: string, ordered: boolean): Promise<void> {
  await conn.query(`DROP TEMPORARY TABLE IF EXISTS ${name}`);
  await conn.query(`CREATE TEMPORARY TABLE ${name} (id INT NOT NULL, PRIMARY KEY USING ${ordered ? 'BTREE' : 'HASH'} (id)) ENGINE=MEMORY`);
}

function affected(result: unknown): number {
  return Number((result as [{ affectedRows: number }])[0].affectedRows);
}

/** Every store id (the covering index leads with store_id) and orders per member, from the tables' statistics. */
async function orderStats(conn: PoolConnection): Promise<{ storeIds: number[]; ordersPerMember: number; members: number }> {
  const [stores] = await conn.query<any[]>('SELECT id FROM stores ORDER BY id');
  const [[row]] = await conn.query<any[]>(
    `SELECT (SELECT table_rows FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'orders') AS orders,
       (SELECT table_rows FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'members') AS members`,
  );
  const members = Number(row.members ?? 0);
  return { storeIds: stores.map((r) => Number(r.id)), ordersPerMember: Number(row.orders ?? 0) / Math.max(1, members), members };
}

/** The optimizer's estimate (index dives) of the orders in a condition's window. */
async function windowSize(conn: PoolConnection, leaf: MetricCondition, now: Date, storeIds: number[]): Promise<number> {
  if (!storeIds.length) return 0;
  const from = leaf.days === undefined ? new Date(0) : new Date(now.getTime() - leaf.days * 86_400_000);
  const [plan] = await conn.query<any[]>(
    'EXPLAIN SELECT 1 FROM orders o FORCE INDEX (orders_store_paid_member_amount_idx) WHERE o.store_id IN (?) AND o.paid_at > ? AND o.paid_at <= ?',
    [storeIds, from, now],
  );
  return Number(plan[0]?.rows ?? 0);
}
