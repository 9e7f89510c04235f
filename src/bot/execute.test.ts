import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf } from '../../test/support/bot-turn.ts';
import { NOW } from '../../test/support/crm/fixture.ts';
import { createEvalWorld } from '../../test/support/crm/eval-world.ts';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRouter } from '../intents/router/index.ts';
import { createBot } from './pipeline.ts';
import type { HandleMessage } from './types.ts';

/**
 * Stage 6's failures as the user reads them: a request that needs a setting this server lacks
 * is told what is missing (the registered error's message), not "出了点问题，请稍后再试".
 */
describe('execute: a write that needs a setting the server lacks', () => {
  let env: TestEnv;
  let bot: HandleMessage;
  beforeAll(async () => {
    env = await createTestEnv('bot_execute_unconfigured', {}, { now: () => NOW }); // no WECOM_* settings
    await createEvalWorld(env.services); // 客服小刘 has WeCom customers to hand over
    bot = createBot({ services: env.services, router: createRouter(intents), getIntent });
  });
  afterAll(async () => env?.cleanup());
  const say = (text: string) => answerOf(bot, 'hq_ops_01', text, NOW);

  it('a confirmed contacts transfer without the WeCom app configured says so, naming the settings', async () => {
    const preview = await say('把客服小刘的企微客户都转给王店长');
    expect(preview.text).toMatch(/确认/);
    const done = await say('确认');
    expect(done.text).toContain('企业微信客户联系未配置');
    expect(done.text).toContain('WECOM_SECRET');
    expect(done.text).not.toContain('出了点问题');
  });
});
