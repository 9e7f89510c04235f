import { can } from '../../crm/kernel/index.ts';
import { t, type Lang } from '../../i18n/index.ts';
import type { IntentDef } from '../../intents/types.ts';
import type { Actor } from '../types.ts';
import { intentExample as exampleIn, intentTitle as intentLabel } from '../../intents/localized.ts';

/** What a message no intent took is: a request for help, thanks, small talk, or not understood. */
export type Unmatched = 'help' | 'thanks' | 'smalltalk' | 'unknown';

// Only these get the full help text; "你好厉害" and "?" inside a question are not a request for it.
const HELP = /帮助|菜单|功能|(?:能|可以|会)(?:做|干|帮我做)(?:什么|啥|些什么)|怎么用|如何使用|使用说明|说明书|教程|指令列表|\bhelp\b|\bmenu\b|what can you do|how (?:do i|to) use|^(?:你好|您好|hi|hello|hey|在吗|在么|哈喽|嗨)[\s!！。.~～,，]*$|^[?？]+$/i;
const THANKS = /谢谢|多谢|感谢|谢啦|辛苦了?|\bthanks?\b|\bthank you\b|\bthx\b|\bcheers\b/i;
const SMALLTALK = /厉害|真棒|好棒|太棒|牛|赞|哈哈|嘿嘿|天气|吃饭|吃了吗|早上好|早安|午安|晚安|下午好|晚上好|再见|拜拜|你是谁|你叫什么|机器人|无聊|讲个笑话|\b(?:great|awesome|cool|nice|bye|goodbye|good (?:morning|afternoon|evening|night)|weather|who are you|joke|lol|haha)\b/i;

export function classifyUnmatched(text: string): Unmatched {
  const s = text.normalize('NFKC').trim();
  if (HELP.test(s)) return 'help';
  if (THANKS.test(s)) return 'thanks';
  if (SMALLTALK.test(s)) return 'smalltalk';
  return 'unknown';
}

/** The intents an example is taken from, most useful first, per audience. */
const SHOWCASE = {
  staff: ['member.lookup', 'churn.list', 'member.orders', 'insights.health', 'member.summary', 'tag.add', 'koc.stats'],
  member: ['my.points', 'my.coupons', 'my.orders', 'my.level', 'handoff'],
} as const;

/** Han character pairs and Latin words: what a near miss shares with an intent's trigger words. */
const tokens = (s: string) => {
  const text = s.normalize('NFKC').toLowerCase();
  const out = new Set<string>(text.match(/[a-z]{3,}/g) ?? []);
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  return out;
};

/**
 * Two intents to show as examples: the ones whose words are closest to the message (a near miss
 * gets the request it was probably meant as), else the most useful; only what the actor may use.
 */
export function twoExamples(text: string, actor: Actor, getIntent: (name: string) => IntentDef | undefined): IntentDef[] {
  const usable = SHOWCASE[actor.kind].flatMap((n) => getIntent(n) ?? []).filter((i) => !i.permission || (actor.kind === 'staff' && can(actor, i.permission)));
  const asked = tokens(text);
  const score = (i: IntentDef) => {
    let n = 0;
    for (const w of tokens(i.rule.keywords.flat().filter((k): k is string => typeof k === 'string').join(' '))) if (asked.has(w)) n++;
    return n;
  };
  return usable
    .map((i, order) => ({ i, order, s: score(i) }))
    .sort((a, b) => b.s - a.s || a.order - b.order)
    .slice(0, 2)
    .map((x) => x.i);
}

/** One line and two examples, in place of the full help: for thanks, small talk and anything not understood. */
export function shortReply(kind: Exclude<Unmatched, 'help'>, examples: readonly IntentDef[], lang: Lang): string {
  const head = t(lang, kind === 'thanks' ? 'dialogue.smalltalkThanks' : kind === 'smalltalk' ? 'dialogue.smalltalk' : 'dialogue.unrecognised');
  const lines = examples.flatMap((i) => {
    const text = exampleIn(i, lang);
    return text ? [t(lang, 'dialogue.example', { title: intentLabel(i, lang), text })] : [];
  });
  return [head, ...lines].join('\n');
}
