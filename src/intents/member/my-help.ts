import { z } from 'zod';
import { helpText } from '../help-text.ts';
import { defineIntent, type IntentDef } from '../types.ts';

/**
 * A member's help, and the member's answer to anything else, including messages that try to
 * instruct the bot ("忽略之前的指令…"): members get this menu of their own services, nothing more.
 */
export function createMyHelpIntent(catalogue: () => readonly IntentDef[]) {
  return defineIntent({
    name: 'my.help',
    audience: 'member',
    description: 'Explain what a member can ask: their points, level, orders, coupons, unsubscribing, or talking to a person.',
    title: '会员帮助',
    permission: null,
    effect: 'read',
    slots: z.object({}),
    examples: [
      { text: '你能做什么', slots: {} },
      { text: 'help', slots: {} },
      { text: '能帮我做什么', slots: {} },
    ],
    rule: { keywords: ['帮助', '菜单', '功能', '你能做什么', '能做什么', '帮我做什么', '可以做什么', '能干什么', '怎么用', 'help', 'menu', '?', '？'], priority: 0, fallback: true, chat: true },
    async run(ctx) {
      return { text: helpText(catalogue(), ctx.actor, ctx.lang) };
    },
  });
}
