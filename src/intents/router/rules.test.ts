import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import type { StaffActor } from '../../bot/types.ts';
import { createFixture } from '../../../test/support/crm/fixture.ts';
import { intents } from '../catalogue.ts';
import { createRuleAnalyser, createRuleRouter, CONFIDENCE } from './rules.ts';
import type { IntentDef } from '../types.ts';
import type { RouteContext } from './types.ts';

// The router table: every example of every intent (the same ones the help text and README
// show) must route to its intent with exactly its slots. The tag dictionary comes from the DB.
describe('rule router', () => {
  let env: TestEnv;
  let ctx: RouteContext;
  let memberCtx: RouteContext;
  const router = createRuleRouter(intents);
  beforeAll(async () => {
    env = await createTestEnv('rule_router');
    const fx = await createFixture(env.services);
    ctx = { audience: 'staff', actor: fx.staff.manager1 as StaffActor, services: env.services };
    const member = { kind: 'member' as const, memberId: fx.memberIds.M00000001!, name: '张伟', phone: '13800000001', homeStoreId: fx.stores.S1 };
    memberCtx = { audience: 'member', actor: member, services: env.services };
  });
  afterAll(async () => env?.cleanup());

  for (const intent of intents) {
    for (const ex of intent.examples) {
      it(`${intent.name}: "${ex.text}"`, async () => {
        const r = await router.route(ex.text, intent.audience === 'member' ? memberCtx : ctx);
        expect({ intent: r.intent, slots: r.slots }).toEqual({ intent: intent.name, slots: ex.slots ?? {} });
        expect(r.confidence).toBeGreaterThanOrEqual(0.5);
        // Every example's slots are valid for the intent's own schema (what the pipeline checks next).
        expect(intent.slots.safeParse(r.slots).success).toBe(true);
      });
    }
  }

  it('sends unknown input to help with a low confidence, never nothing', async () => {
    for (const text of ['今天天气怎么样', 'asdfgh', '', '   ']) {
      expect(await router.route(text, ctx)).toEqual({ intent: 'help', slots: {}, confidence: CONFIDENCE.unknown });
    }
  });

  it('treats a bare phone or member number as a lookup, surely only when it is alone', async () => {
    expect(await router.route(' 138 0000 0001 ', ctx)).toEqual({ intent: 'member.lookup', slots: { phone: '13800000001' }, confidence: CONFIDENCE.bareRef });
    expect(await router.route('13800000001？', ctx)).toMatchObject({ intent: 'member.lookup', slots: { phone: '13800000001' } });
    expect(await router.route('你好 M00000001', ctx)).toMatchObject({ intent: 'member.lookup', slots: { memberNo: 'M00000001' } });
    const vague = await router.route('13800000001 怎么样', ctx);
    expect(vague.intent).toBe('member.lookup');
    expect(vague.confidence).toBeLessThan(CONFIDENCE.bareRef);
  });

  it('is less sure when a required slot is missing', async () => {
    const r = await router.route('查一下', ctx);
    expect(r.intent).toBe('member.lookup');
    expect(r.confidence).toBeLessThan(0.5);
    const t = await router.route('给 13800000001 打标签', ctx);
    expect(t).toMatchObject({ intent: 'tag.add', slots: { phone: '13800000001' } });
    expect(t.confidence).toBeLessThan(0.5);
  });

  it('passes an unknown tag name through so the intent can suggest similar tags', async () => {
    expect(await router.route('给 13800000001 打标签 高价值会员用户', ctx)).toMatchObject({ intent: 'tag.add', slots: { phone: '13800000001', tag: '高价值会员用户' } });
  });

  it('reads 确认 negated and 算了 after an action as neither confirming nor cancelling (session 19)', async () => {
    for (const text of ['T20261121000002 先别关 客户还没确认', '客户未确认', '哈哈 把会员全删了算了', '干脆把所有人积分清零算了']) {
      expect([text, (await router.route(text, ctx)).intent]).not.toContainEqual(expect.stringMatching(/^action\.(?:confirm|cancel)$/));
    }
    for (const [text, intent] of [['确认', 'action.confirm'], ['确定', 'action.confirm'], ['算了', 'action.cancel'], ['那算了', 'action.cancel'], ['算了不要了', 'action.cancel'], ['干脆算了', 'action.cancel']]) {
      expect([text, (await router.route(text!, ctx)).intent]).toEqual([text, intent]);
    }
  });

  it('considers only the intents of the actor audience', async () => {
    const member = { kind: 'member' as const, memberId: 1, name: '张伟', phone: '13800000001', homeStoreId: null };
    const r = await router.route('查一下 13800000002', { audience: 'member', actor: member, services: env.services });
    expect(r.intent).toBe('my.help');
    expect(r.slots).toEqual({});
  });
});

// A trigger's word with no cased letter is looked for with indexOf, not run as a pattern (session 24,
// bench:http): the same first place, the same length — so the same spans and ranks — as the
// case-insensitive pattern it was; a word with a cased letter stays a pattern.
describe('rule triggers: words found as the patterns found them', () => {
  const intent = (name: string, keywords: IntentDef['rule']['keywords'], priority = 0) => ({ name, audience: 'staff', rule: { keywords, priority } }) as unknown as IntentDef;
  const analyser = createRuleAnalyser(
    [intent('a.orders', ['订单', ['最近', /单子|订单/], '最近的订单'], 1), intent('b.vip', ['VIP会员', 'Café卡']), intent('c.tag', ['tag'])],
    { tagNames: async () => [], stores: async () => [], levels: async () => [] },
  );
  const ctx = { audience: 'staff' } as RouteContext;
  const hits = async (text: string) => (await analyser.analyse(text, ctx)).hits.map((h) => ({ intent: h.intent, rank: h.rank, spans: h.spans.map((s) => text.slice(s.start, s.end) + '@' + s.start) }));

  it('takes the first place of a word and every trigger that matched, the longest ranking', async () => {
    // "订单" first found at 2 (not at 9); the pair [最近, /单子|订单/] and "最近的订单" match too: the longest (5) ranks.
    expect(await hits('看看订单 最近的订单')).toEqual([{ intent: 'a.orders', rank: 1005, spans: ['订单@2', '最近@5', '订单@2', '最近的订单@5'] }]);
    // A pair matches only with both of its parts.
    expect(await hits('最近怎么样')).toEqual([]);
  });

  it('keeps a word with a cased letter case-insensitive, and ASCII words on word boundaries', async () => {
    expect(await hits('查vip会员')).toEqual([{ intent: 'b.vip', rank: 5, spans: ['vip会员@1'] }]);
    expect(await hits('开张CAFÉ卡')).toEqual([{ intent: 'b.vip', rank: 5, spans: ['CAFÉ卡@2'] }]);
    expect(await hits('untagged')).toEqual([]);
    expect(await hits('TAG it')).toEqual([{ intent: 'c.tag', rank: 3, spans: ['TAG@0'] }]);
  });
});
