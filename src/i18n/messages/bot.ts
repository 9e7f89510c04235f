import type { Messages } from './types.ts';

/** The pipeline's own texts (src/bot): everything the bot says that no intent says. */
export const bot = {
  zh: {
    notRegistered: '你好！你还不是本系统登记的员工或会员，暂时无法使用。员工请联系总部运营在 CRM 中登记企业微信账号；会员请先在小程序注册。',
    rateLimited: '你的操作有点频繁，请稍后再试。如果已经转了人工，工作人员会尽快联系你，不用重复发送。',
  },
  en: {
    notRegistered: 'Hello! You are not registered as staff or a member yet. Staff: ask head office to register your WeCom account in the CRM; members: please sign up in the mini-program first.',
    rateLimited: 'You are sending requests a little fast; please try again shortly. If you asked for a person, a colleague will contact you soon; there is no need to send it again.',
  },
} satisfies Messages;
