import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fakes/openai.ts';
import { createFixture, NOW } from '../../../test/support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { identifyActor } from '../../bot/identify.ts';
import type { Actor, RouteResult } from '../../bot/types.ts';
import { createChatModel } from '../../llm/client.ts';
import type { Logger } from '../../logger.ts';
import type { Services } from '../../services.ts';
import { intents } from '../catalogue.ts';
import { ASK_LLM_MARGIN, createLlmRouter, LLM_CONFIDENCE, shouldAskModel, type LlmRouting } from './llm.ts';
import { CLARIFY_INTENT, type RouteContext, type Router } from './types.ts';

/** A wrapped router that answers what the test chose (stands in for the rules+classifier router). */
const stub = (result: RouteResult): Router & { calls: number } => {
  const r = {
    calls: 0,
    async route() {
      r.calls++;
      return result;
    },
  };
  return r;
};

describe('when the LLM router asks the model (shouldAskModel)', () => {
  it('asks on low confidence, a clarification, or a runner-up within the margin', () => {
    expect(shouldAskModel({ intent: 'member.lookup', slots: {}, confidence: 0.9 })).toBe(false);
    expect(shouldAskModel({ intent: 'member.lookup', slots: {}, confidence: 0.6 })).toBe(true);
    expect(shouldAskModel({ intent: CLARIFY_INTENT, slots: { options: ['member.orders', 'member.summary'] }, confidence: 0.9 })).toBe(true);
    const near = { intent: 'member.orders', slots: {}, confidence: 0.9, alternatives: [{ intent: 'member.summary', slots: {}, confidence: 0.9 - ASK_LLM_MARGIN + 0.01 }] };
    expect(shouldAskModel(near)).toBe(true);
    const far = { ...near, alternatives: [{ intent: 'member.summary', slots: {}, confidence: 0.9 - ASK_LLM_MARGIN - 0.01 }] };
    expect(shouldAskModel(far)).toBe(false);
  });
});

