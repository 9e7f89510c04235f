import type { Messages } from './types.ts';

/** recall.status: progress and conversions of recent recalls (src/intents/recall-status.ts). */
export const recallStatus = {
  zh: {
    none: '你可查看的门店还没有发起过召回。可以说「给本店流失会员发召回券」发起一次。',
    head: '最近 {{n}} 次召回{{scopeNote}}：',
    scopeNote: '（只统计你门店的会员）',
    item: '· {{date}} {{audience}}{{by}}{{coupon}}：{{members}} 位，{{state}}',
    by: '，{{name}}发起',
    coupon: '，{{amount}} 元券',
    progress: '已发送 {{sent}}，失败 {{failed}}{{unknown}}，无法触达 {{unreachable}}{{skipped}}{{pending}}',
    unknown: '，状态未知 {{n}}（可能已送达，未重发）',
    skipped: '，跳过 {{n}}（退订/频次上限）',
    pending: '，处理中 {{n}}',
    finished: '已完成：',
    running: '发送中：',
    conversion: '  回流：发起后 {{days}} 天内 {{converted}} 位再次消费（{{rate}}），带来营收 {{revenue}}',
    conversionEarly: '  回流：刚发起不到一天，明天起可以看到再次消费的人数',
  },
  en: {
    none: 'No recall has been launched for the stores you can see yet. Say “recall the churn list with a 20 yuan coupon” to launch one.',
    head: 'The last {{n}} recalls{{scopeNote}}:',
    scopeNote: ' (counting your stores’ members only)',
    item: '· {{date}} {{audience}}{{by}}{{coupon}}: {{members}} members, {{state}}',
    by: ', launched by {{name}}',
    coupon: ', {{amount}} yuan coupon',
    progress: '{{sent}} sent, {{failed}} failed{{unknown}}, {{unreachable}} unreachable{{skipped}}{{pending}}',
    unknown: ', {{n}} unknown (may have arrived; not resent)',
    skipped: ', {{n}} skipped (unsubscribed or frequency cap)',
    pending: ', {{n}} in progress',
    finished: 'finished: ',
    running: 'sending: ',
    conversion: '  Conversion: {{converted}} ordered again within {{days}} days of the launch ({{rate}}), revenue {{revenue}}',
    conversionEarly: '  Conversion: launched less than a day ago; repeat orders show from tomorrow',
  },
} satisfies Messages;
