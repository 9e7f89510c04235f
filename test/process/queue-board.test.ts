/**
 * The queue dashboard at /admin/queues (docs/deployment.md, "Queue dashboard"): bull-board over
 * every queue, behind the same identity as every admin surface and for administrators only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.ts';
import { createApiTestEnv, type ApiTestEnv } from '../api/support.ts';

let t: ApiTestEnv;
let admin: string;
beforeAll(async () => {
  t = await createApiTestEnv('queue_board');
  await t.env.services.db.staff.create({ data: { wecomUserId: 'admin_board', name: '系统管理员', role: 'admin' } });
  admin = (await createApiToken(t.env.services, { staff: 'admin_board', name: 'board' })).token;
}, 180_000);
afterAll(async () => {
  await t?.rt.stop();
  await t?.cleanup();
});

describe('GET /admin/queues', () => {
  it('asks for sign-in without an identity, and refuses a non-admin', async () => {
    const anonymous = await t.call(null, 'GET', '/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const manager = await t.call(t.tokens.manager1, 'GET', '/admin/queues/api/queues');
    expect(manager.status).toBe(403);
    expect(manager.body.error.code).toBe('permission_denied');
  });

  it('shows an admin every queue with its jobs', async () => {
    await t.env.services.queues.outbound.add('push', { channel: 'console', to: 'store_manager_01', text: 'board test' }, { delay: 3_600_000 });
    const page = await t.call(admin, 'GET', '/admin/queues');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await t.call(admin, 'GET', '/admin/queues/api/queues?activeQueue=outbound&status=delayed&page=1');
    expect(api.status).toBe(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['crm-maintenance', 'inbox-answers', 'journey-control', 'journey-steps', 'outbound', 'scoring', 'segment-refresh']);
    const outbound = (api.body.queues as { name: string; counts: Record<string, number> }[]).find((q) => q.name === 'outbound')!;
    expect(outbound.counts.delayed).toBe(1);
  });
});
