import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import type { StaffActor } from '../../bot/types.ts';
import { createFixture, NOW, type Fixture } from '../../../test/support/crm/fixture.ts';
import { isAppError } from '../../crm/kernel/errors.ts';
import type { Services } from '../../services.ts';
import { getIntent, intents } from '../catalogue.ts';
import { EVAL_DICTIONARIES, EVAL_STORES } from '../eval/evaluate.ts';
import { createRuleRouter } from './rules.ts';
import { findLevel, findStore, pinyinAliases, storeAliases, storeDirectory, toStoreEntries } from './stores.ts';
import type { RouteContext } from './types.ts';

describe('store and level extractors', () => {
  it('derives short names from the table name and city', () => {
    expect(storeAliases('上海徐汇店', '上海')).toEqual(['上海徐汇店', '徐汇店', '上海徐汇', '徐汇']);
    expect(storeAliases('杭州西湖店', '杭州')).toContain('西湖');
  });

  it('finds stores by full name, short name or district, returning the table name', () => {
    const at = (t: string) => findStore(t, EVAL_STORES)?.value;
    expect(at('徐汇店流失预警名单')).toBe('上海徐汇店');
    expect(at('上海静安店的流失名单')).toBe('上海静安店');
    expect(at('看下静安的情况')).toBe('上海静安店');
    expect(at('西湖 会员健康度')).toBe('杭州西湖店');
    expect(at('本店会员健康度')).toBeUndefined();
    // The span covers the trailing 店, so nothing of the store is left for a name.
    expect(findStore('徐汇店流失', EVAL_STORES)?.span).toEqual({ start: 0, end: 3 });
  });

  it('finds a store typed in pinyin, on word boundaries', () => {
    const entries = toStoreEntries([{ id: 1, name: '上海徐汇店', city: '上海' }, { id: 2, name: '上海静安店', city: '上海' }, { id: 3, name: '杭州西湖店', city: '杭州' }]);
    const at = (t: string) => findStore(t, entries)?.value;
    expect(pinyinAliases('徐汇')).toEqual(['xuhui', 'xu hui']);
    expect(pinyinAliases('上海徐汇店')).toEqual([]);
    expect(at('churn xuhui')).toBe('上海徐汇店');
    expect(at('Jing An health')).toBe('上海静安店');
    expect(at('流失 xihu')).toBe('杭州西湖店');
    expect(at('xihuan')).toBeUndefined();
  });

  it("finds a store typed with pinyin's apostrophe or, where every character has one, in English words (session 19)", () => {
    const entries = toStoreEntries([{ id: 1, name: '上海徐汇店', city: '上海' }, { id: 2, name: '上海静安店', city: '上海' }, { id: 3, name: '杭州西湖店', city: '杭州' }]);
    const at = (t: string) => findStore(t, entries)?.value;
    expect(at("member health dashboard for jing'an")).toBe('上海静安店');
    expect(at('jing’an churn')).toBe('上海静安店');
    expect(at('West Lake health')).toBe('杭州西湖店');
    expect(at('westlake churn list')).toBe('杭州西湖店');
    // A district named by its sound has no English words.
    expect(pinyinAliases('静安')).toEqual(['jingan', 'jing an', "jing'an"]);
    expect(at('south lake')).toBeUndefined();
  });

  it('finds levels 1–5 however typed, and nothing else', () => {
    const lv = (t: string) => findLevel(t)?.value;
    expect(lv('L3会员')).toBe(3);
    expect(lv('Lv.2')).toBe(2);
    expect(lv('3级')).toBe(3);
    expect(lv('三级会员')).toBe(3);
    expect(lv('等级4')).toBe(4);
    expect(lv('等级为五')).toBe(5);
    expect(lv('level 4 members')).toBe(4);
    expect(lv('VIP1')).toBe(1);
    expect(lv('30级')).toBeUndefined();
    expect(lv('level 9')).toBeUndefined();
    expect(lv('最近30天')).toBeUndefined();
  });
});

describe('rule router: store slots', () => {
  const router = createRuleRouter(intents, EVAL_DICTIONARIES);
  const ctx = { audience: 'staff', actor: { kind: 'staff' }, services: {} } as unknown as RouteContext;

  it('fills churn.list and insights.health store slots next to the other slots', async () => {
    expect(await router.route('徐汇店流失预警名单', ctx)).toMatchObject({ intent: 'churn.list', slots: { store: '上海徐汇店' } });
    expect((await router.route('静安店超过120天没来的流失会员 前5', ctx)).slots).toEqual({ store: '上海静安店', days: 120, limit: 5 });
    expect(await router.route('静安店会员健康度', ctx)).toMatchObject({ intent: 'insights.health', slots: { store: '上海静安店' } });
    expect((await router.route('本店流失预警名单', ctx)).slots).toEqual({});
  });
});

// The slot plumbing against the real database: the store narrows the list, and a store outside
// the actor's scope is refused by the CRM layer.
describe('store slot through churn.list and insights.health', () => {
  let env: TestEnv;
  let services: Services;
  let fx: Fixture;
  beforeAll(async () => {
    env = await createTestEnv('router-stores');
    services = { ...env.services, now: () => NOW };
    fx = await createFixture(services);
  });
  afterAll(async () => env?.cleanup());

  const ask = (name: string, actor: StaffActor, slots: Record<string, unknown>) =>
    getIntent(name)!.run({ services, actor, channel: 'console', requestId: `r-${name}-${Math.random()}`, lang: 'zh' }, getIntent(name)!.slots.parse(slots));

  it('reads the stores table with short names (the router default)', async () => {
    const dir = await storeDirectory(services);
    expect(dir.find((s) => s.name === '上海一店')?.aliases).toContain('一店');
  });

  it('churn.list: HQ narrowed to one store equals that store manager’s list; out of scope is refused', async () => {
    const own = (await ask('churn.list', fx.staff.manager1, { limit: 50 })).data as { entries: { memberNo: string }[] };
    const hq = await ask('churn.list', fx.staff.hq, { limit: 50, store: '一店' });
    expect((hq.data as typeof own).entries.map((e) => e.memberNo)).toEqual(own.entries.map((e) => e.memberNo));
    expect(hq.text).toContain('上海一店');
    const all = (await ask('churn.list', fx.staff.hq, { limit: 50 })).data as typeof own;
    expect(all.entries.length).toBeGreaterThan(own.entries.length);
    const err = await ask('churn.list', fx.staff.manager1, { store: '北京二店' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('store_out_of_scope');
    expect((await ask('churn.list', fx.staff.hq, { store: '不存在店' })).text).toContain('没有找到门店');
  });

  it('insights.health: one store for HQ, refused outside the scope', async () => {
    const r = await ask('insights.health', fx.staff.hq, { text: '二店会员健康度', store: '二店' });
    expect((r.data as { stores: { name: string }[] }).stores.map((s) => s.name)).toEqual(['北京二店']);
    const err = await ask('insights.health', fx.staff.manager1, { store: '北京二店' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('store_out_of_scope');
  });
});
