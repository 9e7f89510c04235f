import { isAppError, queueOutbound } from '../../crm/kernel/index.ts';
import { t } from '../../i18n/index.ts';
import { CONFIRM_KEY, markAnswered, type CardTaskHandler } from '../../bot/card-action.ts';
import { errorReply } from '../../bot/error-reply.ts';
import { approveExport, rejectExport } from './approvals.ts';

/**
 * A click on an export's approval card (approval-cards.ts): 确认 approves exactly as
 * POST /api/crm/exports/{id}/approve (approveExport: never the requester, the export's permission
 * required, audited export.approved, idempotent), 取消 rejects (rejectExport, audited
 * export.rejected). A refusal leaves the card open for someone who may decide; a decision marks
 * the card answered, shows it on the card and tells the requester.
 */
export const exportApprovalClick: CardTaskHandler = async ({ services, msg, actor, task, taskId, key, lang }) => {
  const intent = key === CONFIRM_KEY ? 'export.approve' : 'export.reject';
  if (actor.kind !== 'staff') return { intent, result: { text: t(lang, 'cards.unknownCard'), outcome: 'declined' } };
  const access = { services, actor, channel: msg.channel, requestId: msg.requestId };
  const id = String(task.approvalId);
  const requester = String(task.requesterName ?? '');
  const rows = Number(task.rows ?? 0);
  try {
    if (key === CONFIRM_KEY) {
      const a = await approveExport(access, id);
      await markAnswered(services, taskId, 'approved');
      // Approved before by someone else (their copy of the card): nothing new.
      if (a.approvedBy !== actor.wecomUserId) return { intent, result: { text: t(lang, 'cards.alreadyDone'), outcome: 'declined' } };
      // One notice per export whoever decides (the job id), however often the card is clicked.
      await queueOutbound(services, 'export-decided', { channel: 'wecom', to: a.requester, text: t(lang, 'cards.approvalApprovedNotice', { name: actor.name, rows }), requestId: msg.requestId }, { jobId: `export-decided-${id}` });
      return { intent, result: { text: t(lang, 'cards.approvalApproved', { requester, rows }), outcome: 'done', cardUpdate: { taskId, text: t(lang, 'cards.approved', { name: actor.name }) } } };
    }
    const rejected = await rejectExport(access, id);
    await markAnswered(services, taskId, 'rejected');
    if (!rejected) return { intent, result: { text: t(lang, 'cards.alreadyDone'), outcome: 'declined' } };
    await queueOutbound(services, 'export-decided', { channel: 'wecom', to: rejected.requester, text: t(lang, 'cards.approvalRejectedNotice', { name: actor.name, rows }), requestId: msg.requestId }, { jobId: `export-decided-${id}` });
    return { intent, result: { text: t(lang, 'cards.approvalRejected', { requester }), outcome: 'done', cardUpdate: { taskId, text: t(lang, 'cards.rejected', { name: actor.name }) } } };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { intent, result: { text: errorReply(e, lang), outcome: 'declined' } };
  }
};
