import type { IntentDef } from '../intents/types.ts';

/**
 * The short question asked when two intents matched equally well (or the LLM could not give
 * valid arguments): name the candidates with one example each, so the next message is clear.
 */
export function clarifyingQuestion(options: readonly IntentDef[]): string {
  if (options.length === 0) return '没太明白你的意思，能换个说法吗？发送「帮助」查看我能做什么。';
  const lines = options.map((o, i) => `${i + 1}. ${o.title}${o.examples[0] ? `（如：${o.examples[0].text}）` : ''}`);
  return ['你是想：', ...lines, '请说得具体一点，我再帮你办。'].join('\n');
}
