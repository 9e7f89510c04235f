import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeQyapi, type FakeQyapi } from '../fakes/qyapi.ts';
import { createApiTestEnv, type ApiTestEnv } from '../api/support.ts';
import { NOW } from '../support/crm/fixture.ts';
import { encryptedCallback, readPassiveReply, templateCardEventXml } from '../support/wecom-callback-builder.ts';
import { AGENT_ID, SECRET, keys, post, waitFor, weComEnv } from '../support/wecom-app.ts';

/**
 * The second approver of an export asked in WeCom (docs/guides/administrator.md): the eligible
 * approvers get a confirm card; 确认 approves exactly as POST /api/crm/exports/{id}/approve
 * (never the requester, audited once), 取消 rejects.
 */
describe('export approval by card', () => {
  let t: ApiTestEnv;
  let fake: FakeQyapi;
  let seq = 0;

  const click = async (taskId: string, key: string, from: string) => {
    const req = encryptedCallback(keys, templateCardEventXml({ corpId: keys.corpId, from, taskId, key, responseCode: fake.cards.clickCode(taskId), createTime: Math.floor(NOW.getTime() / 1000) + ++seq }), NOW);
    const res = await post(t.rt, req);
    expect(res.status).toBe(200);
    const body = await res.text();
    return body === '' ? '' : (readPassiveReply(keys, { status: 200, contentType: 'application/xml', body }).Content ?? '');
  };
  const ask = async () => {
    const before = fake.cards.sent.length;
    const asked = await t.call(t.tokens.hq, 'POST', '/api/crm/exports', { fields: ['memberNo', 'phone'], tag: 'VIP', unmaskPhone: true });
    expect(asked.status).toBe(201);
    const card = await waitFor(() => fake.cards.sent.slice(before).find((c) => c.touser === 'marketer_01'));
    return { id: String(asked.body.id), card, before };
  };
  const audits = async (action: string, id: string) => (await t.auditRows('action = ? AND target_id = ?', [action, id])).length;

  beforeAll(async () => {
    fake = await startFakeQyapi({ corpId: keys.corpId, corpSecret: SECRET, agentId: AGENT_ID });
    t = await createApiTestEnv('e2e_export_cards', { ...weComEnv(fake.url), WECOM_REPLY_BUDGET_MS: '4000' }, { now: () => NOW });
    t.rt.startWorkers();
  });
  afterAll(async () => {
    await t?.cleanup();
    await fake?.close();
  });

  it('asks the eligible approvers (not the requester) with a card; 确认 approves once, as the API does', async () => {
    const { id, card, before } = await ask();
    expect(card.cardType).toBe('button_interaction');
    expect(String(card.card.sub_title_text)).toContain('总部运营');
    expect(String(card.card.sub_title_text)).toContain('含完整手机号');
    await new Promise((r) => setTimeout(r, 300));
    // hq_ops_01 asked; store managers and agents lack member.export: only the marketer is asked.
    expect(fake.cards.sent.slice(before).map((c) => c.touser)).toEqual(['marketer_01']);

    // The requester clicking the card (forwarded, or forged) is refused exactly as the API refuses.
    expect(await click(card.taskId, 'confirm', 'hq_ops_01')).toContain('you asked for this export');
    expect(await click(card.taskId, 'confirm', 'agent_01')).toContain('没有此操作的权限（member.export）');
    expect(await audits('export.approved', id)).toBe(0);
    expect((await t.call(t.tokens.hq, 'GET', `/api/crm/exports/${id}`)).body.status).toBe('pending');

    expect(await click(card.taskId, 'confirm', 'marketer_01')).toContain('已批准');
    expect(await audits('export.approved', id)).toBe(1);
    const [row] = await t.auditRows("action = 'export.approved' AND target_id = ?", [id]);
    expect(row.actor_id).toBe('marketer_01');
    const file = await t.rt.app.request(`/api/crm/exports/${id}/download`, { headers: { authorization: `Bearer ${t.tokens.hq}` } });
    expect(file.status).toBe(200);
    expect((await waitFor(() => fake.cards.updates.find((u) => u.taskId === card.taskId))).replaceName).toBe('已批准 · 市场小陈');
    const notice = await waitFor(() => fake.sent.find((m) => m.touser === 'hq_ops_01' && m.content.includes('已批准你的导出')));
    expect(notice.content).toContain('市场小陈');

    expect(await click(card.taskId, 'confirm', 'marketer_01')).toContain('已经处理过');
    expect(await audits('export.approved', id)).toBe(1);
  });

  it('取消 rejects the request: audited, and it can no longer be approved', async () => {
    const { id, card } = await ask();
    expect(await click(card.taskId, 'cancel', 'marketer_01')).toContain('已拒绝');
    expect(await audits('export.rejected', id)).toBe(1);
    expect((await t.call(t.tokens.marketer, 'POST', `/api/crm/exports/${id}/approve`)).body.error.code).toBe('export_not_found');
    expect((await waitFor(() => fake.cards.updates.find((u) => u.taskId === card.taskId))).replaceName).toBe('已拒绝 · 市场小陈');
    expect(await click(card.taskId, 'confirm', 'marketer_01')).toContain('已经处理过');
    expect(await audits('export.approved', id)).toBe(0);
  });
});
