import { t } from '../i18n/index.ts';
import { z } from 'zod';
import { defineIntent } from './types.ts';

/**
 * "确认" / "confirm": runs the sender's pending mass action. The pipeline (src/bot/confirmation.ts)
 * handles it when something is pending; run() is reached only when nothing is.
 */
export const actionConfirm = defineIntent({
  name: 'action.confirm',
  audience: 'staff',
  description: 'Confirm the pending mass action that the bot previewed (batch tagging, recall, export, large points changes).',
  title: '确认待执行的操作',
  permission: null,
  effect: 'control',
  slots: z.object({ code: z.string().regex(/^\d{4}$/).optional().describe('the 4-digit code of the pending action, when given') }),
  examples: [
    { text: '确认', slots: {} },
    { text: 'confirm', slots: {} },
    { text: '确认 4821', slots: { code: '4821' } },
    { text: 'yes', slots: {} },
  ],
  rule: {
    // 确认 negated ("客户还没确认", "未确认") tells of someone's not confirming; it confirms nothing.
    keywords: [/(?<![没未不])确认/, /(?<![没未不])确定/, '确认执行', '执行吧', '好的执行', '没问题执行', 'confirm', 'confirmed', 'go ahead', 'do it', /^\s*(?:yes|y|ok|okay|是|是的|好|好的|嗯|对|行)\s*[.!。！]*\s*$/],
    extract: { code: 'code' },
    priority: 1,
  },
  async run(ctx) {
    return { text: t(ctx.lang, 'bot.nothingToConfirm') };
  },
});

/** "取消" / "cancel": drops the sender's pending mass action. */
export const actionCancel = defineIntent({
  name: 'action.cancel',
  audience: 'staff',
  description: 'Cancel the pending mass action that the bot previewed.',
  title: '取消待执行的操作',
  permission: null,
  effect: 'control',
  slots: z.object({ code: z.string().regex(/^\d{4}$/).optional().describe('the 4-digit code of the pending action, when given') }),
  examples: [
    { text: '取消', slots: {} },
    { text: 'cancel', slots: {} },
    { text: '算了不要了', slots: {} },
    { text: 'no', slots: {} },
  ],
  rule: {
    // 算了 after an action ("把会员全删了算了", "干脆清零算了": might as well) asks that action, however unmeant; it cancels nothing
    // (after a negated one it does: "不发了算了"). The same words as MIGHT_AS_WELL in src/bot/understand/lexicon.ts.
    keywords: ['取消', /(?<!(?:^|[\s，,。；;!！])[^，,。；;!！\s不别没甭]{1,12}了|(?:干脆|索性)[^，,。；;\s]+)算了/, '不要了', '不用了', '撤销', '别执行', '先不要', 'cancel', 'abort', 'never mind', 'nevermind', /^\s*(?:no|n|nope|不|否|不要)\s*[.!。！]*\s*$/],
    extract: { code: 'code' },
    priority: 1,
  },
  async run(ctx) {
    return { text: t(ctx.lang, 'bot.nothingToCancel') };
  },
});
