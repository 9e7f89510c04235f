import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleContactEvent } from '../../src/crm/contacts/index.ts';
import { runTransferPoll } from '../../src/jobs/transfer-poll.ts';
import { startContactsRig, type ContactsRig } from './contacts-rig.ts';

/**
 * "把黄丽的客户转给李娜" from a manager, through the real bot (console channel): previewed and held,
 * run on 确认 in calls of at most 100, tracked to completion (transfer_result polled, a
 * transfer_fail event) and reported to the manager with every failure named.
 */
let r: ContactsRig;
const ids = Array.from({ length: 205 }, (_, i) => `wmT${String(i).padStart(3, '0')}`);
const say = async (text: string) => (await (await r.rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'hq_ops_01', text }) })).json()) as { reply: string; intent: string; outcome?: string };

beforeAll(async () => {
  r = await startContactsRig('contacts-transfer');
  for (const [i, id] of ids.entries()) {
    r.wc.addCustomer({ external_userid: id, name: `客户${i}`, follow: [{ userid: 'agent_01' }] });
    await handleContactEvent(r.services, r.port, { kind: 'contact', changeType: 'add_external_contact', userId: 'agent_01', externalUserId: id });
  }
  // Transferred twice in the last 90 days already (在职继承: at most 2): we do not ask WeCom again.
  r.wc.pastTransfer('wmT203', 10);
  r.wc.pastTransfer('wmT203', 40);
  await r.services.sql.query(
    "INSERT INTO wecom_transfers (batch, kind, handover_userid, takeover_userid, external_userid, status, requested_by, created_at, reported_at) VALUES ('old1', 'in_service', 'x', 'agent_01', 'wmT203', 'done', 'hq_ops_01', NOW(3) - INTERVAL 10 DAY, NOW(3)), ('old2', 'in_service', 'y', 'x', 'wmT203', 'done', 'hq_ops_01', NOW(3) - INTERVAL 40 DAY, NOW(3))",
  );
  // No longer 黄丽's customer on WeCom's side (she was deleted by them meanwhile): WeCom refuses it (84061).
  r.wc.customers.get('wmT204')!.follow = [{ userid: 'agent_02' }];
}, 180_000);
afterAll(async () => r?.close());

describe('contacts.transfer', () => {
  it('previews the count and holds the transfer until 确认', async () => {
    const held = await say('把黄丽的客户转给李娜');
    expect(held.intent).toBe('contacts.transfer');
    expect(held.outcome).toBe('held');
    expect(held.reply).toContain('黄丽的 204 位企业微信客户转给李娜');
    expect(held.reply).toContain('1 位 90 天内已被转接 2 次');
    expect(r.wc.transferCalls).toEqual([]);
  });

  it('on 确认: transfer_customer in calls of at most 100, failures named in the answer', async () => {
    const done = await say('确认');
    expect(done.outcome).toBe('done');
    expect(r.wc.transferCalls.map((c) => [c.api, c.external_userid.length])).toEqual([
      ['transfer_customer', 100],
      ['transfer_customer', 100],
      ['transfer_customer', 4],
    ]);
    expect(done.reply).toContain('203 位等待接替');
    expect(done.reply).toContain('2 位未能转接');
    expect(done.reply).toContain('客户203（90 天内已转接 2 次）');
    expect(done.reply).toContain('客户204（不是该成员的客户）');
    const states = await r.rows("SELECT status, errcode, COUNT(*) AS n FROM wecom_transfers WHERE batch NOT LIKE 'old%' GROUP BY status, errcode ORDER BY status");
    expect(states).toEqual([
      { status: 'failed', errcode: 84061, n: 1 },
      { status: 'limit', errcode: 40128, n: 1 },
      { status: 'waiting', errcode: null, n: 203 },
    ]);
  });

  it('tracks each customer to completion (transfer_result and transfer_fail) and reports the outcome once', async () => {
    expect(await runTransferPoll(r.services)).toBe(0); // all still waiting: nothing to report yet
    r.wc.settleTransfer('wmT000', 3); // the customer refused
    // The takeover member is full: WeCom says so with a transfer_fail event (UserID: the takeover member).
    r.wc.settleTransfer('wmT001', 4);
    const ev = await r.contactEvent('transfer_fail', 'store_manager_01', 'wmT001', { FailReason: 'customer_limit_exceed' });
    expect(ev).toEqual({ status: 200, body: '' });
    for (const id of ids.slice(2, 203)) r.wc.settleTransfer(id, 1);
    expect(await runTransferPoll(r.services)).toBe(1);
    const settled = await r.rows("SELECT status, COUNT(*) AS n FROM wecom_transfers WHERE batch NOT LIKE 'old%' GROUP BY status ORDER BY status");
    expect(settled).toEqual([
      { status: 'done', n: 201 },
      { status: 'failed', n: 1 },
      { status: 'limit', n: 2 },
      { status: 'refused', n: 1 },
    ]);
    const [report] = await r.rows("SELECT data FROM outbound_jobs WHERE name = 'transfer-report'");
    const job = JSON.parse(String(report!.data)) as { channel: string; to: string; text: string };
    expect(job).toMatchObject({ channel: 'wecom', to: 'hq_ops_01' });
    expect(job.text).toContain('黄丽 → 李娜，成功 201 位');
    expect(job.text).toContain('未成功 4 位');
    expect(job.text).toContain('客户0（客户拒绝）');
    expect(job.text).toContain('客户1（接替成员客户数已达上限）');
    // The customers now follow 李娜; 黄丽's relationships are ended by the transfer.
    const [moved] = await r.rows("SELECT COUNT(*) AS n FROM wecom_follows WHERE staff_userid = 'store_manager_01' AND deleted_at IS NULL");
    expect(Number(moved!.n)).toBe(201);
    const [left] = await r.rows("SELECT COUNT(*) AS n FROM wecom_follows WHERE staff_userid = 'agent_01' AND deleted_by = 'transfer'");
    expect(Number(left!.n)).toBe(201);
    // Reported once.
    expect(await runTransferPoll(r.services)).toBe(0);
  });

  it('a staff member named by a short form part of exactly one staff name is found; one part of several is asked about (session 19)', async () => {
    await r.services.sql.query("INSERT INTO staff (wecom_user_id, name, role) VALUES ('agent_91', '客服小吴', 'agent'), ('agent_92', '前台小马', 'agent'), ('agent_93', '收银小马', 'agent')");
    const held = await say('把黄丽的客户转给小吴');
    expect(held.outcome).toBe('held');
    expect(held.reply).toContain('转给客服小吴');
    expect((await say('取消')).intent).toBe('action.cancel');
    const two = await say('把黄丽的客户转给小马');
    expect(two.outcome).not.toBe('held');
    expect(two.reply).toContain('前台小马、收银小马');
    // One character is no short form.
    expect((await say('把黄丽的客户转给吴')).reply).toContain('没有员工「吴」');
  });

  it('a staff member outside the manager’s stores cannot be transferred', async () => {
    const res = await (await r.rt.app.request('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'store_manager_01', text: '把周俊的客户转给李娜' }) })).json() as { reply: string; outcome?: string };
    expect(res.outcome).toBe('declined');
    expect(res.reply).toContain('不在你管理的门店');
  });
});
