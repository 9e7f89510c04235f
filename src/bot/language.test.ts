import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/support/env.ts';
import { createFixture, NOW } from '../../test/support/crm/fixture.ts';
import { getIntent, intents } from '../intents/catalogue.ts';
import { createRuleRouter } from '../intents/router/rules.ts';
import { createBot } from './pipeline.ts';
import type { BotAnswer, HandleMessage } from './types.ts';
import { answerOf } from '../../test/support/bot-turn.ts';

const HAN = /\p{Script=Han}/u;

/**
 * Section 6 of issue 11 over the real MariaDB and Redis: a message in English gets an English
 * answer — help, reads, writes, errors — with no Chinese left but the data's own names
 * (members, stores, staff, tags, levels); a Chinese message gets the same Chinese as before.
 */
describe('the bot answers in the language of the message', () => {
  let env: TestEnv;
  let bot: HandleMessage;
  /** Proper names from the data, which stay as they are in any language. */
  let names: string[] = [];
  const say = (from: string, text: string): Promise<BotAnswer> => answerOf(bot, from, text, NOW);
  /** The answer with the data's names taken out: what is left must be English. */
  const uiText = (text: string) => names.reduce((s, n) => s.split(n).join('<name>'), text);
  const expectEnglish = (a: BotAnswer) => {
    const rest = uiText(a.text);
    expect(rest, `Chinese UI text in: ${a.text}`).not.toMatch(HAN);
  };

  beforeAll(async () => {
    env = await createTestEnv('bot_language', {}, { now: () => NOW });
    await createFixture(env.services);
    bot = createBot({ services: env.services, router: createRuleRouter(intents), getIntent });
    const db = env.services.db;
    names = [
      ...(await db.member.findMany({ select: { name: true } })).map((m) => m.name),
      ...(await db.store.findMany({ select: { name: true } })).map((s) => s.name),
      ...(await db.staff.findMany({ select: { name: true } })).map((s) => s.name),
      ...(await db.tag.findMany({ select: { name: true } })).map((s) => s.name),
      ...(await db.membershipLevel.findMany({ select: { name: true } })).map((s) => s.name),
    ]
      .filter((n): n is string => !!n)
      .sort((a, b) => b.length - a.length); // 张伟华 before 张伟
  });
  afterAll(async () => env?.cleanup());

  describe('staff, in English', () => {
    it('help lists what the role can ask, with English titles and English examples', async () => {
      const a = await say('store_manager_01', 'help');
      expect(a.intent).toBe('help');
      expect(a.text).toMatch(/^Hi 王店长! You can ask me:/);
      expect(a.text).toContain('· Look up a member (phone / member no. / name): look up 13800000001');
      expect(a.text).toContain('Send "help" any time to see this list.');
      // Every title is English; an example may quote Chinese data (a segment name, 20元) when the
      // intent declares no other English example.
      for (const line of a.text.split('\n')) expect(uiText(line.split(': ')[0]!), line).not.toMatch(HAN);
    });

    it('member lookup, summary and orders', async () => {
      const lookup = await say('store_manager_01', 'look up 13800000001');
      expect(lookup.intent).toBe('member.lookup');
      expect(lookup.text).toContain('张伟 (M00000001)');
      expect(lookup.text).toContain('Phone 13800000001 · Level L');
      expect(lookup.text).toContain('Send "M00000001 details" for the full profile.');
      expectEnglish(lookup);

      const summary = await say('store_manager_01', 'summary of 13800000001');
      expect(summary.intent).toBe('member.summary');
      expect(summary.text).toContain('[Member profile] 张伟 (M00000001)');
      expect(summary.text).toMatch(/\d+ orders? · ¥[\d,.]+ in total/);
      expectEnglish(summary);

      const orders = await say('store_manager_01', 'orders of 13800000004');
      expect(orders.intent).toBe('member.orders');
      expect(orders.text).toMatch(/^李娜 \(M00000004\): \d+ orders?, ¥[\d,.]+ in total/);
      expectEnglish(orders);
    });

    it('tags a member, and says so in English', async () => {
      const a = await say('store_manager_01', 'tag 13800000001 as VIP');
      expect(a.intent).toBe('tag.add');
      expect(a.text).toMatch(/^(Tagged 张伟 \(M00000001\) "VIP"\.|张伟 \(M00000001\) already has the tag "VIP"; nothing changed\.)$/);
      expectEnglish(a);
    });

    it('holds a deduction with an English confirmation line, and answers confirm / cancel with nothing pending in English', async () => {
      const held = await say('store_manager_01', 'deduct 50 points from 13800000004 for a drink');
      expect(held.outcome).toBe('held');
      expect(held.text).toMatch(/Reply "confirm" to run it or "cancel" to drop it \(valid for 5 minutes, code \d{4}\)\.$/);
      expectEnglish(held);
      const cancelled = await say('store_manager_01', 'cancel');
      expect(cancelled.text).toMatch(/^Action \d{4} is cancelled; nothing was done\.$/);
      const nothing = await say('store_manager_01', 'confirm');
      expect(nothing.text).toBe('There is nothing waiting for your confirmation (or it has lapsed; please ask again).');
    });

    it('churn list, health dashboard (with an English alt text) and points', async () => {
      const churn = await say('store_manager_01', 'churn list');
      expect(churn.intent).toBe('churn.list');
      expect(churn.text).toMatch(/Churn warning list \(your stores: \d+ members?|No members on the churn warning list/);
      expect(churn.text).toMatch(/Rule: no purchase for over \d+ days|Ranked by churn risk/);
      expectEnglish(churn);

      const health = await say('store_manager_01', 'member health dashboard');
      expect(health.intent).toBe('insights.health');
      expect(health.text).toMatch(/^Member health for 上海一店 \(last 7 days: \d\d-\d\d to \d\d-\d\d \d\d:\d\d\)/);
      expect(health.image?.alt).toMatch(/^Member health trend \(\d+ periods\): active members/);
      expectEnglish(health);

      const points = await say('store_manager_01', 'add 50 points to M00000001 for birthday');
      expect(points.intent).toBe('points.adjust');
      expect(points.text).toMatch(/^Done: add 50 points for 张伟 \(M00000001\) \(reason: birthday\); balance now [\d,]+\.$/);
      expectEnglish(points);
    });

    it('a missing detail, a permission refusal and an unknown member', async () => {
      const missing = await say('agent_01', 'his orders'); // no member in focus: the bot asks
      expect(missing.intent).toBe('member.orders');
      expect(missing.text).toBe('Which member? Send a phone number, member number or name.');
      expectEnglish(missing);

      const refused = await say('agent_01', 'churn list');
      expect(refused.text).toBe('Your role has no permission for "Churn warning list (your stores)". Please ask head office to enable it.');

      const unknown = await say('store_manager_01', 'look up 13900000000');
      expect(unknown.text).toBe('No member with phone number "13900000000" in the stores you can see.\nTry a phone number, a member number (like M00000001) or a name.');

      const elsewhere = await say('store_manager_01', 'tickets of M00000002'); // the other store's member: same words, nothing leaks
      expect(elsewhere.text).toContain('No member with member number "M00000002"');
    });
  });

  describe('members, in English', () => {
    it('my points and my help', async () => {
      const points = await say('member:13800000001', 'how many points do I have');
      expect(points.intent).toBe('my.points');
      expect(points.text).toMatch(/^张伟, your points balance is [\d,]+ \(member no\. M00000001\)\./);
      expectEnglish(points);

      const help = await say('member:13800000001', 'help');
      expect(help.intent).toBe('my.help');
      expect(help.text).toContain('· My points: how many points do I have');
      expectEnglish(help);
    });
  });

  describe('Chinese, unchanged', () => {
    it('answers Chinese messages with the same Chinese as before', async () => {
      const lookup = await say('store_manager_01', '查一下 13800000001');
      expect(lookup.text).toContain('张伟（M00000001）');
      expect(lookup.text).toContain('手机 13800000001 · 等级 L');
      expect(lookup.text).toContain('发送「M00000001 详情」查看完整档案。');
      const help = await say('store_manager_01', '帮助');
      expect(help.text).toMatch(/^你好，王店长！你可以这样问我：\n· 查会员（手机号 \/ 会员号 \/ 姓名）：查一下 13800000001\n/);
      expect(help.text).toContain('发送「帮助」或 help 随时查看本说明。');
      const refused = await say('agent_01', '流失名单');
      expect(refused.text).toBe('你的角色没有「流失预警名单（本店）」的权限，请联系总部运营开通。');
      const unknown = await say('store_manager_01', '查一下 13900000000');
      expect(unknown.text).toBe('在你可查看的门店里没有找到手机号为「13900000000」的会员。\n可以换手机号、会员号（如 M00000001）或姓名再试。');
      const points = await say('member:13800000001', '我还有多少积分');
      expect(points.text).toMatch(/^张伟，你的积分余额是 [\d,]+ 分（会员号 M00000001）。积分可在小程序「积分商城」兑换。$/);
    });
  });
});
