import type { Messages } from './types.ts';

/** points.adjust: previews, questions and the result. */
export const points = {
  zh: {
    add: '加 {{n}} 积分',
    deduct: '扣 {{n}} 积分',
    preview: '将给 {{label}} {{change}}（原因：{{reason}}），当前积分 {{balance}}。{{why}}需要确认。',
    whyDeduct: '扣减积分',
    whyLarge: '超过 {{limit}} 积分的调整',
    whyChanged: '改过的调整仍',
    askAmount: '要加或扣多少积分？例如「给 13800000001 加 100 积分 原因 消费奖励」。',
    askReason: '请说明{{change}}的原因，例如「… 原因 消费奖励」。',
    done: '已给 {{label}} {{change}}（原因：{{reason}}），当前积分 {{balance}}。',
  },
  en: {
    add: 'add {{n}} points',
    deduct: 'deduct {{n}} points',
    preview: 'This will {{change}} for {{label}} (reason: {{reason}}); current balance {{balance}}. {{why}} needs a confirmation.',
    whyDeduct: 'A deduction',
    whyLarge: 'A change over {{limit}} points',
    whyChanged: 'The changed request still',
    askAmount: 'How many points to add or deduct? For example "add 100 points to 13800000001 for a purchase reward".',
    askReason: 'Please give a reason to {{change}}, e.g. "… for a purchase reward".',
    done: 'Done: {{change}} for {{label}} (reason: {{reason}}); balance now {{balance}}.',
  },
} satisfies Messages;
