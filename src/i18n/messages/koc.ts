import type { Messages } from './types.ts';

/** KOC contribution and leaderboard (koc.stats, src/intents/render/service.ts renderKoc). */
export const koc = {
  zh: {
    noneInStores: '你可查看的门店里还没有 KOC。',
    top: 'KOC 排行（前 {{count}}）：',
    topLine: '{{i}}. {{label}} L{{level}} · 推荐 {{referrals}} · 核销 {{redemptions}} · 收益 {{earnings}}',
    notKoc: '{{label}} 还不是 KOC。',
    head: '{{label}}KOC L{{level}} · 推荐码 {{code}}',
    figures: '推荐 {{referrals}} 人 · 核销 {{redemptions}} 次 · 收益 {{earnings}}',
    joined: '加入于 {{date}}',
  },
  en: {
    noneInStores: 'No KOCs yet in the stores you can see.',
    top: 'Top {{count}} KOCs:',
    topLine: '{{i}}. {{label}} L{{level}} · {{referrals}} referrals · {{redemptions}} redemptions · earned {{earnings}}',
    notKoc: '{{label}} is not a KOC yet.',
    head: '{{label}} KOC L{{level}} · referral code {{code}}',
    figures: '{{referrals}} referrals · {{redemptions}} redemptions · earned {{earnings}}',
    joined: 'Joined {{date}}',
  },
} satisfies Messages;
