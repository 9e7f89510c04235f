import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import type { StaffActor } from '../bot/types.ts';
import { createFixture, NOW, type Fixture } from '../../test/support/crm/fixture.ts';
import { isAppError } from '../crm/kernel/errors.ts';
import { can } from '../crm/kernel/permissions.ts';
import type { Services } from '../services.ts';
import { getIntent, intents } from './catalogue.ts';
import { helpText, UNLISTED_IN_HELP } from './help-text.ts';

// Each intent's run() against the real database: store scope, masking, audit rows, tags,
// money formatting. The pipeline validates slots first, so these call run() with parsed slots.
describe('intents', () => {
  let env: TestEnv;
  let services: Services;
  let fx: Fixture;
  let seq = 0;
  beforeAll(async () => {
    env = await createTestEnv('intents');
    services = { ...env.services, now: () => NOW };
    fx = await createFixture(services);
  });
  afterAll(async () => env?.cleanup());

  async function ask(name: string, actor: StaffActor, slots: Record<string, unknown>) {
    const intent = getIntent(name)!;
    const requestId = `req-${++seq}`;
    const parsed = intent.slots.parse(slots);
    const result = await intent.run({ services, actor, channel: 'console', requestId, lang: 'zh' }, parsed);
    return { ...result, requestId };
  }
  const auditOf = (requestId: string) => services.db.auditLog.findMany({ where: { requestId } });

  describe('member.lookup', () => {
    it('finds by phone however typed, shows the full phone to a store manager, and audits the read', async () => {
      for (const phone of ['13800000001', '138-0000-0001', '+86 138 0000 0001', '１３８０００００００１']) {
        const r = await ask('member.lookup', fx.staff.manager1, { phone });
        expect(r.text).toContain('张伟（M00000001）');
        expect(r.text).toContain('手机 13800000001');
        const rows = await auditOf(r.requestId);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ actorType: 'staff', actorId: 'store_manager_01', action: 'member.lookup', targetType: 'member', targetId: String(fx.memberIds.M00000001), channel: 'console' });
      }
    });

    it('finds by member number in any case', async () => {
      const r = await ask('member.lookup', fx.staff.manager1, { memberNo: 'm00000004' });
      expect(r.text).toContain('李娜（M00000004）');
    });

    it('lists several name matches (exact before prefix), within the store scope only', async () => {
      const mine = await ask('member.lookup', fx.staff.manager1, { name: '张伟' });
      expect(mine.text).toContain('找到 2 位姓名匹配「张伟」的会员');
      expect(mine.text).toContain('M00000001');
      expect(mine.text).toContain('M00000003');
      expect(mine.text).not.toContain('M00000002'); // the other store's 张伟
      expect(mine.text).not.toContain('张伟华'); // a prefix match, but exact matches exist
      const all = await ask('member.lookup', fx.staff.hq, { name: '张伟' });
      expect(all.text).toContain('找到 3 位');
      const rows = await auditOf(all.requestId);
      expect(rows[0]).toMatchObject({ action: 'member.lookup', targetType: 'member_search', targetId: 'name:张伟' });
      expect((rows[0]!.detail as { total: number }).total).toBe(3);
    });

    it('falls back to a prefix match when nobody has the exact name', async () => {
      expect((await ask('member.lookup', fx.staff.manager1, { name: '陈' })).text).toContain('陈静（M00000007）');
      expect((await ask('member.lookup', fx.staff.manager1, { name: 'zhang' })).text).toContain('Zhang Wei（M00000010）');
    });

    it('masks the phone for roles without member.phone.view', async () => {
      for (const actor of [fx.staff.marketer, fx.staff.agent]) {
        const r = await ask('member.lookup', actor, { phone: '13800000001' });
        expect(r.text).toContain('138****0001');
        expect(r.text).not.toContain('13800000001');
        const list = await ask('member.lookup', actor, { name: '张伟' });
        expect(list.text).not.toMatch(/1380000000\d/);
      }
    });

    it("treats another store's member exactly like a missing one", async () => {
      const other = await ask('member.lookup', fx.staff.manager1, { phone: '13800000002' });
      const missing = await ask('member.lookup', fx.staff.manager1, { phone: '13899999999' });
      expect(other.text).toBe(missing.text.replace('13899999999', '13800000002'));
      expect(other.text).not.toContain('张伟');
      expect((await auditOf(other.requestId))[0]).toMatchObject({ targetType: 'member_search', targetId: 'phone:13800000002' });
      expect((await ask('member.lookup', fx.staff.manager2, { phone: '13800000002' })).text).toContain('张伟（M00000002）');
    });

    it('hides deleted members from everyone and explains malformed identifiers', async () => {
      expect((await ask('member.lookup', fx.staff.hq, { memberNo: 'M00000011' })).text).toContain('没有找到');
      expect((await ask('member.lookup', fx.staff.hq, { phone: '1380000' })).text).toContain('部分号码'); // a prefix cannot be searched: phones are sealed
    });
  });

  describe('member.summary', () => {
    it('shows profile, spend summed as DECIMAL, days since last visit, tags and recent orders', async () => {
      const r = await ask('member.summary', fx.staff.manager1, { phone: '13800000001' });
      expect(r.text).toContain('【会员档案】张伟（M00000001）');
      expect(r.text).toContain('手机 13800000001 · 女 · 生日 05-01');
      // 1000.10 + 100.20 + 0.10 + 0.20 + 99.90 + 34.30: a float sum would not print this.
      expect(r.text).toContain('消费 6 笔 · 累计 ¥1,234.80');
      expect(r.text).toContain('（10 天前）');
      expect(r.text).toContain('标签 VIP');
      expect(r.text).toContain('最近 5 笔订单：');
      expect(r.text.split('\n').filter((l) => l.startsWith('· '))).toHaveLength(5);
      expect(r.text).toContain('¥34.30 上海一店');
      expect(r.data).toMatchObject({ totalSpend: '1234.80', orderCount: 6, daysSinceLastOrder: 10 });
      const rows = await auditOf(r.requestId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'member.summary', targetType: 'member', targetId: String(fx.memberIds.M00000001) });
    });

    it('handles a member without orders, masks for a marketer, refuses other stores', async () => {
      const empty = (await ask('member.summary', fx.staff.manager1, { memberNo: 'M00000009' })).text;
      expect(empty).toContain('消费 0 笔 · 累计 ¥0.00');
      expect(empty).toContain('还没有消费记录');
      const masked = await ask('member.summary', fx.staff.marketer, { memberNo: 'M00000001' });
      expect(masked.text).toContain('138****0001');
      expect(masked.text).not.toContain('13800000001');
      const other = await ask('member.summary', fx.staff.manager2, { memberNo: 'M00000001' });
      expect(other.text).toContain('没有找到');
      expect(other.text).not.toContain('张伟');
      expect((await auditOf(other.requestId))[0]).toMatchObject({ action: 'member.summary', targetType: 'member_search' });
    });

    it('asks to choose when the name is ambiguous', async () => {
      const r = await ask('member.summary', fx.staff.manager1, { name: '张伟' });
      expect(r.text).toContain('请用手机号或会员号指定其中一位');
    });
  });

  describe('tag.add / tag.remove', () => {
    const tagRows = async (memberNo: string) =>
      services.db.memberTag.findMany({ where: { memberId: fx.memberIds[memberNo] }, include: { tag: true } });

    it('adds a dictionary tag once (manual, by whom), idempotently, and audits each request', async () => {
      const first = await ask('tag.add', fx.staff.manager1, { phone: '13800000003', tag: 'vip' });
      expect(first.text).toBe('已给 张伟（M00000003） 打上标签「VIP」。');
      const again = await ask('tag.add', fx.staff.manager1, { phone: '13800000003', tag: 'VIP' });
      expect(again.text).toContain('已有标签「VIP」');
      const rows = await tagRows('M00000003');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ source: 'manual', createdBy: 'store_manager_01', tag: { name: 'VIP' } });
      expect((await auditOf(first.requestId))[0]).toMatchObject({ action: 'tag.add', targetType: 'member', detail: { tag: 'VIP', changed: true } });
      expect((await auditOf(again.requestId))[0]).toMatchObject({ action: 'tag.add', detail: { changed: false } });
    });

    it('removes it idempotently', async () => {
      const first = await ask('tag.remove', fx.staff.manager1, { memberNo: 'M00000003', tag: 'VIP' });
      expect(first.text).toBe('已去掉 张伟（M00000003） 的标签「VIP」。');
      const again = await ask('tag.remove', fx.staff.manager1, { memberNo: 'M00000003', tag: 'VIP' });
      expect(again.text).toContain('没有标签「VIP」');
      expect(await tagRows('M00000003')).toHaveLength(0);
      expect((await auditOf(again.requestId))[0]).toMatchObject({ action: 'tag.remove', detail: { changed: false } });
    });

    it('refuses an unknown tag, naming similar ones, and changes nothing', async () => {
      const r = await ask('tag.add', fx.staff.manager1, { phone: '13800000004', tag: '高价值用户' });
      expect(r.text).toContain('标签库里没有「高价值用户」');
      expect(r.text).toContain('相近的标签：高价值');
      expect(await tagRows('M00000004')).toHaveLength(0);
      const none = await ask('tag.add', fx.staff.manager1, { phone: '13800000004', tag: '土豪' });
      expect(none.text).toContain('现有标签：');
    });

    it("cannot tag another store's member", async () => {
      const r = await ask('tag.add', fx.staff.manager1, { phone: '13800000002', tag: 'VIP' });
      expect(r.text).toContain('没有找到');
      expect(await tagRows('M00000002')).toHaveLength(0);
    });
  });

  describe('churn.list and help', () => {
    it("lists the store's overdue members by past spend, with masked phones where required", async () => {
      const r = await ask('churn.list', fx.staff.manager1, {});
      const lines = r.text.split('\n');
      expect(lines[0]).toBe('流失预警名单（你的门店共 4 位，按历史消费排序）：');
      expect(lines[1]).toMatch(/^1\. 李娜 M00000004 13800000004 · 150 天未消费（平时约 20 天一次）· 累计 ¥3,001\.50$/);
      expect(r.text).not.toContain('赵磊');
      const hq = await ask('churn.list', fx.staff.marketer, { limit: 2 });
      expect(hq.text).toContain('全部门店共 5 位');
      expect(hq.text).toContain('显示前 2 位');
      expect(hq.text).toContain('138****0004');
      expect((await auditOf(r.requestId))[0]).toMatchObject({ action: 'churn.list', targetType: 'store', targetId: String(fx.stores.S1) });
    });

    it('is refused by the CRM layer to a role without churn.read', async () => {
      const err = await ask('churn.list', fx.staff.agent, {}).catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('permission_denied');
    });

    it('derives the help text from the catalogue and the actor permissions', async () => {
      const manager = (await ask('help', fx.staff.manager1, {})).text;
      for (const i of intents.filter((x) => !UNLISTED_IN_HELP.has(x.name) && x.audience === 'staff' && (!x.permission || (x.permission !== 'member.phone.view' && can(fx.staff.manager1, x.permission))))) expect(manager).toContain(`${i.title}：${i.examples[0]!.text}`);
      expect(manager).not.toContain('确认待执行的操作');
      // One passive WeCom reply carries at most 2048 bytes: the help of the widest role fits it.
      expect(Buffer.byteLength(helpText(intents, fx.staff.hq), 'utf8')).toBeLessThanOrEqual(2048);
      const agent = helpText(intents, fx.staff.agent);
      expect(agent).toContain('查会员');
      expect(agent).not.toContain('流失预警');
    });
  });
});
