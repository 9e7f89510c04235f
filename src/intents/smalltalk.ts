import { z } from 'zod';
import { languageOf, t, type Lang } from '../i18n/index.ts';
import { usableIntents } from './help-text.ts';
import type { Actor } from '../bot/types.ts';
import { defineIntent, type IntentDef, type Trigger } from './types.ts';

/** What kind of small talk a message is: the polite line answers it. */
type Kind = 'thanks' | 'praise' | 'bye' | 'ack' | 'other';

const KINDS: [Kind, RegExp][] = [
  ['thanks', /谢|感恩|辛苦|\bthanks?\b|\bthank you\b|\bthx\b|\bty\b|3q/i],
  ['praise', /棒|厉害|不错|牛|给力|聪明|好用|赞|\bgreat\b|\bawesome\b|\bwell done\b|\bnice\b|\bgood (?:job|bot)\b|\bcool\b|\bsmart\b/i],
  ['bye', /再见|拜拜|回头见|晚安|下次见|\bbye\b|\bgoodbye\b|\bsee you\b|\bgood ?night\b/i],
  ['ack', /^(?:收到|知道了|明白了?|了解|懂了|哦+|噢+|嗯嗯|好嘞|\bgot it\b|\bnoted\b|\bi see\b)[\s,.!。！~～]*$/i],
];

export function smalltalkKind(text: string | undefined): Kind {
  return KINDS.find(([, re]) => text && re.test(text))?.[0] ?? 'other';
}

/**
 * Thanks, compliments, goodbyes, chit-chat and questions the bot is not for. Deliberately
 * without the confirmation words (好的, ok, 嗯: action.confirm) and greetings or "what can you
 * do" (help): those keep their own answers.
 */
const KEYWORDS: Trigger[] = [
  /谢谢|多谢|感谢|谢啦|谢了|感恩|辛苦(?:了|啦|你了)|\bthanks?\b|\bthank you\b|\bthx\b|\bty\b|3q/i,
  /真棒|好棒|太棒|厉害|真不错|挺好用|好用|给力|牛啊|真牛|聪明|点赞|\bgreat job\b|\bwell done\b|\bawesome\b|\bgood bot\b|\bnice work\b|\byou(?:'re| are) (?:great|smart|the best)\b/i,
  /再见|拜拜|回头见|下次见|晚安|\bbye\b|\bgoodbye\b|\bsee you\b|\bgood ?night\b/i,
  /^(?:收到|知道了|明白了?|了解|懂了|哦+|噢+|嗯嗯|好嘞|\bgot it\b|\bnoted\b|\bi see\b)[\s,.!。！~～]*$/i,
  /哈哈|呵呵|嘿嘿|嘻嘻|无聊|笑话|讲个故事|你叫什么|你几岁|你多大|你是机器人|你是真人|吃了吗|吃饭了吗|在干嘛|在干什么|股票|彩票|\bhaha\b|\blol\b|\bare you (?:a )?(?:bot|robot|human|real)\b|\btell me a joke\b|\bjoke\b|\bhow are you\b|\bhow old are you\b/i,
];

/** Two example requests of the actor's own intents in the reply language, varying with the message. */
export function twoExamples(catalogue: readonly IntentDef[], actor: Actor, lang: Lang, text: string): [string, string] | null {
  const pool = usableIntents(catalogue, actor)
    .filter((i) => i.effect === 'read' && !i.rule.fallback && !i.name.endsWith('smalltalk'))
    .map((i) => i.examples.find((e) => languageOf(e.text) === lang && !/\d{5,}|M\d{8}/i.test(e.text))?.text)
    .filter((x): x is string => !!x);
  if (pool.length < 2) return null;
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  const a = h % pool.length;
  const b = (a + 1 + ((h >>> 8) % (pool.length - 1))) % pool.length;
  return [pool[a]!, pool[b]!];
}

/**
 * Small talk for one audience (`smalltalk` for staff, `my.smalltalk` for members): one polite
 * line and two things to try, instead of the whole help text. Built from a catalogue getter like
 * help, since the examples come from the catalogue that lists it.
 */
export function createSmalltalkIntent(audience: 'staff' | 'member', catalogue: () => readonly IntentDef[]) {
  return defineIntent({
    name: audience === 'staff' ? 'smalltalk' : 'my.smalltalk',
    audience,
    description: 'Answer thanks, compliments, goodbyes, chit-chat and out-of-scope questions with one polite line and two example requests (not for greetings or "what can you do": that is help).',
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
    rule: { keywords: KEYWORDS, priority: 0.5 },
    async run(ctx) {
      const text = ctx.text ?? '';
      const line = t(ctx.lang, `smalltalk.${smalltalkKind(text)}`);
      const ex = twoExamples(catalogue(), ctx.actor, ctx.lang, text);
      return { text: ex ? `${line}\n${t(ctx.lang, "smalltalk.try", { a: ex[0], b: ex[1] })}` : line };
    },
  });
}
