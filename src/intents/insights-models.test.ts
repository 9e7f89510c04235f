import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import type { StaffActor } from '../bot/types.ts';
import { activeStaffActor, chinaDay, formatDay } from '../crm/kernel/index.ts';
import { chooseStoreModels, recomputeScores } from '../crm/insights/index.ts';
import { seedDemo } from '../demo/index.ts';
import type { Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { getIntent, intents } from './catalogue.ts';
import { createRuleRouter } from './router/rules.ts';

// 「模型效果」 end to end against MariaDB on the demo data (synthetic): message → rule router →
// run(). HQ gets the holdout figures and the chart; a store manager is refused (whole-chain
// figures). The figures are checked against the report's own data, the chart as a PNG.
const NOW = new Date('2026-11-21T16:00:00.000Z');

describe('insights.models (模型效果)', () => {
  let env: TestEnv;
  let services: Services;
  let hq: StaffActor;
  let manager: StaffActor;
  const router = createRuleRouter(intents);

  beforeAll(async () => {
    env = await createTestEnv('insights_models', {}, { now: () => NOW });
    services = env.services;
    await seedDemo(services.sql, { members: 600, seed: 11, now: NOW });
    await recomputeScores(services.sql, { now: NOW });
    hq = (await activeStaffActor(services, 'hq_ops_01'))!;
    manager = (await activeStaffActor(services, 'store_manager_01'))!;
  }, 300_000);
  afterAll(async () => env?.cleanup());

  async function ask(actor: StaffActor, text: string, lang: Lang = 'zh') {
    const r = await router.route(text, { audience: 'staff', actor, services });
    expect(r.intent, text).toBe('insights.models');
    const intent = getIntent(r.intent)!;
    expect(intent.effect).toBe('read');
    return intent.run({ services, actor, channel: 'console', requestId: `models-${text}`, lang, text }, intent.slots.parse(r.slots));
  }

  it('gives HQ the holdout figures and the chart', async () => {
    const r = await ask(hq, '模型效果');
    const data = r.data as any;
    const s = data.validation.summary;
    const today = chinaDay(NOW);
    const lines = r.text.split('\n');
    expect(lines[0]).toBe(`模型效果：BG/NBD，留存检验期 ${formatDay(today - 1 - 91 + 1)} 至 ${formatDay(today - 1)}（此前的订单拟合，此后 13 周检验）`);
    expect(s.customers).toBeGreaterThanOrEqual(50);
    expect(lines[1]).toBe(`${s.customers} 位会员，检验期预测购买 ${s.predictedHoldout.toFixed(0)} 次，实际 ${s.actualHoldout.toFixed(0)} 次`);
    expect(s.riskAuc).toBeGreaterThan(0.5);
    expect(r.text).toContain(`AUC：${s.riskAuc.toFixed(3)}`);
    // Before the first race: no per-store choice yet.
    expect(lines.at(-1)).toBe('还没有各门店的模型选择（下一次夜间评分后生成）。');
    const png = r.image!.png as Buffer;
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(5000);
    expect(r.image!.alt).toBe(r.text);
  }, 120_000);

  it('answers in English', async () => {
    const r = await ask(hq, 'model accuracy', 'en');
    expect(r.text.split('\n')[0]).toMatch(/^Model accuracy: BG\/NBD, holdout /);
  }, 120_000);

  it('lists the model each store is scored with after the race', async () => {
    const choice = await chooseStoreModels(services.sql, NOW);
    const r = await ask(hq, '模型效果');
    const stores = choice.filter((c) => c.storeId > 0);
    expect(stores.length).toBeGreaterThan(0);
    // 600 demo members: every store is under the race's 300-buyer floor, so each is scored with BG/NBD (*).
    expect(r.text.split('\n').at(-1)).toBe(`各门店打分所用模型（留出 1/5 会员的似然最高者；* 为会员太少、用 BG/NBD；→ 后为最新检验选出、下次评分起用）：${stores.map((c) => `#${c.storeId} BG/NBD*`).join('，')}`);
  }, 600_000);

  it('refuses a store manager: the figures are the whole chain\'s', async () => {
    await expect(ask(manager, '模型效果')).rejects.toMatchObject({ code: 'permission_denied', status: 403, message: '模型效果是全连锁的数据，仅总部可查看。' });
  });
});
