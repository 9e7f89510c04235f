import { z } from 'zod';
import { classifyUnmatched, shortReply, twoExamples } from '../bot/dialogue/short-reply.ts';
import { helpText } from './help-text.ts';
import { defineIntent, type IntentDef, type Trigger } from './types.ts';

/**
 * Thanks, compliments, greetings, goodbyes, chit-chat and questions the bot is not for. Deliberately
 * without the confirmation words (好的, ok, 嗯: action.confirm) and "what can you do" (help): those
 * keep their own answers. A greeting is small talk only as the whole message (test/intents/blind-brief.md:
 * "thanks, greetings, jokes, off-topic"); "你好，查下王芳" is the look-up.
 */
const KEYWORDS: Trigger[] = [
  /谢谢|多谢|感谢|谢啦|谢了|感恩|辛苦(?:了|啦|你了)|\bthanks?\b|\bthank you\b|\bthx\b|\bty\b|\bcheers\b|3q/i,
  /真棒|好棒|太棒|厉害|真不错|挺好用|好用|给力|牛啊|真牛|聪明|点赞|\bgreat job\b|\bwell done\b|\bawesome\b|\bgood bot\b|\bnice work\b|\byou(?:'re| are) (?:great|smart|the best)\b/i,
  /再见|拜拜|回头见|下次见|晚安|\bbye\b|\bgoodbye\b|\bsee you\b|\bgood ?night\b/i,
  /^(?:(?:你好|您好|早上好|早安|下午好|晚上好|早|嗨|哈喽|哈罗|在吗|在么|在不在|有人吗|\bhi\b|\bhello\b|\bhey\b|\bgood (?:morning|afternoon|evening)\b|\bmorning\b)[\s,.!?。！？，~～呀啊哈]*)+$/i,
  /^(?:收到|知道了|明白了?|了解|懂了|哦+|噢+|嗯嗯|好嘞|\bgot it\b|\bnoted\b|\bi see\b)[\s,.!。！~～]*$/i,
  /哈哈|呵呵|嘿嘿|嘻嘻|无聊|笑话|讲个故事|你叫什么|你几岁|你多大|你是机器人|你是真人|吃了吗|吃饭了吗|在干嘛|在干什么|股票|彩票|\bhaha\b|\blol\b|\bare you (?:a )?(?:bot|robot|human|real)\b|\btell me a joke\b|\bjoke\b|\bhow are you\b|\bhow old are you\b/i,
];

/**
 * Small talk for one audience (`smalltalk` for staff, `my.smalltalk` for members): one polite
 * line and two things the actor may ask, instead of the whole help text. The reply is the
 * conversation's own short reply (src/bot/dialogue/short-reply.ts), which also answers what no
 * intent took; this intent lets the router name small talk as what it is. Built from a
 * catalogue getter like help, since the examples come from the catalogue that lists it.
 */
export function createSmalltalkIntent(audience: 'staff' | 'member', catalogue: () => readonly IntentDef[]) {
  return defineIntent({
    name: audience === 'staff' ? 'smalltalk' : 'my.smalltalk',
    audience,
    description: 'Answer thanks, compliments, greetings, goodbyes, chit-chat and out-of-scope questions with one polite line and two example requests (not for "what can you do": that is help).',
    title: audience === 'staff' ? '闲聊' : '会员闲聊',
    permission: null,
    effect: 'read',
    slots: z.object({}),
    examples: [
      { text: '谢谢', slots: {} },
      { text: '辛苦了，你真棒', slots: {} },
      { text: '讲个笑话吧', slots: {} },
      { text: 'thanks!', slots: {} },
      { text: 'tell me a joke', slots: {} },
    ],
    // Below every request (action.confirm is 1): "谢谢，查一下13800000001" is a lookup. Above help (0).
    rule: { keywords: KEYWORDS, priority: 0.5, chat: true },
    async run(ctx) {
      const text = ctx.text ?? '';
      const kind = classifyUnmatched(text);
      // A greeting is small talk by its name, but keeps its answer: what the bot can do (the help text).
      if (kind === 'help') return { text: helpText(catalogue(), ctx.actor, ctx.lang), outcome: 'answered', data: { smalltalk: 'greeting' } };
      const byName = (name: string) => catalogue().find((i) => i.name === name);
      return { text: shortReply(kind === 'thanks' ? 'thanks' : 'smalltalk', twoExamples(text, ctx.actor, byName), ctx.lang), outcome: 'answered', data: { smalltalk: kind === 'thanks' ? 'thanks' : 'smalltalk' } };
    },
  });
}
