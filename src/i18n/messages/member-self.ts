import type { Messages } from './types.ts';

/** What a member hears about their own account (src/intents/member/*). */
export const memberSelf = {
  zh: {
    points: '{{name}}，你的积分余额是 {{points}} 分（会员号 {{memberNo}}）。积分可在小程序「积分商城」兑换。',
    level: '{{name}}，你目前是 L{{level}} 会员，成长值 {{growth}}。消费累积成长值即可升级。',
    noCoupons: '你目前没有可用的优惠券。',
    coupons: '你有 {{count}} 张可用的优惠券：',
    coupon: '· {{title}}{{amount}} 券码 {{code}}{{expires}}',
    couponExpires: '，{{date}} 到期',
    unsubscribed: '已为你退订营销消息，之后不再给你推送活动和优惠信息。订单、积分等服务通知不受影响。',
    alreadyUnsubscribed: '你在 {{date}} 已退订营销消息，不会再收到活动推送。',
    handoffJoined: '你的请求已转给工作人员（工单号 {{ticketNo}}），正在处理中，请耐心等待，门店工作人员会尽快联系你。',
    handoff: '已为你转接人工服务（工单号 {{ticketNo}}），门店工作人员会尽快联系你。{{sorry}}',
    sorry: '给你带来不好的体验，非常抱歉。',
  },
  en: {
    points: '{{name}}, your points balance is {{points}} (member no. {{memberNo}}). Redeem points in the mini-program\'s points mall.',
    level: '{{name}}, you are a level L{{level}} member with {{growth}} growth points. Every purchase adds growth points towards the next level.',
    noCoupons: 'You have no usable coupons right now.',
    coupons: 'You have {{count}} usable coupons:',
    coupons_one: 'You have 1 usable coupon:',
    coupon: '· {{title}}{{amount}} code {{code}}{{expires}}',
    couponExpires: ', expires {{date}}',
    unsubscribed: 'You are unsubscribed from marketing messages: no more promotions or offers. Service notices about orders and points still come.',
    alreadyUnsubscribed: 'You unsubscribed from marketing messages on {{date}}; you will not get promotions.',
    handoffJoined: 'Your request is already with our staff (ticket {{ticketNo}}) and being handled; someone from the store will contact you soon.',
    handoff: 'We have passed you to a person (ticket {{ticketNo}}); someone from the store will contact you soon.{{sorry}}',
    sorry: ' We are very sorry for the bad experience.',
  },
} satisfies Messages;
