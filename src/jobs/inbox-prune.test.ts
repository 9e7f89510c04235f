import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { claimInbound, completeClaim } from '../bot/inbox/store.ts';
import type { InboundMessage } from '../bot/types.ts';
import { startInboxPrune } from './inbox-prune.ts';

// The hourly inbox pruning, run by BullMQ's repeatable job on the real Redis against the real
// database: only rows older than INBOX_RETENTION_DAYS go, whatever their state.
describe('inbox and outbox pruning', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('inbox_prune', { INBOX_RETENTION_DAYS: '7' });
  });
  afterAll(async () => env?.cleanup());

  const message = (id: string): InboundMessage => ({ channel: 'wecom', messageId: id, from: 'u1', text: '帮助', receivedAt: new Date(), requestId: `r-${id}` });

  it('deletes the rows older than the retention and keeps the others', async () => {
    const { services } = env;
    const ages: Record<string, number> = { 'old-answered': 8, 'old-claimed': 30, 'six-days': 6, fresh: 0 };
    for (const [id, days] of Object.entries(ages)) {
      const claim = await claimInbound(services, message(id));
      if (claim.kind === 'claimed' && id !== 'old-claimed') await completeClaim(services, { ...message(id), token: claim.token }, { text: '答复' });
      await services.sql.query('UPDATE inbound_messages SET created_at = NOW(3) - INTERVAL ? DAY WHERE message_id = ?', [days, id]);
    }
    // Two outbox rows: one left behind two days ago by a worker that died mid-send, one queued now.
    await services.sql.query("INSERT INTO outbound_jobs (job_id, name, data, due_at, created_at) VALUES ('stale', 'push', '{}', NOW(3), NOW(3) - INTERVAL 2 DAY), ('fresh', 'push', '{}', NOW(3), NOW(3))");
    const prune = await startInboxPrune(services, 200);
    try {
      const until = Date.now() + 20_000;
      const left = async () => ((await services.sql.query<any[]>('SELECT message_id FROM inbound_messages ORDER BY message_id'))[0] as { message_id: string }[]).map((r) => r.message_id);
      while ((await left()).length > 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(await left()).toEqual(['fresh', 'six-days']);
      const pushes = async () => ((await services.sql.query<any[]>('SELECT job_id FROM outbound_jobs ORDER BY job_id'))[0] as { job_id: string }[]).map((r) => r.job_id);
      while ((await pushes()).length > 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(await pushes()).toEqual(['fresh']);
    } finally {
      await prune.close();
    }
  });
});
