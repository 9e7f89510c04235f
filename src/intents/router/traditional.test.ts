import { describe, expect, it } from 'vitest';
import type { StaffActor } from '../../bot/types.ts';
import { intents } from '../catalogue.ts';
import { EVAL_DICTIONARIES } from '../eval/evaluate.ts';
import { createRuleRouter } from './rules.ts';
import { toSimplified, toTraditional } from './traditional.ts';

const noServices = new Proxy({}, { get: () => { throw new Error('no services'); } }) as never;
const staff: StaffActor = { kind: 'staff', staffId: 1, wecomUserId: 'x', name: 'x', role: 'store_manager', storeIds: [1] };

describe('traditional characters', () => {
  it('reads the table both ways and leaves what it does not know', () => {
    expect(toSimplified('會員積分訂單標籤')).toBe('会员积分订单标签');
    expect(toTraditional('会员积分')).toBe('會員積分');
    // Every character OpenCC knows, names and metric words included (members are stored in simplified characters).
    expect(toSimplified('劉洋 陳靜 複購率 13800000001 ok')).toBe('刘洋 陈静 复购率 13800000001 ok');
  });

  it('routes a traditional message like its simplified twin, slots included', async () => {
    const router = createRuleRouter(intents, EVAL_DICTIONARIES);
    const ctx = { audience: 'staff' as const, actor: staff, services: noServices };
    for (const [trad, simp] of [
      ['給13800000001打上VIP標籤', '给13800000001打上VIP标签'],
      ['M00000002 最近30天的訂單', 'M00000002 最近30天的订单'],
      ['徐匯店流失預警名單', '徐汇店流失预警名单'],
      ['陳靜的訂單', '陈静的订单'],
    ]) {
      const a = await router.route(trad!, ctx);
      const b = await router.route(simp!, ctx);
      expect({ intent: a.intent, slots: a.slots }, trad).toEqual({ intent: b.intent, slots: b.slots });
    }
  });
});
