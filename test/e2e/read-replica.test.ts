/**
 * Heavy reads on a read replica (READ_DATABASE_URL; docs/scale-out.md): a MariaDB primary and a
 * replica of the test's own (test/support/private-mariadb.ts; never the machine's server on
 * 3306), the primary migrated and filled, the replica caught up. With replication stopped, a
 * change made on the replica alone shows which server a read went to: segment previews and a
 * segment run's selection see it, while the run's list, the segment and the audit rows land on
 * the primary. Dashboards, the churn list and the RFM overview are counted on the replica
 * (Com_select); an export of a list just stored waits for the replica or reads the primary.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffAccess } from '../../src/crm/kernel/index.ts';
import { churnList, createSegment, exportSegment, healthDashboard, previewTree, rfmOverview, runScoring } from '../../src/crm/insights/index.ts';
import { stopChildren } from '../support/child.ts';
import { createFixture, NOW, type Fixture } from '../support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../support/env.ts';
import { mariadbUnavailable, startPrivateMariadbPair, type PrivateMariadbPair } from '../support/private-mariadb.ts';

const missing = mariadbUnavailable();
if (missing) console.warn(`read-replica test skipped: ${missing}`);

describe.skipIf(missing !== null)('reads on a MariaDB replica (READ_DATABASE_URL)', () => {
  let pair: PrivateMariadbPair;
  let env: TestEnv;
  let fx: Fixture;
  let db: string;
  const hq = (): StaffAccess => ({ services: env.services, actor: fx.staff.hq, channel: 'api', requestId: `rr-${Math.random()}` });
  const on = (server: 'primary' | 'replica') => <T>(sql: string, params: unknown[] = []) => pair[server].query<T>(sql.replaceAll('DB.', `\`${db}\`.`), params);
  const byName = (name: string) => ({ version: 1, root: { field: 'name', op: 'eq', value: name } });

  beforeAll(async () => {
    pair = await startPrivateMariadbPair();
    // Replication is stopped on purpose below to see which server answers: lag is not checked here (read-replica-fallback.test.ts checks it).
    env = await createTestEnv('read_replica', { READ_REPLICA_MAX_LAG_S: '0' }, { now: () => NOW, server: pair.primary.url, readServer: pair.replica.url });
    db = new URL(env.databaseUrl).pathname.slice(1);
    fx = await createFixture(env.services);
    await runScoring({ services: env.services }, NOW);
    await pair.caughtUp();
  }, 90_000);

  afterAll(async () => {
    await env?.cleanup().catch(() => undefined);
    await pair?.stop();
    if (db) await rm(join(tmpdir(), `crm-rr-${db}`), { recursive: true, force: true });
    await stopChildren();
  });

  it('replicates the migrated schema and the data written on the primary', async () => {
    expect(env.services.readSql).not.toBe(env.services.sql);
    const [p] = await on('primary')<{ n: number }[]>('SELECT COUNT(*) AS n FROM DB.members');
    const [r] = await on('replica')<{ n: number }[]>('SELECT COUNT(*) AS n FROM DB.members');
    expect(Number(p!.n)).toBeGreaterThan(5);
    expect(Number(r!.n)).toBe(Number(p!.n));
  });

  it('previews and selects a segment on the replica, and writes its list, the segment and the audit on the primary', async () => {
    const id = fx.memberIds.M00000001!;
    await pair.stopReplication();
    // A change the replica alone has (root passes read_only), so a read of it can only come from there.
    await on('replica')('UPDATE DB.members SET name = ? WHERE id = ?', ['只在副本', id]);
    try {
      const preview = await previewTree(hq(), byName('只在副本'));
      expect([preview.count, preview.sample.map((m) => m.memberId)]).toEqual([1, [id]]);
      expect((await previewTree(hq(), byName('张伟'))).count).toBe(2); // three on the primary, one renamed on the replica

      const { segment, run } = await createSegment(hq(), { name: '副本选出', tree: byName('只在副本') });
      expect([run.count, run.joinedIds]).toEqual([1, [id]]);
      const onPrimary = await on('primary')<{ member_id: number }[]>('SELECT member_id FROM DB.segment_members WHERE segment_id = ?', [segment.id]);
      expect(onPrimary.map((r) => Number(r.member_id))).toEqual([id]);
      // Replication is stopped: none of these writes reached the replica.
      expect(await on('replica')('SELECT id FROM DB.segments WHERE id = ?', [segment.id])).toEqual([]);
      const audits = async (server: 'primary' | 'replica') => Number((await on(server)<{ n: number }[]>("SELECT COUNT(*) AS n FROM DB.audit_logs WHERE action = 'segment.preview'"))[0]!.n);
      expect([await audits('primary'), await audits('replica')]).toEqual([2, 0]);

      // An export right after the run: the replica lacks the list, so it is read from the primary.
      const out = await exportSegment(hq(), segment.id, { dir: join(tmpdir(), `crm-rr-${db}`), unmaskPhone: false });
      expect(out.rows).toBe(1);
      expect(await readFile(out.file, 'utf8')).toContain('M00000001');
    } finally {
      await on('replica')('UPDATE DB.members SET name = ? WHERE id = ?', ['张伟', id]);
      await pair.startReplication();
    }
    await pair.caughtUp();
  });

  it('reads dashboards, the churn list, the RFM overview and a caught-up export from the replica', async () => {
    const counted = async (what: () => Promise<unknown>) => {
      const before = await pair.replicaSelects();
      await what();
      return (await pair.replicaSelects()) - before;
    };
    expect(await counted(() => healthDashboard(hq(), { granularity: 'month' }))).toBeGreaterThan(3);
    expect(await counted(() => churnList(hq(), { limit: 10 }))).toBeGreaterThan(0);
    expect(await counted(() => rfmOverview(hq()))).toBeGreaterThanOrEqual(3);
    const { segment } = await createSegment(hq(), { name: '王芳们', tree: byName('王芳') });
    await pair.caughtUp();
    let rows = 0;
    // The fence's probe and the export's stream: both on the replica once it has the run.
    expect(await counted(async () => (rows = (await exportSegment(hq(), segment.id, { dir: join(tmpdir(), `crm-rr-${db}`) })).rows))).toBeGreaterThanOrEqual(2);
    expect(rows).toBe(1);
  });
});