/** The LLM router over a stub of the wrapped router, through LangChain against the fake OpenAI-compatible server. */
describe('LLM router routing (stub router, fake OpenAI server)', () => {
  let fake: FakeOpenAI;
  let env: TestEnv;
  let services: Services;
  let staff: Actor;
  let logs: { obj: any; msg: string }[];

  const ctx = (s: Services = services): RouteContext => ({ audience: 'staff', actor: staff, services: s, requestId: randomUUID() });
  const router = (rules: Router, routing?: LlmRouting, budgetMs = 2000) => {
    const model = createChatModel(services.config);
    return createLlmRouter({ intents, rules, model: () => model, budgetMs, routing });
  };
  const system = (i = 0) => String(fake.requests[i]!.messages[0]!.content);
  const llmLog = () => logs.filter((l) => l.msg === 'llm route');

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    env = await createTestEnv('llm_routing', { LLM_BASE_URL: fake.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '2000' }, { now: () => NOW });
    await createFixture(env.services);
    logs = [];
    const capture: any = {
      info: (obj: any, msg: string) => logs.push({ obj, msg }),
      warn: (obj: any, msg: string) => logs.push({ obj, msg }),
      error: (obj: any, msg: string) => logs.push({ obj, msg }),
      debug: () => {},
      child: () => capture,
    };
    services = { ...env.services, logger: capture as Logger };
    const found = await identifyActor(services, { channel: 'console', messageId: 'x', from: 'store_manager_01', text: '', receivedAt: NOW, requestId: 'x' });
    if (!found) throw new Error('fixture staff store_manager_01 missing');
    staff = found;
  });
  beforeEach(() => {
    fake.reset();
    logs.length = 0;
  });
  afterAll(async () => {
    await env?.cleanup();
    await fake?.close();
  });

  describe('fallback (default)', () => {
    it('asks the model when the runner-up is within the margin, offering the candidates first and every staff tool', async () => {
      const rules = stub({
        intent: 'member.orders',
        slots: { memberNo: 'M00000004' },
        confidence: 0.86,
        alternatives: [
          { intent: 'member.summary', slots: { memberNo: 'M00000004' }, confidence: 0.8 },
          { intent: 'help', slots: {}, confidence: 0.1 },
        ],
      });
      fake.reply({ kind: 'tool', name: 'member__summary', arguments: JSON.stringify({ memberNo: '<MEMBER_1>' }) });
      const r = await router(rules).route('M00000004 这个人最近咋样', ctx());
      expect(r).toEqual({ intent: 'member.summary', slots: { memberNo: 'M00000004' }, confidence: LLM_CONFIDENCE });
      expect(fake.requests).toHaveLength(1);
      // Candidates in the router's order; "help" is no candidate; the model may still pick any staff tool.
      expect(system()).toMatch(/one of: member__orders \([^)]*\), member__summary \(/);
      expect(system()).not.toMatch(/one of:.*help \(/);
      const offered = fake.requests[0]!.tools!.map((t) => t.function.name);
      expect(offered).toEqual(expect.arrayContaining(['member__orders', 'member__summary', 'churn__list', 'tag__add']));
      expect(fake.bodies[0]).not.toContain('M00000004');
      expect(llmLog()).toHaveLength(1);
      expect(llmLog()[0]!.obj.llm).toMatchObject({ outcome: 'tool', routing: 'fallback', intent: 'member.summary' });
    });

    it('leaves a sure answer with a distant runner-up to the router (no model call)', async () => {
      const sure: RouteResult = { intent: 'member.lookup', slots: { phone: '13800000001' }, confidence: 0.9, alternatives: [{ intent: 'member.orders', slots: {}, confidence: 0.5 }] };
      expect(await router(stub(sure)).route('查一下 13800000001', ctx())).toEqual(sure);
      expect(fake.requests).toHaveLength(0);
      expect(llmLog()).toHaveLength(0);
    });

    it("asks the model on the router's clarification, with its options as candidates", async () => {
      const rules = stub({ intent: CLARIFY_INTENT, slots: { options: ['member.orders', 'member.summary'] }, confidence: 0.5 });
      fake.reply({ kind: 'tool', name: 'member__orders', arguments: JSON.stringify({ name: '<NAME_1>', days: 30 }) });
      const r = await router(rules).route('张伟上个月的订单和详情', ctx());
      expect(r).toMatchObject({ intent: 'member.orders', slots: { name: '张伟', days: 30 } });
      expect(system()).toMatch(/one of: member__orders \([^)]*\), member__summary \(/);
    });

    it('asks on low confidence alone, naming no candidates when the router gave none', async () => {
      const rules = stub({ intent: 'help', slots: {}, confidence: 0.3 });
      fake.reply({ kind: 'tool', name: 'churn__list', arguments: '{}' });
      expect((await router(rules).route('那几位老主顾给我拉个单子看看', ctx())).intent).toBe('churn.list');
      expect(system()).not.toContain('one of:');
    });

    it("tells the model the user's language so values stay as typed", async () => {
      const rules = stub({ intent: 'help', slots: {}, confidence: 0.3 });
      fake.reply({ kind: 'tool', name: 'help', arguments: '{}' }, { kind: 'tool', name: 'help', arguments: '{}' }, { kind: 'tool', name: 'help', arguments: '{}' });
      await router(rules).route('给那个人加个标签吧', ctx());
      await router(rules).route('could you put a tag on that lady', ctx());
      await router(rules).route('13800000001', ctx());
      expect(system(0)).toContain('The user writes Chinese (zh)');
      expect(system(1)).toContain('The user writes English (en)');
      expect(system(1)).toContain('never translate them into Chinese');
      expect(system(2)).not.toContain('The user writes'); // digits say nothing about the language
    });

    it('asks rather than acts when the repair fails, offering the model pick and the router candidates', async () => {
      const rules = stub({ intent: 'tag.add', slots: {}, confidence: 0.6, alternatives: [{ intent: 'tag.remove', slots: {}, confidence: 0.55 }] });
      fake.reply({ kind: 'tool', name: 'tag__add', arguments: '{}' }, { kind: 'tool', name: 'tag__add', arguments: '{"tag": ""}' });
      const r = await router(rules).route('那个人弄一下标记吧', ctx());
      expect(r.intent).toBe(CLARIFY_INTENT);
      expect(r.slots.options).toEqual(['tag.add', 'tag.remove']);
      expect(fake.requests).toHaveLength(2);
    });
  });

  describe('LLM_ROUTING=first', () => {
    const sure: RouteResult = { intent: 'member.lookup', slots: { phone: '13800000001' }, confidence: 0.9 };

    it('asks the model even when the router is sure, and takes its valid answer', async () => {
      const rules = stub(sure);
      fake.reply({ kind: 'tool', name: 'member__orders', arguments: JSON.stringify({ phone: '<PHONE_1>', days: 30 }) });
      const r = await router(rules, 'first').route('13800000001 上个月买了啥', ctx());
      expect(r).toEqual({ intent: 'member.orders', slots: { phone: '13800000001', days: 30 }, confidence: LLM_CONFIDENCE });
      expect(rules.calls).toBe(1);
      expect(llmLog()[0]!.obj.llm).toMatchObject({ outcome: 'tool', routing: 'first' });
    });

    it('is read from the config when the router is built without a routing option', async () => {
      const firstServices = { ...services, config: { ...services.config, LLM_ROUTING: 'first' as const } };
      fake.reply({ kind: 'tool', name: 'member__lookup', arguments: JSON.stringify({ phone: '<PHONE_1>' }) });
      await router(stub(sure)).route('查一下 13800000001', ctx(firstServices));
      expect(fake.requests).toHaveLength(1);
      fake.reset();
      await router(stub(sure)).route('查一下 13800000001', ctx());
      expect(fake.requests).toHaveLength(0); // the default config says fallback
    });

    it("uses the router's answer on a server error, a rate limit and a timeout, logging one line each", async () => {
      for (const status of [500, 429] as const) {
        logs.length = 0;
        fake.reply({ kind: 'error', status });
        expect(await router(stub(sure), 'first').route('查一下 13800000001', ctx())).toEqual(sure);
        expect(llmLog()).toHaveLength(1);
        expect(llmLog()[0]!.obj.llm).toMatchObject({ outcome: 'error', status, routing: 'first' });
        expect(JSON.stringify(llmLog()[0]!.obj)).not.toMatch(/\n\s+at /); // no stack trace
      }
      logs.length = 0;
      fake.reply({ kind: 'tool', name: 'member__orders', arguments: '{}', delayMs: 1500 });
      const t0 = Date.now();
      expect(await router(stub(sure), 'first', 300).route('查一下 13800000001', ctx())).toEqual(sure);
      expect(Date.now() - t0).toBeLessThan(1200);
      expect(llmLog().map((l) => l.obj.llm.outcome)).toEqual(['timeout']);
    });

    it("uses the sure router's answer on invalid arguments, without a repair round trip", async () => {
      fake.reply({ kind: 'tool', name: 'tag__add', arguments: '{"tag": ""}' });
      expect(await router(stub(sure), 'first').route('查一下 13800000001', ctx())).toEqual(sure);
      expect(fake.requests).toHaveLength(1);
      expect(llmLog()[0]!.obj.llm).toMatchObject({ outcome: 'invalid', intent: 'tag.add' });

      fake.reset();
      fake.reply({ kind: 'tool', name: 'member__orders', arguments: '{"days": ' });
      expect(await router(stub(sure), 'first').route('查一下 13800000001', ctx())).toEqual(sure);
    });

    it("keeps the sure router's answer over the model's help and text-only answers", async () => {
      fake.reply({ kind: 'tool', name: 'help', arguments: '{}' }, { kind: 'text', content: '我不太确定' });
      expect(await router(stub(sure), 'first').route('查一下 13800000001', ctx())).toEqual(sure);
      expect(await router(stub(sure), 'first').route('查一下 13800000001', ctx())).toEqual(sure);
      expect(fake.requests).toHaveLength(2);
    });

    it('behaves like fallback when the router is unsure too: repair, then ask', async () => {
      const unsure = stub({ intent: 'help', slots: {}, confidence: 0.3 });
      fake.reply({ kind: 'tool', name: 'tag__add', arguments: '{}' }, { kind: 'tool', name: 'tag__add', arguments: '{}' });
      const r = await router(unsure, 'first').route('那个人弄一下标记吧', ctx());
      expect(r).toMatchObject({ intent: CLARIFY_INTENT, slots: { options: ['tag.add'] } });
      expect(fake.requests).toHaveLength(2);
    });
  });
});
