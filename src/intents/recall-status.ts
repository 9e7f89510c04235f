import { z } from 'zod';
import { recentRecalls, type RecallStatus } from '../crm/automation/index.ts';
import { formatMonthDayTime, formatYuan, storeScope } from '../crm/kernel/index.ts';
import { t, type Lang } from '../i18n/index.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { RECALL_VERB } from './parse/recall-words.ts';

function renderRecall(lang: Lang, r: RecallStatus): string[] {
  const c = r.counts;
  const progress = t(lang, 'recallStatus.progress', {
    sent: c.sent,
    failed: c.failed,
    unknown: c.unknown ? t(lang, 'recallStatus.unknown', { n: c.unknown }) : '',
    unreachable: c.unreachable,
    skipped: c.skipped ? t(lang, 'recallStatus.skipped', { n: c.skipped }) : '',
    cancelled: c.cancelled ? t(lang, 'recallStatus.cancelled', { n: c.cancelled }) : '',
    pending: c.pending ? t(lang, 'recallStatus.pending', { n: c.pending }) : '',
  });
  const head = t(lang, 'recallStatus.item', {
    date: formatMonthDayTime(r.launchedAt),
    audience: r.audience,
    by: r.launchedBy ? t(lang, 'recallStatus.by', { name: r.launchedBy }) : '',
    coupon: r.couponAmount ? t(lang, 'recallStatus.coupon', { amount: Number(r.couponAmount).toFixed(0) }) : '',
    members: r.members,
    // A stopped recall has members cancelled rather than pending (docs/journeys.md, "Recall safety").
    state: t(lang, c.cancelled ? 'recallStatus.stopped' : r.finished ? 'recallStatus.finished' : 'recallStatus.running') + progress,
  });
  const v = r.conversion;
  const rate = r.members ? `${((v.converted / r.members) * 100).toFixed(1)}%` : '0.0%';
  const conv = v.days < 1 ? t(lang, 'recallStatus.conversionEarly') : t(lang, 'recallStatus.conversion', { days: v.days, converted: v.converted, rate, revenue: formatYuan(v.revenue) });
  return [head, conv];
}

/**
 * 召回做得怎么样了 / how did the recall go: the recent recalls of the staff member's stores with
 * their progress (sent, failed, unreachable, pending) and the members who ordered again since.
 * A question about a recall, never a new one (recall.launch).
 */
export const recallStatusIntent = defineIntent({
  name: 'recall.status',
  audience: 'staff',
  description: "Report on recalls already launched in the staff member's stores: progress (sent, failed, unreachable, pending) and conversions (members who ordered again, revenue). Never launches a recall.",
  title: '召回进度和效果',
  permission: 'journey.read',
  effect: 'read',
  // "停掉第一个" after the list: the recall of that row, stopped (previewed for 确认).
  rowControls: [{ intent: 'recall.stop', idSlot: 'recallId' }],
  slots: z.object({ limit: z.number().int().min(1).max(10).optional().describe('how many recent recalls to show (default 3)') }),
  examples: [
    { text: '召回做得怎么样了', slots: {} },
    { text: '上次召回发出去多少', slots: {} },
    { text: '召回效果怎么样', slots: {} },
    { text: 'how did the recall go', slots: {} },
    { text: 'recall results', slots: {} },
  ],
  rule: {
    keywords: [
      [RECALL_VERB, /怎么样|咋样|如何|效果|进度|进展|结果|情况|做得|发出去了?(?:多少|几)|发出去了吗|发出了多少|发了多少|发送了多少|发到了多少|送达|到了多少|多少人回|回来了?多少|转化|回流(?!失)|成功率|状态|完成了?吗|统计/],
      [/\brecalls?\b|\bwin-?backs?\b/i, /\bhow (?:did|is|was|are|were|far)\b|\bstatus\b|\bprogress\b|\bresults?\b|\bconver(?:sion|ted|ting)\b|\bperform(?:ed|ing|ance)?\b|\bhow many (?:were )?sent\b|\bhow'?s\b|\bwent\b/i],
    ],
    extract: { limit: 'count' },
    // Above recall.launch (7): a question about a recall is not an order to launch one.
    priority: 7.5,
  },
  async run(ctx, { limit }) {
    const access = staffAccess(ctx);
    const lang = ctx.lang;
    const recalls = await recentRecalls(access, { limit: limit ?? 3 });
    if (!recalls.length) return { text: t(lang, 'recallStatus.none'), data: [] };
    const scopeNote = storeScope(access.actor) === null ? '' : t(lang, 'recallStatus.scopeNote');
    return { text: [t(lang, 'recallStatus.head', { n: recalls.length, scopeNote }), ...recalls.flatMap((r) => renderRecall(lang, r))].join('\n'), data: recalls };
  },
});
