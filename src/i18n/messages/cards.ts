import type { Messages } from './types.ts';

/**
 * Interactive cards (src/bot/card-action.ts): the card's own texts and the outcome line a
 * clicked card shows in place of its buttons (WeCom update_template_card, button.replace_name).
 */
export const cards = {
  zh: {
    confirmTitle: '待确认：{{title}}',
    choiceTitle: '你是想？',
    pickTitle: '是哪一位？',
    confirmed: '已确认 · {{name}} · {{result}}',
    cancelled: '已取消 · {{name}}',
    expired: '已过期',
    chosen: '已选择 · {{label}}',
    rejected: '已拒绝 · {{name}}',
    approved: '已批准 · {{name}}',
    notYours: '这张卡片由 {{owner}} 发起，只有本人可以操作。',
    alreadyDone: '这张卡片已经处理过了，没有再次执行。',
    unknownCard: '这张卡片已失效（可能已处理或超时），没有执行任何操作。',
    approvalTitle: '导出待批准',
    approvalSummary: '{{requester}} 申请导出 {{rows}} 行（{{why}}），需要你批准。',
    approvalFullPhone: '含完整手机号',
    approvalRows: '超过 {{limit}} 行',
    approvalApproved: '已批准 {{requester}} 的导出（{{rows}} 行），对方可在 30 分钟内下载。',
    approvalRejected: '已拒绝 {{requester}} 的导出申请。',
    approvalRejectedNotice: '{{name}} 拒绝了你的导出申请（{{rows}} 行）。',
    approvalApprovedNotice: '{{name}} 已批准你的导出（{{rows}} 行），请在 30 分钟内下载。',
  },
  en: {
    confirmTitle: 'To confirm: {{title}}',
    choiceTitle: 'Did you mean?',
    pickTitle: 'Which one?',
    confirmed: 'Confirmed · {{name}} · {{result}}',
    cancelled: 'Cancelled · {{name}}',
    expired: 'Expired',
    chosen: 'Chosen · {{label}}',
    rejected: 'Rejected · {{name}}',
    approved: 'Approved · {{name}}',
    notYours: 'This card was started by {{owner}}; only they can use it.',
    alreadyDone: 'This card has already been handled; nothing ran again.',
    unknownCard: 'This card no longer works (handled or lapsed); nothing was done.',
    approvalTitle: 'Export awaiting approval',
    approvalSummary: '{{requester}} asks to export {{rows}} rows ({{why}}); your approval is needed.',
    approvalFullPhone: 'full phone numbers',
    approvalRows: 'more than {{limit}} rows',
    approvalApproved: "Approved {{requester}}'s export ({{rows}} rows); they can download it within 30 minutes.",
    approvalRejected: "Rejected {{requester}}'s export request.",
    approvalRejectedNotice: '{{name}} rejected your export request ({{rows}} rows).',
    approvalApprovedNotice: '{{name}} approved your export ({{rows}} rows); download it within 30 minutes.',
  },
} satisfies Messages;
