import type { Messages } from './types.ts';

/** The 卫瓴 sync monitor in chat (sync.status, src/intents/sync-status.ts; docs/sync.md). */
export const sync = {
  zh: {
    notConfigured: '卫瓴同步未配置（需设置 WEILING_API_BASE、WEILING_APP_ID、WEILING_APP_SECRET）。',
    head: '卫瓴同步状态：',
    line: '· {{object}}（{{direction}}）{{status}} · 延迟 {{lag}} 秒 · 待处理 {{pending}} · 重试中 {{retrying}} · 失败 {{dead}}',
    ok: '正常',
    lagging: '延迟',
    failing: '有失败',
    outbound: '推送',
    inbound: '接收',
    hint: '失败记录：GET /api/crm/sync/failures；重试：POST /api/crm/sync/failures/retry-all',
  },
  en: {
    notConfigured: 'The Weiling sync is not configured (set WEILING_API_BASE, WEILING_APP_ID, WEILING_APP_SECRET).',
    head: 'Weiling sync status:',
    line: '· {{object}} ({{direction}}) {{status}} · lag {{lag}} s · pending {{pending}} · retrying {{retrying}} · failed {{dead}}',
    ok: 'ok',
    lagging: 'lagging',
    failing: 'failing',
    outbound: 'out',
    inbound: 'in',
    hint: 'Failures: GET /api/crm/sync/failures; retry: POST /api/crm/sync/failures/retry-all',
  },
} satisfies Messages;
