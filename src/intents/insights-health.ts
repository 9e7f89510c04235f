import { z } from 'zod';
import { storeScope } from '../crm/kernel/index.ts';
import { healthTrendChart } from './render/charts/health-chart.ts';
import { healthDashboard, type Granularity } from '../crm/insights/index.ts';
import { renderHealth } from './render/insights.ts';
import { resolveStore, storeDirectory } from './router/stores.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

const slots = z.object({
  period: z.enum(['day', 'week', 'month']).optional().describe('day (yesterday), week (last 7 days, default) or month (last 30 days)'),
  text: z.string().max(500).optional().describe('the whole request (the period and a store name are read from it)'),
  store: z.string().min(1).max(64).optional().describe('one store, by its name, e.g. "上海静安店" or "静安店" (must be one of the staff member\'s stores)'),
});

/** The period a message asks for: 日/今天/昨天 → day, 月 → month, else week. */
export function periodFromText(text: string | undefined): Granularity | undefined {
  if (!text) return undefined;
  if (/月|month|30\s*天/i.test(text)) return 'month';
  if (/[日天]报|今天|昨天|每日|daily|\bday\b|yesterday/i.test(text)) return 'day';
  if (/周|星期|week|7\s*天/i.test(text)) return 'week';
  return undefined;
}

/** 本店会员健康度 (CRM13): figures with trends vs the previous period and last year, and a chart. */
export const insightsHealth = defineIntent({
  name: 'insights.health',
  audience: 'staff',
  description: "Member health dashboard of the staff member's stores: total, new, active, dormant and churned members, churn and repurchase rates, average order value, cohort retention, compared with the previous period and last year, with a trend chart.",
  title: '会员健康度看板（本店）',
  permission: 'churn.read',
  effect: 'read',
  slots,
  examples: [
    { text: '本店会员健康度', slots: { text: '本店会员健康度' } },
    { text: '会员健康度 本月', slots: { text: '会员健康度 本月' } },
    { text: '看看门店健康度周报', slots: { text: '看看门店健康度周报' } },
    { text: 'member health dashboard', slots: { text: 'member health dashboard' } },
  ],
  rule: {
    keywords: ['健康度', '会员健康', '健康看板', '会员看板', 'health dashboard', 'member health', 'store health'],
    extract: { text: 'text', store: 'store' },
    priority: 6,
  },
  async run(ctx, { period, text, store }) {
    const access = staffAccess(ctx);
    const granularity = period ?? periodFromText(text) ?? 'week';
    const named = store === undefined ? undefined : resolveStore(store, await storeDirectory(ctx.services));
    if (store !== undefined && !named) return { text: t(ctx.lang, 'insights.storeNotFound', { store }) };
    // Scope is enforced in the CRM layer: a store outside the actor's stores is refused there.
    const d = await healthDashboard(access, { granularity, storeId: named?.id });
    const scope = storeScope(access.actor) === null ? t(ctx.lang, 'insights.allStores') : d.stores.length === 1 ? d.stores[0]!.name : t(ctx.lang, 'insights.yourStores');
    const chart = healthTrendChart(d, undefined, undefined, ctx.lang);
    return { text: renderHealth(d, scope, ctx.lang), data: d, image: { png: chart.png, alt: chart.alt } };
  },
});
