import type { Messages } from './types.ts';

/** The pipeline's own texts (src/bot): everything the bot says that no intent says. */
export const bot = {
  zh: {
    notRegistered: '你好！你还不是本系统登记的员工或会员，暂时无法使用。员工请联系总部运营在 CRM 中登记企业微信账号；会员请先在小程序注册。',
    rateLimited: '你的操作有点频繁，请稍后再试。如果已经转了人工，工作人员会尽快联系你，不用重复发送。',
    staffRateLimited: '你在 {{window}} 分钟内已执行了 {{limit}} 次写入类操作，为防止误操作刷屏，请 {{minutes}} 分钟后再试。查询类操作不受影响。',
    heldSuffix: '回复「确认」执行，回复「取消」放弃（{{minutes}} 分钟内有效，编号 {{code}}）。',
    confirmNotYours: '编号 {{code}} 的操作由 {{owner}} 发起，只有发起人本人可以确认。',
    cancelNotYours: '编号 {{code}} 的操作由 {{owner}} 发起，只有发起人本人可以取消。',
    pendingExpired: '编号 {{code}} 的操作已超时未确认，已作废。如仍需要，请重新发起。',
    pendingCancelled: '已取消编号 {{code}} 的操作，什么都没有执行。',
    pendingUnsupported: '这个操作已不再支持，未执行。',
    nothingToConfirm: '现在没有等你确认的操作（或已超时，请重新发起）。',
    nothingToCancel: '现在没有待确认的操作，无需取消。',
    empty: '（无内容）',
  },
  en: {
    notRegistered: 'Hello! You are not registered as staff or a member yet. Staff: ask head office to register your WeCom account in the CRM; members: please sign up in the mini-program first.',
    rateLimited: 'You are sending requests a little fast; please try again shortly. If you asked for a person, a colleague will contact you soon; there is no need to send it again.',
    staffRateLimited: 'You have run {{limit}} actions that change data within {{window}} minutes; to guard against a flood of mistakes, please try again in {{minutes}} minutes. Look-ups are not affected.',
    heldSuffix: 'Reply "confirm" to run it or "cancel" to drop it (valid for {{minutes}} minutes, code {{code}}).',
    confirmNotYours: 'Action {{code}} was started by {{owner}}; only they can confirm it.',
    cancelNotYours: 'Action {{code}} was started by {{owner}}; only they can cancel it.',
    pendingExpired: 'Action {{code}} was not confirmed in time and has lapsed. Ask again if you still need it.',
    pendingCancelled: 'Action {{code}} is cancelled; nothing was done.',
    pendingUnsupported: 'This action is no longer supported; nothing was done.',
    nothingToConfirm: 'There is nothing waiting for your confirmation (or it has lapsed; please ask again).',
    nothingToCancel: 'There is nothing pending to cancel.',
    empty: '(no content)',
  },
} satisfies Messages;
