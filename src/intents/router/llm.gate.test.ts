import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../../test/fakes/openai.ts';
import { createFixture, NOW } from '../../../test/support/crm/fixture.ts';
import { createTestEnv, type TestEnv } from '../../../test/support/env.ts';
import { createBot } from '../../bot/pipeline.ts';
import type { BotAnswer, HandleMessage } from '../../bot/types.ts';
import { createChatModel } from '../../llm/client.ts';
import { getIntent, intents } from '../catalogue.ts';
import { createLlmRouter, type LlmRouting } from './llm.ts';
import { createRuleRouter } from './rules.ts';

/**
 * The tables the catalogue's staff writes and sends land in: a turn that acts changes one of these
 * counts. Not audit_logs: every member read is audited too.
 */
const WRITE_TABLES = ['member_tags', 'recalls', 'journeys', 'member_coupons', 'interactions', 'tickets'] as const;

/**
 * The model's choice goes through the same pipeline as the rules' answer, over the real MariaDB and
 * Redis with the fake OpenAI-compatible server as the model: a negated or hypothetical request that
 * the model reads as a write is not acted on, and invalid arguments make the bot ask.
 */
describe('LLM choices through the bot pipeline', () => {
  let fake: FakeOpenAI;
  let env: TestEnv;
  const bots = {} as Record<LlmRouting, HandleMessage>;

  const say = async (from: string, text: string, routing: LlmRouting = 'first'): Promise<BotAnswer> => {
    const out = await bots[routing]({ channel: 'console', messageId: randomUUID(), from, text, receivedAt: NOW, requestId: randomUUID() });
    if (out.kind !== 'answer') throw new Error(out.kind);
    return out.answer;
  };
  const writes = async () => {
    const counts: Record<string, number> = {};
    for (const t of WRITE_TABLES) counts[t] = Number(((await env.services.sql.query<any[]>(`SELECT COUNT(*) AS n FROM ${t}`))[0][0] as any).n);
    return counts;
  };
  const tagged = async (memberNo: string, tag: string) =>
    Number(
      ((await env.services.sql.query<any[]>('SELECT COUNT(*) AS n FROM member_tags mt JOIN tags t ON t.id = mt.tag_id JOIN members m ON m.id = mt.member_id WHERE m.member_no = ? AND t.name = ?', [memberNo, tag]))[0][0] as any).n,
    );
  /** The fake model reads every routing request as this tool call (other calls, e.g. summaries, get text). */
  const modelPicks = (name: string, args: (user: string) => object) =>
    fake.respond((body) => (body.tools ? { kind: 'tool', name, arguments: JSON.stringify(args(String(body.messages.at(-1)?.content))) } : { kind: 'text', content: 'ok' }));
  const placeholder = (user: string, kind: 'NAME' | 'PHONE') => new RegExp(`<${kind}_\\d+>`).exec(user)?.[0];

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    env = await createTestEnv('llm_gate', { LLM_BASE_URL: fake.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '2000' }, { now: () => NOW });
    await createFixture(env.services);
    const model = createChatModel(env.services.config);
    for (const routing of ['first', 'fallback'] as const)
      bots[routing] = createBot({ services: env.services, router: createLlmRouter({ intents, rules: createRuleRouter(intents), model: () => model, routing }), getIntent });
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await env?.cleanup();
    await fake?.close();
  });

  describe('invalid slots: the bot asks instead of acting (passes without the safety gate)', () => {
    it('asks which one when the model picks a write with invalid arguments twice', async () => {
      const before = await writes();
      fake.reply({ kind: 'tool', name: 'tag__add', arguments: '{"tag": ""}' }, { kind: 'tool', name: 'tag__add', arguments: '{"name": "", "tag": ""}' });
      const r = await say('store_manager_01', '那个人弄一下标记吧', 'fallback');
      expect(fake.requests).toHaveLength(2);
      expect(r.intent).toBe('clarify');
      expect(r.text).toContain(getIntent('tag.add')!.title);
      expect(await writes()).toEqual(before);
    });

    it('with the model first, falls back to the router on invalid arguments and still writes nothing', async () => {
      const before = await writes();
      fake.reply({ kind: 'tool', name: 'tag__add', arguments: '{"tag": 7}' }, { kind: 'tool', name: 'tag__add', arguments: '{"tag": ""}' });
      const r = await say('store_manager_01', '那个人弄一下标记吧');
      expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      expect(r.data).toBeUndefined();
      expect(await writes()).toEqual(before);
    });

    it('asks which member when the model names an ambiguous one, and writes nothing', async () => {
      const before = await writes();
      modelPicks('tag__add', (user) => ({ name: placeholder(user, 'NAME'), tag: 'VIP' }));
      const r = await say('store_manager_01', '张伟那位也弄成VIP吧');
      expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      expect(r).toMatchObject({ intent: 'tag.add', slots: { name: '张伟', tag: 'VIP' } });
      expect(r.text).toContain('请用手机号或会员号指定其中一位');
      expect(await writes()).toEqual(before);
    });

    it('control: an affirmative instruction the model reads as tag.add is written', async () => {
      modelPicks('tag__add', (user) => ({ name: placeholder(user, 'NAME'), tag: '新客' }));
      expect(await tagged('M00000007', '新客')).toBe(0);
      const r = await say('store_manager_01', '给陈静打上新客标签');
      expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      expect(r).toMatchObject({ intent: 'tag.add', slots: { name: '陈静', tag: '新客' } });
      expect(await tagged('M00000007', '新客')).toBe(1);
    });
  });

  // NEEDS THE SAFETY GATE (src/bot, issue 11 section 1): fails on a branch without it.
  describe("never act on the model's guess (needs the safety gate)", () => {
    it('does not tag on a negated request the model reads as tag.add ("先别给李娜打VIP标签")', async () => {
      const before = await writes();
      modelPicks('tag__add', (user) => ({ name: placeholder(user, 'NAME'), tag: 'VIP' }));
      const r = await say('store_manager_01', '先别给李娜打VIP标签');
      expect(fake.requests.length).toBeGreaterThanOrEqual(1); // the model was asked and chose the write
      expect(r.outcome).not.toBe('done');
      expect(await tagged('M00000004', 'VIP')).toBe(0);
      expect(await writes()).toEqual(before);
    });

    it('does not tag on a negated English request ("don\'t tag 13800000010 as VIP yet")', async () => {
      const before = await writes();
      modelPicks('tag__add', (user) => ({ phone: placeholder(user, 'PHONE'), tag: 'VIP' }));
      const r = await say('store_manager_01', "don't tag 13800000010 as VIP yet");
      expect(fake.requests.length).toBeGreaterThanOrEqual(1);
      expect(r.outcome).not.toBe('done');
      expect(await tagged('M00000010', 'VIP')).toBe(0);
      expect(await writes()).toEqual(before);
    });

    for (const [text, routing] of [
      ['要是召回会怎样', 'first'],
      ['要是召回会怎样', 'fallback'],
      ['what would happen if we recalled the churn list?', 'first'],
    ] as const) {
      it(`neither launches nor holds a recall for a hypothetical the model reads as recall.launch ("${text}", ${routing})`, async () => {
        const before = await writes();
        modelPicks('recall__launch', () => ({ text }));
        const r = await say('store_manager_01', text, routing);
        expect(r.outcome).not.toBe('done');
        expect(r.outcome).not.toBe('held');
        expect((r.data as { pending?: unknown } | undefined)?.pending).toBeUndefined();
        // Assent and even an explicit confirmation afterwards (routed by the rules: the model now answers text) find nothing pending.
        fake.respond(null);
        await say('store_manager_01', '嗯', routing);
        await say('store_manager_01', '确认', routing);
        expect(await writes()).toEqual(before);
      });
    }
  });
});
