import { createHash } from 'node:crypto';
import { queueOutbound, ROLE_PERMISSIONS, type StaffAccess } from '../../crm/kernel/index.ts';
import type { StaffRole } from '../../generated/prisma/enums.ts';
import { t } from '../../i18n/index.ts';
import { registerCardTask } from '../../bot/card-action.ts';
import { newTaskId } from '../../bot/confirmation.ts';
import type { ExportApproval } from './approvals.ts';

/**
 * The second approver asked in WeCom (docs/guides/administrator.md, "Export approval by card"):
 * each staff member who could approve an export (active, holding its permission, not the one who
 * asked) gets a confirm card; 确认 approves it exactly as POST /api/crm/exports/{id}/approve does
 * and 取消 rejects it (approval-card-click.ts). Staff are reached only when the WeCom app can push.
 */

/** At most this many approvers are asked: enough to find one, never a broadcast to the company. */
const MAX_APPROVERS = 20;

/** A card task of this kind answers through approval-card-click.ts (wired in src/runtime.ts). */
export const EXPORT_APPROVAL_TASK = 'export-approval';

export async function offerApproval(access: StaffAccess, a: ExportApproval): Promise<void> {
  const { services, actor } = access;
  const { WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID } = services.config;
  if (!WECOM_CORP_ID || !WECOM_SECRET || !WECOM_AGENT_ID) return;
  const roles = (Object.keys(ROLE_PERMISSIONS) as StaffRole[]).filter((r) => ROLE_PERMISSIONS[r].includes(a.permission));
  const approvers = await services.db.staff.findMany({
    where: { active: true, role: { in: roles }, wecomUserId: { not: a.requester } },
    select: { wecomUserId: true, name: true },
    orderBy: { id: 'asc' },
    take: MAX_APPROVERS,
  });
  const why = a.reasons.map((r) => (r === 'full_phone' ? t('zh', 'cards.approvalFullPhone') : t('zh', 'cards.approvalRows', { limit: services.config.EXPORT_APPROVAL_ROWS }))).join('，');
  for (const approver of approvers) {
    const taskId = newTaskId('export');
    // Anyone eligible may decide on any copy of the card: approveExport / rejectExport check who (never the requester).
    await registerCardTask(services, taskId, { kind: EXPORT_APPROVAL_TASK, owner: '*', ownerName: approver.name, approvalId: a.id, requesterName: actor.name, rows: a.rows });
    const card = { kind: 'confirm' as const, taskId, title: t('zh', 'cards.approvalTitle'), summary: t('zh', 'cards.approvalSummary', { requester: actor.name, rows: a.rows, why }), expiresAt: a.expiresAt };
    const jobId = `export-approval-${a.id}-${createHash('sha256').update(approver.wecomUserId).digest('hex').slice(0, 16)}`;
    await queueOutbound(services, 'export-approval-card', { channel: 'wecom', to: approver.wecomUserId, text: '', card, requestId: access.requestId }, { jobId });
  }
}
