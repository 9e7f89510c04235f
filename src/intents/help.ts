import { z } from 'zod';
import { helpText } from './help-text.ts';
import { defineIntent, type IntentDef } from './types.ts';

/**
 * What the bot can do for this actor. Built from a catalogue getter rather than importing the
 * catalogue, which itself lists this intent.
 */
export function createHelpIntent(catalogue: () => readonly IntentDef[]) {
  return defineIntent({
    name: 'help',
    audience: 'staff',
    description: 'Explain what the bot can do, with one example per available request.',
    title: '帮助',
    permission: null,
    effect: 'read',
    slots: z.object({}),
    examples: [
      { text: '帮助', slots: {} },
      { text: 'help', slots: {} },
      { text: '你能做什么', slots: {} },
      { text: '怎么用？', slots: {} },
    ],
    rule: { keywords: ['帮助', '帮忙', '菜单', '功能', '你能做什么', '能做什么', '怎么用', '使用说明', '说明', 'help', 'menu', 'what can you do', '?', '？'], priority: 0, fallback: true, chat: true },
    async run(ctx) {
      return { text: helpText(catalogue(), ctx.actor, ctx.lang) };
    },
  });
}
