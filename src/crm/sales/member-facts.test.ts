import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { generate } from '../../../test/support/health-expected.ts';
import { withTransaction } from '../kernel/index.ts';
import type { CountedOrder } from './digest.ts';
import { memberFacts, rebuildMemberStats } from './rollup.ts';

// memberFacts' named `lock` option (rollup.ts): the nightly move's recomputeMembers and every
// order write's resync lock the members' rows through it; a plain read locks nothing.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('memberFacts lock option', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('member_facts', {}, { now: () => NOW });
    await generate(env.services, 40, NOW);
    await rebuildMemberStats(env.services.sql, NOW);
  }, 120_000);
  afterAll(async () => {
    await env?.cleanup();
  });

  /** The member's rows another connection cannot lock at once (NOWAIT: an error when a lock is held), each table tried alone. */
  const lockedElsewhere = async (member: number) => {
    const held: string[] = [];
    for (const [table, key] of [['members', 'id'], ['member_stats', 'member_id'], ['member_order_digests', 'member_id']] as const) {
      const conn = await env.services.sql.getConnection();
      try {
        await conn.beginTransaction();
        await conn.query(`SELECT 1 FROM ${table} WHERE ${key} = ? FOR UPDATE NOWAIT`, [member]);
      } catch {
        held.push(table);
      } finally {
        await conn.rollback();
        conn.release();
      }
    }
    return held;
  };
  const buyer = async () => {
    const [[r]] = await env.services.sql.query<any[]>('SELECT member_id FROM member_order_digests WHERE orders <> \'\' ORDER BY member_id LIMIT 1');
    return Number(r.member_id);
  };

  it('with lock: the member, member_stats and digest rows are held until the transaction ends', async () => {
    const member = await buyer();
    const during = await withTransaction(env.services.sql, async (conn) => {
      const facts = await memberFacts(conn, [member], NOW, { lock: true });
      expect(facts.get(member)?.registeredAt).toBeInstanceOf(Date);
      return lockedElsewhere(member);
    });
    expect(during).toEqual(['members', 'member_stats', 'member_order_digests']);
    expect(await lockedElsewhere(member)).toEqual([]);
  });

  it('without lock: the same facts, nothing held', async () => {
    const member = await buyer();
    const during = await withTransaction(env.services.sql, async (conn) => {
      const plain = await memberFacts(conn, [member], NOW);
      expect([...plain.values()][0]).toEqual((await memberFacts(conn, [member], NOW, { lock: true })).get(member));
      return plain;
    });
    expect(during.size).toBe(1);
    const free = await withTransaction(env.services.sql, async (conn) => {
      await memberFacts(conn, [member], NOW);
      return lockedElsewhere(member);
    });
    expect(free).toEqual([]);
  });

  it('with lock and digests: the digest rows are read (the resync reads its "before" from them) and held', async () => {
    const member = await buyer();
    const digests = new Map<number, CountedOrder[]>();
    const held = await withTransaction(env.services.sql, async (conn) => {
      await memberFacts(conn, [member], NOW, { lock: true, digests });
      return lockedElsewhere(member);
    });
    expect(held).toEqual(['members', 'member_stats', 'member_order_digests']);
    const [[n]] = await env.services.sql.query<any[]>('SELECT order_count FROM member_stats WHERE member_id = ?', [member]);
    expect(digests.get(member)?.length).toBe(Number(n.order_count));
  });
});
