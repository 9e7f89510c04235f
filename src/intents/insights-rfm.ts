import { z } from 'zod';
import { storeScope } from '../crm/kernel/index.ts';
import { rfmOverview } from '../crm/insights/index.ts';
import { renderRfm } from './render/insights.ts';
import { resolveStore, storeDirectory } from './router/stores.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

const slots = z.object({
  store: z.string().min(1).max(64).optional().describe('only members of this home store, by its name, e.g. "上海静安店" or "静安店" (must be one of the staff member\'s stores)'),
});

/**
 * RFM cells, value quadrants and churn levels of the staff member's stores, or of one of them: a store
 * named ("静安 rfm", or "静安的呢" right after the store-wide answer, a refinement) is its slot, as the
 * churn list's and the dashboard's — without one the store's words had nowhere to go and the refinement
 * fell to another report.
 */
export const insightsRfm = defineIntent({
  name: 'insights.rfm',
  audience: 'staff',
  description: "RFM segmentation of the staff member's stores: members per RFM cell (champions, loyal, new, potential, need attention, at risk, hibernating, lost), per value quadrant and per churn-risk level.",
  title: 'RFM 会员分群（本店）',
  permission: 'churn.read',
  effect: 'read',
  slots,
  examples: [
    { text: '本店RFM分布', slots: {} },
    { text: '会员价值分层', slots: {} },
    { text: 'RFM 分析', slots: {} },
    { text: 'rfm segments', slots: {} },
  ],
  rule: {
    keywords: ['rfm', 'RFM', '价值分层', '会员分层', '价值象限', '会员价值分布'],
    extract: { store: 'store' },
    priority: 6,
  },
  async run(ctx, { store }) {
    const access = staffAccess(ctx);
    const named = store === undefined ? undefined : resolveStore(store, await storeDirectory(ctx.services));
    if (store !== undefined && !named) return { text: t(ctx.lang, 'insights.storeNotFound', { store }) };
    // Scope is enforced in the CRM layer: a store outside the actor's stores counts no one there.
    const o = await rfmOverview(access, { storeId: named?.id });
    const scope = named ? named.name : t(ctx.lang, storeScope(access.actor) === null ? 'insights.allStores' : 'insights.yourStores');
    return { text: renderRfm(o, scope, ctx.lang), data: o };
  },
});
