import { z } from 'zod';
import { syncStatus } from '../crm/sync/index.ts';
import { t } from '../i18n/index.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

/** 「同步状态」: the 卫瓴 sync monitor in chat, for admins (the same figures as GET /api/crm/sync/status). */
export const syncStatusIntent = defineIntent({
  name: 'sync.status',
  audience: 'staff',
  description: 'Show the status of the two-way sync with 卫瓴 (lag, pending, failed per object). Admins only.',
  title: '卫瓴同步状态',
  permission: 'sync.manage',
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '同步状态', slots: {} },
    { text: 'sync status', slots: {} },
  ],
  rule: {
    keywords: ['同步状态', [/卫瓴|CRM ?同步/i, /状态|延迟|失败|进度|情况/], /\bsync status\b/i],
    priority: 5,
  },
  async run(ctx) {
    const { services } = staffAccess(ctx);
    const c = services.config;
    if (!c.WEILING_API_BASE || !c.WEILING_APP_ID || !c.WEILING_APP_SECRET) return { text: t(ctx.lang, 'sync.notConfigured') };
    const items = await syncStatus(services.sql, 'weiling', services.now());
    const lines = items.map((s) => t(ctx.lang, 'sync.line', { object: s.object, direction: t(ctx.lang, `sync.${s.direction}`), status: t(ctx.lang, `sync.${s.status}`), lag: s.lag, pending: s.pending, retrying: s.retrying, dead: s.dead }));
    return { text: [t(ctx.lang, 'sync.head'), ...lines, t(ctx.lang, 'sync.hint')].join('\n'), data: items };
  },
});
