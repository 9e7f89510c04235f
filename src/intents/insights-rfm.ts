import { z } from 'zod';
import { storeScope } from '../crm/kernel/index.ts';
import { rfmOverview } from '../crm/insights/index.ts';
import { renderRfm } from './render/insights.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';
import { t } from '../i18n/index.ts';

/** RFM cells, value quadrants and churn levels of the staff member's stores. */
export const insightsRfm = defineIntent({
  name: 'insights.rfm',
  audience: 'staff',
  description: "RFM segmentation of the staff member's stores: members per RFM cell (champions, loyal, new, potential, need attention, at risk, hibernating, lost), per value quadrant and per churn-risk level.",
  title: 'RFM 会员分群（本店）',
  permission: 'churn.read',
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '本店RFM分布', slots: {} },
    { text: '会员价值分层', slots: {} },
    { text: 'RFM 分析', slots: {} },
    { text: 'rfm segments', slots: {} },
  ],
  rule: {
    keywords: ['rfm', 'RFM', '价值分层', '会员分层', '价值象限', '会员价值分布'],
    priority: 6,
  },
  async run(ctx) {
    const access = staffAccess(ctx);
    const o = await rfmOverview(access);
    const scope = t(ctx.lang, storeScope(access.actor) === null ? 'insights.allStores' : 'insights.yourStores');
    return { text: renderRfm(o, scope, ctx.lang), data: o };
  },
});
