import { z } from 'zod';
import { kocLeaderboard, kocStats } from '../crm/loyalty/index.ts';
import { formatYuan } from '../crm/kernel/index.ts';
import { memberLabel } from './render/member.ts';
import { renderKoc } from './render/service.ts';
import { MEMBER_REF_EXTRACT } from './slots/member-ref.ts';
import { focusOf, oneMember } from './slots/resolve-one.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

/** One member's KOC contribution, or the top KOCs of the staff member's stores. */
export const kocStatsIntent = defineIntent({
  name: 'koc.stats',
  audience: 'staff',
  description: "Show a member's KOC contribution (referrals, redemptions, earnings, KOC level), or without a member the top KOCs of the staff member's stores.",
  title: 'KOC 推广数据 / 排行',
  permission: 'member.read',
  effect: 'read',
  slots: z.object({
    phone: z.string().min(1).max(32).optional(),
    memberNo: z.string().min(1).max(16).optional(),
    name: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(50).optional().describe('how many KOCs to list'),
  }),
  examples: [
    { text: '13800000005 的KOC数据', slots: { phone: '13800000005' } },
    { text: 'KOC stats for M00000005', slots: { memberNo: 'M00000005' } },
    { text: '本店KOC排行 前10', slots: { limit: 10 } },
    { text: 'top KOCs', slots: {} },
    { text: 'KOC leaderboard', slots: {} },
  ],
  rule: {
    // The list words are triggers too, so "排行"/"top"/"本店" are consumed, never read as a name.
    keywords: [/\bKOCs?\b|KOC/i, '达人推广', '推荐达人', [/KOC/i, /排行榜?|排名|榜单|\bleaderboard\b|\branking\b|\btop\b|\bbest\b/i], [/KOC/i, /本店|本门店|我的门店|我们店/]],
    extract: { ...MEMBER_REF_EXTRACT, limit: 'count' },
    priority: 5,
  },
  async run(ctx, { limit, ...ref }) {
    const access = staffAccess(ctx);
    if (!ref.phone && !ref.memberNo && !ref.name) {
      const top = await kocLeaderboard(access, limit ?? 10);
      if (!top.length) return { text: t(ctx.lang, 'koc.noneInStores') };
      const lines = top.map((k, i) => t(ctx.lang, 'koc.topLine', { i: i + 1, label: memberLabel(k, ctx.lang), level: k.level, referrals: k.referrals, redemptions: k.redemptions, earnings: formatYuan(k.earnings) }));
      return { text: [t(ctx.lang, 'koc.top', { count: top.length }), ...lines].join('\n'), data: top };
    }
    const found = await oneMember(access, ref, 'koc.stats', ctx.lang);
    if ('reply' in found) return found.reply;
    const k = await kocStats(access, found.member.id);
    return { text: k ? renderKoc(k, ctx.lang) : t(ctx.lang, 'koc.notKoc', { label: memberLabel(found.member, ctx.lang) }), data: k, focus: focusOf(found.member) };
  },
});
