import type { Messages } from './types.ts';

/** Ticket statuses and types by name, for replies that list tickets (work.today, my.tickets). */
export const ticketLabels = {
  zh: {
    status_open: '待处理',
    status_in_progress: '处理中',
    status_resolved: '已解决',
    status_closed: '已关闭',
    type_repair: '维修',
    type_complaint: '投诉',
    type_consultation: '咨询',
    type_after_sales: '售后',
  },
  en: {
    status_open: 'open',
    status_in_progress: 'in progress',
    status_resolved: 'resolved',
    status_closed: 'closed',
    type_repair: 'repair',
    type_complaint: 'complaint',
    type_consultation: 'enquiry',
    type_after_sales: 'after-sales',
  },
} satisfies Messages;
