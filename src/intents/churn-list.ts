import { z } from 'zod';
import { storeScope } from '../crm/kernel/index.ts';
import { churnList as listChurn } from '../crm/insights/index.ts';
import { renderChurn } from './render/churn.ts';
import { resolveStore, storeDirectory } from './router/stores.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';
import { RECALL_PEOPLE } from './parse/recall-words.ts';

const slots = z.object({
  days: z.number().int().min(1).max(3650).optional().describe('only members silent for more than this many days (default 90)'),
  limit: z.number().int().min(1).max(50).optional().describe('how many members to list (default 10)'),
  minSpend: z.string().regex(/^\d+(\.\d{1,2})?$/).optional().describe('only members whose past spend is at least this amount in yuan, e.g. "500.00"'),
  store: z.string().min(1).max(64).optional().describe('only members of this home store, by its name, e.g. "上海徐汇店" or "徐汇店" (must be one of the staff member\'s stores)'),
});

/** Members of the staff member's stores who have stopped coming, by past spend. */
export const churnList = defineIntent({
  name: 'churn.list',
  audience: 'staff',
  description: "List members of the staff member's stores most likely to churn, ranked by the churn model's risk (BG/NBD plus the 30/60/90-day, usual-gap, declining-spend and complaint rules) with the reasons; before the first scoring run, members over 90 days and 3x their usual gap, by past spend.",
  title: '流失预警名单（本店）',
  permission: 'churn.read',
  effect: 'read',
  slots,
  examples: [
    { text: '本店流失预警名单', slots: {} },
    { text: 'churn list', slots: {} },
    { text: '流失预警 前20', slots: { limit: 20 } },
    { text: '超过120天没来的流失会员', slots: { days: 120 } },
    { text: '累计消费500元以上的流失会员', slots: { minSpend: '500.00' } },
    { text: 'at-risk members top 5', slots: { limit: 5 } },
    { text: '哪些老客快流失了，列前十个', slots: { limit: 10 } },
  ],
  rule: {
    keywords: ['流失预警', '流失名单', '流失', '沉睡会员', '沉睡', '很久没来', '好久没来', '好久不来', '很久不来', '没再来', '预警名单', 'churn', 'churned', 'churn list', 'at-risk', 'at risk', 'lapsed', 'dormant', RECALL_PEOPLE],
    extract: { days: 'days', limit: 'count', minSpend: 'amount', store: 'store' },
    priority: 2,
  },
  async run(ctx, { days, limit, minSpend, store }) {
    const access = staffAccess(ctx);
    const named = store === undefined ? undefined : resolveStore(store, await storeDirectory(ctx.services));
    if (store !== undefined && !named) return { text: t(ctx.lang, 'insights.storeNotFound', { store }) };
    // Scope is enforced in the CRM layer: a store outside the actor's stores is refused there.
    const list = await listChurn(access, { minDays: days, limit, minSpend, storeId: named?.id });
    const scope = named ? named.name : t(ctx.lang, storeScope(access.actor) === null ? 'insights.allStores' : 'insights.yourStores');
    return { text: renderChurn(list, scope, ctx.lang), data: list };
  },
});
