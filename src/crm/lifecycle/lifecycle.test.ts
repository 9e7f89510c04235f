import { describe, expect, it } from 'vitest';
import { logInteraction } from '../service/interactions/index.ts';
import { adjustPoints } from '../loyalty/points/index.ts';
import { useCrmTestEnv } from '../../../test/support/crm/crm-test-env.ts';
import { createTicket } from '../service/tickets/index.ts';
import { findDuplicates } from '../customers/duplicates.ts';
import { eraseMember, erasedPhone, pendingDeletionRequests, requestDeletion } from './erase.ts';
import { findMembers } from '../customers/find.ts';
import { mergeMembers } from './merge.ts';
import { memberSummary } from '../customers/summary.ts';
import { profileHistory, updateMemberProfile } from '../customers/update.ts';
import { emailColumns, openPhone, phoneHash } from '../../../test/support/sealed-phone.ts';

// Profile history, duplicate detection, merge and erasure against MariaDB.
describe('member lifecycle', () => {
  const crm = useCrmTestEnv('lifecycle');
  const { as, id } = crm;

  it('records who changed which field, old → new, and masks phones for roles without phone view', async () => {
    const r = await updateMemberProfile(as('manager1'), id('M00000010'), { name: 'Zhang  Wei ', phone: '139-0000-0010', birthday: '1991-02-03' });
    expect(r.changed.map((c) => c.field).sort()).toEqual(['birthday', 'phone']);
    expect(r.changed.find((c) => c.field === 'phone')).toEqual({ field: 'phone', old: '13800000010', new: '13900000010' });
    const hist = await profileHistory(as('agent'), id('M00000010'));
    expect(hist.find((h) => h.field === 'phone')).toMatchObject({ oldValue: '138****0010', newValue: '139****0010', changedBy: 'store_manager_01' });
    await expect(updateMemberProfile(as('manager1'), id('M00000010'), { phone: '13800000001' })).rejects.toMatchObject({ code: 'phone_taken', status: 409 });
    await expect(updateMemberProfile(as('manager1'), id('M00000010'), { homeStoreId: crm.fx.stores.S2 })).rejects.toMatchObject({ code: 'store_out_of_scope', status: 403 });
    await expect(updateMemberProfile(as('agent'), id('M00000010'), { name: 'x' })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(updateMemberProfile(as('manager1'), id('M00000010'), { level: 5 } as never)).rejects.toMatchObject({ code: 'invalid_profile', status: 400 });
    expect(await crm.services.db.memberProfileChange.count({ where: { memberId: id('M00000010') } })).toBe(2);
  });

  it('masks emails in the history as the 360 view does, for roles without phone view', async () => {
    const m = id('M00000009');
    await updateMemberProfile(as('manager1'), m, { email: 'zhangweihua@example.com' });
    await updateMemberProfile(as('manager1'), m, { email: 'w@example.cn' });
    const masked = (await profileHistory(as('agent'), m)).filter((h) => h.field === 'email');
    expect(masked.map((h) => [h.oldValue, h.newValue])).toEqual([
      ['zh***@example.com', 'w***@example.cn'],
      [null, 'zh***@example.com'],
    ]);
    // The 360 view shows the agent the same mask; a role with phone view sees it whole in both.
    const view = await memberSummary(as('agent'), { memberNo: 'M00000009' });
    expect(view.kind === 'one' && view.summary.member.email).toBe('w***@example.cn');
    const whole = (await profileHistory(as('manager1'), m)).filter((h) => h.field === 'email');
    expect(whole[0]).toMatchObject({ oldValue: 'zhangweihua@example.com', newValue: 'w@example.cn' });
  });

  it('finds members with the same name and birthday as duplicates', async () => {
    const groups = await findDuplicates(as('hq'));
    const zw = groups.find((g) => g.key.startsWith('张伟|'));
    expect(zw?.members.map((m) => m.memberNo)).toEqual(['M00000001', 'M00000002', 'M00000003']);
    // A store manager sees only the duplicates inside their stores (and needs member.merge: HQ only).
    await expect(findDuplicates(as('manager1'))).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('counts the orders of a duplicate net of refunds: a fully refunded order is no purchase', async () => {
    const memberOrders = async () => (await findDuplicates(as('hq'))).find((g) => g.key.startsWith('张伟|'))!.members.find((m) => m.memberNo === 'M00000002')!.orders;
    const before = await memberOrders();
    const [[o]] = await crm.services.sql.query<any[]>('SELECT id FROM orders WHERE member_id = ? ORDER BY id LIMIT 1', [id('M00000002')]);
    expect(o).toBeDefined();
    await crm.services.sql.query('UPDATE orders SET refunded_amount = amount WHERE id = ?', [o.id]);
    try {
      expect(await memberOrders()).toBe(before - 1);
    } finally {
      await crm.services.sql.query('UPDATE orders SET refunded_amount = 0 WHERE id = ?', [o.id]);
    }
  });

  it('merges a duplicate: orders, tags, points, interactions and tickets move; figures add up; audited', async () => {
    const S = id('M00000001');
    const M = id('M00000003');
    await adjustPoints(as('hq'), { memberId: M, delta: 300, reason: '消费奖励' });
    await logInteraction(as('hq'), { memberId: M, type: 'consultation', channel: 'wechat', content: '问营业时间' });
    await createTicket(as('hq'), { memberId: M, type: 'repair', title: '座椅坏了' });
    await crm.services.db.memberTag.create({ data: { memberId: M, tagId: (await crm.services.db.tag.findUniqueOrThrow({ where: { name: '新客' } })).id } });
    await crm.services.db.member.update({ where: { id: M }, data: { openid: 'oDUPLICATE', growthValue: 100 } });
    const [ordersS, ordersM, pointsS] = await Promise.all([
      crm.services.db.order.count({ where: { memberId: S } }),
      crm.services.db.order.count({ where: { memberId: M } }),
      crm.services.db.member.findUniqueOrThrow({ where: { id: S } }).then((m) => m.points),
    ]);
    const spendBefore = await crm.services.db.order.aggregate({ where: { memberId: { in: [S, M] } }, _sum: { amount: true } });

    const a = as('hq');
    const r = await mergeMembers(a, { survivorId: S, mergedId: M, reason: '同一人两个手机号' });
    expect(r.moved).toMatchObject({ orders: ordersM, interactions: 1, tickets: 1, tags: 1, points: 1500 });
    const s = await crm.services.db.member.findUniqueOrThrow({ where: { id: S } });
    const m = await crm.services.db.member.findUniqueOrThrow({ where: { id: M } });
    expect(s).toMatchObject({ points: pointsS + 1500, openid: 'oDUPLICATE', growthValue: 3400 + 100 });
    expect(m).toMatchObject({ status: 'deleted', mergedIntoId: S, points: 0, openid: null });
    expect(await crm.services.db.order.count({ where: { memberId: S } })).toBe(ordersS + ordersM);
    const spendAfter = await crm.services.db.order.aggregate({ where: { memberId: S }, _sum: { amount: true } });
    expect(spendAfter._sum.amount?.toFixed(2)).toBe(spendBefore._sum.amount?.toFixed(2));
    expect((await crm.services.db.memberTag.findMany({ where: { memberId: S }, include: { tag: true } })).map((t) => t.tag.name).sort()).toEqual(['VIP', '新客']);
    const ledger = await crm.services.db.pointsLedger.findMany({ where: { kind: 'merge' }, orderBy: { id: 'asc' } });
    expect(ledger.map((e) => [e.memberId, e.delta, e.balanceAfter])).toEqual([[M, -1500, 0], [S, 1500, pointsS + 1500]]);
    expect((await crm.services.db.auditLog.findMany({ where: { requestId: a.requestId } })).map((x) => x.action)).toEqual(['member.merge', 'member.merged_into']);
    expect(await crm.services.db.memberMerge.count()).toBe(1);
    // The duplicate is gone from searches; merging it again is refused.
    expect((await findMembers(as('hq'), { phone: '13800000003' })).total).toBe(0);
    await expect(mergeMembers(as('hq'), { survivorId: S, mergedId: M })).rejects.toMatchObject({ code: 'member_not_found' });
  });

  it('rolls a merge that fails at its last step back completely', async () => {
    const S = id('M00000005');
    const M = id('M00000006');
    // The merge's last write is the member_merges row: make it fail, everything before must undo.
    await crm.services.sql.query("CREATE TRIGGER fail_merge BEFORE INSERT ON member_merges FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected'");
    const snapshot = async () => ({
      orders: await crm.services.db.order.count({ where: { memberId: M } }),
      members: await crm.services.db.member.findMany({ where: { id: { in: [S, M] } }, orderBy: { id: 'asc' }, select: { status: true, points: true, growthValue: true, mergedIntoId: true } }),
      ledger: await crm.services.db.pointsLedger.count({ where: { memberId: { in: [S, M] } } }),
    });
    const before = await snapshot();
    try {
      await expect(mergeMembers(as('hq'), { survivorId: S, mergedId: M })).rejects.toThrow(/injected/);
    } finally {
      await crm.services.sql.query('DROP TRIGGER fail_merge');
    }
    expect(await snapshot()).toEqual(before);
    expect(await crm.services.db.auditLog.count({ where: { action: 'member.merge', targetId: String(S) } })).toBe(0);
  });

  it('erases a member on request: personal data gone, order figures kept, nothing findable', async () => {
    const M = id('M00000007');
    await logInteraction(as('hq'), { memberId: M, type: 'complaint', channel: 'call', content: '家住XX小区，电话13800000007' });
    await updateMemberProfile(as('hq'), M, { name: '陈静静' });
    await crm.services.sql.query('UPDATE members SET email_enc = ?, email_hash = ? WHERE id = ?', [...Object.values(emailColumns('chen@example.com')), M]);
    const spend = await crm.services.db.order.aggregate({ where: { memberId: M }, _sum: { amount: true }, _count: { _all: true } });
    const storeSpend = await crm.services.db.order.aggregate({ where: { storeId: crm.fx.stores.S1 }, _sum: { amount: true } });
    await expect(eraseMember(as('manager1'), { memberId: M })).rejects.toMatchObject({ code: 'permission_denied' });

    // The member asks (twice: one request), HQ sees it and carries it out.
    const member = { kind: 'member' as const, memberId: M, name: '陈静静', phone: '13800000007', homeStoreId: crm.fx.stores.S1 };
    const asked = await requestDeletion({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'del-1' }, { memberId: M, reason: '不再使用' });
    expect(await requestDeletion({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'del-2' }, { memberId: M })).toEqual({ requestId: asked.requestId, created: false });
    await expect(requestDeletion({ services: crm.services, actor: member, channel: 'miniprogram', requestId: 'del-3' }, { memberId: id('M00000001') })).rejects.toMatchObject({ code: 'not_your_member' });
    expect((await pendingDeletionRequests(as('hq'))).map((d) => d.id)).toEqual([asked.requestId]);

    const a = as('hq');
    const r = await eraseMember(a, { memberId: M, reason: '会员申请注销' });
    expect(r.requestId).toBe(asked.requestId);
    expect(await pendingDeletionRequests(as('hq'))).toEqual([]);
    expect(r.kept).toEqual({ orders: spend._count._all, totalSpend: spend._sum.amount!.toFixed(2) });
    const m = await crm.services.db.member.findUniqueOrThrow({ where: { id: M } });
    expect(openPhone(m.phoneEnc)).toBe(erasedPhone(M));
    expect(m).toMatchObject({ name: '已注销用户', phoneHash: phoneHash(erasedPhone(M)), emailEnc: null, emailHash: null, birthday: null, gender: 'unknown', openid: null, status: 'deleted' });
    expect(m.erasedAt).not.toBeNull();
    const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
    const texts = json(await crm.services.db.interaction.findMany({ where: { memberId: M } })) + json(await crm.services.db.ticket.findMany({ where: { memberId: M } })) + json(await crm.services.db.memberProfileChange.findMany({ where: { memberId: M } }));
    expect(texts).not.toContain('13800000007');
    expect(texts).not.toContain('陈静');
    expect(await crm.services.db.memberTag.count({ where: { memberId: M } })).toBe(0);
    expect((await crm.services.db.order.aggregate({ where: { storeId: crm.fx.stores.S1 }, _sum: { amount: true } }))._sum.amount?.toFixed(2)).toBe(storeSpend._sum.amount?.toFixed(2));
    expect(await crm.services.db.deletionRequest.findMany({ where: { memberId: M } })).toEqual([expect.objectContaining({ status: 'completed', requestedBy: `member:${M}`, reason: '不再使用' })]);
    expect((await crm.services.db.auditLog.findMany({ where: { requestId: a.requestId } })).map((x) => x.action)).toEqual(['member.erase']);
    expect((await findMembers(as('hq'), { phone: '13800000007' })).total).toBe(0);
    expect((await memberSummary(as('hq'), { name: '已注销用户' })).kind).toBe('none');
    await expect(eraseMember(as('hq'), { memberId: M })).rejects.toMatchObject({ code: 'member_not_found' });
  });
});
