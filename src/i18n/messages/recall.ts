import type { Messages } from './types.ts';

/** recall.launch: the preview held for confirmation, and the launch. */
export const recall = {
  zh: {
    'audience.churn': '流失预警名单',
    'audience.segment': '人群包「{{name}}」',
    'channel.miniprogram': '小程序',
    'channel.wecom': '企业微信',
    'channel.sms': '短信',
    'channel.unreachable': '无法触达',
    'channel.unsubscribed': '已退订',
    channelCount: '{{channel}} {{count}}',
    sample: '{{name}}（{{memberNo}}，{{channel}}）',
    preview: '将向{{audience}}上的 {{count}} 位会员发送 {{amount}} 元回归券和召回消息，预计成本 {{cost}} 元（按全部核销计）。{{channels}}{{asOf}}\n示例：{{sample}}',
    channels: '\n触达渠道：{{channels}}。',
    asOf: '\n名单人数截至 {{at}}（每晚评分时的流失预警名单，已减去此后注销、转店的会员；每位会员的触达渠道在发送时选定）。',
    empty: '{{audience}}目前是空的，没有需要召回的会员。',
    launched: '召回已启动（编号 {{id}}）：{{audience}}的 {{count}} 位会员，每人 {{amount}} 元回归券。发送进度和结果会通过企业微信发给你，7 天和 30 天后再发回流统计。',
  },
  en: {
    'audience.churn': 'the churn warning list',
    'audience.segment': 'segment "{{name}}"',
    'channel.miniprogram': 'mini-program',
    'channel.wecom': 'WeCom',
    'channel.sms': 'SMS',
    'channel.unreachable': 'unreachable',
    'channel.unsubscribed': 'unsubscribed',
    channelCount: '{{channel}} {{count}}',
    sample: '{{name}} ({{memberNo}}, {{channel}})',
    preview: 'This will send a {{amount}} yuan welcome-back coupon and a recall message to {{count}} members on {{audience}}; estimated cost {{cost}} yuan (if every coupon is redeemed).{{channels}}{{asOf}}\nFor example: {{sample}}',
    channels: '\nChannels: {{channels}}.',
    asOf: '\nThe list as of {{at}} (the nightly scoring run\'s churn list, less members deleted or moved to another store since; each member\'s channel is chosen when the message goes).',
    empty: '{{audience}} is empty right now; no one to recall.',
    launched: 'Recall started (no. {{id}}): {{count}} members on {{audience}}, a {{amount}} yuan welcome-back coupon each. Progress and results come to you in WeCom, with return figures after 7 and 30 days.',
  },
} satisfies Messages;
