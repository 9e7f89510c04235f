import type { Messages } from './types.ts';

/** What a customer hears on 微信客服 outside the member intents (src/channels/kf). */
export const kf = {
  zh: {
    bindFirst: '你好！还没有找到你的会员身份。请先在小程序用手机号注册或登录会员，绑定后即可在这里查询积分、优惠券和订单。',
    welcome: '你好，欢迎咨询！可以直接问我「我的积分」「我的优惠券」「我的订单」，需要人工时回复「转人工」。',
  },
  en: {
    bindFirst: 'Hello! We could not find your membership yet. Please sign up or log in with your phone number in the mini-program; once bound you can ask about your points, coupons and orders here.',
    welcome: 'Hello and welcome! Ask me "my points", "my coupons" or "my orders"; reply "talk to a human" for a person.',
  },
} satisfies Messages;
