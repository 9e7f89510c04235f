import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/openai.ts';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import type { StaffActor } from '../bot/types.ts';
import { createFixture, NOW, type Fixture } from '../../test/support/crm/fixture.ts';
import { countNewSegment } from '../crm/insights/index.ts';
import { getIntent } from '../intents/catalogue.ts';
import type { Services } from '../services.ts';
import { SEGMENT_TOOL, segmentTreeJsonSchema } from './segment-tree.ts';

const PHONE_ANYWHERE = /1[3-9]\d(?:[\s.-]?\d){8}/;

// The tree a model should build for "最近三个月买过两次以上但这个月没来的女性会员".
const TREE = {
  root: {
    and: [
      { metric: 'order_count', days: 90, op: 'gte', value: 2 },
      { metric: 'order_count', days: 21, op: 'eq', value: 0 },
      { field: 'gender', op: 'eq', value: 'female' },
    ],
  },
};

/**
 * segment.create's natural-language builder through the real LangChain/openai SDK against the
 * local fake OpenAI-compatible server, with MariaDB behind it (the segment is really saved).
 */
describe('segment.create with the LLM segment builder (fake OpenAI server)', () => {
  let fake: FakeOpenAI;
  let env: TestEnv;
  let services: Services;
  let fx: Fixture;
  let seq = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    env = await createTestEnv('llm_segment', { LLM_BASE_URL: fake.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '2000' }, { now: () => NOW });
    services = env.services;
    fx = await createFixture(services);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await env?.cleanup();
    await fake?.close();
  });

  const create = (text: string, actor: StaffActor = fx.staff.hq, svc: Services = services) => {
    const intent = getIntent('segment.create')!;
    return intent.run({ services: svc, actor, channel: 'console', requestId: `seg-llm-${++seq}`, lang: 'zh' }, intent.slots.parse({ text }));
  };
  const saved = (name: string) => services.db.segment.findFirst({ where: { name } });

  it('offers one tool whose parameters are the tree schema, and saves and previews the tree it returns', async () => {
    fake.reply({ kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify(TREE) });
    const r = await create('创建人群包 回流女客：最近三个月买过两次以上但这个月没来的女性会员');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.tools?.map((t) => t.function.name)).toEqual([SEGMENT_TOOL]);
    expect(fake.requests[0]!.tools?.[0]!.function.parameters).toEqual(segmentTreeJsonSchema());
    expect(r.text).toContain('已创建人群包「回流女客」');
    expect(r.text).toContain('由 AI 从你的描述生成');
    expect(r.text).toContain('性别 = 女');
    const data = r.data as { segment: { id: number; tree: unknown }; conditionsBy: string };
    expect(data.conditionsBy).toBe('llm');
    expect(data.segment.tree).toEqual({ version: 1, ...TREE });
    // The turn saves the segment and answers; its members are counted by the background job's step.
    expect(typeof (await countNewSegment(services, data.segment.id))?.segment.lastCount).toBe('number');
    expect((await saved('回流女客'))?.tree).toEqual({ version: 1, ...TREE });
  });

  it('does not ask the model when the rule parser understood everything', async () => {
    const r = await create('创建人群包 规则女客：女性 且 等级>3');
    expect(fake.requests).toHaveLength(0);
    expect((r.data as { conditionsBy: string }).conditionsBy).toBe('rules');
  });

  it('repairs an invalid tree once, naming the bad node to the model', async () => {
    fake.reply(
      { kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify({ root: { and: [{ field: 'gender', op: 'gt', value: 'female' }] } }) },
      { kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify(TREE) },
    );
    const r = await create('创建人群包 修复女客：最近三个月买过两次以上但这个月没来的女性会员');
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.messages)).toContain('root.and[0].op');
    expect(r.text).toContain('已创建人群包「修复女客」');
    expect((await saved('修复女客'))?.tree).toEqual({ version: 1, ...TREE });
  });

  it('falls back to the rule parser’s answer after a second invalid tree, on a provider error and on timeout', async () => {
    fake.reply({ kind: 'tool', name: SEGMENT_TOOL, arguments: '{"root": {"metric": "nope"' }, { kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify({ root: { field: 'shoe_size', op: 'eq', value: 1 } }) });
    const bad = await create('创建人群包 坏树：最近三个月买过两次以上但这个月没来的女性会员');
    expect(fake.requests).toHaveLength(2);
    expect(bad.text).toContain('这部分条件没看懂');
    expect(await saved('坏树')).toBeNull();

    fake.reset();
    fake.reply({ kind: 'error', status: 500 });
    expect((await create('创建人群包 出错：最近三个月买过两次以上但这个月没来的女性会员')).text).toContain('这部分条件没看懂');

    // A separate services object with a short budget (the model is built per services object).
    fake.reset();
    const hurried: Services = { ...services, config: { ...services.config, LLM_TIMEOUT_MS: 300 } };
    fake.reply({ kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify(TREE), delayMs: 1500 });
    const started = Date.now();
    const slow = await create('创建人群包 超时：最近三个月买过两次以上但这个月没来的女性会员', fx.staff.hq, hurried);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(slow.text).toContain('这部分条件没看懂');
    expect(await saved('超时')).toBeNull();
  });

  it('offers the activity node and relative registration dates, and accepts, validates and evaluates a tree using them', async () => {
    const schema = JSON.stringify(segmentTreeJsonSchema());
    expect(schema).toContain('"activity"');
    expect(schema).toContain('-30d');
    // Two fixture members (both registered 2024-01-05, long over a year before NOW) took part in
    // the event: 10 days ago (inside a 60-day window) and 100 days ago (outside it).
    const [inside, outside] = [fx.memberIds.M00000001!, fx.memberIds.M00000004!];
    for (const [memberId, daysAgo] of [[inside, 10], [outside, 100]] as const) {
      await services.db.interaction.create({ data: { memberId, type: 'activity', channel: 'store', content: '双十一快闪', activity: '双十一快闪', createdAt: new Date(NOW.getTime() - daysAgo * 86_400_000) } });
    }
    const tree = { root: { and: [{ activity: '双十一快闪', days: 60 }, { field: 'registered_at', op: 'lt', value: '-365d' }, { not: { activity: '会员日', joined: true } }] } };
    // First answer: a malformed activity node (joined must be a boolean) → one repair naming it.
    fake.reply(
      { kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify({ root: { and: [{ activity: '双十一快闪', days: 60, joined: 'yes' }, tree.root.and[1]] } }) },
      { kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify(tree) },
    );
    const r = await create('创建人群包 快闪老客：最近两个月来过双十一快闪、注册一年以上、没来过会员日的那批人');
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.messages)).toContain('root.and[0].joined');
    const data = r.data as { segment: { id: number; tree: unknown }; conditionsBy: string };
    expect(data.conditionsBy).toBe('llm');
    expect(data.segment.tree).toEqual({ version: 1, ...tree });
    // Only the member who joined 10 days ago: registered over a year ago, never at 会员日 (counted
    // as the background job counts a segment made in chat).
    expect((await countNewSegment(services, data.segment.id))?.segment.lastCount).toBe(1);
    expect((await saved('快闪老客'))?.tree).toEqual({ version: 1, ...tree });
  });

  it('pseudonymises phones and known names before the phrase leaves the process', async () => {
    fake.reply({ kind: 'tool', name: SEGMENT_TOOL, arguments: JSON.stringify({ root: { and: [{ field: 'gender', op: 'eq', value: 'female' }, { not: { field: 'name', op: 'eq', value: '<NAME_1>' } }] } }) });
    const r = await create('创建人群包 排除张伟：女性会员，但不要张伟和 138-0000-0002 这种的');
    const body = fake.bodies.join('\n');
    expect(body).not.toMatch(PHONE_ANYWHERE);
    expect(body).not.toContain('张伟');
    expect(body).toContain('<PHONE_1>');
    expect(body).toContain('<NAME_1>');
    // The placeholder in the model's tree is restored before the tree is saved.
    expect(r.text).toContain('已创建人群包「排除张伟」');
    expect(JSON.stringify((await saved('排除张伟'))?.tree)).toContain('张伟');
  });
});
